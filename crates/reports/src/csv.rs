//! RFC 4180 CSV: comma-separated, CRLF line ends, fields quoted when they hold a comma, a quote,
//! CR or LF (quotes doubled). UTF-8 with a byte order mark so spreadsheet programs read Chinese
//! names correctly.
//!
//! A report's CSV is written field by field into one buffer ([`Csv`]): a report of 20,000
//! projects makes no string per cell.

use std::fmt::{self, Write as _};

/// The UTF-8 byte order mark the output starts with.
pub const BOM: &str = "\u{feff}";

/// Whether a field must be quoted.
fn needs_quotes(text: &str) -> bool {
    text.bytes()
        .any(|b| matches!(b, b',' | b'"' | b'\r' | b'\n'))
}

/// One field, quoted when needed.
pub fn field(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    push_field(&mut out, text);
    out
}

/// Appends one field to `out`, quoted when needed.
pub fn push_field(out: &mut String, text: &str) {
    if needs_quotes(text) {
        out.push('"');
        for (i, part) in text.split('"').enumerate() {
            if i > 0 {
                out.push_str("\"\"");
            }
            out.push_str(part);
        }
        out.push('"');
    } else {
        out.push_str(text);
    }
}

/// A CSV document being written: the BOM and header first, then one record at a time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Csv {
    out: String,
    /// Fields per record (the header's).
    width: usize,
    /// Fields written of the current record.
    fields: usize,
}

impl Csv {
    /// A document with `header`, room reserved for about `bytes` more.
    pub fn new<S: AsRef<str>>(header: &[S], bytes: usize) -> Self {
        let mut csv = Csv {
            out: String::with_capacity(BOM.len() + bytes),
            width: header.len(),
            fields: 0,
        };
        csv.out.push_str(BOM);
        for name in header {
            csv.field(name.as_ref());
        }
        csv.end();
        csv
    }

    /// Records only (no BOM, no header), `width` fields each, room reserved for about `bytes`:
    /// text written once and spliced into documents later ([`Csv::append_records`]).
    pub fn fragment(width: usize, bytes: usize) -> Self {
        Csv {
            out: String::with_capacity(bytes),
            width,
            fields: 0,
        }
    }

    /// Appends whole records already written (a [`Csv::fragment`]'s text, CRLF-terminated),
    /// ending the current record first if one is started.
    pub fn append_records(&mut self, text: &str) -> &mut Self {
        if self.fields > 0 {
            self.end();
        }
        self.out.push_str(text);
        self
    }

    /// A document of `header` and `records`.
    pub fn table(header: &[String], records: &[Vec<String>]) -> Self {
        let size: usize = records
            .iter()
            .map(|rec| rec.iter().map(|f| f.len() + 1).sum::<usize>() + 2)
            .sum();
        let mut csv = Csv::new(header, size + size / 16);
        for record in records {
            for f in record {
                csv.field(f);
            }
            csv.end();
        }
        csv
    }

    fn separate(&mut self) {
        if self.fields > 0 {
            self.out.push(',');
        }
        self.fields += 1;
    }

    /// Appends a text field to the current record.
    pub fn field(&mut self, text: &str) -> &mut Self {
        self.separate();
        push_field(&mut self.out, text);
        self
    }

    /// Appends a field written by `Display` (a number, a date, a code) to the current record,
    /// quoted when its text needs it.
    pub fn value(&mut self, value: impl fmt::Display) -> &mut Self {
        self.separate();
        let from = self.out.len();
        // Writing into a String cannot fail.
        let _ = write!(self.out, "{value}");
        if needs_quotes(&self.out[from..]) {
            let text = self.out.split_off(from);
            push_field(&mut self.out, &text);
        }
        self
    }

    /// Appends `n` empty fields to the current record.
    pub fn empty(&mut self, n: usize) -> &mut Self {
        for _ in 0..n {
            self.separate();
        }
        self
    }

    /// Ends the current record, leaving the fields not written empty.
    pub fn end(&mut self) {
        let missing = self.width.saturating_sub(self.fields);
        self.empty(missing);
        self.out.push_str("\r\n");
        self.fields = 0;
    }

    /// The document's text.
    pub fn as_str(&self) -> &str {
        &self.out
    }

    /// The document's text, owned.
    pub fn into_string(self) -> String {
        self.out
    }

    /// The header and records read back (by [`redmud_domain::csv::csv_records`]): for tests
    /// and tools. A record of one empty field reads as none, as a blank line does.
    pub fn records(&self) -> (Vec<String>, Vec<Vec<String>>) {
        let mut records = redmud_domain::csv::csv_records(&self.out)
            .unwrap_or_default()
            .into_iter()
            .map(|r| r.fields);
        let header = records.next().unwrap_or_default();
        (header, records.collect())
    }
}

/// A whole document: BOM, header, records — written into one buffer.
pub fn document(header: &[String], records: &[Vec<String>]) -> String {
    Csv::table(header, records).into_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn quoting() {
        assert_eq!(field("a"), "a");
        assert_eq!(field("a,b"), "\"a,b\"");
        assert_eq!(field("say \"hi\""), "\"say \"\"hi\"\"\"");
        let doc = document(
            &["x".into(), "y".into()],
            &[vec!["1".into(), "贵阳,市".into()]],
        );
        assert_eq!(doc, "\u{feff}x,y\r\n1,\"贵阳,市\"\r\n");
    }

    #[test]
    fn records_are_padded_and_values_quoted_when_needed() {
        let mut csv = Csv::new(&["a", "b", "c"], 0);
        csv.value(12).field("x");
        csv.end();
        csv.value("1,5").empty(1).value(-3);
        csv.end();
        assert_eq!(csv.as_str(), "\u{feff}a,b,c\r\n12,x,\r\n\"1,5\",,-3\r\n");
    }

    #[test]
    fn fragments_splice_into_a_document() {
        let mut part = Csv::fragment(2, 0);
        part.field("a,b").value(1);
        part.end();
        let mut csv = Csv::new(&["x", "y"], 0);
        csv.field("0");
        csv.append_records(part.as_str());
        assert_eq!(csv.as_str(), "\u{feff}x,y\r\n0,\r\n\"a,b\",1\r\n");
    }

    proptest! {
        /// What is written reads back as it was, whatever the text.
        #[test]
        fn written_records_read_back(
            records in proptest::collection::vec(
                proptest::collection::vec("[a-z,\"\r\n 贵阳]{0,6}", 3),
                0..8,
            ),
        ) {
            let header: Vec<String> = vec!["h1".into(), "h,2".into(), "h\"3".into()];
            let csv = Csv::table(&header, &records);
            prop_assert_eq!(csv.records(), (header, records));
        }
    }
}
