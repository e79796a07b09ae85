//! `threeDSSessionData`: the merchant's own state, sent with the CReq and echoed by the ACS with the result,
//! which is how a full-page redirect challenge resumes on the return page.

use super::error::{ErrorCode, Result, ThreeDsError};
use super::json::{self, Value};
use super::payload;

/// EMV limits threeDSSessionData to 1024 characters.
pub const MAX_SESSION_DATA_LEN: usize = 1024;

/// Encodes any JSON state as base64url without padding, refusing what would not fit in 1024 characters.
pub fn encode(state: &Value) -> Result<String> {
    let encoded = payload::encode(state);
    if encoded.len() > MAX_SESSION_DATA_LEN {
        return Err(ThreeDsError::new(
            ErrorCode::TooLarge,
            format!("threeDSSessionData would be {} characters; EMV allows {MAX_SESSION_DATA_LEN}: keep the state on the server and send a reference", encoded.len()),
        ));
    }
    Ok(encoded)
}

/// Decodes state made by [`encode`].
pub fn decode(value: &str) -> Result<Value> {
    check(value)?;
    let bytes = payload::decode_bytes("threeDSSessionData", value)?;
    let text = core::str::from_utf8(&bytes)
        .map_err(|_| ThreeDsError::new(ErrorCode::InvalidJson, "threeDSSessionData does not decode to UTF-8 text"))?;
    json::parse(text).map_err(|e| {
        ThreeDsError::new(
            ErrorCode::InvalidJson,
            format!("threeDSSessionData does not decode to JSON: {}", e.describe()),
        )
    })
}

/// Checks a threeDSSessionData value as sent or echoed: at most 1024 characters of base64url (padding allowed).
pub fn check(value: &str) -> Result<()> {
    if value.len() > MAX_SESSION_DATA_LEN {
        return Err(ThreeDsError::invalid(
            "threeDSSessionData",
            format_args!("at most {MAX_SESSION_DATA_LEN} characters"),
        ));
    }
    if !value.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'=' | b'+' | b'/')) {
        return Err(ThreeDsError::invalid("threeDSSessionData", "base64url text"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::json::json;

    #[test]
    fn round_trip_and_limits() {
        let state = json!({"order": "A-1", "mode": "redirect"});
        assert_eq!(decode(&encode(&state).unwrap()).unwrap(), state);
        assert_eq!(encode(&json!("x".repeat(800))).unwrap_err().code, ErrorCode::TooLarge);
        assert!(check("<script>").is_err());
    }

    #[test]
    fn numbers_come_back_exactly() {
        // Found by fuzzing: without float_roundtrip, this came back as -1.1571177700400404e294.
        let state = json!({"n": -1.157_117_770_040_040_3e294, "small": 5e-324});
        assert_eq!(decode(&encode(&state).unwrap()).unwrap(), state);
    }

    #[test]
    fn what_decodes_fits_when_encoded_again() {
        // Found by fuzzing: 300 backspaces written as "\b" fit in 1024 characters; written back as "\u0008"
        // they did not, so a state the page sent could not be re-encoded. Now the short escapes are written.
        let text = format!(r#"{{"a":"{}","f":"\f"}}"#, r"\b".repeat(300));
        let sent = crate::core::base64::encode_url_no_pad(text.as_bytes());
        assert!(sent.len() <= MAX_SESSION_DATA_LEN, "{}", sent.len());
        let state = decode(&sent).unwrap();
        assert_eq!(encode(&state).unwrap(), sent);
    }
}
