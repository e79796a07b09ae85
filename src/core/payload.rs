//! The envelope every browser-channel payload shares: JSON, base64url without padding on the way out;
//! on the way in, whatever real ACSs and providers send (padding or none, either alphabet, whitespace,
//! percent-encoded padding), refused before decoding when larger than any genuine payload.

use super::base64::{encode_url_no_pad, DecodeError, Decoder};
use super::error::{ErrorCode, Result, ThreeDsError};
use super::json::{self, Map, ToJson, Value};

/// The largest encoded payload accepted, in bytes. A CRes with ten message extensions of the largest
/// permitted size is about 110 KiB once encoded; nothing genuine is bigger.
pub const MAX_ENCODED_LEN: usize = 128 * 1024;

/// Writes `message` as JSON and encodes it as base64url without padding.
pub fn encode<T: ToJson>(message: &T) -> String {
    encode_url_no_pad(message.to_json().to_json().as_bytes())
}

/// Decodes the base64 `value` of `field` into its raw bytes, leniently.
pub fn decode_bytes(field: &str, value: &str) -> Result<Vec<u8>> {
    if value.len() > MAX_ENCODED_LEN {
        return Err(ThreeDsError::new(
            ErrorCode::TooLarge,
            format!("{field} is {} bytes; at most {MAX_ENCODED_LEN} are accepted", value.len()),
        ));
    }
    if value.bytes().all(|b| b.is_ascii_whitespace()) {
        return Err(ThreeDsError::missing(field));
    }
    // Normalised to the standard alphabet on the way into the decoder, so the input is never copied.
    let bytes = value.as_bytes();
    let mut decoder = Decoder::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&byte) = bytes.get(i) {
        let at = i;
        i += 1;
        let symbol = match byte {
            b if b.is_ascii_whitespace() => continue,
            b'-' => b'+',
            b'_' => b'/',
            // `%3D` is `=` escaped once more by a form or query encoder (Shift4's `j`, for one).
            b'%' if bytes.get(i..i + 2).is_some_and(|h| h.eq_ignore_ascii_case(b"3D")) => {
                i += 2;
                b'='
            }
            b => b,
        };
        decoder.push(symbol).map_err(|e| not_base64(field, e, at))?;
    }
    decoder.finish().map_err(|e| not_base64(field, e, value.len()))
}

/// The error for `field`, refused at byte offset `at` of its value as given (ignored for a bad length).
#[cold]
fn not_base64(field: &str, error: DecodeError, at: usize) -> ThreeDsError {
    let why = match error {
        DecodeError::InvalidCharacter => format!("an invalid character at offset {at}"),
        DecodeError::InvalidPadding => format!("invalid padding at offset {at}"),
        DecodeError::InvalidLength => "invalid length".to_string(),
    };
    ThreeDsError::new(ErrorCode::InvalidBase64, format!("{field} is not valid base64: {why}"))
}

/// The error for `field` when an object in it has a key twice to a reader that ignores case (`found`, from
/// [`Map::key_in_two_cases`]): `transStatus` "N" beside `TransStatus` or `tranſStatus` "Y". This crate reads
/// the exact key, and a server that reads keys without regard to case (Jackson's option, .NET's, Go's
/// `encoding/json`) could take the other: the duplicate-key rule of [`decode_object`], made case-blind.
pub fn refuse_key_in_two_cases(field: &str, found: Option<String>) -> Result<()> {
    match found {
        Some(key) => Err(ThreeDsError::new(
            ErrorCode::InvalidJson,
            format!("{field} has the key {} twice, in different cases", super::fields::quote_for_message(&key)),
        )),
        None => Ok(()),
    }
}

/// Decodes the base64 `value` of `field` into the JSON object it carries. A key written twice, at any
/// depth, is refused: `{"transStatus":"N","transStatus":"Y"}` must not be read as whichever copy a
/// parser keeps.
pub fn decode_object(field: &str, value: &str) -> Result<Map> {
    let bytes = decode_bytes(field, value)?;
    let text = core::str::from_utf8(&bytes)
        .map_err(|_| ThreeDsError::new(ErrorCode::InvalidJson, format!("{field} does not decode to UTF-8 text")))?;
    // A UTF-8 byte-order mark is not JSON, but some encoders put one in front.
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    match json::parse(text) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(_) => Err(ThreeDsError::new(ErrorCode::InvalidJson, format!("{field} must decode to a JSON object"))),
        Err(e) => {
            Err(ThreeDsError::new(ErrorCode::InvalidJson, format!("{field} does not decode to JSON: {}", e.describe())))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::json::json;
    use base64::Engine;

    #[test]
    fn a_key_written_twice_is_refused() {
        let twice = base64::engine::general_purpose::STANDARD.encode(r#"{"transStatus":"N","transStatus":"Y"}"#);
        let error = decode_object("cres", &twice).unwrap_err();
        assert_eq!(error.code, ErrorCode::InvalidJson);
        assert!(error.message.contains("transStatus"), "{}", error.message);
        let array = base64::engine::general_purpose::STANDARD.encode("[1]");
        assert_eq!(decode_object("cres", &array).unwrap_err().message, "cres must decode to a JSON object");
    }

    #[test]
    fn encodes_base64url_without_padding() {
        // {"a":"??>"} encodes to characters that differ between the two alphabets.
        let out = encode(&json!({"a": "??>"}));
        assert!(!out.contains('=') && !out.contains('+') && !out.contains('/'), "{out}");
        assert_eq!(decode_object("x", &out).unwrap().get("a").and_then(Value::as_str), Some("??>"));
    }

    #[test]
    fn decodes_every_spelling_of_the_same_bytes() {
        let json = br#"{"k":"???"}"#;
        let standard = base64::engine::general_purpose::STANDARD.encode(json);
        assert!(standard.contains('/') && standard.ends_with('='), "{standard}");
        let url = standard.replace('+', "-").replace('/', "_");
        let variants = [
            standard.clone(),
            standard.trim_end_matches('=').to_string(),
            url.clone(),
            url.trim_end_matches('=').to_string(),
            format!("  {standard}\r\n"),
            standard.replace('=', "%3D"),
            format!("{}\n{}", &standard[..8], &standard[8..]),
        ];
        for v in variants {
            assert_eq!(decode_bytes("x", &v).unwrap(), json, "{v:?}");
        }
    }

    #[test]
    fn refuses_oversized_input_before_decoding() {
        let big = "A".repeat(MAX_ENCODED_LEN + 1);
        assert_eq!(decode_bytes("cres", &big).unwrap_err().code, ErrorCode::TooLarge);
    }

    #[test]
    fn names_the_field_in_errors() {
        let e = decode_object("cres", "not base64!").unwrap_err();
        assert_eq!(e.code, ErrorCode::InvalidBase64);
        assert_eq!(e.message, "cres is not valid base64: an invalid character at offset 10");
        assert_eq!(decode_object("cres", "").unwrap_err().code, ErrorCode::MissingField);
        assert_eq!(decode_object("cres", &encode(&json!([1, 2]))).unwrap_err().code, ErrorCode::InvalidJson);
        assert_eq!(decode_object("cres", "_w").unwrap_err().code, ErrorCode::InvalidJson);
    }
}
