//! Money as an exact, non-negative number of fen (分), shown as yuan (元) with two decimals.

use std::fmt;
use std::str::FromStr;

use super::BasisPoints;

/// An amount of money in whole fen (1 yuan = 100 fen; 0 ≤ fen ≤ 2^53 − 1).
///
/// Serde: the integer number of fen. Display: `¥1234.56`; `FromStr` reads that form back, and
/// also `1234.56`, `1234.56元`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Fen(u64);

/// Why an amount of money could not be formed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, serde::Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(tag = "rule", content = "values")]
pub enum MoneyError {
    /// Above the largest representable amount (2^53 − 1 fen).
    #[error("{fen} fen exceeds the largest representable amount of {max} fen", max = Fen::MAX_FEN)]
    ExceedsMaximum {
        /// The amount in fen that was asked for (serialized as decimal text: it may exceed what
        /// a JSON number holds exactly).
        #[serde(serialize_with = "super::decimal_text")]
        #[cfg_attr(
            feature = "schema",
            schemars(schema_with = "crate::schema::decimal_text")
        )]
        fen: u128,
    },
    /// A sum that overflowed.
    #[error("{left} + {right} overflows")]
    Overflow {
        /// Left operand.
        left: Fen,
        /// Right operand.
        right: Fen,
    },
    /// A difference that would be negative.
    #[error("{left} − {right} would be negative")]
    Underflow {
        /// Minuend.
        left: Fen,
        /// Subtrahend.
        right: Fen,
    },
    /// Text that is not yuan with at most two decimals.
    #[error(
        "{input:?} is not an amount of money: expected yuan with at most 2 decimals (\"¥1234.56\")"
    )]
    Syntax {
        /// The text given.
        input: String,
    },
}

crate::aggregate::error_rules!(MoneyError {
    ExceedsMaximum,
    Overflow,
    Underflow,
    Syntax
});

/// Parse `digits[.fraction]` with at most `decimals` fraction digits into an integer scaled by
/// 10^decimals. No sign, no exponent, no separators.
pub(crate) fn parse_fixed(text: &str, decimals: u32) -> Option<u128> {
    let (whole, fraction) = match text.split_once('.') {
        Some((w, f)) => (w, Some(f)),
        None => (text, None),
    };
    if whole.is_empty() || whole.len() > 30 || !whole.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let mut value: u128 = whole.parse().ok()?;
    let fraction = fraction.unwrap_or("");
    if text.contains('.') && fraction.is_empty() {
        return None;
    }
    let digits = u32::try_from(fraction.len()).ok()?;
    if digits > decimals || !fraction.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let scale = 10u128.checked_pow(decimals)?;
    value = value.checked_mul(scale)?;
    if !fraction.is_empty() {
        let f: u128 = fraction.parse().ok()?;
        value = value.checked_add(f.checked_mul(10u128.checked_pow(decimals - digits)?)?)?;
    }
    Some(value)
}

impl Fen {
    /// Zero.
    pub const ZERO: Fen = Fen(0);
    /// The largest amount: 2^53 − 1 fen.
    pub const MAX_FEN: u64 = 9_007_199_254_740_991;
    /// The largest amount.
    pub const MAX: Fen = Fen(Self::MAX_FEN);

    /// An amount of `fen` fen.
    pub const fn new(fen: u64) -> Result<Fen, MoneyError> {
        if fen > Self::MAX_FEN {
            Err(MoneyError::ExceedsMaximum { fen: fen as u128 })
        } else {
            Ok(Fen(fen))
        }
    }

    /// An amount of whole yuan.
    pub fn from_yuan(yuan: u64) -> Result<Fen, MoneyError> {
        Self::from_u128(u128::from(yuan) * 100)
    }

    pub(crate) fn from_u128(fen: u128) -> Result<Fen, MoneyError> {
        match u64::try_from(fen) {
            Ok(v) if v <= Self::MAX_FEN => Ok(Fen(v)),
            _ => Err(MoneyError::ExceedsMaximum { fen }),
        }
    }

    /// The number of fen.
    pub const fn fen(self) -> u64 {
        self.0
    }

    /// Whether this is zero.
    pub const fn is_zero(self) -> bool {
        self.0 == 0
    }

    /// `self + other`, or `Overflow`.
    pub fn checked_add(self, other: Fen) -> Result<Fen, MoneyError> {
        match self.0.checked_add(other.0) {
            Some(v) if v <= Self::MAX_FEN => Ok(Fen(v)),
            _ => Err(MoneyError::Overflow {
                left: self,
                right: other,
            }),
        }
    }

    /// `self − other`, or `Underflow` when `other > self`.
    pub fn checked_sub(self, other: Fen) -> Result<Fen, MoneyError> {
        self.0
            .checked_sub(other.0)
            .map(Fen)
            .ok_or(MoneyError::Underflow {
                left: self,
                right: other,
            })
    }

    /// The sum of amounts, or `Overflow`.
    pub fn sum<I: IntoIterator<Item = Fen>>(amounts: I) -> Result<Fen, MoneyError> {
        amounts
            .into_iter()
            .try_fold(Fen::ZERO, |acc, m| acc.checked_add(m))
    }

    /// `self × share`, rounded down to the fen (never more than `self`, so it cannot overflow).
    pub fn share_floor(self, share: BasisPoints) -> Fen {
        let product = u128::from(self.0) * u128::from(share.get()) / 10_000;
        // share ≤ 100 %, so product ≤ self.
        Fen(u64::try_from(product).unwrap_or(self.0).min(self.0))
    }

    /// Parse yuan with at most two decimals: "1234.56", "¥1234.56", "1234.56元", "1234".
    pub fn parse_yuan(text: &str) -> Result<Fen, MoneyError> {
        let syntax = || MoneyError::Syntax {
            input: text.to_owned(),
        };
        let number = text.strip_prefix('¥').unwrap_or(text);
        let number = number.strip_suffix('元').unwrap_or(number);
        let fen = parse_fixed(number, 2).ok_or_else(syntax)?;
        Self::from_u128(fen)
    }
}

impl fmt::Display for Fen {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "¥{}.{:02}", self.0 / 100, self.0 % 100)
    }
}

impl FromStr for Fen {
    type Err = MoneyError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse_yuan(s)
    }
}

impl serde::Serialize for Fen {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_u64(self.0)
    }
}

impl<'de> serde::Deserialize<'de> for Fen {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let fen = u64::deserialize(d)?;
        Fen::new(fen).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fen(v: u64) -> Fen {
        Fen::new(v).expect("in range")
    }

    #[test]
    fn displays_as_yuan() {
        assert_eq!(Fen::ZERO.to_string(), "¥0.00");
        assert_eq!(fen(5).to_string(), "¥0.05");
        assert_eq!(fen(123_456).to_string(), "¥1234.56");
        assert_eq!(
            Fen::from_yuan(25).map(|f| f.to_string()),
            Ok("¥25.00".into())
        );
    }

    #[test]
    fn parses_yuan() {
        assert_eq!("¥1234.56".parse::<Fen>(), Ok(fen(123_456)));
        assert_eq!("1234.5".parse::<Fen>(), Ok(fen(123_450)));
        assert_eq!("25元".parse::<Fen>(), Ok(fen(2_500)));
        for bad in ["", "1.234", "-1", "¥", "1,000", "1.", "￥5"] {
            assert_eq!(
                bad.parse::<Fen>(),
                Err(MoneyError::Syntax { input: bad.into() }),
                "{bad}"
            );
        }
    }

    #[test]
    fn arithmetic_is_checked() {
        assert_eq!(fen(5).checked_add(fen(7)), Ok(fen(12)));
        assert_eq!(
            fen(5).checked_sub(fen(7)),
            Err(MoneyError::Underflow {
                left: fen(5),
                right: fen(7)
            })
        );
        assert_eq!(
            Fen::MAX.checked_add(fen(1)),
            Err(MoneyError::Overflow {
                left: Fen::MAX,
                right: fen(1)
            })
        );
        assert_eq!(Fen::sum([fen(1), fen(2)]), Ok(fen(3)));
    }

    #[test]
    fn shares_round_down_to_the_fen() {
        let seventy = BasisPoints::new(7_000).expect("70 %");
        assert_eq!(fen(1_001).share_floor(seventy), fen(700));
        assert_eq!(Fen::MAX.share_floor(BasisPoints::HUNDRED), Fen::MAX);
        assert_eq!(fen(999).share_floor(BasisPoints::ZERO), Fen::ZERO);
    }

    #[test]
    fn serde_is_integer_fen() {
        assert_eq!(serde_json::to_string(&fen(2_500)).ok(), Some("2500".into()));
        assert_eq!(serde_json::from_str::<Fen>("2500").ok(), Some(fen(2_500)));
        assert!(serde_json::from_str::<Fen>("25.0").is_err());
        assert!(serde_json::from_str::<Fen>("-3").is_err());
    }
}
