//! RFC 4180 CSV: comma-separated, CRLF line ends, fields quoted when they hold a comma, a quote,
//! CR or LF (quotes doubled). UTF-8 with a byte order mark so spreadsheet programs read Chinese
//! names correctly.

/// The UTF-8 byte order mark the output starts with.
pub const BOM: &str = "\u{feff}";

/// One field, quoted when needed.
pub fn field(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    push_field(&mut out, text);
    out
}

/// Appends one field to `out`, quoted when needed.
pub fn push_field(out: &mut String, text: &str) {
    if text.contains([',', '"', '\r', '\n']) {
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

/// A whole document: BOM, header, records — written into one buffer.
pub fn document(header: &[String], records: &[Vec<String>]) -> String {
    let size: usize = std::iter::once(header)
        .chain(records.iter().map(Vec::as_slice))
        .map(|rec| rec.iter().map(|f| f.len() + 1).sum::<usize>() + 2)
        .sum();
    let mut out = String::with_capacity(BOM.len() + size + size / 16);
    out.push_str(BOM);
    for rec in std::iter::once(header).chain(records.iter().map(Vec::as_slice)) {
        for (i, f) in rec.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            push_field(&mut out, f);
        }
        out.push_str("\r\n");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

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
}
