//! Reading CSV text (RFC 4180) — the one reader behind ledger imports, the client's download
//! preview and the checks of every report export.
//!
//! ```text
//! record   = field *("," field), ended by CRLF, LF or the end of the text
//! field    = plain text (no "," nor line break), or "…" quoted, "" standing for one ",
//!            line breaks and "," kept; blanks before an opening or after a closing quote ignored
//! a leading UTF-8 byte order mark is ignored; a line holding nothing but blanks is no record
//! ```

use thiserror::Error;

/// One record and the line (counted from 1) it starts on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CsvRecord {
    /// The line the record starts on.
    pub line: usize,
    /// Its fields, unquoted.
    pub fields: Vec<String>,
}

/// Why a text is not CSV (the message names the fault; [`CsvError::line`] its place).
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum CsvError {
    /// Something other than a blank, `,` or a line break follows a closing quote.
    #[error("{found:?} after a closing quote")]
    AfterClosingQuote {
        /// Where.
        line: usize,
        /// What follows the quote.
        found: char,
    },
    /// The text ends inside a quoted field.
    #[error("a quoted field is not closed before the end of the text")]
    UnclosedQuote {
        /// The line the record with the open quote starts on.
        line: usize,
    },
}

impl CsvError {
    /// The line the error is on.
    pub fn line(&self) -> usize {
        match self {
            CsvError::AfterClosingQuote { line, .. } | CsvError::UnclosedQuote { line } => *line,
        }
    }
}

/// Splits CSV text into records (see the module's grammar).
pub fn csv_records(text: &str) -> Result<Vec<CsvRecord>, CsvError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut records = Vec::new();
    let mut fields: Vec<String> = Vec::new();
    let mut field = String::new();
    let (mut quoted, mut after_quote) = (false, false);
    let (mut line, mut start) = (1, 1);
    let end_record = |records: &mut Vec<CsvRecord>,
                      fields: &mut Vec<String>,
                      field: &mut String,
                      line: usize| {
        fields.push(std::mem::take(field));
        let fields = std::mem::take(fields);
        if !(fields.len() == 1 && fields[0].trim().is_empty()) {
            records.push(CsvRecord { line, fields });
        }
    };
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if quoted {
            match c {
                '"' if chars.peek() == Some(&'"') => {
                    chars.next();
                    field.push('"');
                }
                '"' => (quoted, after_quote) = (false, true),
                '\n' => {
                    line += 1;
                    field.push('\n');
                }
                _ => field.push(c),
            }
            continue;
        }
        match c {
            ',' => {
                fields.push(std::mem::take(&mut field));
                after_quote = false;
            }
            '\r' if chars.peek() == Some(&'\n') => {}
            '\n' => {
                end_record(&mut records, &mut fields, &mut field, start);
                after_quote = false;
                line += 1;
                start = line;
            }
            '"' if field.trim().is_empty() && !after_quote => {
                field.clear();
                quoted = true;
            }
            _ if after_quote && !c.is_whitespace() => {
                return Err(CsvError::AfterClosingQuote { line, found: c });
            }
            _ if after_quote => {}
            _ => field.push(c),
        }
    }
    if quoted {
        return Err(CsvError::UnclosedQuote { line: start });
    }
    if !field.is_empty() || !fields.is_empty() {
        end_record(&mut records, &mut fields, &mut field, start);
    }
    Ok(records)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn fields(text: &str) -> Vec<Vec<String>> {
        csv_records(text)
            .expect("csv")
            .into_iter()
            .map(|r| r.fields)
            .collect()
    }

    #[test]
    fn quoted_fields_keep_commas_quotes_and_line_breaks() {
        let text = "\u{feff}period,region_name,note\r\n2026-Q1,贵阳市,\"a, \"\"b\"\"\r\nc\"\r\n\r\n2026-Q2,遵义市,\n";
        assert_eq!(
            fields(text),
            vec![
                vec!["period", "region_name", "note"],
                vec!["2026-Q1", "贵阳市", "a, \"b\"\r\nc"],
                vec!["2026-Q2", "遵义市", ""],
            ]
        );
        let lines: Vec<usize> = csv_records(text)
            .expect("csv")
            .iter()
            .map(|r| r.line)
            .collect();
        assert_eq!(lines, [1, 2, 5]);
    }

    #[test]
    fn blanks_around_quotes_are_ignored_and_a_last_line_needs_no_break() {
        assert_eq!(
            fields(" \"a\" ,b\n  \nc,d"),
            vec![vec!["a", "b"], vec!["c", "d"]]
        );
    }

    #[test]
    fn malformed_quotes_name_their_line() {
        assert_eq!(
            csv_records("a,b\n\"x\"y,z\n"),
            Err(CsvError::AfterClosingQuote {
                line: 2,
                found: 'y'
            })
        );
        let open = csv_records("a\n\"b\nc\n");
        assert_eq!(open, Err(CsvError::UnclosedQuote { line: 2 }));
        assert_eq!(open.err().map(|e| e.line()), Some(2));
    }

    /// A field as a writer following RFC 4180 puts it.
    fn written(field: &str) -> String {
        if field.contains([',', '"', '\r', '\n']) || field.trim() != field {
            format!("\"{}\"", field.replace('"', "\"\""))
        } else {
            field.to_owned()
        }
    }

    proptest! {
        /// Records of two or more fields, whatever their text, read back as written.
        #[test]
        fn written_records_read_back(
            records in proptest::collection::vec(
                proptest::collection::vec("[a-z,\"\r\n 贵阳]{0,6}", 2..5),
                0..8,
            ),
            crlf in any::<bool>(),
        ) {
            let end = if crlf { "\r\n" } else { "\n" };
            let text: String = records
                .iter()
                .map(|r| r.iter().map(|f| written(f)).collect::<Vec<_>>().join(",") + end)
                .collect();
            prop_assert_eq!(fields(&text), records);
        }
    }
}
