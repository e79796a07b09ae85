//! Plain EMV returns: a cres, an erro, a method notification or an empty POST at a notification URL.

use super::{Params, ReturnOptions, ReturnRequest};
use crate::core::cres::ChallengeResult;
use crate::core::error::{Result, ThreeDsError};
use crate::core::json::{ToJson, Value};
use crate::core::notification::NotificationResult;
use crate::core::outcome::{Outcome, ReturnResult};

pub fn parse_return(request: &ReturnRequest, params: &Params, options: &ReturnOptions) -> Result<ReturnResult> {
    // The payload is read from the body alone (or the query when there is no body); a copy in the other one
    // must not pass unnoticed.
    for name in ["cres", "erro", "threeDSMethodData", "threeDSSessionData"] {
        params.get(name)?;
    }
    // A redirect-mode ACS posts; a few append the fields to the URL instead.
    let query = super::query_of(&request.url);
    let (body, content_type) = if request.body.trim().is_empty() && !query.is_empty() {
        (query, Some("application/x-www-form-urlencoded"))
    } else {
        (request.body.as_str(), request.content_type.as_deref())
    };
    let notification = NotificationResult::from_form(body, content_type)?;
    let mut result = match &notification {
        NotificationResult::Method { three_ds_server_trans_id } => {
            let mut result = ReturnResult::new("emv", Outcome::Pending);
            result.id("threeDSServerTransID", Some(three_ds_server_trans_id));
            result.reason = Some("method_completed".into());
            result
        }
        NotificationResult::Challenge { message, three_ds_session_data, .. } => {
            let mut result = match message.as_ref() {
                ChallengeResult::Cres(cres) => {
                    let status = cres.trans_status.clone().unwrap_or_default();
                    let mut result = ReturnResult::new(
                        "emv",
                        if cres.challenge_completion_ind == "Y" {
                            Outcome::from_trans_status(&status)
                        } else {
                            Outcome::Pending
                        },
                    );
                    result.id("threeDSServerTransID", Some(&cres.three_ds_server_trans_id));
                    result.id("acsTransID", Some(&cres.acs_trans_id));
                    result.trans_status = cres.trans_status.clone();
                    result.reason = Some(format!("challengeCompletionInd {}", cres.challenge_completion_ind));
                    result
                }
                ChallengeResult::Erro(erro) => {
                    let mut result = ReturnResult::new("emv", Outcome::Error);
                    result.id("threeDSServerTransID", erro.three_ds_server_trans_id.as_deref());
                    result.id("acsTransID", erro.acs_trans_id.as_deref());
                    result.reason = Some(format!(
                        "Erro {} ({}): {}",
                        erro.error_code, erro.error_component, erro.error_description
                    ));
                    result
                }
            };
            result.id("threeDSSessionData", three_ds_session_data.as_deref());
            result
        }
        // from_form never yields it; the arm keeps the match total.
        NotificationResult::Error { code, message } => {
            let mut result = ReturnResult::new("emv", Outcome::Error);
            result.reason = Some(format!("{code}: {message}"));
            result
        }
        NotificationResult::Empty => {
            let mut result = ReturnResult::new("emv", Outcome::Error);
            result.reason = Some("empty_result: the ACS posted nothing".into());
            result
        }
    };
    if let (Some(expected), Some(Value::String(actual))) =
        (&options.expected_three_ds_server_trans_id, result.ids.get("threeDSServerTransID"))
    {
        if !expected.eq_ignore_ascii_case(actual) {
            return Err(ThreeDsError::invalid(
                "threeDSServerTransID",
                format_args!("the expected transaction {expected} (got {actual})"),
            ));
        }
    }
    // A cres is unsigned and passes through the cardholder's browser: the 3DS Server's RReq is the truth.
    result.raw = params.raw();
    result.raw.insert("decoded", notification.to_json());
    Ok(result)
}
