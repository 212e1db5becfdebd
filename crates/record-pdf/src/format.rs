//! Values as the record prints them: local dates and times, articles of the regulation, numbers.

use outlet_core::inspection::{GeoPoint, MeasureMethod};
use outlet_core::{Lang, Msg};
use time::{Date, OffsetDateTime, UtcOffset};

/// `2026年12月05日 07:30` (or `2026-12-05 07:30` in English) of `at` in its own offset.
pub(crate) fn date_time(at: OffsetDateTime, lang: Lang) -> String {
    let date = at.date();
    Msg::PrintDateTime.fill(
        lang,
        &[
            &format!("{:04}", date.year()),
            &format!("{:02}", u8::from(date.month())),
            &format!("{:02}", date.day()),
            &format!("{:02}", at.hour()),
            &format!("{:02}", at.minute()),
        ],
    )
}

/// `2026年12月05日`, or `2026-12-05` in English.
pub(crate) fn date(date: Date, lang: Lang) -> String {
    Msg::PrintDate.fill(lang, &[&format!("{:04}", date.year()), &format!("{:02}", u8::from(date.month())), &format!("{:02}", date.day())])
}

/// `+08:00`.
pub(crate) fn utc_offset(offset: UtcOffset) -> String {
    let sign = if offset.is_negative() { '-' } else { '+' };
    format!("{sign}{:02}:{:02}", offset.whole_hours().unsigned_abs(), offset.minutes_past_hour().unsigned_abs())
}

/// Articles of the 排污许可管理条例: `《排污许可管理条例》第十八条、第三十六条` in Chinese,
/// `Permit Regulations art. 18, 36` in English.
pub(crate) fn articles(articles: &[u8], lang: Lang) -> String {
    Msg::PrintArticles.fill(lang, &[&article_numbers(articles, lang)])
}

/// Article numbers without the regulation's name: `第十八条、第三十六条`, or `18, 36` in English.
pub(crate) fn article_numbers(articles: &[u8], lang: Lang) -> String {
    let numbers: Vec<String> = articles
        .iter()
        .map(|article| {
            let number = match lang {
                Lang::Zh => chinese_numeral(*article),
                Lang::En => article.to_string(),
            };
            Msg::PrintArticleNo.fill(lang, &[&number])
        })
        .collect();
    numbers.join(Msg::PrintListSeparator.text(lang))
}

/// Writes `number` in Chinese numerals as article numbers are written: 9 九, 10 十, 18 十八,
/// 36 三十六, 105 一百零五, 110 一百一十.
pub(crate) fn chinese_numeral(number: u8) -> String {
    const DIGITS: [&str; 10] = ["零", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    let (hundreds, tens, ones) = (usize::from(number / 100), usize::from(number / 10 % 10), usize::from(number % 10));

    let mut text = String::new();
    if hundreds > 0 {
        text.push_str(DIGITS[hundreds]);
        text.push('百');
    }
    match (hundreds, tens) {
        (_, 0) if hundreds > 0 && ones > 0 => text.push('零'),
        (_, 0) => {}
        (0, 1) => text.push('十'),
        _ => {
            text.push_str(DIGITS[tens]);
            text.push('十');
        }
    }
    if ones > 0 || number == 0 {
        text.push_str(DIGITS[ones]);
    }
    text
}

/// Latitude and longitude to six decimals (about 0.1 m).
pub(crate) fn point(point: GeoPoint, lang: Lang) -> String {
    Msg::CoordinatesLatLon.fill(lang, &[&format!("{:.6}", point.latitude), &format!("{:.6}", point.longitude)])
}

/// Splits the method into its name and the sample number, which is empty for a portable instrument.
pub(crate) fn method(method: &MeasureMethod, lang: Lang) -> (String, String) {
    match method {
        MeasureMethod::PortableInstrument => (Msg::PrintMethodPortable.text(lang).to_string(), String::new()),
        MeasureMethod::Sampling { sample_no } => (Msg::PrintMethodSampling.text(lang).to_string(), sample_no.clone()),
    }
}

#[cfg(test)]
mod tests {
    use time::macros::datetime;

    use super::*;

    #[test]
    fn chinese_numerals() {
        let cases = [(0, "零"), (9, "九"), (10, "十"), (18, "十八"), (20, "二十"), (36, "三十六"), (51, "五十一"), (100, "一百"), (105, "一百零五"), (110, "一百一十"), (255, "二百五十五")];
        for (number, expected) in cases {
            assert_eq!(chinese_numeral(number), expected, "{number}");
        }
    }

    #[test]
    fn articles_in_both_languages() {
        assert_eq!(articles(&[18, 36], Lang::Zh), "《排污许可管理条例》第十八条、第三十六条");
        assert_eq!(articles(&[18, 36], Lang::En), "Permit Regulations art. 18, 36");
        assert_eq!(article_numbers(&[22, 37], Lang::Zh), "第二十二条、第三十七条");
    }

    #[test]
    fn date_time_in_its_offset() {
        let at = datetime!(2026-12-04 23:30 UTC).to_offset(time::macros::offset!(+8));
        assert_eq!(date_time(at, Lang::Zh), "2026年12月05日 07:30");
        assert_eq!(date_time(at, Lang::En), "2026-12-05 07:30");
        assert_eq!(utc_offset(at.offset()), "+08:00");
        assert_eq!(utc_offset(time::macros::offset!(-3:30)), "-03:30");
    }
}
