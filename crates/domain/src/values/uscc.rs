//! Unified social credit code (统一社会信用代码), GB 32100-2015.
//!
//! Layout of the 18 characters:
//!
//! | position | meaning                                             | characters            |
//! |----------|-----------------------------------------------------|-----------------------|
//! | 1        | registration authority (登记管理部门代码)            | 1–9, A, N, Y          |
//! | 2        | entity category (机构类别代码)                        | code charset          |
//! | 3–8      | administrative division of registration (GB/T 2260) | digits                |
//! | 9–17     | organisation code (主体标识码, GB 11714)              | code charset          |
//! | 18       | check character (校验码)                              | code charset          |
//!
//! The code charset is `0-9 A-H J-N P-R T-U W-Y` (31 characters: no I, O, S, V, Z), valued
//! 0–30 in that order. With weights `W_i = 3^(i-1) mod 31` for positions 1–17 (1, 3, 9, 27, 19,
//! 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28), the check character's value is
//! `31 − (Σ value_i × W_i mod 31)`, where 31 becomes 0.
//!
//! Parsing accepts the canonical form only (upper case, no spaces); [`Uscc::parse_lenient`]
//! trims and upper-cases first, for user input.

use std::fmt;
use std::str::FromStr;

/// The 31 characters of the code, in value order.
pub const CHARSET: &[u8; 31] = b"0123456789ABCDEFGHJKLMNPQRTUWXY";
/// Weights of positions 1–17.
pub const WEIGHTS: [u32; 17] = [
    1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28,
];
/// Registration authority codes allowed in position 1 (1 机构编制, 2 外交, 3 司法行政, 4 文化, 5 民政,
/// 6 旅游, 7 宗教, 8 工会, 9 市场监管/工商, A 中央军委改革和编制办公室, N 农业, Y 其他).
pub const REGISTRATION_AUTHORITIES: &[u8] = b"123456789ANY";

/// A valid unified social credit code (统一社会信用代码).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Uscc([u8; 18]);

/// Why a text is not a unified social credit code.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, serde::Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(tag = "rule", content = "values")]
pub enum UsccError {
    /// Not exactly 18 characters.
    #[error("a unified social credit code has 18 characters, found {found}")]
    Length {
        /// Number of characters found.
        found: usize,
    },
    /// A character outside `0-9 A-H J-N P-R T-U W-Y` (lower case included).
    #[error(
        "character {found:?} at position {position} is not in the code charset 0-9 A-H J-N P-R T-U W-Y"
    )]
    InvalidCharacter {
        /// 1-based position.
        position: usize,
        /// The offending character.
        found: char,
    },
    /// Position 1 is not a registration authority code.
    #[error("position 1 must be a registration authority code (1-9, A, N, Y), found {found:?}")]
    UnknownRegistrationAuthority {
        /// The character found.
        found: char,
    },
    /// Positions 3–8 (the administrative division) must be digits.
    #[error(
        "position {position} is part of the administrative division code and must be a digit, found {found:?}"
    )]
    NonDigitDivisionCode {
        /// 1-based position.
        position: usize,
        /// The character found.
        found: char,
    },
    /// The check character does not match positions 1–17.
    #[error("check character mismatch: expected {expected:?}, found {found:?}")]
    CheckCharacterMismatch {
        /// The check character computed from positions 1–17.
        expected: char,
        /// The check character given.
        found: char,
    },
}

crate::aggregate::error_rules!(UsccError {
    Length,
    InvalidCharacter,
    UnknownRegistrationAuthority,
    NonDigitDivisionCode,
    CheckCharacterMismatch
});

fn char_value(c: u8) -> Option<u32> {
    CHARSET
        .iter()
        .position(|&x| x == c)
        .and_then(|p| u32::try_from(p).ok())
}

/// The check character for the first 17 characters of a code, if they are all in the charset.
pub fn check_character(first17: &str) -> Option<char> {
    let bytes = first17.as_bytes();
    if bytes.len() != 17 {
        return None;
    }
    let mut sum: u32 = 0;
    for (b, w) in bytes.iter().zip(WEIGHTS) {
        sum += char_value(*b)? * w;
    }
    let check = (31 - sum % 31) % 31;
    CHARSET
        .get(usize::try_from(check).ok()?)
        .map(|&b| char::from(b))
}

impl Uscc {
    /// Parse the canonical form (18 upper-case characters).
    pub fn parse(text: &str) -> Result<Self, UsccError> {
        let count = text.chars().count();
        if count != 18 {
            return Err(UsccError::Length { found: count });
        }
        for (i, c) in text.chars().enumerate() {
            if !c.is_ascii() || !CHARSET.contains(&(c as u8)) {
                return Err(UsccError::InvalidCharacter {
                    position: i + 1,
                    found: c,
                });
            }
        }
        let code: [u8; 18] = text
            .as_bytes()
            .try_into()
            .map_err(|_| UsccError::Length { found: count })?;
        if !REGISTRATION_AUTHORITIES.contains(&code[0]) {
            return Err(UsccError::UnknownRegistrationAuthority {
                found: char::from(code[0]),
            });
        }
        for (i, b) in code.iter().enumerate().take(8).skip(2) {
            if !b.is_ascii_digit() {
                return Err(UsccError::NonDigitDivisionCode {
                    position: i + 1,
                    found: char::from(*b),
                });
            }
        }
        let expected = text
            .get(..17)
            .and_then(check_character)
            .ok_or(UsccError::Length { found: count })?;
        let found = char::from(code[17]);
        if expected != found {
            return Err(UsccError::CheckCharacterMismatch { expected, found });
        }
        Ok(Uscc(code))
    }

    /// Parse user input: surrounding whitespace is trimmed and letters upper-cased first.
    pub fn parse_lenient(text: &str) -> Result<Self, UsccError> {
        Self::parse(&text.trim().to_ascii_uppercase())
    }

    /// The code as text.
    pub fn as_str(&self) -> &str {
        // Only charset bytes (ASCII) are ever stored.
        std::str::from_utf8(&self.0).unwrap_or_default()
    }

    /// Position 1: the registration authority code.
    pub fn registration_authority(&self) -> char {
        char::from(self.0[0])
    }

    /// Positions 3–8: the GB/T 2260 division code of the registering authority (may be outside
    /// Guizhou: a group's subsidiary can be registered in Beijing and operate in Guiyang).
    pub fn division_code(&self) -> &str {
        self.as_str().get(2..8).unwrap_or_default()
    }

    /// Positions 9–17: the organisation code (主体标识码).
    pub fn organisation_code(&self) -> &str {
        self.as_str().get(8..17).unwrap_or_default()
    }
}

impl fmt::Display for Uscc {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Uscc {
    type Err = UsccError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl TryFrom<String> for Uscc {
    type Error = UsccError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        Self::parse(&s)
    }
}

impl From<Uscc> for String {
    fn from(u: Uscc) -> String {
        u.as_str().to_owned()
    }
}

super::string_serde!(Uscc);

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Codes published on the national enterprise credit information publicity system.
    const PUBLISHED: &[&str] = &[
        "914403001922038216", // 华为技术有限公司
        "9144030071526726XG", // 深圳市腾讯计算机系统有限公司
        "91330100716105852F", // 阿里巴巴（中国）有限公司
    ];

    #[test]
    fn published_codes_parse() {
        for code in PUBLISHED {
            let parsed = Uscc::parse(code).expect(code);
            assert_eq!(parsed.as_str(), *code);
            assert_eq!(parsed.to_string(), *code);
        }
        let huawei = Uscc::parse("914403001922038216").expect("valid");
        assert_eq!(huawei.registration_authority(), '9');
        assert_eq!(huawei.division_code(), "440300");
        assert_eq!(huawei.organisation_code(), "192203821");
    }

    #[test]
    fn each_rule_has_its_error() {
        assert_eq!(Uscc::parse("91440300"), Err(UsccError::Length { found: 8 }));
        assert_eq!(
            Uscc::parse("9144030071526726xg"),
            Err(UsccError::InvalidCharacter {
                position: 17,
                found: 'x'
            })
        );
        assert_eq!(
            Uscc::parse("9144030O71526726XG"),
            Err(UsccError::InvalidCharacter {
                position: 8,
                found: 'O'
            })
        );
        assert_eq!(
            Uscc::parse("91440300715267赤6XG"),
            Err(UsccError::InvalidCharacter {
                position: 15,
                found: '赤'
            })
        );
        assert_eq!(
            Uscc::parse("B14403001922038216"),
            Err(UsccError::UnknownRegistrationAuthority { found: 'B' })
        );
        assert_eq!(
            Uscc::parse("9144A3001922038216"),
            Err(UsccError::NonDigitDivisionCode {
                position: 5,
                found: 'A'
            })
        );
        assert_eq!(
            Uscc::parse("914403001922038217"),
            Err(UsccError::CheckCharacterMismatch {
                expected: '6',
                found: '7'
            })
        );
    }

    #[test]
    fn lenient_parse_normalises_user_input() {
        assert_eq!(
            Uscc::parse_lenient("  9144030071526726xg\n").map(|u| u.to_string()),
            Ok("9144030071526726XG".to_owned())
        );
    }

    #[test]
    fn serde_is_the_canonical_string() {
        let u = Uscc::parse("91330100716105852F").expect("valid");
        let json = serde_json::to_string(&u).expect("serializes");
        assert_eq!(json, "\"91330100716105852F\"");
        let back: Uscc = serde_json::from_str(&json).expect("deserializes");
        assert_eq!(back, u);
        assert!(serde_json::from_str::<Uscc>("\"91330100716105852E\"").is_err());
    }

    /// Build a valid code from 17 arbitrary leading characters.
    fn arb_uscc() -> impl Strategy<Value = String> {
        (
            proptest::sample::select(REGISTRATION_AUTHORITIES.to_vec()),
            proptest::sample::select(CHARSET.to_vec()),
            proptest::collection::vec(0u8..10, 6),
            proptest::collection::vec(proptest::sample::select(CHARSET.to_vec()), 9),
        )
            .prop_map(|(a, b, division, org)| {
                let mut s = String::new();
                s.push(char::from(a));
                s.push(char::from(b));
                for d in division {
                    s.push(char::from(b'0' + d));
                }
                for c in org {
                    s.push(char::from(c));
                }
                let check = check_character(&s).expect("charset only");
                s.push(check);
                s
            })
    }

    proptest! {
        #[test]
        fn generated_codes_parse(code in arb_uscc()) {
            let parsed = Uscc::parse(&code);
            prop_assert_eq!(parsed.map(|u| u.to_string()), Ok(code));
        }

        #[test]
        fn any_single_character_change_is_rejected(
            code in arb_uscc(),
            position in 0usize..18,
            replacement in proptest::char::any(),
        ) {
            let mut chars: Vec<char> = code.chars().collect();
            prop_assume!(chars[position] != replacement);
            chars[position] = replacement;
            let changed: String = chars.into_iter().collect();
            prop_assert!(Uscc::parse(&changed).is_err(), "{} accepted", changed);
        }

        #[test]
        fn any_single_charset_substitution_is_rejected(
            code in arb_uscc(),
            position in 0usize..18,
            replacement in proptest::sample::select(CHARSET.to_vec()),
        ) {
            let mut bytes = code.into_bytes();
            prop_assume!(bytes[position] != replacement);
            bytes[position] = replacement;
            let changed = String::from_utf8(bytes).expect("ascii");
            prop_assert!(Uscc::parse(&changed).is_err(), "{} accepted", changed);
        }
    }
}
