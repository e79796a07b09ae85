//! The browser steps' options, read and checked before anything touches the DOM, and the rule that
//! decides which posted message ends a flow. Pure, so both are tested on the host.

use super::creq::Creq;
use super::error::{Result, ThreeDsError};
use super::fields::{quote_for_message, Fields};
use super::notification::NotificationResult;
use super::session_data;
use super::url::{check_secure_url, MAX_ACS_URL_LEN, MAX_NOTIFICATION_URL_LEN};
use super::window::{fit_to_width, window_size, WindowSize};

/// EMV's 3DS Method rule: no notification within 10 seconds means compInd "N".
pub const METHOD_TIMEOUT_MS: u32 = 10_000;
/// An ACS challenge session times out after about 10 minutes.
pub const CHALLENGE_TIMEOUT_MS: u32 = 600_000;

/// A checked `runMethod` call.
#[derive(Debug, PartialEq)]
pub enum MethodRequest {
    /// No method URL for this card range: compInd "U", nothing to do.
    NoMethodUrl,
    /// Post threeDSMethodData to the ACS and wait for the notification.
    Run(MethodRun),
}

/// The checked fields of a method run.
#[derive(Debug, PartialEq)]
pub struct MethodRun {
    /// The ACS's threeDSMethodURL.
    pub method_url: String,
    /// The transaction the notification must name.
    pub three_ds_server_trans_id: String,
    /// The origin the notification page must post from.
    pub notification_origin: String,
    /// The `threeDSMethodData` form value.
    pub method_data: String,
    /// How long to wait for the notification.
    pub timeout_ms: u32,
}

impl MethodRequest {
    /// Reads `{ methodUrl, threeDSServerTransID, notificationUrl, timeoutMs }`.
    pub fn from_fields(fields: &Fields) -> Result<Self> {
        let Some(method_url) = fields.optional_str("methodUrl")? else { return Ok(MethodRequest::NoMethodUrl) };
        check_secure_url(&fields.name("methodUrl"), method_url, MAX_ACS_URL_LEN)?;
        let data = super::method::MethodData {
            three_ds_server_trans_id: fields.required_uuid("threeDSServerTransID")?,
            notification_url: fields.required_str("notificationUrl")?.to_string(),
        };
        let notification_origin =
            check_secure_url(&fields.name("notificationUrl"), &data.notification_url, MAX_NOTIFICATION_URL_LEN)?;
        Ok(MethodRequest::Run(MethodRun {
            method_url: method_url.to_string(),
            notification_origin,
            method_data: data.encode(),
            three_ds_server_trans_id: data.three_ds_server_trans_id,
            timeout_ms: timeout(fields, METHOD_TIMEOUT_MS)?,
        }))
    }
}

/// How the challenge is shown.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ChallengeMode {
    /// An iframe of exactly the window size, in the merchant's container.
    Iframe,
    /// A full-page form POST; the result arrives on the merchant's return page.
    Redirect,
}

/// A checked `runChallenge` call, before the container is measured.
#[derive(Debug, PartialEq)]
pub struct ChallengeRequest {
    /// The ACS's challenge URL.
    pub acs_url: String,
    /// The ACS URL's origin as browsers write it (the challenge iframe's `allow` names it).
    pub acs_origin: String,
    /// The CReq to send (its size may still be fitted to the container).
    pub creq: Creq,
    /// The merchant's state, echoed by the ACS.
    pub session_data: Option<String>,
    /// The origin the notification page must post from (iframe mode).
    pub notification_origin: Option<String>,
    /// Iframe or redirect.
    pub mode: ChallengeMode,
    /// Pick the largest size that fits the container when the requested one does not.
    pub fit_to_container: bool,
    /// How long to wait for the result.
    pub timeout_ms: u32,
}

impl ChallengeRequest {
    /// Reads `{ acsUrl, creq | { threeDSServerTransID, acsTransID, messageVersion }, challengeWindowSize,
    /// threeDSSessionData, notificationUrl, mode, fitToContainer, timeoutMs }`.
    pub fn from_fields(fields: &Fields) -> Result<Self> {
        let acs_url = fields.required_str("acsUrl")?;
        let acs_origin = check_secure_url(&fields.name("acsUrl"), acs_url, MAX_ACS_URL_LEN)?;
        let creq = match fields.optional_str("creq")? {
            Some(encoded) => {
                let creq = Creq::decode(encoded)?;
                if let Some(size) = fields.optional_str("challengeWindowSize")? {
                    if size != creq.challenge_window_size {
                        return Err(ThreeDsError::invalid(
                            &fields.name("challengeWindowSize"),
                            format_args!(
                                "the creq's size {} when both are given (got {})",
                                creq.challenge_window_size,
                                quote_for_message(size)
                            ),
                        ));
                    }
                }
                creq
            }
            None => Creq::from_fields(fields)?,
        };
        let session_data = fields.optional_str("threeDSSessionData")?.map(str::to_string);
        if let Some(data) = &session_data {
            session_data::check(data)?;
        }
        let mode = match fields.optional_str("mode")?.unwrap_or("iframe") {
            "iframe" => ChallengeMode::Iframe,
            "redirect" => ChallengeMode::Redirect,
            other => {
                return Err(ThreeDsError::invalid(
                    &fields.name("mode"),
                    format_args!("\"iframe\" or \"redirect\" (got {})", quote_for_message(other)),
                ))
            }
        };
        let notification_origin = match (fields.optional_str("notificationUrl")?, mode) {
            (Some(url), _) => Some(check_secure_url(&fields.name("notificationUrl"), url, MAX_NOTIFICATION_URL_LEN)?),
            (None, ChallengeMode::Iframe) => return Err(ThreeDsError::missing(&fields.name("notificationUrl"))),
            (None, ChallengeMode::Redirect) => None,
        };
        let fit_to_container = match fields.get("fitToContainer") {
            None => false,
            Some(crate::core::json::Value::Bool(b)) => *b,
            Some(_) => return Err(ThreeDsError::invalid(&fields.name("fitToContainer"), "a boolean")),
        };
        Ok(ChallengeRequest {
            acs_origin,
            acs_url: acs_url.to_string(),
            creq,
            session_data,
            notification_origin,
            mode,
            fit_to_container,
            timeout_ms: timeout(fields, CHALLENGE_TIMEOUT_MS)?,
        })
    }

    /// The size to render in a container `available_width` pixels wide, updating the CReq to announce it.
    pub fn fit(&mut self, available_width: f64) -> Result<WindowSize> {
        let requested = window_size("challengeWindowSize", &self.creq.challenge_window_size)?;
        let size = if self.fit_to_container { fit_to_width(requested, available_width) } else { requested };
        self.creq.challenge_window_size = size.code.to_string();
        Ok(size)
    }
}

fn timeout(fields: &Fields, default: u32) -> Result<u32> {
    match fields.get("timeoutMs") {
        None => Ok(default),
        Some(value) => value.as_number().and_then(|ms| ms.to_rounded_u32(24 * 3600 * 1000)).ok_or_else(|| {
            ThreeDsError::invalid(&fields.name("timeoutMs"), "a number of milliseconds from 0 to 86400000")
        }),
    }
}

/// What a verified message (right origin, right window) means for a flow waiting on `expected_id`.
#[derive(Debug, PartialEq)]
pub enum Verdict {
    /// Not for this flow: leave it to whoever else listens.
    Ignore,
    /// The flow ends with this result.
    Settle(NotificationResult),
}

/// The method flow settles only on a method notification naming its transaction.
pub fn method_verdict(result: NotificationResult, expected_id: &str) -> Verdict {
    match &result {
        NotificationResult::Method { three_ds_server_trans_id }
            if three_ds_server_trans_id.eq_ignore_ascii_case(expected_id) =>
        {
            Verdict::Settle(result)
        }
        _ => Verdict::Ignore,
    }
}

/// The challenge flow settles on a result naming its transaction, an Erro naming none (the window and
/// origin were already checked), an empty post, or a post the notification URL could not read.
/// (The method flow ignores the last: an unreadable notification names no transaction, and the 10-second
/// rule ends that flow anyway.)
pub fn challenge_verdict(result: NotificationResult, expected_id: &str) -> Verdict {
    match &result {
        NotificationResult::Challenge { three_ds_server_trans_id: Some(id), .. }
            if !id.eq_ignore_ascii_case(expected_id) =>
        {
            Verdict::Ignore
        }
        NotificationResult::Challenge { .. } | NotificationResult::Empty | NotificationResult::Error { .. } => {
            Verdict::Settle(result)
        }
        NotificationResult::Method { .. } => Verdict::Ignore,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::json::json;

    const ID: &str = "8a880dc0-d2d2-4067-bcb1-b08d1690b26e";
    const ACS: &str = "d7c1ee99-9478-44a6-b1f2-391e29c6b340";

    #[test]
    fn method_options() {
        let none = json!({});
        assert_eq!(MethodRequest::from_fields(&Fields::of(&none, "").unwrap()).unwrap(), MethodRequest::NoMethodUrl);
        let v = json!({"methodUrl": "https://acs.example/m", "threeDSServerTransID": ID, "notificationUrl": "https://shop.example/n"});
        let MethodRequest::Run(run) = MethodRequest::from_fields(&Fields::of(&v, "").unwrap()).unwrap() else {
            panic!()
        };
        assert_eq!(run.notification_origin, "https://shop.example");
        assert_eq!(run.timeout_ms, 10_000);
        let bad = json!({"methodUrl": "https://acs.example/m", "threeDSServerTransID": ID, "notificationUrl": "https://shop.example/n", "timeoutMs": -1});
        assert!(MethodRequest::from_fields(&Fields::of(&bad, "").unwrap()).unwrap_err().message.contains("timeoutMs"));
    }

    #[test]
    fn challenge_options_and_fitting() {
        let v = json!({"acsUrl": "https://acs.example/c", "threeDSServerTransID": ID, "acsTransID": ACS, "messageVersion": "2.2.0",
            "challengeWindowSize": "04", "notificationUrl": "https://shop.example/n", "fitToContainer": true});
        let mut request = ChallengeRequest::from_fields(&Fields::of(&v, "").unwrap()).unwrap();
        assert_eq!(request.fit(520.0).unwrap().code, "03");
        assert_eq!(request.creq.challenge_window_size, "03");
        let missing = json!({"acsUrl": "https://acs.example/c", "creq": request.creq.encode()});
        assert!(ChallengeRequest::from_fields(&Fields::of(&missing, "").unwrap())
            .unwrap_err()
            .message
            .contains("notificationUrl"));
        let redirect = json!({"acsUrl": "https://acs.example/c", "creq": request.creq.encode(), "mode": "redirect"});
        assert_eq!(
            ChallengeRequest::from_fields(&Fields::of(&redirect, "").unwrap()).unwrap().mode,
            ChallengeMode::Redirect
        );
    }

    #[test]
    fn verdicts() {
        let method = |id: &str| NotificationResult::Method { three_ds_server_trans_id: id.into() };
        assert!(matches!(method_verdict(method(ID), ID), Verdict::Settle(_)));
        assert_eq!(method_verdict(method(ACS), ID), Verdict::Ignore);
        assert_eq!(method_verdict(NotificationResult::Empty, ID), Verdict::Ignore);
        assert!(matches!(challenge_verdict(NotificationResult::Empty, ID), Verdict::Settle(_)));
        assert_eq!(challenge_verdict(method(ID), ID), Verdict::Ignore);
    }
}
