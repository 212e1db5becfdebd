//! Line breaking for mixed Chinese and Latin text.
//!
//! A line may break between any two Chinese characters, after a space, and after `-` or `/`, but not
//! before closing punctuation such as `，` or `）` and not after opening punctuation such as `（`.
//! A word wider than the line is cut where it overflows.

use crate::font::FontMetrics;

/// Punctuation that must not start a line.
const NO_LINE_START: &str = "，。、；：！？）》」』】〕”’,.;:!?)]}%";

/// Punctuation that must not end a line.
const NO_LINE_END: &str = "（《「『【〔“‘([{";

/// Splits `text` into lines no wider than `width` points at `size` points. Line feeds in the text
/// start new lines; tabs become spaces and other control characters are dropped. Returns at least
/// one line, which is empty for an empty text.
pub(crate) fn wrap(font: &FontMetrics<'_>, text: &str, size: f32, width: f32) -> Vec<String> {
    let text = clean(text);
    let mut lines = Vec::new();
    for paragraph in text.split('\n') {
        wrap_paragraph(font, paragraph, size, width, &mut lines);
    }
    lines
}

/// Shortens `text` with a trailing `…` until it fits in `width` points at `size` points.
pub(crate) fn fit(font: &FontMetrics<'_>, text: &str, size: f32, width: f32) -> String {
    let text = clean(text).replace('\n', " ");
    if font.width(&text, size) <= width {
        return text;
    }

    let budget = width - font.width("…", size);
    let mut used = 0.0;
    let mut fitted = String::new();
    for ch in text.chars() {
        used += font.advance(ch) * size;
        if used > budget {
            break;
        }
        fitted.push(ch);
    }
    fitted.push('…');
    fitted
}

/// Normalises line ends to `\n`, turns tabs into spaces and drops other control characters.
fn clean(text: &str) -> String {
    text.replace("\r\n", "\n")
        .chars()
        .filter_map(|ch| match ch {
            '\r' | '\n' => Some('\n'),
            '\t' => Some(' '),
            ch if ch.is_control() => None,
            ch => Some(ch),
        })
        .collect()
}

fn wrap_paragraph(font: &FontMetrics<'_>, paragraph: &str, size: f32, width: f32, lines: &mut Vec<String>) {
    let chars: Vec<char> = paragraph.chars().collect();
    let advances: Vec<f32> = chars.iter().map(|ch| font.advance(*ch) * size).collect();

    let mut start = 0;
    let mut used = 0.0;
    let mut last_break = None;
    let mut index = 0;
    while index < chars.len() {
        if index > start && may_break_before(chars[index - 1], chars[index]) {
            last_break = Some(index);
        }

        // A space may hang past the edge, since it is trimmed from the end of the line.
        if used + advances[index] > width && index > start && chars[index] != ' ' {
            let end = last_break.filter(|at| *at > start).unwrap_or(index);
            lines.push(chars[start..end].iter().collect::<String>().trim_end().to_string());

            start = end;
            while start < chars.len() && chars[start] == ' ' {
                start += 1;
            }
            index = index.max(start);
            used = advances[start..index].iter().sum();
            last_break = (start + 1..index).rev().find(|at| may_break_before(chars[at - 1], chars[*at]));
            continue;
        }

        used += advances[index];
        index += 1;
    }

    lines.push(chars[start..].iter().collect::<String>().trim_end().to_string());
}

/// True when a line may end between `before` and `after`.
fn may_break_before(before: char, after: char) -> bool {
    if after == ' ' || NO_LINE_START.contains(after) || NO_LINE_END.contains(before) {
        return false;
    }
    before == ' ' || before == '-' || before == '/' || is_wide(before) || is_wide(after)
}

/// True for characters of the CJK blocks, which break like single words.
fn is_wide(ch: char) -> bool {
    matches!(ch,
        '\u{2E80}'..='\u{9FFF}'      // radicals, punctuation, kana, CJK unified ideographs
        | '\u{AC00}'..='\u{D7AF}'    // Hangul syllables
        | '\u{F900}'..='\u{FAFF}'    // compatibility ideographs
        | '\u{FE30}'..='\u{FE4F}'    // compatibility forms
        | '\u{FF00}'..='\u{FFEF}'    // full-width forms
        | '\u{20000}'..='\u{3FFFF}') // extension planes
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::system_cjk_font;

    fn with_metrics(test: impl FnOnce(&FontMetrics<'_>)) {
        let font = system_cjk_font().expect("a CJK font is installed (apt-get install fonts-wqy-microhei)");
        test(&font.metrics().expect("the font parses"));
    }

    #[test]
    fn every_line_fits() {
        with_metrics(|font| {
            let text = "排污单位于2026年12月5日上午对DA001排放口进行检查，发现 automatic monitoring equipment was offline（在线监测设备离线）。".repeat(5);
            for line in wrap(font, &text, 10.0, 120.0) {
                assert!(font.width(&line, 10.0) <= 120.0, "{line:?} is {} pt wide", font.width(&line, 10.0));
            }
        });
    }

    #[test]
    fn wrapping_keeps_every_character() {
        with_metrics(|font| {
            let text = "检查情况：锅炉废气排放口DA001的标志牌缺失，现场未见自动监测设备运行记录。".repeat(3);
            let joined: String = wrap(font, &text, 9.0, 80.0).concat();
            assert_eq!(joined, text);
        });
    }

    #[test]
    fn latin_breaks_between_words() {
        with_metrics(|font| {
            let lines = wrap(font, "the placard was moved two metres east", 10.0, font.width("the placard was moved", 10.0) + 1.0);
            assert_eq!(lines, vec!["the placard was moved", "two metres east"]);
        });
    }

    #[test]
    fn long_token_is_cut() {
        with_metrics(|font| {
            let hash = "ab".repeat(32);
            let lines = wrap(font, &hash, 10.0, 60.0);
            assert!(lines.len() > 1);
            assert_eq!(lines.concat(), hash);
        });
    }

    #[test]
    fn comma_does_not_start_line() {
        with_metrics(|font| {
            let width = font.width("一二三", 10.0) + 0.5;
            let lines = wrap(font, "一二三，四五", 10.0, width);
            assert!(lines.iter().all(|line| !line.starts_with('，')), "{lines:?}");
        });
    }

    #[test]
    fn line_feeds_start_lines() {
        with_metrics(|font| {
            assert_eq!(wrap(font, "甲\r\n乙\n\n丙\t丁\u{7}", 10.0, 400.0), vec!["甲", "乙", "", "丙 丁"]);
            assert_eq!(wrap(font, "", 10.0, 400.0), vec![""]);
        });
    }

    #[test]
    fn fit_shortens_with_ellipsis() {
        with_metrics(|font| {
            let fitted = fit(font, &"记".repeat(100), 10.0, 100.0);
            assert!(fitted.ends_with('…'));
            assert!(font.width(&fitted, 10.0) <= 100.0);
            assert_eq!(fit(font, "短", 10.0, 100.0), "短");
        });
    }
}
