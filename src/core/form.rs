//! application/x-www-form-urlencoded bodies and query strings, as ACSs and providers post them.

use super::error::{ErrorCode, Result, ThreeDsError};

/// The largest form body or query accepted, in bytes (a cres plus session data is far below this).
pub const MAX_FORM_LEN: usize = 256 * 1024;

/// The most fields a form may have. Each field costs a few dozen bytes beyond its text, so without a cap a
/// body of `a&a&a&...` would hold many times its own size.
pub const MAX_FORM_FIELDS: usize = 1000;

/// Parses `body` into (name, value) pairs in order, decoding `+` and percent escapes; at most
/// [`MAX_FORM_FIELDS`] of them.
pub fn parse(body: &str) -> Result<Vec<(String, String)>> {
    if body.len() > MAX_FORM_LEN {
        return Err(ThreeDsError::new(
            ErrorCode::TooLarge,
            format!("form body is {} bytes; at most {MAX_FORM_LEN} are accepted", body.len()),
        ));
    }
    let mut pairs = Vec::new();
    for pair in body.split('&').filter(|pair| !pair.is_empty()) {
        if pairs.len() == MAX_FORM_FIELDS {
            return Err(ThreeDsError::new(
                ErrorCode::TooLarge,
                format!("form has more than {MAX_FORM_FIELDS} fields; no return or notification has nearly as many"),
            ));
        }
        let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
        pairs.push((decode_component(name)?, decode_component(value)?));
    }
    Ok(pairs)
}

/// The value of `name` in parsed `pairs`, refusing a name sent twice: what a reader and a signature check
/// see must be the same value, and "first" or "last" would let them differ.
pub fn only<'a>(pairs: &'a [(String, String)], name: &str) -> Result<Option<&'a str>> {
    let mut found = pairs.iter().filter(|(n, _)| n == name);
    let value = found.next().map(|(_, v)| v.as_str());
    if found.next().is_some() {
        return Err(duplicate(name));
    }
    Ok(value)
}

/// The error for a field sent more than once.
pub fn duplicate(name: &str) -> ThreeDsError {
    ThreeDsError::invalid(name, "sent once (the form carries it more than once)")
}

/// Encodes `pairs` as application/x-www-form-urlencoded.
pub fn encode(pairs: &[(String, String)]) -> String {
    let component = |text: &str| {
        let mut out = String::with_capacity(text.len());
        for byte in text.bytes() {
            match byte {
                b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'*' => out.push(byte as char),
                b' ' => out.push('+'),
                _ => out.push_str(&format!("%{byte:02X}")),
            }
        }
        out
    };
    pairs.iter().map(|(k, v)| format!("{}={}", component(k), component(v))).collect::<Vec<_>>().join("&")
}

fn decode_component(text: &str) -> Result<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' => {
                let hex = bytes
                    .get(i + 1..i + 3)
                    .and_then(|h| core::str::from_utf8(h).ok())
                    .and_then(|h| u8::from_str_radix(h, 16).ok());
                match hex {
                    Some(byte) => {
                        out.push(byte);
                        i += 2;
                    }
                    // A lone '%' is kept as it is, as browsers do.
                    None => out.push(b'%'),
                }
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8(out)
        .map_err(|_| ThreeDsError::new(ErrorCode::InvalidField, "form field is not UTF-8 once percent-decoded"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_pairs() {
        let pairs = parse("cres=eyJh%3D%3D&threeDSSessionData=a+b&empty=&flag").unwrap();
        assert_eq!(only(&pairs, "cres"), Ok(Some("eyJh==")));
        assert_eq!(only(&pairs, "threeDSSessionData"), Ok(Some("a b")));
        assert_eq!(only(&pairs, "empty"), Ok(Some("")));
        assert_eq!(only(&pairs, "flag"), Ok(Some("")));
        assert_eq!(only(&pairs, "none"), Ok(None));
        let twice = parse("cres=a&cres=b").unwrap();
        assert_eq!(
            only(&twice, "cres").unwrap_err().message,
            "cres must be sent once (the form carries it more than once)"
        );
        assert_eq!(parse("a=%ZZ%").unwrap()[0].1, "%ZZ%");
        assert!(parse("a=%FF").is_err());
    }

    #[test]
    fn refuses_more_fields_than_any_return_has() {
        assert_eq!(parse(&"a=b&".repeat(MAX_FORM_FIELDS)).unwrap().len(), MAX_FORM_FIELDS);
        assert_eq!(parse(&"a=b&".repeat(MAX_FORM_FIELDS + 1)).unwrap_err().code, ErrorCode::TooLarge);
        assert_eq!(parse(&"&".repeat(100_000)).unwrap(), vec![]);
    }

    #[test]
    fn encodes_what_it_decodes() {
        let pairs = vec![("a b".to_string(), "x+y/=&é".to_string()), ("c".to_string(), String::new())];
        assert_eq!(encode(&pairs), "a+b=x%2By%2F%3D%26%C3%A9&c=");
        assert_eq!(parse(&encode(&pairs)).unwrap(), pairs);
    }

    /// Found by the `notification` fuzz target (2026-11-23): a body within the limit that a browser would send
    /// differently encoded (raw NULs and `/`, which the form encoding escapes as three bytes each) encodes to
    /// more than the limit. Reading it back is then a typed `too_large`, never a misread; what fits reads back
    /// exactly.
    #[test]
    fn what_encodes_past_the_limit_is_refused_when_read_back() {
        let value = format!("{}{}", "\0/".repeat(200), "e".repeat(MAX_FORM_LEN - 620));
        let body = format!("a={value}");
        assert!(body.len() <= MAX_FORM_LEN);
        let pairs = parse(&body).unwrap();
        let encoded = encode(&pairs);
        assert!(encoded.len() > MAX_FORM_LEN);
        assert_eq!(parse(&encoded).unwrap_err().code, ErrorCode::TooLarge);
        let shorter = vec![("a".to_string(), value[..MAX_FORM_LEN / 4].to_string())];
        assert_eq!(parse(&encode(&shorter)).unwrap(), shorter);
    }
}
