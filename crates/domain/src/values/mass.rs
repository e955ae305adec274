//! Mass as an exact, non-negative number of kilograms, shown as tonnes with three decimals.

use std::fmt;
use std::str::FromStr;

/// A mass in whole kilograms (0 ≤ kg ≤ 2^53 − 1, so every JSON reader holds it exactly).
///
/// Serde: the integer number of kilograms. Display: tonnes with three decimals, e.g.
/// `3750000.000 t`; `FromStr` reads that form back (and `"<n> kg"`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Kg(u64);

/// Why a mass could not be formed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, serde::Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(tag = "rule", content = "values")]
pub enum MassError {
    /// Above the largest representable mass (2^53 − 1 kg).
    #[error("{kg} kg exceeds the largest representable mass of {max} kg", max = Kg::MAX_KG)]
    ExceedsMaximum {
        /// The mass in kilograms that was asked for (serialized as decimal text: it may exceed
        /// what a JSON number holds exactly).
        #[serde(serialize_with = "super::decimal_text")]
        #[cfg_attr(
            feature = "schema",
            schemars(schema_with = "crate::schema::decimal_text")
        )]
        kg: u128,
    },
    /// A sum that overflowed.
    #[error("{left} + {right} overflows")]
    Overflow {
        /// Left operand.
        left: Kg,
        /// Right operand.
        right: Kg,
    },
    /// A difference that would be negative.
    #[error("{left} − {right} would be negative")]
    Underflow {
        /// Minuend.
        left: Kg,
        /// Subtrahend.
        right: Kg,
    },
    /// Text that is not `<tonnes with ≤ 3 decimals>[ t]` or `<integer> kg`.
    #[error(
        "{input:?} is not a mass: expected tonnes with at most 3 decimals (\"12.345 t\") or whole kilograms (\"12345 kg\")"
    )]
    Syntax {
        /// The text given.
        input: String,
    },
}

crate::aggregate::error_rules!(MassError {
    ExceedsMaximum,
    Overflow,
    Underflow,
    Syntax
});

impl Kg {
    /// Zero kilograms.
    pub const ZERO: Kg = Kg(0);
    /// The largest mass: 2^53 − 1 kg.
    pub const MAX_KG: u64 = 9_007_199_254_740_991;
    /// The largest mass.
    pub const MAX: Kg = Kg(Self::MAX_KG);

    /// A mass of `kg` kilograms.
    pub const fn new(kg: u64) -> Result<Kg, MassError> {
        if kg > Self::MAX_KG {
            Err(MassError::ExceedsMaximum { kg: kg as u128 })
        } else {
            Ok(Kg(kg))
        }
    }

    /// A mass of whole tonnes.
    pub fn from_tonnes(tonnes: u64) -> Result<Kg, MassError> {
        Self::from_u128(u128::from(tonnes) * 1000)
    }

    fn from_u128(kg: u128) -> Result<Kg, MassError> {
        match u64::try_from(kg) {
            Ok(v) if v <= Self::MAX_KG => Ok(Kg(v)),
            _ => Err(MassError::ExceedsMaximum { kg }),
        }
    }

    /// The number of kilograms.
    pub const fn kg(self) -> u64 {
        self.0
    }

    /// Whole tonnes (truncated) and the remaining kilograms.
    pub const fn tonnes_and_kg(self) -> (u64, u64) {
        (self.0 / 1000, self.0 % 1000)
    }

    /// Whether this is zero.
    pub const fn is_zero(self) -> bool {
        self.0 == 0
    }

    /// `self + other`, or `Overflow`.
    pub fn checked_add(self, other: Kg) -> Result<Kg, MassError> {
        match self.0.checked_add(other.0) {
            Some(v) if v <= Self::MAX_KG => Ok(Kg(v)),
            _ => Err(MassError::Overflow {
                left: self,
                right: other,
            }),
        }
    }

    /// `self − other`, or `Underflow` when `other > self`.
    pub fn checked_sub(self, other: Kg) -> Result<Kg, MassError> {
        self.0
            .checked_sub(other.0)
            .map(Kg)
            .ok_or(MassError::Underflow {
                left: self,
                right: other,
            })
    }

    /// The sum of masses, or `Overflow`.
    pub fn sum<I: IntoIterator<Item = Kg>>(masses: I) -> Result<Kg, MassError> {
        masses
            .into_iter()
            .try_fold(Kg::ZERO, |acc, m| acc.checked_add(m))
    }

    /// Parse tonnes with at most three decimals: "12", "12.5", "12.345" (optionally followed by
    /// " t" or "t").
    pub fn parse_tonnes(text: &str) -> Result<Kg, MassError> {
        let syntax = || MassError::Syntax {
            input: text.to_owned(),
        };
        let number = text.strip_suffix('t').map(str::trim_end).unwrap_or(text);
        let kg = super::money::parse_fixed(number, 3).ok_or_else(syntax)?;
        Self::from_u128(kg)
    }
}

impl fmt::Display for Kg {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (t, kg) = self.tonnes_and_kg();
        write!(f, "{t}.{kg:03} t")
    }
}

impl FromStr for Kg {
    type Err = MassError;
    /// Either tonnes (see [`Kg::parse_tonnes`]) or `"<integer> kg"`.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        if let Some(number) = s.strip_suffix("kg") {
            let number = number.trim_end();
            let kg = super::money::parse_fixed(number, 0).ok_or_else(|| MassError::Syntax {
                input: s.to_owned(),
            })?;
            return Self::from_u128(kg);
        }
        Self::parse_tonnes(s)
    }
}

impl serde::Serialize for Kg {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_u64(self.0)
    }
}

impl<'de> serde::Deserialize<'de> for Kg {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let kg = u64::deserialize(d)?;
        Kg::new(kg).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn displays_as_tonnes_with_three_decimals() {
        assert_eq!(Kg::ZERO.to_string(), "0.000 t");
        assert_eq!(Kg::new(1).map(|k| k.to_string()), Ok("0.001 t".into()));
        assert_eq!(
            Kg::from_tonnes(3_750_000).map(|k| k.to_string()),
            Ok("3750000.000 t".into())
        );
        assert_eq!(
            Kg::new(12_345).map(|k| k.to_string()),
            Ok("12.345 t".into())
        );
    }

    #[test]
    fn parses_tonnes_and_kilograms() {
        assert_eq!("12.345 t".parse::<Kg>(), Kg::new(12_345));
        assert_eq!("12.3t".parse::<Kg>(), Kg::new(12_300));
        assert_eq!("12".parse::<Kg>(), Kg::new(12_000));
        assert_eq!("12 kg".parse::<Kg>(), Kg::new(12));
        for bad in ["", "1.2345", "-1", "1,5", "1.", ".5", "1e3", "12.5 kg", "t"] {
            assert_eq!(
                bad.parse::<Kg>(),
                Err(MassError::Syntax { input: bad.into() }),
                "{bad}"
            );
        }
        assert_eq!(
            "9007199254740992 kg".parse::<Kg>(),
            Err(MassError::ExceedsMaximum {
                kg: 9_007_199_254_740_992
            })
        );
    }

    #[test]
    fn arithmetic_is_checked() {
        let a = Kg::new(5).expect("small");
        let b = Kg::new(7).expect("small");
        assert_eq!(a.checked_add(b), Kg::new(12));
        assert_eq!(b.checked_sub(a), Kg::new(2));
        assert_eq!(
            a.checked_sub(b),
            Err(MassError::Underflow { left: a, right: b })
        );
        assert_eq!(
            Kg::MAX.checked_add(a),
            Err(MassError::Overflow {
                left: Kg::MAX,
                right: a
            })
        );
        assert_eq!(Kg::sum([a, b, a]), Kg::new(17));
        assert_eq!(
            Kg::from_tonnes(u64::MAX),
            Err(MassError::ExceedsMaximum {
                kg: u128::from(u64::MAX) * 1000
            })
        );
    }

    #[test]
    fn serde_is_integer_kilograms() {
        let m = Kg::new(1_800).expect("small");
        assert_eq!(serde_json::to_string(&m).ok(), Some("1800".into()));
        assert_eq!(serde_json::from_str::<Kg>("1800").ok(), Some(m));
        assert!(serde_json::from_str::<Kg>("1.5").is_err());
        assert!(serde_json::from_str::<Kg>("-1").is_err());
        assert!(serde_json::from_str::<Kg>("9007199254740992").is_err());
    }
}
