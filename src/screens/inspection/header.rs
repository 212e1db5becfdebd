//! The record's basic information: number, start time, task type, unit, outlets and place.

use dioxus::prelude::*;
use outlet_app_core::{DraftEdit, Event};
use outlet_core::i18n::{format_time, Label, Lang, Msg};
use outlet_core::inspection::{InspectionDraft, TaskType};

#[component]
pub fn HeaderSection(lang: Lang, draft: InspectionDraft) -> Element {
    let events = use_coroutine_handle::<Event>();
    let mut typed_outlet = use_signal(String::new);
    let t = |msg: Msg| msg.text(lang);

    let add_outlet = move |_| {
        let text = typed_outlet();
        if !text.trim().is_empty() {
            events.send(Event::Draft(DraftEdit::AddOutlet(text)));
            typed_outlet.set(String::new());
        }
    };

    rsx! {
        fieldset { id: "record-basics", class: "basics",
            legend { {t(Msg::FormSectionBasics)} }
            if let Some(amends) = &draft.amends {
                p { id: "amends", class: "amends", {Msg::PrintAmends.fill(lang, &[&amends.id.to_string(), &amends.sha256])} }
            }
            dl {
                dt { {t(Msg::PrintRecordNo)} }
                dd { id: "record-no", class: "code", "{draft.record_no}" }
                dt { {t(Msg::PrintTime)} }
                dd { id: "record-started", {format_time(draft.started_at)} }
                dt { {t(Msg::PrintUnit)} }
                dd { id: "record-unit", "{draft.unit.name}" }
                dt { {t(Msg::FieldPermitNo)} }
                dd { class: "code", "{draft.unit.permit_no}" }
            }

            label { r#for: "task-type", {t(Msg::PrintTaskType)} }
            select { id: "task-type",
                onchange: move |evt: FormEvent| {
                    if let Some(task_type) = TaskType::ALL.iter().copied().find(|task| task_key(*task) == evt.value()) {
                        events.send(Event::Draft(DraftEdit::TaskType(task_type)));
                    }
                },
                for task_type in TaskType::ALL {
                    option { value: task_key(task_type), selected: task_type == draft.task_type, {task_type.text(lang)} }
                }
            }

            p { class: "field-label", {t(Msg::PrintOutlets)} }
            ul { id: "record-outlets", class: "outlets",
                for (index, outlet) in draft.outlets.iter().enumerate() {
                    li { class: "outlet", "data-outlet": "{outlet}",
                        span { class: "code", "{outlet.outlet_code}" }
                        if index > 0 {
                            button { class: "remove", r#type: "button", id: "remove-outlet-{index}",
                                onclick: move |_| events.send(Event::Draft(DraftEdit::RemoveOutlet(index))),
                                {t(Msg::FormRemove)}
                            }
                        }
                    }
                }
            }
            label { r#for: "add-outlet", {t(Msg::FormAddOutletLabel)} }
            div { class: "row",
                input { id: "add-outlet", value: "{typed_outlet}", autocapitalize: "characters", placeholder: "{draft.unit.permit_no}-DA002",
                    oninput: move |evt: FormEvent| typed_outlet.set(evt.value()) }
                button { id: "add-outlet-button", r#type: "button", onclick: add_outlet, {t(Msg::FormAddOutlet)} }
            }

            label { r#for: "place", {t(Msg::PrintPlace)} }
            input { id: "place", value: "{draft.place}",
                oninput: move |evt: FormEvent| events.send(Event::Draft(DraftEdit::Place(evt.value()))) }
        }
    }
}

/// Returns the `value` of a task type's option.
fn task_key(task_type: TaskType) -> &'static str {
    match task_type {
        TaskType::Routine => "routine",
        TaskType::SpecialCampaign => "special_campaign",
        TaskType::Complaint => "complaint",
    }
}
