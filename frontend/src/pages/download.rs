//! Downloads of what the API answers with the bearer token (a report's CSV, flags as CSV, an
//! evidence bundle): the browser fetches it with the `Authorization` header, then offers the bytes
//! as a `data:` URL on an `<a download>` (no token in any URL, nothing kept on the server).

/// Standard base64 (RFC 4648, with padding).
pub fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// A `data:` URL of `bytes` with a media type.
pub fn data_url(media_type: &str, bytes: &[u8]) -> String {
    format!("data:{media_type};base64,{}", base64(bytes))
}

/// The file name a download is saved under: the server's
/// `Content-Disposition: attachment; filename="…"` when it names one, else `fallback`.
pub fn file_name(content_disposition: Option<&str>, fallback: &str) -> String {
    content_disposition
        .and_then(|header| {
            header.split(';').map(str::trim).find_map(|part| {
                part.strip_prefix("filename=")
                    .map(|name| name.trim_matches('"').to_owned())
            })
        })
        .filter(|name| !name.is_empty() && !name.contains(['/', '\\']))
        .unwrap_or_else(|| fallback.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_follows_rfc_4648() {
        // RFC 4648 §10 test vectors.
        for (plain, encoded) in [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg=="),
            ("fooba", "Zm9vYmE="),
            ("foobar", "Zm9vYmFy"),
        ] {
            assert_eq!(base64(plain.as_bytes()), encoded);
        }
        assert_eq!(data_url("text/csv", b"a,b"), "data:text/csv;base64,YSxi");
    }

    #[test]
    fn the_file_name_comes_from_the_server() {
        assert_eq!(
            file_name(Some(r#"attachment; filename="balance.csv""#), "report.csv"),
            "balance.csv"
        );
        assert_eq!(file_name(None, "report.csv"), "report.csv");
        assert_eq!(
            file_name(Some(r#"attachment; filename="../x""#), "r.csv"),
            "r.csv"
        );
    }
}
