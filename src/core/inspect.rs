//! The payload inspector: takes any browser-channel payload a person pastes, works out what it is, decodes
//! and checks it with the same codec as the flows, and explains each field.

use super::creq::Creq;
use super::cres::{describe_error_code, ChallengeResult};
use super::error::Result;
use super::fields::quote_for_message;
use super::form;
use super::json::{Map, ToJson, Value};
use super::method::{MethodData, MethodNotification};
use super::payload;

/// The inspector's report on one payload.
#[derive(Debug)]
pub struct Inspection {
    /// "threeDSMethodData", "methodNotification", "creq", "cres" or "erro".
    pub kind: &'static str,
    /// The normalised message, as the matching decoder returns it.
    pub decoded: Value,
    /// Every field of the JSON as sent, with what it means.
    pub fields: Vec<FieldNote>,
    /// Deviations from the specification that were tolerated.
    pub warnings: Vec<String>,
}

/// One field of an inspected payload.
#[derive(Debug)]
pub struct FieldNote {
    /// The key as sent.
    pub name: String,
    /// The value as compact JSON.
    pub value: String,
    /// What it means.
    pub meaning: String,
}

/// Inspects `input`: a bare base64 value, or a form body / query holding cres, creq or threeDSMethodData.
pub fn inspect(input: &str) -> Result<Inspection> {
    let input = input.trim();
    let (field, value, sent_as_form) = pick_form_field(input)?;
    let raw = payload::decode_object(&field, &value)?;
    let mut warnings = encoding_warnings(&value);
    let message_type = raw.get("messageType").and_then(Value::as_str).map(str::to_ascii_lowercase);
    let (kind, decoded) = match message_type.as_deref() {
        Some("creq") => ("creq", to_value(&Creq::decode(&value)?)),
        Some("cres") | Some("erro") => challenge_result(&value)?,
        _ if raw.contains_key("errorCode") || raw.contains_key("transStatus") => challenge_result(&value)?,
        _ if raw.contains_key("threeDSMethodNotificationURL") => {
            ("threeDSMethodData", to_value(&MethodData::decode(&value)?))
        }
        _ if field == "creq" || field == "cres" => challenge_result(&value)?,
        _ => {
            let notification = MethodNotification::decode(&value)?;
            if !raw.contains_key("threeDSServerTransID") {
                warnings.push(
                    "the transaction ID is not under the key threeDSServerTransID; it was matched by value".into(),
                );
            }
            ("methodNotification", to_value(&notification))
        }
    };
    if let (Some(sent), Some(normal)) =
        (raw.get("messageType").and_then(Value::as_str), decoded.get("messageType").and_then(Value::as_str))
    {
        if sent != normal {
            warnings.push(format!(
                "messageType was sent as {}; normalised to {}",
                quote_for_message(sent),
                quote_for_message(normal)
            ));
        }
    }
    if kind == "cres" {
        if let Some(status) = decoded.get("transStatus").and_then(Value::as_str) {
            if status != "Y" && status != "N" {
                warnings
                    .push(format!("a final CRes should carry transStatus Y or N, not {}", quote_for_message(status)));
            }
        }
    }
    if sent_as_form {
        warnings.insert(0, format!("read from the form field {}", quote_for_message(&field)));
    }
    Ok(Inspection { kind, decoded, fields: describe_fields(&raw), warnings })
}

fn challenge_result(value: &str) -> Result<(&'static str, Value)> {
    let result = ChallengeResult::decode(value)?;
    let kind = if matches!(result, ChallengeResult::Erro(_)) { "erro" } else { "cres" };
    Ok((kind, to_value(&result)))
}

fn to_value<T: ToJson>(message: &T) -> Value {
    message.to_json()
}

/// A pasted form body or query ("cres=...&threeDSSessionData=...") yields its payload field.
fn pick_form_field(input: &str) -> Result<(String, String, bool)> {
    let input = input.strip_prefix('?').unwrap_or(input);
    // A bare value may end in padding; only something that fails as base64 is read as a form.
    if !input.contains('=') || payload::decode_bytes("payload", input).is_ok() {
        return Ok(("payload".into(), input.to_string(), false));
    }
    let pairs = form::parse(input)?;
    for name in ["cres", "creq", "threeDSMethodData", "erro"] {
        if let Some(value) = form::only(&pairs, name)? {
            return Ok((name.to_string(), value.to_string(), true));
        }
    }
    Ok(("payload".into(), input.to_string(), false))
}

fn encoding_warnings(value: &str) -> Vec<String> {
    let mut warnings = Vec::new();
    if value.trim_end().ends_with('=') || value.contains("%3D") || value.contains("%3d") {
        warnings.push("padded: EMV specifies base64url without padding (accepted)".to_string());
    }
    if value.contains(['+', '/']) {
        warnings.push("standard base64 alphabet ('+', '/'): EMV specifies base64url (accepted)".to_string());
    }
    if value.trim() != value || value.contains(char::is_whitespace) {
        warnings.push("contains whitespace (ignored)".to_string());
    }
    warnings
}

fn describe_fields(raw: &Map) -> Vec<FieldNote> {
    raw.iter()
        .map(|(name, value)| FieldNote { name: name.clone(), value: value.to_json(), meaning: meaning(name, value) })
        .collect()
}

fn meaning(name: &str, value: &Value) -> String {
    let text = value.as_str().unwrap_or("");
    match name {
        "threeDSServerTransID" => {
            "the 3DS Server's transaction ID (UUID); ties every message of one authentication together".into()
        }
        "threeDServerTransID" | "threeDSMethodData" => "a misspelled key some ACSs use for threeDSServerTransID".into(),
        "threeDSMethodNotificationURL" => {
            "where the ACS posts its notification when the device fingerprint is done".into()
        }
        "acsTransID" => "the ACS's transaction ID (UUID), from the ARes".into(),
        "dsTransID" => "the Directory Server's transaction ID (UUID)".into(),
        "sdkTransID" => "the 3DS SDK's transaction ID (app channel only)".into(),
        "messageType" => format!(
            "the message: {}",
            match text.to_ascii_lowercase().as_str() {
                "creq" => "challenge request",
                "cres" => "challenge response",
                "erro" => "error message",
                _ => "not one the browser channel carries",
            }
        ),
        "messageVersion" => "the EMV 3DS protocol version agreed in the ARes".into(),
        "challengeWindowSize" => match super::window::window_size(name, text) {
            Ok(size) => format!("challenge window {} x {}", size.width, size.height),
            Err(_) => "not a valid window size (01-05)".into(),
        },
        "transStatus" => format!("outcome: {}", describe_trans_status(text)),
        "challengeCompletionInd" => match text {
            "Y" => "the challenge is complete".into(),
            "N" => "the challenge is not complete".into(),
            _ => "should be Y or N".into(),
        },
        "messageExtension" => "issuer or scheme data extensions (at most 10)".into(),
        "errorCode" => format!(
            "error {}: {}",
            value.to_json().trim_matches('"'),
            describe_error_code(value.to_json().trim_matches('"'))
        ),
        "errorComponent" => format!(
            "the error was found by the {}",
            match text {
                "C" => "3DS SDK",
                "S" => "3DS Server",
                "D" => "Directory Server",
                "A" => "ACS",
                _ => "unknown component (should be C, S, D or A)",
            }
        ),
        "errorDescription" => "short description of the error".into(),
        "errorDetail" => "details of the error (which element, for instance)".into(),
        "errorMessageType" => "the type of the message the error is about".into(),
        _ => "not part of the EMV message; ignored".into(),
    }
}

/// What a transStatus value means.
pub fn describe_trans_status(status: &str) -> &'static str {
    match status {
        "Y" => "authenticated",
        "N" => "not authenticated",
        "U" => "authentication could not be performed",
        "A" => "attempted (attempts processing)",
        "C" => "challenge required",
        "D" => "decoupled challenge",
        "R" => "rejected by the issuer",
        "I" => "informational only",
        "S" => "secure payment confirmation",
        _ => "unknown status",
    }
}

impl ToJson for Inspection {
    fn to_json(&self) -> Value {
        Value::object([
            ("kind", self.kind.into()),
            ("decoded", self.decoded.clone()),
            ("fields", Value::Array(self.fields.iter().map(FieldNote::to_json).collect())),
            ("warnings", self.warnings.clone().into()),
        ])
    }
}

impl ToJson for FieldNote {
    fn to_json(&self) -> Value {
        Value::object([
            ("name", (&self.name).into()),
            ("value", (&self.value).into()),
            ("meaning", (&self.meaning).into()),
        ])
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use base64::Engine;

    #[test]
    fn recognises_each_kind() {
        let b64 = |s: &str| base64::engine::general_purpose::STANDARD.encode(s);
        let id = "cc78c193-eaec-494f-9cf0-eb5fa3940b13";
        let acs = "d7c1ee99-9478-44a6-b1f2-391e29c6b340";
        let cases = [
            (b64(&format!(r#"{{"threeDSServerTransID":"{id}","threeDSMethodNotificationURL":"https://m.example/n"}}"#)), "threeDSMethodData"),
            (b64(&format!(r#"{{"threeDServerTransID":"{id}"}}"#)), "methodNotification"),
            (b64(&format!(r#"{{"threeDSServerTransID":"{id}","acsTransID":"{acs}","messageType":"CReq","messageVersion":"2.2.0","challengeWindowSize":"02"}}"#)), "creq"),
            (format!("cres={}", b64(&format!(r#"{{"threeDSServerTransID":"{id}","acsTransID":"{acs}","messageType":"cres","messageVersion":"2.2.0","transStatus":"N","challengeCompletionInd":"Y"}}"#)).replace('=', "%3D")), "cres"),
            (b64(r#"{"messageType":"Erro","errorCode":"203","errorComponent":"A","errorDescription":"bad"}"#), "erro"),
        ];
        for (input, kind) in cases {
            let report = inspect(&input).unwrap();
            assert_eq!(report.kind, kind, "{input}");
            assert!(!report.fields.is_empty());
        }
    }
}
