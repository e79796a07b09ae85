//! `threeDSMethodData`: what the 3DS Method form POSTs to the ACS, and what the ACS posts back to the
//! notification URL when the device fingerprint is done.

use super::error::{ErrorCode, Result, ThreeDsError};
use super::fields::{is_uuid, Fields};
use super::json::{Map, ToJson, Value};
use super::payload;
use super::url::check_notification_url;

/// What the merchant page sends to the ACS's `threeDSMethodURL`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MethodData {
    /// The 3DS Server's transaction ID.
    pub three_ds_server_trans_id: String,
    /// Where the ACS posts its notification when done.
    pub notification_url: String,
}

impl ToJson for MethodData {
    fn to_json(&self) -> Value {
        Value::object([
            ("threeDSServerTransID", (&self.three_ds_server_trans_id).into()),
            ("threeDSMethodNotificationURL", (&self.notification_url).into()),
        ])
    }
}

impl ToJson for MethodNotification {
    fn to_json(&self) -> Value {
        Value::object([("threeDSServerTransID", (&self.three_ds_server_trans_id).into())])
    }
}

impl MethodData {
    /// Reads and checks the fields of a JS options object or decoded payload.
    pub fn from_fields(fields: &Fields) -> Result<Self> {
        let three_ds_server_trans_id = fields.required_uuid("threeDSServerTransID")?;
        let notification_url = fields.required_str("threeDSMethodNotificationURL")?;
        check_notification_url(&fields.name("threeDSMethodNotificationURL"), notification_url)?;
        Ok(MethodData { three_ds_server_trans_id, notification_url: notification_url.to_string() })
    }

    /// The `threeDSMethodData` form value: base64url JSON, no padding.
    pub fn encode(&self) -> String {
        payload::encode(self)
    }

    /// Decodes a `threeDSMethodData` value sent to an ACS (strict about fields, lenient about base64).
    pub fn decode(value: &str) -> Result<Self> {
        let map = payload::decode_object("threeDSMethodData", value)?;
        payload::refuse_key_in_two_cases("threeDSMethodData", map.key_in_two_cases())?;
        Self::from_fields(&Fields::from_map(&map, "threeDSMethodData"))
    }
}

/// What the ACS posts to the notification URL: the transaction ID whose method completed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MethodNotification {
    /// The 3DS Server's transaction ID, whatever key the ACS put it under.
    pub three_ds_server_trans_id: String,
}

impl MethodNotification {
    /// Decodes a notification's `threeDSMethodData`. Real ACSs drift from the schema (padding, the standard
    /// alphabet, `threeDServerTransID`, the ID under `threeDSMethodData`), so the ID is matched by value: every
    /// key that names it (see `find_transaction_id`) holding the one same UUID, or else the one UUID-shaped
    /// string in the object.
    pub fn decode(value: &str) -> Result<Self> {
        let map = payload::decode_object("threeDSMethodData", value)?;
        find_transaction_id(&map)?.map(|id| MethodNotification { three_ds_server_trans_id: id.to_string() }).ok_or_else(
            || {
                ThreeDsError::new(
                    ErrorCode::MissingField,
                    "threeDSMethodData.threeDSServerTransID is required (no transaction ID found in the notification)",
                )
            },
        )
    }
}

/// The transaction ID under the canonical key or keys spelled like it, which must all hold that one UUID (an
/// ACS that names two IDs, or puts something else under one such key, is refused: read as whichever came first,
/// it could differ from what a reader of the canonical key takes); with no such key, the one UUID in the object.
fn find_transaction_id(map: &Map) -> Result<Option<&str>> {
    fn uuid(value: &Value) -> Option<&str> {
        value.as_str().filter(|v| is_uuid(v))
    }
    // Case, '_' and '-', and the odd dropped letter ("threeDServerTransID", "three_ds_server_trans_id"); and
    // `threeDSMethodData` itself when it holds a UUID, where some ACSs put the ID. One pass over the members:
    // looking each key up again would be quadratic in a payload of thousands of such keys.
    let names_the_id = |key: &str, value: &Value| {
        let k: String = key.chars().filter(|c| !matches!(c, '_' | '-')).collect::<String>().to_ascii_lowercase();
        (k.starts_with("three") && k.ends_with("servertransid")) || (k == "threedsmethoddata" && uuid(value).is_some())
    };
    let mut found = None;
    for (_, value) in map.iter().filter(|(key, value)| names_the_id(key, value)) {
        match (uuid(value), found) {
            (Some(id), None) => found = Some(id),
            // A UUID is one number whatever the case of its hex digits.
            (Some(id), Some(first)) if id.eq_ignore_ascii_case(first) => {}
            _ => {
                return Err(ThreeDsError::invalid(
                    "threeDSMethodData.threeDSServerTransID",
                    "one transaction ID, a UUID under every spelling of the key",
                ))
            }
        }
    }
    if found.is_some() {
        return Ok(found);
    }
    let mut uuids = map.values().filter_map(uuid);
    Ok(match (uuids.next(), uuids.next()) {
        (Some(only), None) => Some(only),
        _ => None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use base64::Engine;

    const ID: &str = "cc78c193-eaec-494f-9cf0-eb5fa3940b13";

    fn std_b64(json: &str) -> String {
        base64::engine::general_purpose::STANDARD.encode(json)
    }

    #[test]
    fn round_trip() {
        let data = MethodData { three_ds_server_trans_id: ID.into(), notification_url: "https://m.example/n".into() };
        let encoded = data.encode();
        assert!(!encoded.contains('='));
        assert_eq!(MethodData::decode(&encoded).unwrap(), data);
    }

    #[test]
    fn shift4_padded_example_decodes_but_fails_the_url_rule() {
        // Shift4's guide: standard base64, padded, with a placeholder notification URL.
        let value = "eyJ0aHJlZURTTWV0aG9kTm90aWZpY2F0aW9uVVJMIjoibWVyY2hhbnRfc2VydmVyIiwidGhyZWVEU1NlcnZlclRyYW5zSUQiOiJjYzc4YzE5My1lYWVjLTQ5NGYtOWNmMC1lYjVmYTM5NDBiMTMifQ==";
        let e = MethodData::decode(value).unwrap_err();
        assert_eq!(e.code, ErrorCode::InvalidField);
        assert!(e.message.contains("threeDSMethodNotificationURL"), "{}", e.message);
        assert_eq!(MethodNotification::decode(value).unwrap().three_ds_server_trans_id, ID);
    }

    #[test]
    fn notification_key_drift() {
        for json in [
            format!(r#"{{"threeDSServerTransID":"{ID}"}}"#),
            format!(r#"{{"threeDServerTransID":"{ID}"}}"#),
            format!(r#"{{"threeDSMethodData":"{ID}"}}"#),
            format!(r#"{{"ThreeDSServerTransId":"{ID}","other":"x"}}"#),
            format!(r#"{{"threeDSServerTransID":"{ID}","threeDServerTransID":"{ID}"}}"#),
            format!(r#"{{"three-ds-server-trans-id":"{ID}"}}"#),
            format!(r#"{{"threeDSServerTransID":"{ID}","threeDSServerTransId":"{}"}}"#, ID.to_ascii_uppercase()),
        ] {
            assert_eq!(MethodNotification::decode(&std_b64(&json)).unwrap().three_ds_server_trans_id, ID, "{json}");
        }
        // Two spellings naming two transactions, or something else under one of them: refused, not read as
        // whichever came first.
        for json in [
            format!(r#"{{"threeDSServerTransID":"zzz","threeDServerTransID":"{ID}"}}"#),
            format!(r#"{{"threeDSMethodData":"8a880dc0-d2d2-4067-bcb1-b08d1690b26e","threeDSServerTransID":"{ID}"}}"#),
            format!(
                r#"{{"three_ds_server_trans_id":"8a880dc0-d2d2-4067-bcb1-b08d1690b26e","threeDSServerTransID":"{ID}"}}"#
            ),
            format!(r#"{{"threeDSServerTransID":null,"threeDServerTransID":"{ID}"}}"#),
            r#"{"threeDSServerTransID":"nope"}"#.to_string(),
            format!(
                r#"{{"threeDSServerTransID":"{ID}","threeDServerTransID":"8a880dc0-d2d2-4067-bcb1-b08d1690b26e"}}"#
            ),
            format!(
                r#"{{"threedsservertransid":"8a880dc0-d2d2-4067-bcb1-b08d1690b26e","threeDSServerTransID":"{ID}"}}"#
            ),
        ] {
            let e = MethodNotification::decode(&std_b64(&json)).unwrap_err();
            assert_eq!(
                (e.code, e.message.as_str()),
                (
                    ErrorCode::InvalidField,
                    "threeDSMethodData.threeDSServerTransID must be one transaction ID, a UUID under every spelling of the key"
                ),
                "{json}"
            );
        }
        let two = format!(r#"{{"a":"{ID}","b":"8a880dc0-d2d2-4067-bcb1-b08d1690b26e"}}"#);
        assert_eq!(MethodNotification::decode(&std_b64(&two)).unwrap_err().code, ErrorCode::MissingField);
    }
}
