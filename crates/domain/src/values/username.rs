//! Usernames of accounts (登录名).
//!
//! A username is 2–32 characters: a lower-case ASCII letter or digit, then lower-case ASCII
//! letters, digits, `_`, `.` or `-` (`^[a-z0-9][a-z0-9_.-]{1,31}$`). It is the account's stable
//! handle: the server derives the account id from it, so it never changes once an account is
//! created. Parsing accepts the canonical form only; [`Username::parse_lenient`] trims and
//! lower-cases first, for user input.

use std::fmt;
use std::str::FromStr;

/// A valid username.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Username(String);

/// Why a text is not a username.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, serde::Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(tag = "rule", content = "values")]
pub enum UsernameError {
    /// Fewer than 2 or more than 32 characters.
    #[error("a username has 2 to 32 characters, found {found}")]
    Length {
        /// Number of characters found.
        found: usize,
    },
    /// The first character is not a lower-case ASCII letter or digit.
    #[error("a username starts with a lower-case letter or digit (a-z, 0-9), found {found:?}")]
    InvalidFirstCharacter {
        /// The character found.
        found: char,
    },
    /// A later character outside `a-z 0-9 _ . -`.
    #[error(
        "character {found:?} at position {position} is not a lower-case letter, digit, '_', '.' or '-'"
    )]
    InvalidCharacter {
        /// 1-based position.
        position: usize,
        /// The character found.
        found: char,
    },
}

crate::aggregate::error_rules!(UsernameError {
    Length,
    InvalidFirstCharacter,
    InvalidCharacter
});

impl Username {
    /// The rule as a regular expression (for clients and JSON Schema).
    pub const PATTERN: &'static str = "^[a-z0-9][a-z0-9_.-]{1,31}$";
    /// Fewest characters.
    pub const MIN_LENGTH: usize = 2;
    /// Most characters.
    pub const MAX_LENGTH: usize = 32;

    /// Parse the canonical form.
    pub fn parse(text: &str) -> Result<Self, UsernameError> {
        let count = text.chars().count();
        if !(Self::MIN_LENGTH..=Self::MAX_LENGTH).contains(&count) {
            return Err(UsernameError::Length { found: count });
        }
        for (i, c) in text.chars().enumerate() {
            let allowed = c.is_ascii_lowercase()
                || c.is_ascii_digit()
                || (i > 0 && matches!(c, '_' | '.' | '-'));
            if !allowed {
                return Err(if i == 0 {
                    UsernameError::InvalidFirstCharacter { found: c }
                } else {
                    UsernameError::InvalidCharacter {
                        position: i + 1,
                        found: c,
                    }
                });
            }
        }
        Ok(Username(text.to_owned()))
    }

    /// Parse user input: surrounding whitespace is trimmed and ASCII letters lower-cased first.
    pub fn parse_lenient(text: &str) -> Result<Self, UsernameError> {
        Self::parse(&text.trim().to_ascii_lowercase())
    }

    /// The username as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Username {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl FromStr for Username {
    type Err = UsernameError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl TryFrom<String> for Username {
    type Error = UsernameError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        Self::parse(&s)
    }
}

impl From<Username> for String {
    fn from(u: Username) -> String {
        u.0
    }
}

super::string_serde!(Username);

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn valid_usernames_parse() {
        for ok in ["zy", "zunyi.clerk-01", "0a", "li_wei", &"a".repeat(32)] {
            assert_eq!(
                Username::parse(ok).map(|u| u.to_string()),
                Ok(ok.to_owned())
            );
        }
    }

    #[test]
    fn each_rule_has_its_error() {
        assert_eq!(
            Username::parse("a"),
            Err(UsernameError::Length { found: 1 })
        );
        assert_eq!(Username::parse(""), Err(UsernameError::Length { found: 0 }));
        assert_eq!(
            Username::parse(&"a".repeat(33)),
            Err(UsernameError::Length { found: 33 })
        );
        assert_eq!(
            Username::parse("_admin"),
            Err(UsernameError::InvalidFirstCharacter { found: '_' })
        );
        assert_eq!(
            Username::parse("Admin"),
            Err(UsernameError::InvalidFirstCharacter { found: 'A' })
        );
        assert_eq!(
            Username::parse("li wei"),
            Err(UsernameError::InvalidCharacter {
                position: 3,
                found: ' '
            })
        );
        assert_eq!(
            Username::parse("li王"),
            Err(UsernameError::InvalidCharacter {
                position: 3,
                found: '王'
            })
        );
    }

    #[test]
    fn lenient_parse_normalises_user_input() {
        assert_eq!(
            Username::parse_lenient("  Zunyi.Clerk\n").map(String::from),
            Ok("zunyi.clerk".to_owned())
        );
    }

    #[test]
    fn serde_is_the_text() {
        let u = Username::parse("zunyi.clerk").expect("valid");
        assert_eq!(
            serde_json::to_string(&u).ok(),
            Some("\"zunyi.clerk\"".to_owned())
        );
        assert_eq!(
            serde_json::from_str::<Username>("\"zunyi.clerk\"").ok(),
            Some(u)
        );
        assert!(serde_json::from_str::<Username>("\"Zunyi\"").is_err());
    }

    proptest! {
        /// The parser agrees with the published pattern on arbitrary short ASCII-ish text.
        #[test]
        fn parse_agrees_with_the_pattern(text in "[a-zA-Z0-9_. \\-王]{0,34}") {
            let bytes = text.as_bytes();
            let by_pattern = (2..=32).contains(&text.chars().count())
                && text.is_ascii()
                && matches!(bytes.first(), Some(b'a'..=b'z' | b'0'..=b'9'))
                && bytes.iter().all(|b| matches!(b, b'a'..=b'z' | b'0'..=b'9' | b'_' | b'.' | b'-'));
            prop_assert_eq!(Username::parse(&text).is_ok(), by_pattern, "{}", text);
        }
    }
}
