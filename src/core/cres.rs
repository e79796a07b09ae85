//! What the ACS posts back at the end of a browser challenge: a CRes (`cres`), or an Erro in its place.

use super::error::{Result, ThreeDsError};
use super::fields::{check_version_form, quote_for_message, Fields};
use super::json::{object_of, Map, ToJson, Value};
use super::payload;

/// Every transStatus value of EMV 2.1.0 to 2.3.1 (a final CRes carries Y or N; the rest appear in ARes/RReq
/// and are accepted so that a lax ACS is still understood).
pub const TRANS_STATUSES: &[&str] = &["Y", "N", "U", "A", "C", "R", "D", "I", "S"];
/// errorComponent: C SDK, S 3DS Server, D DS, A ACS.
pub const ERROR_COMPONENTS: &[&str] = &["C", "S", "D", "A"];

/// The decoded result of a challenge.
#[derive(Clone, Debug, PartialEq)]
pub enum ChallengeResult {
    /// A CRes.
    Cres(Cres),
    /// An Erro message sent instead.
    Erro(Erro),
}

/// A final CRes.
#[derive(Clone, Debug, PartialEq)]
pub struct Cres {
    /// Always "CRes", whatever casing the ACS used.
    pub message_type: &'static str,
    /// The 3DS Server's transaction ID.
    pub three_ds_server_trans_id: String,
    /// The ACS's transaction ID.
    pub acs_trans_id: String,
    /// The protocol version.
    pub message_version: String,
    /// The outcome ("Y" or "N" in a final CRes); absent only while the challenge is not complete.
    pub trans_status: Option<String>,
    /// "Y" when the challenge is complete.
    pub challenge_completion_ind: String,
    /// Message extensions, passed through.
    pub message_extension: Option<Value>,
}

/// An EMV Erro message.
#[derive(Clone, Debug, PartialEq)]
pub struct Erro {
    /// Always "Erro".
    pub message_type: &'static str,
    /// Three digits: 101 message invalid, 201 element missing, 402 timed out, ...
    pub error_code: String,
    /// C SDK, S 3DS Server, D DS, A ACS.
    pub error_component: String,
    /// Short text.
    pub error_description: String,
    /// Longer text, at most 2048 characters.
    pub error_detail: Option<String>,
    /// The message type the error is about.
    pub error_message_type: Option<String>,
    /// The protocol version.
    pub message_version: Option<String>,
    /// The 3DS Server's transaction ID, when the ACS knew it.
    pub three_ds_server_trans_id: Option<String>,
    /// The ACS's transaction ID, when given.
    pub acs_trans_id: Option<String>,
    /// The DS's transaction ID, when given.
    pub ds_trans_id: Option<String>,
}

impl ChallengeResult {
    /// Decodes a `cres` form value: base64url or base64, padded or not, a CRes or an Erro.
    pub fn decode(value: &str) -> Result<Self> {
        let map = payload::decode_object("cres", value)?;
        Self::from_map(&map, "cres")
    }

    /// Reads a decoded CRes or Erro object; `context` names it in errors ("cres", "erro").
    pub fn from_map(map: &Map, context: &str) -> Result<Self> {
        payload::refuse_key_in_two_cases(context, map.key_in_two_cases())?;
        let fields = Fields::from_map(map, context);
        let kind = match fields.optional_str("messageType")? {
            Some(kind) => kind.to_ascii_lowercase(),
            // Some ACSs leave messageType out; the fields say which message it is.
            None if fields.get("errorCode").is_some() => "erro".to_string(),
            None if fields.get("transStatus").is_some() => "cres".to_string(),
            None => return Err(ThreeDsError::missing(&fields.name("messageType"))),
        };
        match kind.as_str() {
            "cres" => Cres::read(&fields).map(ChallengeResult::Cres),
            "erro" => Erro::read(&fields).map(ChallengeResult::Erro),
            _ => Err(ThreeDsError::invalid(
                &fields.name("messageType"),
                format_args!(
                    "\"CRes\" or \"Erro\" (got {})",
                    quote_for_message(fields.optional_str("messageType")?.unwrap_or(""))
                ),
            )),
        }
    }

    /// The 3DS Server transaction ID the message names, if any.
    pub fn three_ds_server_trans_id(&self) -> Option<&str> {
        match self {
            ChallengeResult::Cres(c) => Some(&c.three_ds_server_trans_id),
            ChallengeResult::Erro(e) => e.three_ds_server_trans_id.as_deref(),
        }
    }
}

impl Cres {
    fn read(fields: &Fields) -> Result<Self> {
        let three_ds_server_trans_id = fields.required_uuid("threeDSServerTransID")?;
        let acs_trans_id = fields.required_uuid("acsTransID")?;
        let message_version = fields.required_str("messageVersion")?;
        check_version_form(&fields.name("messageVersion"), message_version)?;
        let challenge_completion_ind = fields.required_enum("challengeCompletionInd", &["Y", "N"])?;
        let trans_status = if challenge_completion_ind == "Y" {
            Some(fields.required_enum("transStatus", TRANS_STATUSES)?)
        } else {
            fields.optional_enum("transStatus", TRANS_STATUSES)?
        };
        Ok(Cres {
            message_type: "CRes",
            three_ds_server_trans_id,
            acs_trans_id,
            message_version: message_version.to_string(),
            trans_status,
            challenge_completion_ind,
            message_extension: fields.optional_message_extension()?,
        })
    }
}

impl Erro {
    fn read(fields: &Fields) -> Result<Self> {
        // errorCode is a string of three digits; some ACSs send it as a JSON number.
        let error_code = match fields.get("errorCode") {
            Some(Value::Number(n)) => n.as_text().to_string(),
            _ => fields.required_str("errorCode")?.to_string(),
        };
        if error_code.len() != 3 || !error_code.bytes().all(|b| b.is_ascii_digit()) {
            return Err(ThreeDsError::invalid(
                &fields.name("errorCode"),
                format_args!("three digits (got {})", quote_for_message(&error_code)),
            ));
        }
        let message_version = fields.optional_str("messageVersion")?;
        if let Some(v) = message_version {
            check_version_form(&fields.name("messageVersion"), v)?;
        }
        Ok(Erro {
            message_type: "Erro",
            error_code,
            error_component: fields.required_enum("errorComponent", ERROR_COMPONENTS)?,
            error_description: fields
                .optional_text("errorDescription", 2048)?
                .ok_or_else(|| ThreeDsError::missing(&fields.name("errorDescription")))?,
            error_detail: fields.optional_text("errorDetail", 2048)?,
            error_message_type: fields.optional_text("errorMessageType", 4)?,
            message_version: message_version.map(str::to_string),
            three_ds_server_trans_id: fields.optional_uuid("threeDSServerTransID")?,
            acs_trans_id: fields.optional_uuid("acsTransID")?,
            ds_trans_id: fields.optional_uuid("dsTransID")?,
        })
    }
}

/// What an EMV errorCode means, for people reading a payload.
pub fn describe_error_code(code: &str) -> &'static str {
    match code {
        "101" => "message received invalid",
        "102" => "message version number not supported",
        "103" => "sent messages limit exceeded",
        "201" => "required data element missing",
        "202" => "critical message extension not recognised",
        "203" => "format of one or more data elements is invalid",
        "204" => "duplicate data element",
        "301" => "transaction ID not recognised",
        "302" => "data decryption failure",
        "303" => "access denied, invalid endpoint",
        "304" => "ISO code invalid",
        "305" => "transaction data not valid",
        "306" => "merchant category code not valid for payment system",
        "307" => "serial number not valid",
        "402" => "transaction timed out",
        "403" => "transient system failure",
        "404" => "permanent system failure",
        "405" => "system connection failure",
        _ => "an error code this library does not describe",
    }
}

impl ToJson for ChallengeResult {
    fn to_json(&self) -> Value {
        match self {
            ChallengeResult::Cres(cres) => cres.to_json(),
            ChallengeResult::Erro(erro) => erro.to_json(),
        }
    }
}

impl ToJson for Cres {
    fn to_json(&self) -> Value {
        object_of([
            ("messageType", Some(self.message_type.into())),
            ("threeDSServerTransID", Some((&self.three_ds_server_trans_id).into())),
            ("acsTransID", Some((&self.acs_trans_id).into())),
            ("messageVersion", Some((&self.message_version).into())),
            ("transStatus", self.trans_status.as_ref().map(Value::from)),
            ("challengeCompletionInd", Some((&self.challenge_completion_ind).into())),
            ("messageExtension", self.message_extension.clone()),
        ])
    }
}

impl ToJson for Erro {
    fn to_json(&self) -> Value {
        object_of([
            ("messageType", Some(self.message_type.into())),
            ("errorCode", Some((&self.error_code).into())),
            ("errorComponent", Some((&self.error_component).into())),
            ("errorDescription", Some((&self.error_description).into())),
            ("errorDetail", self.error_detail.as_ref().map(Value::from)),
            ("errorMessageType", self.error_message_type.as_ref().map(Value::from)),
            ("messageVersion", self.message_version.as_ref().map(Value::from)),
            ("threeDSServerTransID", self.three_ds_server_trans_id.as_ref().map(Value::from)),
            ("acsTransID", self.acs_trans_id.as_ref().map(Value::from)),
            ("dsTransID", self.ds_trans_id.as_ref().map(Value::from)),
        ])
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::error::ErrorCode;
    use crate::core::json::json;
    use base64::Engine;

    fn encode_std(v: &Value) -> String {
        base64::engine::general_purpose::STANDARD.encode(v.to_json())
    }

    fn cres() -> Value {
        json!({
            "threeDSServerTransID": "8a880dc0-d2d2-4067-bcb1-b08d1690b26e",
            "acsTransID": "d7c1ee99-9478-44a6-b1f2-391e29c6b340",
            "messageType": "Cres",
            "messageVersion": "2.1.0",
            "transStatus": "Y",
            "challengeCompletionInd": "Y",
        })
    }

    #[test]
    fn casing_is_normalised_and_padding_accepted() {
        let ChallengeResult::Cres(c) = ChallengeResult::decode(&encode_std(&cres())).unwrap() else {
            panic!("not a CRes")
        };
        assert_eq!(c.message_type, "CRes");
        assert_eq!(c.trans_status.as_deref(), Some("Y"));
    }

    #[test]
    fn erro_in_place_of_cres() {
        let erro = json!({"messageType": "Erro", "errorCode": 402, "errorComponent": "A", "errorDescription": "Timeout",
            "errorDetail": "Challenge timed out", "threeDSServerTransID": "8a880dc0-d2d2-4067-bcb1-b08d1690b26e"});
        let ChallengeResult::Erro(e) = ChallengeResult::decode(&encode_std(&erro)).unwrap() else {
            panic!("not an Erro")
        };
        assert_eq!(e.error_code, "402");
        assert_eq!(describe_error_code(&e.error_code), "transaction timed out");
    }

    #[test]
    fn a_key_twice_in_different_cases_is_refused() {
        // What this reads (the exact key) and what a case-blind reader reads could differ: refused, either way
        // round, in a CRes and in an Erro.
        for (key, value) in
            [("TransStatus", "N"), ("transstatus", "Y"), ("MESSAGETYPE", "Erro"), ("tran\u{17f}Status", "Y")]
        {
            let mut v = cres();
            crate::core::json::set(&mut v, key, json!(value));
            let e = ChallengeResult::decode(&encode_std(&v)).unwrap_err();
            assert_eq!(e.code, ErrorCode::InvalidJson, "{key}");
            let lowered = key.to_ascii_lowercase().replace('\u{17f}', "s");
            assert_eq!(e.message, format!("cres has the key \"{lowered}\" twice, in different cases"));
        }
        let erro = json!({"messageType": "Erro", "errorCode": "402", "ErrorCode": "101", "errorComponent": "A",
            "errorDescription": "Timeout"});
        assert_eq!(ChallengeResult::decode(&encode_std(&erro)).unwrap_err().code, ErrorCode::InvalidJson);
        // Inside a message extension too: a case-blind reader of its fields could take the other copy.
        let mut v = cres();
        let extension = json!([{"name": "x", "id": "y", "criticalityIndicator": false, "CriticalityIndicator": true,
            "data": {}}]);
        crate::core::json::set(&mut v, "messageExtension", extension);
        let e = ChallengeResult::decode(&encode_std(&v)).unwrap_err();
        assert_eq!(e.message, "cres has the key \"criticalityindicator\" twice, in different cases");
        // A lone key in another case is only a key this does not read.
        let mut v = cres();
        crate::core::json::set(&mut v, "AcsReference", json!("x"));
        assert!(ChallengeResult::decode(&encode_std(&v)).is_ok());
    }

    #[test]
    fn type_and_enum_checks() {
        for (key, bad, code) in [
            ("transStatus", json!("Z"), ErrorCode::InvalidField),
            ("transStatus", Value::Null, ErrorCode::MissingField),
            ("messageType", json!("CReq"), ErrorCode::InvalidField),
            ("challengeCompletionInd", json!(true), ErrorCode::InvalidField),
            ("acsTransID", json!(7), ErrorCode::InvalidField),
            ("messageVersion", json!("two"), ErrorCode::InvalidField),
        ] {
            let mut v = cres();
            crate::core::json::set(&mut v, key, bad);
            let e = ChallengeResult::decode(&encode_std(&v)).unwrap_err();
            assert_eq!(e.code, code, "{key}: {e}");
            assert!(e.message.contains(key), "{}", e.message);
        }
    }
}
