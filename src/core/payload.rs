//! The envelope every browser-channel payload shares: JSON, base64url without padding on the way out;
//! on the way in, whatever real ACSs and providers send (padding or none, either alphabet, whitespace,
//! percent-encoded padding), refused before decoding when larger than any genuine payload.

use super::error::{ErrorCode, Result, ThreeDsError};
use super::json::{self, Map, ToJson, Value};
use base64::alphabet;
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
use base64::Engine;

/// The largest encoded payload accepted, in bytes. A CRes with ten message extensions of the largest
/// permitted size is about 110 KiB once encoded; nothing genuine is bigger.
pub const MAX_ENCODED_LEN: usize = 128 * 1024;

const ENCODER: GeneralPurpose = GeneralPurpose::new(&alphabet::URL_SAFE, base64::engine::general_purpose::NO_PAD);

// Accepts padded and unpadded input, and ignores non-zero trailing bits that lax encoders leave.
const LENIENT_DECODER: GeneralPurpose = GeneralPurpose::new(
    &alphabet::STANDARD,
    GeneralPurposeConfig::new()
        .with_decode_padding_mode(DecodePaddingMode::Indifferent)
        .with_decode_allow_trailing_bits(true),
);

/// Writes `message` as JSON and encodes it as base64url without padding.
pub fn encode<T: ToJson>(message: &T) -> String {
    ENCODER.encode(message.to_json().to_json())
}

/// Decodes the base64 `value` of `field` into its raw bytes, leniently.
pub fn decode_bytes(field: &str, value: &str) -> Result<Vec<u8>> {
    if value.len() > MAX_ENCODED_LEN {
        return Err(ThreeDsError::new(
            ErrorCode::TooLarge,
            format!("{field} is {} bytes; at most {MAX_ENCODED_LEN} are accepted", value.len()),
        ));
    }
    let mut normalised = Vec::with_capacity(value.len());
    let bytes = value.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b if b.is_ascii_whitespace() => {}
            b'-' => normalised.push(b'+'),
            b'_' => normalised.push(b'/'),
            // `%3D` is `=` escaped once more by a form or query encoder (Shift4's `j`, for one).
            b'%' if bytes.get(i + 1..i + 3).is_some_and(|h| h.eq_ignore_ascii_case(b"3D")) => {
                normalised.push(b'=');
                i += 2;
            }
            b => normalised.push(b),
        }
        i += 1;
    }
    if normalised.is_empty() {
        return Err(ThreeDsError::missing(field));
    }
    LENIENT_DECODER
        .decode(&normalised)
        .map_err(|e| ThreeDsError::new(ErrorCode::InvalidBase64, format!("{field} is not valid base64: {e}")))
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
        assert!(e.message.starts_with("cres "), "{}", e.message);
        assert_eq!(decode_object("cres", "").unwrap_err().code, ErrorCode::MissingField);
        assert_eq!(decode_object("cres", &encode(&json!([1, 2]))).unwrap_err().code, ErrorCode::InvalidJson);
        assert_eq!(decode_object("cres", "_w").unwrap_err().code, ErrorCode::InvalidJson);
    }
}
