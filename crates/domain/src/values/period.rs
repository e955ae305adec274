//! Reporting periods: a year (`2026`), a quarter (`2026-Q1`) or a month (`2026-03`).
//!
//! Every period knows its first and last day. Periods are ordered by first day, and among
//! periods starting the same day the longer comes first (`2026` < `2026-Q1` < `2026-01` <
//! `2026-02`). Years are limited to 1900–9999 so the canonical text is always four digits.

use std::cmp::Ordering;
use std::fmt;
use std::str::FromStr;

use chrono::{Datelike, NaiveDate};

/// The length of a period.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Granularity {
    /// A calendar year (年度).
    Year,
    /// A calendar quarter (季度).
    Quarter,
    /// A calendar month (月度).
    Month,
}

/// A calendar year, quarter or month.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Period {
    granularity: Granularity,
    year: u16,
    /// Quarter 1–4, month 1–12, 0 for a year.
    index: u8,
    start: NaiveDate,
    end: NaiveDate,
}

/// Why a period could not be formed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, serde::Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(tag = "rule", content = "values")]
pub enum PeriodError {
    /// A year outside 1900–9999.
    #[error("year {year} is outside 1900–9999")]
    YearOutOfRange {
        /// The year given.
        year: i64,
    },
    /// A quarter outside 1–4.
    #[error("quarter {quarter} is outside 1–4")]
    QuarterOutOfRange {
        /// The quarter given.
        quarter: u32,
    },
    /// A month outside 1–12.
    #[error("month {month} is outside 1–12")]
    MonthOutOfRange {
        /// The month given.
        month: u32,
    },
    /// Text that is not `YYYY`, `YYYY-Qn` or `YYYY-MM`.
    #[error("{input:?} is not a period: expected \"2026\", \"2026-Q1\" or \"2026-03\"")]
    Syntax {
        /// The text given.
        input: String,
    },
}

crate::aggregate::error_rules!(PeriodError {
    YearOutOfRange,
    QuarterOutOfRange,
    MonthOutOfRange,
    Syntax
});

fn year_u16(year: i64) -> Result<u16, PeriodError> {
    match u16::try_from(year) {
        Ok(y) if (1900..=9999).contains(&y) => Ok(y),
        _ => Err(PeriodError::YearOutOfRange { year }),
    }
}

fn first_of_month(year: u16, month: u32) -> Result<NaiveDate, PeriodError> {
    NaiveDate::from_ymd_opt(i32::from(year), month, 1)
        .ok_or(PeriodError::YearOutOfRange { year: year.into() })
}

fn last_of_month(year: u16, month: u32) -> Result<NaiveDate, PeriodError> {
    let out_of_range = PeriodError::YearOutOfRange { year: year.into() };
    if month == 12 {
        NaiveDate::from_ymd_opt(i32::from(year), 12, 31).ok_or(out_of_range)
    } else {
        first_of_month(year, month + 1)?
            .pred_opt()
            .ok_or(out_of_range)
    }
}

impl Period {
    /// The calendar year `year`.
    pub fn year(year: i64) -> Result<Period, PeriodError> {
        let y = year_u16(year)?;
        Ok(Period {
            granularity: Granularity::Year,
            year: y,
            index: 0,
            start: first_of_month(y, 1)?,
            end: last_of_month(y, 12)?,
        })
    }

    /// Quarter `quarter` (1–4) of `year`.
    pub fn quarter(year: i64, quarter: u32) -> Result<Period, PeriodError> {
        let y = year_u16(year)?;
        let q = u8::try_from(quarter)
            .ok()
            .filter(|q| (1..=4).contains(q))
            .ok_or(PeriodError::QuarterOutOfRange { quarter })?;
        let first_month = u32::from(q) * 3 - 2;
        Ok(Period {
            granularity: Granularity::Quarter,
            year: y,
            index: q,
            start: first_of_month(y, first_month)?,
            end: last_of_month(y, first_month + 2)?,
        })
    }

    /// Month `month` (1–12) of `year`.
    pub fn month(year: i64, month: u32) -> Result<Period, PeriodError> {
        let y = year_u16(year)?;
        let m = u8::try_from(month)
            .ok()
            .filter(|m| (1..=12).contains(m))
            .ok_or(PeriodError::MonthOutOfRange { month })?;
        Ok(Period {
            granularity: Granularity::Month,
            year: y,
            index: m,
            start: first_of_month(y, month)?,
            end: last_of_month(y, month)?,
        })
    }

    /// The period of the given granularity containing `date`.
    pub fn containing(date: NaiveDate, granularity: Granularity) -> Result<Period, PeriodError> {
        let year = i64::from(date.year());
        match granularity {
            Granularity::Year => Period::year(year),
            Granularity::Quarter => Period::quarter(year, (date.month() - 1) / 3 + 1),
            Granularity::Month => Period::month(year, date.month()),
        }
    }

    /// Year, quarter or month.
    pub const fn granularity(self) -> Granularity {
        self.granularity
    }

    /// The calendar year the period lies in.
    pub const fn calendar_year(self) -> u16 {
        self.year
    }

    /// The quarter number (1–4) for a quarter, None otherwise.
    pub fn quarter_number(self) -> Option<u8> {
        (self.granularity == Granularity::Quarter).then_some(self.index)
    }

    /// The month number (1–12) for a month, None otherwise.
    pub fn month_number(self) -> Option<u8> {
        (self.granularity == Granularity::Month).then_some(self.index)
    }

    /// The year this period lies in, as a period.
    pub fn year_period(self) -> Period {
        Period {
            granularity: Granularity::Year,
            year: self.year,
            index: 0,
            start: self
                .start
                .with_month(1)
                .and_then(|d| d.with_day(1))
                .unwrap_or(self.start),
            end: self
                .end
                .with_month(12)
                .and_then(|d| d.with_day(31))
                .unwrap_or(self.end),
        }
    }

    /// First day.
    pub const fn start(self) -> NaiveDate {
        self.start
    }

    /// Last day (inclusive).
    pub const fn end(self) -> NaiveDate {
        self.end
    }

    /// Number of days.
    pub fn days(self) -> i64 {
        (self.end - self.start).num_days() + 1
    }

    /// Whether `date` lies in this period.
    pub fn contains_date(self, date: NaiveDate) -> bool {
        self.start <= date && date <= self.end
    }

    /// Whether `other` lies entirely within this period (a period contains itself).
    pub fn contains(self, other: Period) -> bool {
        self.start <= other.start && other.end <= self.end
    }

    /// Whether the two periods share at least one day.
    pub fn overlaps(self, other: Period) -> bool {
        self.start <= other.end && other.start <= self.end
    }

    /// The next period of the same granularity, if within range.
    pub fn next(self) -> Option<Period> {
        let day_after = self.end.succ_opt()?;
        Period::containing(day_after, self.granularity).ok()
    }

    /// The previous period of the same granularity, if within range.
    pub fn previous(self) -> Option<Period> {
        let day_before = self.start.pred_opt()?;
        Period::containing(day_before, self.granularity).ok()
    }

    /// The months of this period, in order.
    pub fn months(self) -> Vec<Period> {
        let mut months = Vec::new();
        let mut next = Period::containing(self.start, Granularity::Month).ok();
        while let Some(m) = next.filter(|m| self.contains(*m)) {
            months.push(m);
            next = m.next();
        }
        months
    }
}

impl PartialOrd for Period {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Period {
    fn cmp(&self, other: &Self) -> Ordering {
        self.start
            .cmp(&other.start)
            .then_with(|| other.end.cmp(&self.end))
    }
}

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.granularity {
            Granularity::Year => write!(f, "{:04}", self.year),
            Granularity::Quarter => write!(f, "{:04}-Q{}", self.year, self.index),
            Granularity::Month => write!(f, "{:04}-{:02}", self.year, self.index),
        }
    }
}

/// The entries of `map` whose period lies within `period`, in order. Periods sort by start
/// (then the longer first), so they all lie in the range from `period` itself to the first
/// period starting after it ends: only that range is visited, not the whole map.
pub fn entries_within<V>(
    map: &std::collections::BTreeMap<Period, V>,
    period: Period,
) -> impl Iterator<Item = (&Period, &V)> {
    map.range(period..)
        .take_while(move |(p, _)| p.start() <= period.end())
        .filter(move |(p, _)| period.contains(**p))
}

fn digits(text: &str, n: usize) -> Option<u32> {
    (text.len() == n && text.bytes().all(|b| b.is_ascii_digit()))
        .then(|| text.parse().ok())
        .flatten()
}

impl FromStr for Period {
    type Err = PeriodError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let syntax = || PeriodError::Syntax {
            input: s.to_owned(),
        };
        let (year_text, rest) = match s.split_once('-') {
            Some((y, r)) => (y, Some(r)),
            None => (s, None),
        };
        let year = i64::from(digits(year_text, 4).ok_or_else(syntax)?);
        match rest {
            None => Period::year(year),
            Some(r) => {
                if let Some(q) = r.strip_prefix('Q') {
                    Period::quarter(year, digits(q, 1).ok_or_else(syntax)?)
                } else {
                    Period::month(year, digits(r, 2).ok_or_else(syntax)?)
                }
            }
        }
    }
}

super::string_serde!(Period);

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &str) -> Period {
        s.parse().expect("valid period")
    }

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).expect("valid date")
    }

    #[test]
    fn canonical_text_round_trips() {
        for text in [
            "2026", "2026-Q1", "2026-Q4", "2026-03", "2026-12", "1900", "9999-12",
        ] {
            assert_eq!(p(text).to_string(), text);
        }
    }

    #[test]
    fn each_rule_has_its_error() {
        for bad in [
            "26",
            "2026-1",
            "2026-Q",
            "2026-Q12",
            "2026-3",
            "2026-",
            "2026-q1",
            "２０２６",
            "2026-03-01",
        ] {
            assert_eq!(
                bad.parse::<Period>(),
                Err(PeriodError::Syntax { input: bad.into() }),
                "{bad}"
            );
        }
        assert_eq!(
            "2026-Q5".parse::<Period>(),
            Err(PeriodError::QuarterOutOfRange { quarter: 5 })
        );
        assert_eq!(
            "2026-Q0".parse::<Period>(),
            Err(PeriodError::QuarterOutOfRange { quarter: 0 })
        );
        assert_eq!(
            "2026-13".parse::<Period>(),
            Err(PeriodError::MonthOutOfRange { month: 13 })
        );
        assert_eq!(
            "2026-00".parse::<Period>(),
            Err(PeriodError::MonthOutOfRange { month: 0 })
        );
        assert_eq!(
            "1899".parse::<Period>(),
            Err(PeriodError::YearOutOfRange { year: 1899 })
        );
        assert_eq!(
            Period::year(10_000),
            Err(PeriodError::YearOutOfRange { year: 10_000 })
        );
    }

    #[test]
    fn start_and_end_dates() {
        assert_eq!(
            (p("2026").start(), p("2026").end()),
            (d(2026, 1, 1), d(2026, 12, 31))
        );
        assert_eq!(
            (p("2026-Q1").start(), p("2026-Q1").end()),
            (d(2026, 1, 1), d(2026, 3, 31))
        );
        assert_eq!(
            (p("2026-Q2").start(), p("2026-Q2").end()),
            (d(2026, 4, 1), d(2026, 6, 30))
        );
        assert_eq!(p("2028-02").end(), d(2028, 2, 29));
        assert_eq!(p("2026-02").end(), d(2026, 2, 28));
        assert_eq!(p("2026-Q1").days(), 90);
        assert_eq!(p("9999").end(), d(9999, 12, 31));
    }

    #[test]
    fn containment_and_overlap() {
        assert!(p("2026").contains(p("2026-Q1")));
        assert!(p("2026-Q1").contains(p("2026-03")));
        assert!(!p("2026-Q1").contains(p("2026-04")));
        assert!(!p("2026-03").contains(p("2026-Q1")));
        assert!(p("2026-Q1").contains(p("2026-Q1")));
        assert!(p("2026-Q1").overlaps(p("2026-03")));
        assert!(!p("2026-Q1").overlaps(p("2026-Q2")));
        assert!(p("2026-Q2").contains_date(d(2026, 6, 30)));
        assert!(!p("2026-Q2").contains_date(d(2026, 7, 1)));
        assert_eq!(p("2026-03").year_period(), p("2026"));
        assert_eq!(p("2026-Q3").quarter_number(), Some(3));
        assert_eq!(p("2026-Q3").month_number(), None);
    }

    #[test]
    fn ordering_is_by_start_then_longer_first() {
        let mut periods = [
            p("2026-02"),
            p("2026-Q1"),
            p("2025-12"),
            p("2026"),
            p("2026-01"),
            p("2026-Q2"),
        ];
        periods.sort();
        let texts: Vec<String> = periods.iter().map(ToString::to_string).collect();
        assert_eq!(
            texts,
            [
                "2025-12", "2026", "2026-Q1", "2026-01", "2026-02", "2026-Q2"
            ]
        );
    }

    #[test]
    fn navigation() {
        assert_eq!(p("2026-12").next(), Some(p("2027-01")));
        assert_eq!(p("2026-Q1").previous(), Some(p("2025-Q4")));
        assert_eq!(p("2026").next(), Some(p("2027")));
        assert_eq!(p("9999").next(), None);
        assert_eq!(p("1900-01").previous(), None);
        let months: Vec<String> = p("2026-Q2")
            .months()
            .iter()
            .map(ToString::to_string)
            .collect();
        assert_eq!(months, ["2026-04", "2026-05", "2026-06"]);
        assert_eq!(p("2026").months().len(), 12);
        assert_eq!(
            Period::containing(d(2026, 8, 15), Granularity::Quarter),
            Ok(p("2026-Q3"))
        );
    }

    #[test]
    fn serde_is_the_canonical_text() {
        assert_eq!(
            serde_json::to_string(&p("2026-Q1")).ok(),
            Some("\"2026-Q1\"".into())
        );
        assert_eq!(
            serde_json::from_str::<Period>("\"2026-03\"").ok(),
            Some(p("2026-03"))
        );
        assert!(serde_json::from_str::<Period>("\"2026-13\"").is_err());
        assert!(serde_json::from_str::<Period>("2026").is_err());
    }
}

#[cfg(test)]
mod within_tests {
    use super::*;
    use proptest::prelude::*;
    use std::collections::BTreeMap;

    fn any_period() -> impl Strategy<Value = Period> {
        (2024i64..2027, 0u32..17).prop_map(|(year, i)| {
            match i {
                0 => Period::year(year),
                1..=4 => Period::quarter(year, i),
                _ => Period::month(year, i - 4),
            }
            .expect("in range")
        })
    }

    proptest! {
        /// The range walk finds exactly what a filter over every entry finds.
        #[test]
        fn entries_within_equals_a_full_scan(
            keys in proptest::collection::vec(any_period(), 0..40),
            asked in any_period(),
        ) {
            let map: BTreeMap<Period, usize> = keys.into_iter().zip(0..).collect();
            let walked: Vec<_> = entries_within(&map, asked).collect();
            let scanned: Vec<_> = map.iter().filter(|(p, _)| asked.contains(**p)).collect();
            prop_assert_eq!(walked, scanned);
        }
    }
}
