//! The CReq: what the merchant page form-POSTs (as `creq`) to the ACS to start a browser challenge.

use super::error::{Result, ThreeDsError};
use super::fields::{check_version_form, quote_for_message, Fields, MESSAGE_VERSIONS};
use super::json::{object_of, ToJson, Value};
use super::payload;
use super::window::WINDOW_SIZE_CODES;

/// A browser-channel CReq.
#[derive(Clone, Debug, PartialEq)]
pub struct Creq {
    /// The 3DS Server's transaction ID.
    pub three_ds_server_trans_id: String,
    /// The ACS's transaction ID, from the ARes.
    pub acs_trans_id: String,
    /// Always "CReq".
    pub message_type: &'static str,
    /// The protocol version agreed in the ARes.
    pub message_version: String,
    /// "01" to "05"; the size the challenge iframe really has.
    pub challenge_window_size: String,
    /// Up to ten message extensions, passed through.
    pub message_extension: Option<Value>,
}

impl Creq {
    /// Reads and checks a CReq from a JS options object or decoded payload. When encoding, the version must
    /// be one this crate knows; when decoding, any well-formed later version is accepted.
    fn read(fields: &Fields, known_version_only: bool) -> Result<Self> {
        let three_ds_server_trans_id = fields.required_uuid("threeDSServerTransID")?;
        let acs_trans_id = fields.required_uuid("acsTransID")?;
        let message_version = fields.required_str("messageVersion")?;
        if known_version_only && !MESSAGE_VERSIONS.contains(&message_version) {
            return Err(ThreeDsError::invalid(
                &fields.name("messageVersion"),
                format_args!("one of {} (got {})", MESSAGE_VERSIONS.join(", "), quote_for_message(message_version)),
            ));
        }
        check_version_form(&fields.name("messageVersion"), message_version)?;
        let challenge_window_size = fields.required_enum("challengeWindowSize", &WINDOW_SIZE_CODES)?;
        let message_extension = fields.optional_message_extension()?;
        Ok(Creq {
            three_ds_server_trans_id,
            acs_trans_id,
            message_type: "CReq",
            message_version: message_version.to_string(),
            challenge_window_size,
            message_extension,
        })
    }

    /// Builds a CReq from the caller's fields (messageType is implied).
    pub fn from_fields(fields: &Fields) -> Result<Self> {
        Self::read(fields, true)
    }

    /// The `creq` form value: base64url JSON, no padding.
    pub fn encode(&self) -> String {
        payload::encode(self)
    }

    /// Decodes a `creq` value (lenient base64, strict fields; messageType must be CReq in any casing).
    pub fn decode(value: &str) -> Result<Self> {
        let map = payload::decode_object("creq", value)?;
        payload::refuse_key_in_two_cases("creq", map.key_in_two_cases())?;
        let fields = Fields::from_map(&map, "creq");
        if let Some(kind) = fields.optional_str("messageType")? {
            if !kind.eq_ignore_ascii_case("creq") {
                return Err(ThreeDsError::invalid(
                    &fields.name("messageType"),
                    format_args!("\"CReq\" (got {})", quote_for_message(kind)),
                ));
            }
        } else {
            return Err(ThreeDsError::missing(&fields.name("messageType")));
        }
        Self::read(&fields, false)
    }
}

impl ToJson for Creq {
    fn to_json(&self) -> Value {
        object_of([
            ("threeDSServerTransID", Some((&self.three_ds_server_trans_id).into())),
            ("acsTransID", Some((&self.acs_trans_id).into())),
            ("messageType", Some(self.message_type.into())),
            ("messageVersion", Some((&self.message_version).into())),
            ("challengeWindowSize", Some((&self.challenge_window_size).into())),
            ("messageExtension", self.message_extension.clone()),
        ])
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::error::ErrorCode;
    use crate::core::json::json;

    fn input() -> Value {
        json!({
            "threeDSServerTransID": "8a880dc0-d2d2-4067-bcb1-b08d1690b26e",
            "acsTransID": "d7c1ee99-9478-44a6-b1f2-391e29c6b340",
            "messageVersion": "2.2.0",
            "challengeWindowSize": "05",
        })
    }

    #[test]
    fn round_trip_with_message_type() {
        let v = input();
        let creq = Creq::from_fields(&Fields::of(&v, "").unwrap()).unwrap();
        let encoded = creq.encode();
        let json =
            crate::core::json::parse(std::str::from_utf8(&payload::decode_bytes("creq", &encoded).unwrap()).unwrap())
                .unwrap();
        assert_eq!(json["messageType"], "CReq");
        assert_eq!(Creq::decode(&encoded).unwrap(), creq);
    }

    #[test]
    fn numbers_in_extensions_come_back_exactly() {
        // Found by fuzzing: without serde_json's float_roundtrip, this came back as -3.988093695886895e-16.
        let mut v = input();
        crate::core::json::set(
            &mut v,
            "messageExtension",
            json!([{"name": "n", "id": "i", "criticalityIndicator": false,
            "data": {"x": -3.988_093_695_886_895_3e-16, "big": 1.797_693_134_862_315_7e308, "int": 9_007_199_254_740_993u64}}]),
        );
        let creq = Creq::from_fields(&Fields::of(&v, "").unwrap()).unwrap();
        let again = Creq::decode(&creq.encode()).unwrap();
        assert_eq!(again.message_extension, v.get("messageExtension").cloned());
        assert!(creq.encode() == again.encode());
    }

    #[test]
    fn encodes_only_what_it_would_decode() {
        // Ten extensions at EMV's 8,059 characters of data each: the largest CReq, which decodes again.
        let ext =
            |len: usize| json!({"name": "n", "id": "i", "criticalityIndicator": false, "data": "x".repeat(len - 2)});
        let mut v = input();
        crate::core::json::set(&mut v, "messageExtension", Value::Array((0..10).map(|_| ext(8059)).collect()));
        let creq = Creq::from_fields(&Fields::of(&v, "").unwrap()).unwrap();
        assert_eq!(Creq::decode(&creq.encode()).unwrap(), creq);
        crate::core::json::set(&mut v, "messageExtension", Value::Array(vec![ext(8060)]));
        let e = Creq::from_fields(&Fields::of(&v, "").unwrap()).unwrap_err();
        assert_eq!((e.code, e.message.starts_with("messageExtension[0].data")), (ErrorCode::TooLarge, true));
        crate::core::json::set(&mut v, "messageExtension", Value::Array((0..11).map(|_| ext(10)).collect()));
        assert_eq!(Creq::from_fields(&Fields::of(&v, "").unwrap()).unwrap_err().code, ErrorCode::InvalidField);
    }

    #[test]
    fn rejects_what_the_acs_would() {
        for (key, bad, code) in [
            ("challengeWindowSize", json!("06"), ErrorCode::InvalidField),
            ("challengeWindowSize", json!(5), ErrorCode::InvalidField),
            ("messageVersion", json!("2.9.9"), ErrorCode::InvalidField),
            ("acsTransID", json!("abc"), ErrorCode::InvalidField),
            ("threeDSServerTransID", Value::Null, ErrorCode::MissingField),
            ("messageExtension", json!([{"name": "x"}]), ErrorCode::MissingField),
            ("messageExtension", json!("x"), ErrorCode::InvalidField),
        ] {
            let mut v = input();
            crate::core::json::set(&mut v, key, bad);
            let e = Creq::from_fields(&Fields::of(&v, "").unwrap()).unwrap_err();
            assert_eq!(e.code, code, "{key}");
            assert!(e.message.contains(key), "{}", e.message);
        }
    }
}
