//! Exact shares: [`BasisPoints`] for stated percentages (targets, refund rates) and [`Ratio`] for
//! computed ones (utilization rates). Rounding happens only when displaying.

use std::cmp::Ordering;
use std::fmt;
use std::str::FromStr;

/// A percentage between 0 % and 100 % in whole basis points (1 bp = 0.01 %), e.g. 70 % = 7000.
///
/// Serde: the integer number of basis points. Display: the exact percentage, e.g. `70%`,
/// `12.5%`, `12.34%`; `FromStr` reads that (and `"70 %"`, `"70"`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct BasisPoints(u16);

/// An exact non-negative fraction `numerator / denominator` (denominator > 0), kept in lowest
/// terms so equal values are equal and ordering is by value.
///
/// Serde: `{"numerator": n, "denominator": d}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
pub struct Ratio {
    numerator: u64,
    denominator: u64,
}

/// Why a share could not be formed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, serde::Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(tag = "rule", content = "values")]
pub enum RatioError {
    /// A percentage above 100 %.
    #[error("{basis_points} basis points is more than 100 %")]
    AboveHundredPercent {
        /// The basis points asked for.
        basis_points: u64,
    },
    /// A fraction with a zero denominator.
    #[error("a ratio's denominator must not be zero (numerator {numerator})")]
    ZeroDenominator {
        /// The numerator given.
        numerator: u64,
    },
    /// Text that is not a percentage with at most two decimals.
    #[error("{input:?} is not a percentage: expected e.g. \"70%\", \"12.5 %\" or \"12.34\"")]
    Syntax {
        /// The text given.
        input: String,
    },
}

crate::aggregate::error_rules!(RatioError {
    AboveHundredPercent,
    ZeroDenominator,
    Syntax
});

impl BasisPoints {
    /// 0 %.
    pub const ZERO: BasisPoints = BasisPoints(0);
    /// 100 %.
    pub const HUNDRED: BasisPoints = BasisPoints(10_000);

    /// `bp` basis points (0 ≤ bp ≤ 10 000).
    pub const fn new(bp: u16) -> Result<BasisPoints, RatioError> {
        if bp > 10_000 {
            Err(RatioError::AboveHundredPercent {
                basis_points: bp as u64,
            })
        } else {
            Ok(BasisPoints(bp))
        }
    }

    /// `bp` basis points, clamped to 100 % (for constants).
    pub const fn saturating(bp: u16) -> BasisPoints {
        if bp > 10_000 {
            BasisPoints(10_000)
        } else {
            BasisPoints(bp)
        }
    }

    /// A whole percentage, e.g. `from_percent(15)` = 15 %.
    pub fn from_percent(percent: u8) -> Result<BasisPoints, RatioError> {
        let bp = u16::from(percent) * 100;
        Self::new(bp)
    }

    /// The number of basis points.
    pub const fn get(self) -> u16 {
        self.0
    }

    /// As an exact ratio of one.
    pub fn as_ratio(self) -> Ratio {
        Ratio::reduced(u64::from(self.0), 10_000)
    }
}

impl fmt::Display for BasisPoints {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (whole, frac) = (self.0 / 100, self.0 % 100);
        match frac {
            0 => write!(f, "{whole}%"),
            f10 if f10 % 10 == 0 => write!(f, "{whole}.{}%", f10 / 10),
            _ => write!(f, "{whole}.{frac:02}%"),
        }
    }
}

impl FromStr for BasisPoints {
    type Err = RatioError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let syntax = || RatioError::Syntax {
            input: s.to_owned(),
        };
        let number = s.strip_suffix('%').map(str::trim_end).unwrap_or(s);
        let bp = super::money::parse_fixed(number, 2).ok_or_else(syntax)?;
        let bp16 = u16::try_from(bp).map_err(|_| RatioError::AboveHundredPercent {
            basis_points: u64::try_from(bp).unwrap_or(u64::MAX),
        })?;
        Self::new(bp16)
    }
}

impl serde::Serialize for BasisPoints {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_u16(self.0)
    }
}

impl<'de> serde::Deserialize<'de> for BasisPoints {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let bp = u64::deserialize(d)?;
        let bp = u16::try_from(bp)
            .map_err(|_| RatioError::AboveHundredPercent { basis_points: bp })
            .and_then(BasisPoints::new)
            .map_err(serde::de::Error::custom)?;
        Ok(bp)
    }
}

fn gcd(mut a: u64, mut b: u64) -> u64 {
    while b != 0 {
        (a, b) = (b, a % b);
    }
    a
}

impl Ratio {
    /// 0 / 1.
    pub const ZERO: Ratio = Ratio {
        numerator: 0,
        denominator: 1,
    };
    /// 1 / 1.
    pub const ONE: Ratio = Ratio {
        numerator: 1,
        denominator: 1,
    };

    /// `numerator / denominator`, in lowest terms.
    pub fn new(numerator: u64, denominator: u64) -> Result<Ratio, RatioError> {
        if denominator == 0 {
            return Err(RatioError::ZeroDenominator { numerator });
        }
        Ok(Self::reduced(numerator, denominator))
    }

    /// Callers guarantee `denominator > 0`.
    fn reduced(numerator: u64, denominator: u64) -> Ratio {
        let g = gcd(numerator, denominator).max(1);
        Ratio {
            numerator: numerator / g,
            denominator: (denominator / g).max(1),
        }
    }

    /// Numerator in lowest terms.
    pub const fn numerator(self) -> u64 {
        self.numerator
    }

    /// Denominator in lowest terms (> 0).
    pub const fn denominator(self) -> u64 {
        self.denominator
    }

    /// Whether this ratio is at least `target` (exact).
    pub fn meets(self, target: BasisPoints) -> bool {
        self >= target.as_ratio()
    }

    /// The value in basis points, rounded half up — for display and charts only.
    pub fn to_basis_points_rounded(self) -> u64 {
        let n = u128::from(self.numerator) * 10_000;
        let d = u128::from(self.denominator);
        let rounded = (n * 2 + d) / (d * 2);
        u64::try_from(rounded).unwrap_or(u64::MAX)
    }

    /// The percentage rounded half up to `decimals` places (at most 6), e.g. `"9.81%"` — for
    /// display only.
    pub fn percent_display(self, decimals: u32) -> String {
        let decimals = decimals.min(6);
        let scale = 10u128.pow(decimals);
        let n = u128::from(self.numerator) * 100 * scale;
        let d = u128::from(self.denominator);
        let rounded = (n * 2 + d) / (d * 2);
        let (whole, frac) = (rounded / scale, rounded % scale);
        if decimals == 0 {
            format!("{whole}%")
        } else {
            format!("{whole}.{frac:0width$}%", width = decimals as usize)
        }
    }

    /// An approximation for charts. Never store or sum it.
    pub fn approx_f64(self) -> f64 {
        self.numerator as f64 / self.denominator as f64
    }
}

impl PartialOrd for Ratio {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Ratio {
    fn cmp(&self, other: &Self) -> Ordering {
        let left = u128::from(self.numerator) * u128::from(other.denominator);
        let right = u128::from(other.numerator) * u128::from(self.denominator);
        left.cmp(&right)
    }
}

impl fmt::Display for Ratio {
    /// The percentage rounded to two decimals, e.g. `9.81%`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.percent_display(2))
    }
}

impl<'de> serde::Deserialize<'de> for Ratio {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(serde::Deserialize)]
        #[serde(deny_unknown_fields)]
        struct Raw {
            numerator: u64,
            denominator: u64,
        }
        let raw = Raw::deserialize(d)?;
        Ratio::new(raw.numerator, raw.denominator).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn basis_points_display_exactly() {
        let cases = [
            (7_000, "70%"),
            (1_250, "12.5%"),
            (1_234, "12.34%"),
            (5, "0.05%"),
            (0, "0%"),
        ];
        for (bp, text) in cases {
            let v = BasisPoints::new(bp).expect("in range");
            assert_eq!(v.to_string(), text);
            assert_eq!(text.parse::<BasisPoints>(), Ok(v));
        }
        assert_eq!("70 %".parse::<BasisPoints>(), BasisPoints::new(7_000));
        assert_eq!("15".parse::<BasisPoints>(), BasisPoints::from_percent(15));
        assert_eq!(
            "100.01%".parse::<BasisPoints>(),
            Err(RatioError::AboveHundredPercent {
                basis_points: 10_001
            })
        );
        assert_eq!(
            BasisPoints::from_percent(101),
            Err(RatioError::AboveHundredPercent {
                basis_points: 10_100
            })
        );
        for bad in ["", "%", "12.345%", "-5%", "0.5e2"] {
            assert_eq!(
                bad.parse::<BasisPoints>(),
                Err(RatioError::Syntax { input: bad.into() })
            );
        }
    }

    #[test]
    fn basis_points_serde_is_an_integer() {
        let v = BasisPoints::new(7_000).expect("in range");
        assert_eq!(serde_json::to_string(&v).ok(), Some("7000".into()));
        assert_eq!(serde_json::from_str::<BasisPoints>("7000").ok(), Some(v));
        assert!(serde_json::from_str::<BasisPoints>("10001").is_err());
        assert!(serde_json::from_str::<BasisPoints>("70.5").is_err());
    }

    #[test]
    fn ratios_are_exact_and_reduced() {
        // The nation in 2023: 10.5 Mt utilized of 107 Mt generated.
        let r = Ratio::new(10_500_000_000, 107_000_000_000).expect("non-zero");
        assert_eq!((r.numerator(), r.denominator()), (21, 214));
        assert_eq!(r.to_string(), "9.81%");
        assert_eq!(r.percent_display(0), "10%");
        assert_eq!(r.percent_display(4), "9.8131%");
        assert_eq!(r.to_basis_points_rounded(), 981);
        assert!(!r.meets(BasisPoints::from_percent(15).expect("15 %")));
        assert!(r.meets(BasisPoints::new(981).expect("bp")));
        assert!(!r.meets(BasisPoints::new(982).expect("bp")));
        assert_eq!(Ratio::new(1, 2), Ratio::new(2, 4));
        assert!(Ratio::new(1, 3).ok() < Ratio::new(1, 2).ok());
        assert_eq!(
            Ratio::new(3, 0),
            Err(RatioError::ZeroDenominator { numerator: 3 })
        );
        assert_eq!(Ratio::new(0, 5), Ok(Ratio::ZERO));
        // half-up rounding at the boundary
        assert_eq!(
            Ratio::new(1, 8).map(|r| r.percent_display(1)),
            Ok("12.5%".into())
        );
        assert_eq!(
            Ratio::new(1, 16).map(|r| r.percent_display(2)),
            Ok("6.25%".into())
        );
        assert_eq!(
            Ratio::new(1, 16).map(|r| r.percent_display(1)),
            Ok("6.3%".into())
        );
    }

    #[test]
    fn ratio_serde_is_numerator_and_denominator() {
        let r = Ratio::new(3, 4).expect("non-zero");
        let json = serde_json::to_string(&r).expect("serializes");
        assert_eq!(json, r#"{"numerator":3,"denominator":4}"#);
        assert_eq!(serde_json::from_str::<Ratio>(&json).ok(), Some(r));
        assert!(serde_json::from_str::<Ratio>(r#"{"numerator":3,"denominator":0}"#).is_err());
    }
}
