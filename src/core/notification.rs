//! The notification URLs the ACS posts to (method completion, challenge result), and the message the page
//! there sends to the merchant page. The responder runs on a server or edge (no DOM); the browser flows
//! accept only messages that [`Envelope::read`] accepts.

use super::cres::ChallengeResult;
use super::error::{ErrorCode, Result, ThreeDsError};
use super::fields::quote_for_message;
use super::json::{case_blind, object_of, Map, ToJson, Value};
use super::method::MethodNotification;
use super::url::{check_secure_url, MAX_NOTIFICATION_URL_LEN};
use super::{form, payload, session_data};

/// Tags every message this package posts, so that listeners leave everyone else's messages alone.
pub const PROTOCOL: &str = "threeds-kit/1";

/// What arrived at a notification URL.
#[derive(Clone, Debug, PartialEq)]
pub enum NotificationResult {
    /// The ACS finished the 3DS Method for this transaction.
    Method {
        /// The transaction whose method completed.
        three_ds_server_trans_id: String,
    },
    /// The challenge ended with a CRes or an Erro.
    Challenge {
        /// The CRes or Erro.
        message: Box<ChallengeResult>,
        /// The transaction it names, if any (an Erro may name none).
        three_ds_server_trans_id: Option<String>,
        /// The merchant's state, echoed by the ACS.
        three_ds_session_data: Option<String>,
    },
    /// The ACS posted nothing at all (it happens on ACS failures).
    Empty,
    /// What the ACS posted could not be read: the page still tells the merchant page, so that the flow
    /// ends at once with this typed error instead of waiting for its time limit.
    Error {
        /// The ThreeDsError code (invalid_base64, invalid_json, missing_field, ...).
        code: String,
        /// What was wrong, naming the field.
        message: String,
    },
}

impl NotificationResult {
    /// Like [`NotificationResult::from_form`], but a payload that cannot be read becomes
    /// [`NotificationResult::Error`] rather than an error: what a notification page needs.
    pub fn from_form_or_error(body: &str, content_type: Option<&str>) -> Self {
        Self::from_form(body, content_type).unwrap_or_else(Self::from_error)
    }

    /// The result a notification page posts for `error`: its code, and its message cut to what the merchant
    /// page reads.
    pub fn from_error(error: ThreeDsError) -> Self {
        NotificationResult::Error { code: error.code.as_str().to_string(), message: within_envelope(error.message) }
    }

    /// Reads a form POST to a notification URL. An empty body (or none) is [`NotificationResult::Empty`].
    pub fn from_form(body: &str, content_type: Option<&str>) -> Result<Self> {
        let body = body.trim();
        if body.is_empty() {
            return Ok(NotificationResult::Empty);
        }
        let media_type = content_type.unwrap_or("").split(';').next().unwrap_or("").trim().to_ascii_lowercase();
        if media_type != "application/x-www-form-urlencoded" && !media_type.is_empty() {
            return Err(ThreeDsError::invalid(
                "contentType",
                format_args!("application/x-www-form-urlencoded (got {})", quote_for_message(&media_type)),
            ));
        }
        let pairs = form::parse(body)?;
        let field = |name| Ok::<_, ThreeDsError>(form::only(&pairs, name)?.filter(|v| !v.trim().is_empty()));
        // Session data is base64: a space can only be a '+' the ACS left unescaped, which form decoding read
        // as a space. Restoring it keeps a valid cres from turning into an error over the merchant's own state.
        // A reader that matches names without regard to case (ASP.NET's Request.Form, Java's equalsIgnoreCase)
        // would see `threedssessiondata` or `threeDSſessionData` beside `threeDSSessionData` as the field sent
        // twice, and could take either.
        let named = |name: &str, kind: &str| case_blind(name) == case_blind(kind);
        if pairs.iter().filter(|(name, _)| named(name, "threeDSSessionData")).count() > 1 {
            return Err(form::duplicate("threeDSSessionData"));
        }
        let session = field("threeDSSessionData")?.map(|s| s.replace(' ', "+"));
        if let Some(session) = &session {
            session_data::check(session)?;
        }
        let session = session.as_deref();
        let (cres, erro, method) = (field("cres")?, field("erro")?, field("threeDSMethodData")?);
        // An ACS posts one of them. Two would be read as whichever this function looks at first, where another
        // reader of the same body could take the other: refused, like a field sent twice. Counted by name, empty
        // or not, and in any case: an empty `cres=` beside an `erro` is two kinds, and a reader that matches names
        // without regard to case (ASP.NET's Request.Form) would see `CRes` beside `cres`.
        let mut carried = pairs
            .iter()
            .map(|(name, _)| name.as_str())
            .filter(|name| ["cres", "erro", "threeDSMethodData"].iter().any(|kind| named(name, kind)));
        // The first two name the fault; naming every one would make a message as long as the body, which the
        // merchant page refuses to read (the flow would wait out its time limit instead of failing at once).
        if let (Some(first), Some(second)) = (carried.next(), carried.next()) {
            return Err(ThreeDsError::new(
                ErrorCode::InvalidField,
                format!(
                    "the notification body carries {first} and {second}; an ACS posts one of cres, erro and threeDSMethodData"
                ),
            ));
        }
        if let Some(cres) = cres {
            return Ok(Self::challenge(ChallengeResult::decode(cres)?, session));
        }
        if let Some(erro) = erro {
            let map = payload::decode_object("erro", erro)?;
            return match ChallengeResult::from_map(&map, "erro")? {
                erro @ ChallengeResult::Erro(_) => Ok(Self::challenge(erro, session)),
                ChallengeResult::Cres(_) => Err(ThreeDsError::invalid("erro.messageType", "\"Erro\"")),
            };
        }
        if let Some(data) = method {
            let notification = MethodNotification::decode(data)?;
            return Ok(NotificationResult::Method { three_ds_server_trans_id: notification.three_ds_server_trans_id });
        }
        if pairs.iter().all(|(_, v)| v.trim().is_empty()) {
            return Ok(NotificationResult::Empty);
        }
        Err(ThreeDsError::new(
            ErrorCode::MissingField,
            "cres, erro or threeDSMethodData is required in the notification body",
        ))
    }

    fn challenge(message: ChallengeResult, session: Option<&str>) -> Self {
        NotificationResult::Challenge {
            three_ds_server_trans_id: message.three_ds_server_trans_id().map(str::to_string),
            message: Box::new(message),
            three_ds_session_data: session.map(str::to_string),
        }
    }
}

/// The tagged message a notification page posts to the merchant page.
#[derive(Clone, Debug, PartialEq)]
pub struct Envelope(pub NotificationResult);

impl Envelope {
    /// The message as JSON: `{ protocol: "threeds-kit/1", result }`.
    pub fn to_json(&self) -> Value {
        Value::object([("protocol", PROTOCOL.into()), ("result", self.0.to_json())])
    }

    /// Reads a posted message; None for anything that is not one of ours, well formed (so that other
    /// libraries' messages are left alone, and a forged one with a malformed result is ignored).
    pub fn read(data: &Value) -> Option<Envelope> {
        Self::read_result(data).ok().map(Envelope)
    }

    /// Like [`Envelope::read`], with the error a message is refused with (one not of ours is `invalid_field`).
    pub fn read_result(data: &Value) -> Result<NotificationResult> {
        if data.get("protocol").and_then(Value::as_str) != Some(PROTOCOL) {
            return Err(ThreeDsError::invalid("protocol", format_args!("\"{PROTOCOL}\"")));
        }
        Self::result_from_json(data.get("result").unwrap_or(&Value::Null))
    }

    /// Reads a result object as [`NotificationResult::to_json`] wrote it, checking it as the decoders do.
    pub fn result_from_json(result: &Value) -> Result<NotificationResult> {
        let empty = Map::new();
        let object = result.as_object().unwrap_or(&empty);
        match object.get("type").and_then(Value::as_str) {
            Some("method") => {
                let id = object.get("threeDSServerTransID").and_then(Value::as_str).unwrap_or("");
                super::fields::check_uuid("result.threeDSServerTransID", id)?;
                Ok(NotificationResult::Method { three_ds_server_trans_id: id.to_string() })
            }
            Some("challenge") => {
                let message = object
                    .get("message")
                    .and_then(Value::as_object)
                    .ok_or_else(|| ThreeDsError::missing("result.message"))?;
                let message = ChallengeResult::from_map(message, "result.message")?;
                let session = object.get("threeDSSessionData").and_then(Value::as_str);
                if let Some(session) = session {
                    session_data::check(session)?;
                }
                Ok(NotificationResult::challenge(message, session))
            }
            Some("empty") => Ok(NotificationResult::Empty),
            Some("error") => {
                let text = |key: &str, max: usize| {
                    object
                        .get(key)
                        .and_then(Value::as_str)
                        .filter(|t| !t.is_empty() && t.len() <= max)
                        .map(str::to_string)
                };
                let code = text("code", 32)
                    .filter(|c| c.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_'))
                    .ok_or_else(|| ThreeDsError::invalid("result.code", "an error code"))?;
                let message = text("message", MAX_ERROR_MESSAGE)
                    .ok_or_else(|| ThreeDsError::invalid("result.message", "a message of at most 1024 bytes"))?;
                Ok(NotificationResult::Error { code, message })
            }
            _ => Err(ThreeDsError::invalid("result.type", "\"method\", \"challenge\", \"empty\" or \"error\"")),
        }
    }
}

/// The longest posted message the merchant page reads, in UTF-16 units of its JSON (`JSON.stringify`); ours
/// are a few KiB.
pub const MAX_ENVELOPE_JSON: usize = 256 * 1024;

/// The longest error message an envelope carries, in bytes of UTF-8.
const MAX_ERROR_MESSAGE: usize = 1024;

/// `message` cut to [`MAX_ERROR_MESSAGE`] at a character boundary: a notification page always posts an error the
/// merchant page reads, so that a flow fails at once rather than waiting out its time limit.
fn within_envelope(mut message: String) -> String {
    if message.len() > MAX_ERROR_MESSAGE {
        let mut end = MAX_ERROR_MESSAGE - '…'.len_utf8();
        while !message.is_char_boundary(end) {
            end -= 1;
        }
        message.truncate(end);
        message.push('…');
    }
    message
}

/// Checks that `value` is exactly an origin (`https://shop.example`, `http://127.0.0.1:8080`): never `*`,
/// never a path, so a posted result reaches only the merchant page.
pub fn check_target_origin(value: &str) -> Result<String> {
    let origin = check_secure_url("targetOrigin", value, MAX_NOTIFICATION_URL_LEN)?;
    // A host with a trailing dot is another origin than the page's own, which no merchant page is served as.
    if origin != value.trim_end_matches('/') || value.contains(['?', '#']) || origin.ends_with('.') {
        return Err(ThreeDsError::invalid(
            "targetOrigin",
            format_args!("an origin such as \"https://shop.example\" (got {})", quote_for_message(value)),
        ));
    }
    Ok(origin)
}

fn check_nonce(nonce: &str) -> Result<()> {
    let ok = !nonce.is_empty()
        && nonce.len() <= 256
        && nonce.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'=' | b'-' | b'_'));
    if ok {
        Ok(())
    } else {
        Err(ThreeDsError::invalid("nonce", "a CSP nonce (base64 characters, at most 256)"))
    }
}

/// Makes JSON safe inside an inline script: nothing in any field can close the element or start markup.
fn script_safe_json(value: &Value) -> String {
    let json = value.to_json();
    let mut out = String::with_capacity(json.len() + 16);
    for c in json.chars() {
        match c {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            c => out.push(c),
        }
    }
    out
}

/// The notification page: posts the tagged result to the parent window with exactly `target_origin`.
pub fn notification_page(result: &NotificationResult, target_origin: &str, nonce: Option<&str>) -> Result<String> {
    let origin = check_target_origin(target_origin)?;
    let nonce_attribute = match nonce {
        Some(nonce) => {
            check_nonce(nonce)?;
            format!(" nonce=\"{nonce}\"")
        }
        None => String::new(),
    };
    // The message goes in as a string for JSON.parse, not as an object literal: in a literal, a member named
    // "__proto__" (message extension data passes through) would set the prototype and vanish from the post.
    let message = script_safe_json(&Value::String(Envelope(result.clone()).to_json().to_json()));
    let origin = script_safe_json(&Value::String(origin));
    Ok(format!(
        "<!doctype html><html><head><meta charset=\"utf-8\"><meta name=\"referrer\" content=\"no-referrer\"><title>3-D Secure</title></head>\
         <body><script{nonce_attribute}>window.parent.postMessage(JSON.parse({message}), {origin});</script></body></html>"
    ))
}

impl ToJson for NotificationResult {
    fn to_json(&self) -> Value {
        match self {
            NotificationResult::Method { three_ds_server_trans_id } => {
                Value::object([("type", "method".into()), ("threeDSServerTransID", three_ds_server_trans_id.into())])
            }
            NotificationResult::Challenge { message, three_ds_server_trans_id, three_ds_session_data } => object_of([
                ("type", Some("challenge".into())),
                ("message", Some(message.to_json())),
                ("threeDSServerTransID", three_ds_server_trans_id.as_ref().map(Value::from)),
                ("threeDSSessionData", three_ds_session_data.as_ref().map(Value::from)),
            ]),
            NotificationResult::Empty => Value::object([("type", "empty".into())]),
            NotificationResult::Error { code, message } => {
                Value::object([("type", "error".into()), ("code", code.into()), ("message", message.into())])
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::json::{self, json};

    #[test]
    fn a_cres_nested_to_the_payload_limit_still_reaches_the_page() {
        // Found by the hostile review: the envelope and the result wrap the CRes, taking it past the limit the
        // page read its messages with, so the page dropped it and the challenge waited for its time limit.
        let data = format!("{}{}", "[".repeat(125), "]".repeat(125));
        let cres = format!(
            r#"{{"threeDSServerTransID":"8a880dc0-d2d2-4067-bcb1-b08d1690b26e","acsTransID":"d7c1ee99-9478-44a6-b1f2-391e29c6b340","messageType":"CRes","messageVersion":"2.2.0","transStatus":"Y","challengeCompletionInd":"Y","messageExtension":[{{"name":"n","id":"i","criticalityIndicator":false,"data":{data}}}]}}"#
        );
        let encoded = payload::encode(&json::parse(&cres).unwrap());
        let result = NotificationResult::challenge(ChallengeResult::decode(&encoded).unwrap(), None);
        let posted = Envelope(result.clone()).to_json().to_json();
        assert!(json::parse(&posted).is_err(), "the wrapping nests deeper than a payload may");
        let read = json::parse_nested(&posted, json::MAX_DEPTH + json::WRAPPING_DEPTH).unwrap();
        assert_eq!(Envelope::read(&read), Some(Envelope(result)));
    }
    use base64::Engine;

    const ID: &str = "8a880dc0-d2d2-4067-bcb1-b08d1690b26e";
    const FORM: Option<&str> = Some("application/x-www-form-urlencoded; charset=UTF-8");

    fn b64(s: &str) -> String {
        base64::engine::general_purpose::STANDARD.encode(s)
    }

    #[test]
    fn reads_each_kind_of_post() {
        let method = format!("threeDSMethodData={}", b64(&format!(r#"{{"threeDServerTransID":"{ID}"}}"#)));
        assert_eq!(
            NotificationResult::from_form(&method, FORM).unwrap(),
            NotificationResult::Method { three_ds_server_trans_id: ID.into() }
        );
        assert_eq!(NotificationResult::from_form("", None).unwrap(), NotificationResult::Empty);
        assert_eq!(
            NotificationResult::from_form("cres=&threeDSSessionData=", FORM).unwrap(),
            NotificationResult::Empty
        );
        let erro = format!(
            "erro={}",
            b64(r#"{"messageType":"Erro","errorCode":"402","errorComponent":"A","errorDescription":"x"}"#)
        );
        assert!(matches!(NotificationResult::from_form(&erro, FORM).unwrap(), NotificationResult::Challenge { .. }));
        assert_eq!(NotificationResult::from_form("a=b", FORM).unwrap_err().code, ErrorCode::MissingField);
        assert_eq!(
            NotificationResult::from_form("cres=x", Some("application/json")).unwrap_err().code,
            ErrorCode::InvalidField
        );
    }

    fn cres() -> String {
        b64(&format!(
            r#"{{"threeDSServerTransID":"{ID}","acsTransID":"{ID}","messageType":"CRes","messageVersion":"2.2.0","transStatus":"Y","challengeCompletionInd":"Y"}}"#
        ))
        .replace('+', "%2B")
        .replace('=', "")
    }

    #[test]
    fn an_unescaped_plus_in_session_data_keeps_the_cres() {
        // "a+b/" in standard base64, posted without escaping the '+': form decoding reads a space.
        let body = format!("cres={}&threeDSSessionData=a+b/", cres());
        let NotificationResult::Challenge { three_ds_session_data, message, .. } =
            NotificationResult::from_form(&body, FORM).unwrap()
        else {
            panic!("not a challenge result")
        };
        assert_eq!(three_ds_session_data.as_deref(), Some("a+b/"));
        assert!(matches!(*message, ChallengeResult::Cres(_)));
    }

    #[test]
    fn fields_sent_twice_are_refused() {
        // A reader taking the first copy and another taking the last would disagree about the result.
        for body in [
            format!("cres={}&cres={}", cres(), cres()),
            format!("cres={}&threeDSSessionData=a&threeDSSessionData=b", cres()),
            // The same field to a reader that ignores the case of names.
            format!("cres={}&threeDSSessionData=YQ&threedssessiondata=Yg", cres()),
            format!("cres={}&threeDSSessionData=YQ&threeDS%C5%BFessionData=Yg", cres()),
            "threeDSMethodData=a&threeDSMethodData=b".to_string(),
            format!("erro=x&erro=y&cres={}", cres()),
        ] {
            let error = NotificationResult::from_form(&body, FORM).unwrap_err();
            assert_eq!(error.code, ErrorCode::InvalidField, "{body}");
            assert!(error.message.contains("sent once"), "{body}: {}", error.message);
        }
    }

    #[test]
    fn two_kinds_of_result_are_refused() {
        let method = format!("threeDSMethodData={}", b64(&format!(r#"{{"threeDSServerTransID":"{ID}"}}"#)));
        for (body, carried) in [
            (format!("cres={}&erro={}", cres(), cres()), "cres and erro"),
            (format!("{method}&cres={}", cres()), "threeDSMethodData and cres"),
            (format!("erro={}&{method}", cres()), "erro and threeDSMethodData"),
            (format!("cres=&erro={}", cres()), "cres and erro"),
            (format!("threeDSMethodData=&cres={}", cres()), "threeDSMethodData and cres"),
            (format!("CRes={}&cres={}", cres(), cres()), "CRes and cres"),
            (format!("cres={}&ERRO=x", cres()), "cres and ERRO"),
            (format!("cres={}&%C4%B1cres=x&cre%C5%BF=y", cres()), "cres and creſ"),
            // However many there are, the message names two: as long as the body, the merchant page would
            // refuse to read it (found by the notification fuzz target).
            ("CRES=a&Cres=b&".repeat(400), "CRES and Cres"),
        ] {
            let error = NotificationResult::from_form(&body, FORM).unwrap_err();
            assert_eq!(
                (error.code, error.message),
                (
                    ErrorCode::InvalidField,
                    format!(
                        "the notification body carries {carried}; an ACS posts one of cres, erro and threeDSMethodData"
                    )
                ),
                "{body}"
            );
        }
    }

    #[test]
    fn an_error_of_any_length_fits_its_envelope() {
        for message in ["é".repeat(600), "a".repeat(5000), "a".repeat(1024)] {
            let cut = within_envelope(message.clone());
            assert!(cut.len() <= MAX_ERROR_MESSAGE && message.starts_with(cut.trim_end_matches('…')));
            let envelope = Envelope(NotificationResult::Error { code: "invalid_field".into(), message: cut });
            assert_eq!(Envelope::read(&envelope.to_json()), Some(envelope));
        }
        assert_eq!(within_envelope("a".repeat(1024)), "a".repeat(1024));
    }

    #[test]
    fn page_embeds_values_so_nothing_breaks_out() {
        let hostile = "</script><script>alert(1)</script>\"'\u{2028}";
        let erro = format!(
            r#"{{"messageType":"Erro","errorCode":"101","errorComponent":"A","errorDescription":{},"errorDetail":{}}}"#,
            Value::String(hostile.into()),
            Value::String(hostile.into())
        );
        let result = NotificationResult::from_form(
            &format!("erro={}", b64(&erro).replace('+', "%2B").replace('=', "%3D")),
            FORM,
        )
        .unwrap();
        let page = notification_page(&result, "https://shop.example", Some("abc123")).unwrap();
        assert_eq!(page.matches("</script>").count(), 1, "{page}");
        assert!(!page.contains('\u{2028}'));
        assert!(page.contains("<script nonce=\"abc123\">"));
        assert!(page.contains(r#", "https://shop.example");"#));
    }

    #[test]
    fn unreadable_posts_become_error_results() {
        let result = NotificationResult::from_form_or_error("cres=%%%", FORM);
        let NotificationResult::Error { code, message } = &result else { panic!("{result:?}") };
        assert_eq!(code, "invalid_base64");
        assert!(message.contains("cres"));
        assert_eq!(Envelope::read(&Envelope(result.clone()).to_json()), Some(Envelope(result)));
    }

    #[test]
    fn target_origin_is_exact() {
        assert_eq!(check_target_origin("https://shop.example").unwrap(), "https://shop.example");
        assert_eq!(check_target_origin("http://127.0.0.1:8080").unwrap(), "http://127.0.0.1:8080");
        for bad in [
            "*",
            "https://shop.example/path",
            "https://shop.example?x",
            "shop.example",
            "https://shop.example:443",
            "http://shop.example",
            "https://shop.example.",
        ] {
            assert!(check_target_origin(bad).is_err(), "{bad}");
        }
        assert!(notification_page(&NotificationResult::Empty, "https://a.example", Some("\"><x")).is_err());
    }

    #[test]
    fn envelopes_round_trip_and_strangers_are_ignored() {
        let result = NotificationResult::Method { three_ds_server_trans_id: ID.into() };
        assert_eq!(Envelope::read(&Envelope(result.clone()).to_json()), Some(Envelope(result)));
        for stranger in [
            json!("hello"),
            json!({"type": "method"}),
            json!({"protocol": "other", "result": {}}),
            json!({"protocol": PROTOCOL, "result": {"type": "method", "threeDSServerTransID": "x"}}),
        ] {
            assert_eq!(Envelope::read(&stranger), None, "{stranger}");
        }
    }
}
