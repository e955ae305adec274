//! Numbers, tonnes (吨), money (元/万元), percentages, periods, dates and regions, for the locale.
//!
//! Exact integers in, text out: no float is ever summed here (charts alone use
//! [`redmud_domain::Ratio::approx_f64`] for geometry).

use chrono::{DateTime, Datelike, FixedOffset, NaiveDate};
use redmud_domain::{Fen, Granularity, Kg, Period, Prefecture, Ratio, Region};

use crate::i18n::Lang;

/// China Standard Time, in which dates and times are shown.
const CST_SECONDS: i32 = 8 * 3600;

/// An integer with thousands separators: `1234567` → `1,234,567`.
pub fn group(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Tonnes with up to three decimals (trailing zeros dropped): `1,234.5 吨` / `1,234.5 t`.
pub fn tonnes(mass: Kg, lang: Lang) -> String {
    let (t, kg) = mass.tonnes_and_kg();
    let mut number = group(t);
    if kg > 0 {
        let frac = format!("{kg:03}");
        number.push('.');
        number.push_str(frac.trim_end_matches('0'));
    }
    match lang {
        Lang::Zh => format!("{number} 吨"),
        Lang::En => format!("{number} t"),
    }
}

/// Money: Chinese shows 万元 from ten thousand yuan up (two decimals, rounded half up) and 元 below;
/// English shows `¥1,234,567.89`.
pub fn money(amount: Fen, lang: Lang) -> String {
    let fen = amount.fen();
    match lang {
        Lang::Zh if fen >= 1_000_000 => {
            // Hundredths of 万元 = fen / 10 000, rounded half up.
            let hundredths = (fen + 5_000) / 10_000;
            format!("{}.{:02} 万元", group(hundredths / 100), hundredths % 100)
        }
        Lang::Zh => format!("{}.{:02} 元", group(fen / 100), fen % 100),
        Lang::En => format!("¥{}.{:02}", group(fen / 100), fen % 100),
    }
}

/// A rate as a percentage with one decimal: `12.3%`.
pub fn percent(rate: Ratio) -> String {
    rate.percent_display(1)
}

/// A period: `2026年第3季度` / `Q3 2026`, `2026年10月` / `Oct 2026`, `2026年` / `2026`.
pub fn period(p: Period, lang: Lang) -> String {
    let year = p.calendar_year();
    match (p.granularity(), lang) {
        (Granularity::Quarter, Lang::Zh) => {
            format!("{year}年第{}季度", p.quarter_number().unwrap_or_default())
        }
        (Granularity::Quarter, Lang::En) => {
            format!("Q{} {year}", p.quarter_number().unwrap_or_default())
        }
        (Granularity::Month, Lang::Zh) => {
            format!("{year}年{}月", p.month_number().unwrap_or_default())
        }
        (Granularity::Month, Lang::En) => {
            format!(
                "{} {year}",
                month_en(u32::from(p.month_number().unwrap_or(1)))
            )
        }
        (Granularity::Year, Lang::Zh) => format!("{year}年"),
        (Granularity::Year, Lang::En) => year.to_string(),
    }
}

fn month_en(month: u32) -> &'static str {
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    MONTHS
        .get(month.saturating_sub(1) as usize)
        .copied()
        .unwrap_or("?")
}

/// A date: `2026年11月28日` / `28 Nov 2026`.
pub fn date(d: NaiveDate, lang: Lang) -> String {
    match lang {
        Lang::Zh => format!("{}年{}月{}日", d.year(), d.month(), d.day()),
        Lang::En => format!("{} {} {}", d.day(), month_en(d.month()), d.year()),
    }
}

/// An RFC 3339 timestamp shown in China Standard Time: `2026年11月28日 14:05` / `28 Nov 2026
/// 14:05`; text that is not a timestamp is shown as it is.
pub fn datetime(rfc3339: &str, lang: Lang) -> String {
    let (Ok(parsed), Some(cst)) = (
        DateTime::parse_from_rfc3339(rfc3339),
        FixedOffset::east_opt(CST_SECONDS),
    ) else {
        return rfc3339.to_owned();
    };
    let local = parsed.with_timezone(&cst);
    format!(
        "{} {}",
        date(local.date_naive(), lang),
        local.format("%H:%M")
    )
}

/// An effective date or period as the history shows it (`2026-Q3`, `2026-11-01`).
pub fn effective(text: &str, lang: Lang) -> String {
    if let Ok(p) = text.parse::<Period>() {
        return period(p, lang);
    }
    if let Ok(d) = text.parse::<NaiveDate>() {
        return date(d, lang);
    }
    text.to_owned()
}

/// A region's name.
pub fn region(r: Region, lang: Lang) -> String {
    match lang {
        Lang::Zh => r.name_zh(),
        Lang::En => r.name_en(),
    }
}

/// A prefecture's short name (charts).
pub fn prefecture_short(p: Prefecture, lang: Lang) -> &'static str {
    match lang {
        Lang::Zh => p.short_name_zh(),
        Lang::En => p.name_en(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kg(n: u64) -> Kg {
        Kg::new(n).expect("kg")
    }

    #[test]
    fn thousands_are_grouped() {
        assert_eq!(group(0), "0");
        assert_eq!(group(999), "999");
        assert_eq!(group(1_000), "1,000");
        assert_eq!(group(1_234_567), "1,234,567");
    }

    #[test]
    fn tonnes_per_locale() {
        assert_eq!(tonnes(kg(1_234_500), Lang::Zh), "1,234.5 吨");
        assert_eq!(tonnes(kg(1_234_500), Lang::En), "1,234.5 t");
        assert_eq!(tonnes(kg(7), Lang::En), "0.007 t");
        assert_eq!(tonnes(kg(2_000_000), Lang::Zh), "2,000 吨");
    }

    #[test]
    fn money_in_yuan_and_wan_yuan() {
        let fen = |n| Fen::new(n).expect("fen");
        assert_eq!(money(fen(123_456), Lang::Zh), "1,234.56 元");
        assert_eq!(money(fen(999_999), Lang::Zh), "9,999.99 元");
        assert_eq!(money(fen(1_000_000), Lang::Zh), "1.00 万元");
        // 12 345 678.90 元 = 1 234.57 万元 (rounded half up).
        assert_eq!(money(fen(1_234_567_890), Lang::Zh), "1,234.57 万元");
        assert_eq!(money(fen(1_234_567_890), Lang::En), "¥12,345,678.90");
    }

    #[test]
    fn periods_dates_and_times() {
        let q: Period = "2026-Q3".parse().expect("period");
        assert_eq!(period(q, Lang::Zh), "2026年第3季度");
        assert_eq!(period(q, Lang::En), "Q3 2026");
        let m: Period = "2026-10".parse().expect("period");
        assert_eq!(period(m, Lang::Zh), "2026年10月");
        assert_eq!(period(m, Lang::En), "Oct 2026");
        let d = NaiveDate::from_ymd_opt(2026, 11, 28).expect("date");
        assert_eq!(date(d, Lang::Zh), "2026年11月28日");
        assert_eq!(date(d, Lang::En), "28 Nov 2026");
        // 23:30 UTC is 07:30 the next day in Beijing.
        assert_eq!(
            datetime("2026-11-28T23:30:00Z", Lang::Zh),
            "2026年11月29日 07:30"
        );
        assert_eq!(datetime("not a time", Lang::En), "not a time");
        assert_eq!(effective("2026-Q1", Lang::En), "Q1 2026");
    }

    #[test]
    fn rates_and_regions() {
        let r = Ratio::new(1, 8).expect("ratio");
        assert_eq!(percent(r), "12.5%");
        let guiyang = Region::from_code(520100).expect("region");
        assert_eq!(region(guiyang, Lang::Zh), "贵阳市");
    }
}
