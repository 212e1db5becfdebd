//! Message texts whose values must not wrap inside, such as the dates of a range.

use dioxus::prelude::*;
use outlet_core::i18n::{Lang, Msg};

/// Renders `msg` with its placeholders `{0}`, `{1}`, ... filled from `args`, each value in a span
/// that does not wrap, so a date such as `2028-05-31` never breaks at a hyphen.
pub fn fill_unbroken(msg: Msg, lang: Lang, args: &[&str]) -> Element {
    let mut pieces: Vec<(bool, String)> = Vec::new();
    let mut rest = msg.text(lang);

    while let Some(start) = rest.find('{') {
        let index = rest[start + 1..].find('}').and_then(|end| rest[start + 1..start + 1 + end].parse::<usize>().ok().map(|i| (i, end)));
        let Some((index, end)) = index.filter(|(index, _)| *index < args.len()) else {
            pieces.push((false, rest[..=start].to_string()));
            rest = &rest[start + 1..];
            continue;
        };
        pieces.push((false, rest[..start].to_string()));
        pieces.push((true, args[index].to_string()));
        rest = &rest[start + end + 2..];
    }
    pieces.push((false, rest.to_string()));

    rsx! {
        for (is_value, piece) in pieces {
            if is_value {
                span { class: "nowrap", {piece} }
            } else {
                {piece}
            }
        }
    }
}
