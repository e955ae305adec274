//! RFC 4180 CSV: comma-separated, CRLF line ends, fields quoted when they hold a comma, a quote,
//! CR or LF (quotes doubled). UTF-8 with a byte order mark so spreadsheet programs read Chinese
//! names correctly.

/// The UTF-8 byte order mark the output starts with.
pub const BOM: &str = "\u{feff}";

/// One field, quoted when needed.
pub fn field(text: &str) -> String {
    if text.contains([',', '"', '\r', '\n']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_owned()
    }
}

/// A whole document: BOM, header, records.
pub fn document(header: &[String], records: &[Vec<String>]) -> String {
    let mut out = String::from(BOM);
    for rec in std::iter::once(header).chain(records.iter().map(Vec::as_slice)) {
        let fields: Vec<String> = rec.iter().map(|f| field(f)).collect();
        out.push_str(&fields.join(","));
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
