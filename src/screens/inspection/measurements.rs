//! Field measurements: outlet, pollutant, value, unit and how the value was taken. The value stays
//! text until finalizing, which checks it.

use dioxus::prelude::*;
use outlet_app_core::{DraftEdit, Event};
use outlet_core::i18n::{Lang, Msg};
use outlet_core::inspection::{DraftMeasurement, MeasureMethod};
use outlet_core::OutletId;

#[component]
pub fn MeasurementsSection(lang: Lang, measurements: Vec<DraftMeasurement>, outlets: Vec<OutletId>) -> Element {
    let events = use_coroutine_handle::<Event>();

    rsx! {
        fieldset { id: "measurements", class: "measurements",
            legend { {Msg::PrintMeasurements.text(lang)} }
            for (index, measurement) in measurements.into_iter().enumerate() {
                MeasurementRow { lang, index, measurement, outlets: outlets.clone() }
            }
            button { id: "add-measurement", r#type: "button", onclick: move |_| events.send(Event::Draft(DraftEdit::AddMeasurement)),
                {Msg::FormAddMeasurement.text(lang)}
            }
        }
    }
}

#[component]
fn MeasurementRow(lang: Lang, index: usize, measurement: DraftMeasurement, outlets: Vec<OutletId>) -> Element {
    let events = use_coroutine_handle::<Event>();
    let t = |msg: Msg| msg.text(lang);
    let sample_no = match &measurement.method {
        MeasureMethod::Sampling { sample_no } => Some(sample_no.clone()),
        MeasureMethod::PortableInstrument => None,
    };
    let sampling = sample_no.is_some();

    // Each field sends the whole measurement with that one field changed.
    let send = move |measurement: DraftMeasurement| events.send(Event::Draft(DraftEdit::Measurement { index, measurement }));
    let base = measurement.clone();
    let with_outlet = move |evt: FormEvent| {
        // The options' values are outlet ids, so this parses unless the page was tampered with.
        if let Ok(outlet) = evt.value().parse::<OutletId>() {
            send(DraftMeasurement { outlet, ..base.clone() });
        }
    };
    let base = measurement.clone();
    let with_pollutant = move |evt: FormEvent| send(DraftMeasurement { pollutant: evt.value(), ..base.clone() });
    let base = measurement.clone();
    let with_value = move |evt: FormEvent| send(DraftMeasurement { value: evt.value(), ..base.clone() });
    let base = measurement.clone();
    let with_unit = move |evt: FormEvent| send(DraftMeasurement { unit: evt.value(), ..base.clone() });
    let base = measurement.clone();
    let with_method = move |evt: FormEvent| {
        let method = if evt.value() == "sampling" { MeasureMethod::Sampling { sample_no: String::new() } } else { MeasureMethod::PortableInstrument };
        send(DraftMeasurement { method, ..base.clone() });
    };
    let base = measurement.clone();
    let with_sample_no = move |evt: FormEvent| send(DraftMeasurement { method: MeasureMethod::Sampling { sample_no: evt.value() }, ..base.clone() });

    rsx! {
        div { class: "measurement", "data-index": "{index}",
            p { class: "row-title", {Msg::FormMeasurementN.fill(lang, &[&(index + 1).to_string()])} }
            label { {t(Msg::SectionOutlet)}
                select { id: "measurement-{index}-outlet", onchange: with_outlet,
                    for outlet in outlets {
                        option { value: "{outlet}", selected: outlet == measurement.outlet, "{outlet.outlet_code}" }
                    }
                }
            }
            label { {t(Msg::FieldPollutant)}
                input { id: "measurement-{index}-pollutant", value: "{measurement.pollutant}", placeholder: "二氧化硫", oninput: with_pollutant }
            }
            div { class: "row",
                label { class: "grow", {t(Msg::PrintColumnValue)}
                    input { id: "measurement-{index}-value", value: "{measurement.value}", inputmode: "decimal", oninput: with_value }
                }
                label { class: "grow", {t(Msg::PrintColumnUnit)}
                    input { id: "measurement-{index}-unit", value: "{measurement.unit}", placeholder: "mg/m³", oninput: with_unit }
                }
            }
            label { {t(Msg::PrintColumnMethod)}
                select { id: "measurement-{index}-method", onchange: with_method,
                    option { value: "portable", selected: !sampling, {t(Msg::PrintMethodPortable)} }
                    option { value: "sampling", selected: sampling, {t(Msg::PrintMethodSampling)} }
                }
            }
            if let Some(sample_no) = sample_no {
                label { {t(Msg::PrintColumnSampleNo)}
                    input { id: "measurement-{index}-sample-no", value: "{sample_no}", oninput: with_sample_no }
                }
            }
            button { class: "remove", r#type: "button", id: "remove-measurement-{index}",
                onclick: move |_| events.send(Event::Draft(DraftEdit::RemoveMeasurement(index))),
                {t(Msg::FormRemove)}
            }
        }
    }
}
