//! The record-ledger form, checked in the browser by the domain's own rules before it is sent.

use redmud_domain::{
    Kg, LedgerError, LedgerFigures, NaiveDate, Period, RouteAmounts, UtilizationRoute,
};

use crate::format;
use crate::i18n::{Key, Lang, fill, text};

/// A field of the form.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Field {
    /// The period.
    Period,
    /// Generated.
    Generated,
    /// Utilized from new, on a route.
    Route(UtilizationRoute),
    /// Disposed from new.
    DisposedFromNew,
    /// Stored.
    StoredNew,
    /// Utilized from stock (entered as one amount, route "other"-free: see [`LedgerForm`]).
    UtilizedFromStock,
    /// Disposed from stock.
    DisposedFromStock,
    /// The form as a whole (balance).
    Form,
}

/// What the user typed (tonnes as text).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LedgerForm {
    /// `2026-Q3`, `2026-10`, `2026`.
    pub period: String,
    /// Tonnes generated.
    pub generated: String,
    /// Tonnes utilized from new, per route (blank = 0).
    pub routes: Vec<(UtilizationRoute, String)>,
    /// Tonnes disposed from new.
    pub disposed_from_new: String,
    /// Tonnes stored.
    pub stored_new: String,
    /// Tonnes utilized from stock, on the route `stock_route`.
    pub utilized_from_stock: String,
    /// The route of the stock utilization.
    pub stock_route: Option<UtilizationRoute>,
    /// Tonnes disposed from stock.
    pub disposed_from_stock: String,
}

impl LedgerForm {
    /// An empty form with one input per route.
    pub fn new() -> Self {
        LedgerForm {
            routes: UtilizationRoute::ALL
                .iter()
                .map(|r| (*r, String::new()))
                .collect(),
            ..Default::default()
        }
    }
}

/// One message against one field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// Where.
    pub field: Field,
    /// What, in the interface language.
    pub message: String,
}

fn tonnes(field: Field, input: &str, lang: Lang, problems: &mut Vec<Problem>) -> Kg {
    let input = input.trim();
    if input.is_empty() {
        return Kg::ZERO;
    }
    match Kg::parse_tonnes(input) {
        Ok(kg) => kg,
        Err(_) => {
            problems.push(Problem {
                field,
                message: text(lang, Key::InvalidTonnes).to_owned(),
            });
            Kg::ZERO
        }
    }
}

/// Checks the form as the domain would: the period parses and has ended by `today`, is not already
/// recorded, every amount is tonnes, and the figures balance (identity (1) of the ledger).
/// Returns the command's `period` and `figures`, or every problem found.
pub fn ledger(
    form: &LedgerForm,
    today: NaiveDate,
    recorded: &[Period],
    lang: Lang,
) -> Result<(Period, LedgerFigures), Vec<Problem>> {
    let mut problems = Vec::new();
    let period = match form.period.trim().parse::<Period>() {
        Ok(p) if p.end() >= today => {
            problems.push(Problem {
                field: Field::Period,
                message: text(lang, Key::PeriodNotEnded).to_owned(),
            });
            None
        }
        Ok(p) if recorded.contains(&p) => {
            problems.push(Problem {
                field: Field::Period,
                message: text(lang, Key::PeriodRecorded).to_owned(),
            });
            None
        }
        Ok(p) => Some(p),
        Err(_) => {
            problems.push(Problem {
                field: Field::Period,
                message: text(lang, Key::InvalidPeriod).to_owned(),
            });
            None
        }
    };
    let generated = tonnes(Field::Generated, &form.generated, lang, &mut problems);
    let mut routes = Vec::new();
    for (route, input) in &form.routes {
        routes.push((
            *route,
            tonnes(Field::Route(*route), input, lang, &mut problems),
        ));
    }
    let disposed_from_new = tonnes(
        Field::DisposedFromNew,
        &form.disposed_from_new,
        lang,
        &mut problems,
    );
    let stored_new = tonnes(Field::StoredNew, &form.stored_new, lang, &mut problems);
    let from_stock = tonnes(
        Field::UtilizedFromStock,
        &form.utilized_from_stock,
        lang,
        &mut problems,
    );
    let disposed_from_stock = tonnes(
        Field::DisposedFromStock,
        &form.disposed_from_stock,
        lang,
        &mut problems,
    );
    let utilized_from_new = RouteAmounts::try_from_pairs(routes);
    let utilized_from_stock = RouteAmounts::new().with(
        form.stock_route.unwrap_or(UtilizationRoute::Other),
        from_stock,
    );
    if !problems.is_empty() {
        return Err(problems);
    }
    let figures = match utilized_from_new {
        Ok(utilized_from_new) => LedgerFigures {
            generated,
            utilized_from_new,
            disposed_from_new,
            stored_new,
            utilized_from_stock,
            disposed_from_stock,
        },
        Err(error) => return Err(vec![ledger_problem(&error, lang)]),
    };
    if let Err(error) = figures.check_balance() {
        return Err(vec![ledger_problem(&error, lang)]);
    }
    match period {
        Some(period) => Ok((period, figures)),
        None => Err(problems),
    }
}

/// A domain ledger error as a message.
pub fn ledger_problem(error: &LedgerError, lang: Lang) -> Problem {
    let message = match error {
        LedgerError::Unbalanced {
            generated,
            utilized_from_new,
            disposed_from_new,
            stored_new,
        } => fill(
            lang,
            Key::Unbalanced,
            &[
                ("generated", &format::tonnes(*generated, lang)),
                ("utilized", &format::tonnes(*utilized_from_new, lang)),
                ("disposed", &format::tonnes(*disposed_from_new, lang)),
                ("stored", &format::tonnes(*stored_new, lang)),
            ],
        ),
        _ => text(lang, Key::TooLarge).to_owned(),
    };
    Problem {
        field: Field::Form,
        message,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 28).expect("date")
    }

    fn form() -> LedgerForm {
        let mut form = LedgerForm::new();
        form.period = "2026-Q3".into();
        form.generated = "100".into();
        form.routes[1].1 = "30.5".into();
        form.disposed_from_new = "9.5".into();
        form.stored_new = "60".into();
        form
    }

    #[test]
    fn a_balanced_ledger_passes_with_exact_kilograms() {
        let (period, figures) = ledger(&form(), today(), &[], Lang::Zh).expect("valid");
        assert_eq!(period.to_string(), "2026-Q3");
        assert_eq!(figures.generated.kg(), 100_000);
        assert_eq!(figures.utilized_from_new_total().expect("sum").kg(), 30_500);
        assert_eq!(figures.utilized_from_stock, RouteAmounts::new());
    }

    #[test]
    fn an_unbalanced_ledger_says_why_in_the_language() {
        let mut f = form();
        f.stored_new = "61".into();
        let problems = ledger(&f, today(), &[], Lang::Zh).expect_err("unbalanced");
        assert_eq!(problems.len(), 1);
        assert_eq!(problems[0].field, Field::Form);
        assert!(
            problems[0].message.contains("100 吨"),
            "{}",
            problems[0].message
        );
        let problems = ledger(&f, today(), &[], Lang::En).expect_err("unbalanced");
        assert!(problems[0].message.starts_with("Does not balance"));
    }

    #[test]
    fn period_and_amount_problems_are_all_reported() {
        let mut f = form();
        f.period = "2026-Q4".into();
        f.generated = "-3".into();
        f.stored_new = "1.2345".into();
        let problems = ledger(&f, today(), &[], Lang::En).expect_err("invalid");
        let fields: Vec<Field> = problems.iter().map(|p| p.field).collect();
        assert_eq!(
            fields,
            vec![Field::Period, Field::Generated, Field::StoredNew]
        );
        assert_eq!(problems[0].message, "This period has not ended yet");

        f = form();
        f.period = "2026-13".into();
        assert_eq!(
            ledger(&f, today(), &[], Lang::Zh).expect_err("bad period")[0].message,
            "期间格式不正确"
        );
        let q3: Period = "2026-Q3".parse().expect("period");
        assert_eq!(
            ledger(&form(), today(), &[q3], Lang::En).expect_err("recorded")[0].field,
            Field::Period
        );
    }
}
