//! Value types of the plan. Each is parsed once at the edge ("parse, don't validate"): a value
//! that exists is valid, and each parse failure is a typed error naming the rule. Each has a
//! canonical text or integer form used by serde and by `Display`.
//!
//! No value type holds a floating-point number: mass is integer kilograms, money integer fen,
//! percentages integer basis points or exact ratios.

mod enums;
mod mass;
mod money;
mod period;
mod ratio;
mod region;
mod uscc;
mod username;

pub use enums::{
    BaseKind, DesignationKind, DesignationLevel, DownstreamSector, EnterpriseKind, FundingSource,
    PlanSafeguard, PlanTask, ProjectKind, RecoveredElement, ResponsibleUnit, Role, StandardScope,
    StandardType, TaxIncentiveKind, UnknownCode, UtilizationRoute,
};
pub use mass::{Kg, MassError};
pub use money::{Fen, MoneyError};
pub use period::{Granularity, Period, PeriodError, entries_within};
pub use ratio::{BasisPoints, Ratio, RatioError};
pub use region::{County, Prefecture, Region, RegionError};
pub use uscc::{Uscc, UsccError, check_character as uscc_check_character};
pub use username::{Username, UsernameError};

/// Serialize an amount that may be beyond what a JSON number holds exactly everywhere (2^53 − 1,
/// the largest [`Kg`] or [`Fen`]) as its decimal text, e.g. the excessive amount of an
/// `ExceedsMaximum` error: `"18446744073709551615000"`.
pub(crate) fn decimal_text<S: serde::Serializer>(value: &u128, s: S) -> Result<S::Ok, S::Error> {
    s.collect_str(value)
}

/// Serde through the canonical string: `Serialize` writes `Display`/`as_str`, `Deserialize`
/// parses with `FromStr` (so an invalid stored value is a decode error, not a bad value).
macro_rules! string_serde {
    ($ty:ty) => {
        impl serde::Serialize for $ty {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.collect_str(self)
            }
        }
        impl<'de> serde::Deserialize<'de> for $ty {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let text = <std::borrow::Cow<'de, str> as serde::Deserialize>::deserialize(d)?;
                text.parse::<$ty>().map_err(serde::de::Error::custom)
            }
        }
    };
}
pub(crate) use string_serde;
