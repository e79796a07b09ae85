//! The browser challenge: an iframe of exactly the announced window size, or a full-page redirect, posting
//! `creq` and `threeDSSessionData` to the ACS.

use web_sys::{AbortSignal, Element};

use super::elements::{append, body, form, parent, sized_iframe, submit_and_remove, window_and_document};
use super::flow::{aborted_error, already_aborted, frame_lost_error, Ending, Expectation, FlowGuard};
use super::names::frame_name;
use super::permissions::payment_and_webauthn;
use super::settle::channel;
use crate::core::cres::ChallengeResult;
use crate::core::error::{ErrorCode, Result, ThreeDsError};
use crate::core::flow::{challenge_verdict, ChallengeMode, ChallengeRequest};
use crate::core::notification::NotificationResult;

/// How a challenge call ended in this page.
pub enum ChallengeOutcome {
    /// The decoded CRes or Erro (iframe mode).
    Result(Box<ChallengeResult>),
    /// The page is navigating to the ACS; the result arrives on the merchant's return page.
    Redirected,
}

/// Runs the challenge. In iframe mode it settles exactly once and leaves nothing behind.
pub async fn run(
    mut request: ChallengeRequest,
    container: Option<Element>,
    signal: Option<AbortSignal>,
) -> Result<ChallengeOutcome> {
    if already_aborted(&signal) {
        return Err(aborted_error("runChallenge"));
    }
    let (window, document) = window_and_document("runChallenge")?;
    let mut fields = vec![("creq", String::new())];
    if let Some(data) = &request.session_data {
        fields.push(("threeDSSessionData", data.clone()));
    }

    if request.mode == ChallengeMode::Redirect {
        request.fit(f64::INFINITY)?;
        fields[0].1 = request.creq.encode();
        let pairs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let form = form(&document, "POST", &request.acs_url, "_self", &pairs)?;
        append(&body(&document, "runChallenge")?, &form)?;
        submit_and_remove(&form, "challenge")?;
        return Ok(ChallengeOutcome::Redirected);
    }

    let parent = parent(container, &document, "runChallenge")?;
    let size = request.fit(f64::from(parent.client_width()))?;
    fields[0].1 = request.creq.encode();
    // The ACS page may confirm the payment with Secure Payment Confirmation or WebAuthn.
    let allow = payment_and_webauthn("options.acsUrl", &request.acs_origin)?;
    let name = frame_name("challenge", "runChallenge")?;
    let mut guard = FlowGuard::new(window);
    let frame = sized_iframe(&document, &name, "3-D Secure challenge", Some(&allow), &size)?;
    append(&parent, &frame)?;
    guard.own(frame.clone().into());
    let pairs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let form = form(&document, "POST", &request.acs_url, &name, &pairs)?;
    append(&parent, &form)?;
    guard.own(form.clone().into());

    let (settle, settled) = channel();
    let origin = request.notification_origin.clone().ok_or_else(|| ThreeDsError::missing("notificationUrl"))?;
    let expectation = Expectation {
        origin,
        three_ds_server_trans_id: request.creq.three_ds_server_trans_id.clone(),
        verdict: challenge_verdict,
    };
    guard.race(&frame, expectation, request.timeout_ms, signal.clone(), settle)?;
    // The page may have aborted while the flow was being built (an iframe's load event fires as it is
    // inserted), before the abort listener was there: no POST then.
    if already_aborted(&signal) {
        return Err(aborted_error("runChallenge"));
    }
    submit_and_remove(&form, "challenge")?;
    let ending = settled.await;
    drop(guard);
    match ending {
        Ending::Notified(NotificationResult::Challenge { message, .. }) => Ok(ChallengeOutcome::Result(message)),
        Ending::Notified(NotificationResult::Error { code, message }) => Err(ThreeDsError::new(
            ErrorCode::named(&code).unwrap_or(ErrorCode::InvalidField),
            format!("the notification URL could not read what the ACS posted: {message}"),
        )),
        Ending::Notified(_) => Err(ThreeDsError::new(
            ErrorCode::EmptyResult,
            "the ACS posted an empty result (no cres, no erro) to the notification URL",
        )),
        Ending::TimedOut => Err(ThreeDsError::new(
            ErrorCode::Timeout,
            format!("the challenge did not end within {} ms", request.timeout_ms),
        )),
        Ending::Aborted => Err(aborted_error("runChallenge")),
        Ending::FrameLost => Err(frame_lost_error("runChallenge")),
    }
}
