//! KOMOJU Secure Tokens: `verification_status` decides; the return only names the token, whose status
//! must then be read again with the secret key.

use super::{check_redirect_url, lookup_any, unknown_status, Params};
use crate::core::action::NextAction;
use crate::core::error::{Result, ThreeDsError};
use crate::core::json::{Map, Value};
use crate::core::outcome::{Outcome, ReturnResult};

const STATUSES: &[&str] = &["OK", "NEEDS_VERIFY", "SKIPPED", "ERRORED"];

pub fn next_action(response: &Value) -> Result<NextAction> {
    let status = lookup_any(response, &[&["verification_status"]])
        .ok_or_else(|| ThreeDsError::missing("response.verification_status"))?;
    let token = lookup_any(response, &[&["secure_token"], &["id"]]);
    let mut detail = Map::new();
    if let Some(token) = token {
        detail.insert("secureTokenId", Value::String(token));
    }
    match status.to_ascii_uppercase().as_str() {
        "OK" => {
            detail.insert("payable", Value::Bool(true));
            Ok(NextAction::None { status, detail })
        }
        "SKIPPED" => {
            // Authentication was skipped by a system error: payable by the merchant's choice, without liability shift.
            detail.insert("payable", Value::Bool(true));
            detail.insert("authenticated", Value::Bool(false));
            Ok(NextAction::None { status, detail })
        }
        "NEEDS_VERIFY" => {
            let url = lookup_any(response, &[&["authentication_url"]])
                .ok_or_else(|| ThreeDsError::missing("response.authentication_url"))?;
            Ok(NextAction::Redirect {
                url: check_redirect_url("response.authentication_url", &url)?,
                method: "GET",
                fields: Map::new(),
                iframe_allowed: false,
                challenge_window_size: None,
                store: None,
            })
        }
        "ERRORED" => Ok(NextAction::Fail {
            reason: "3-D Secure failed to initialise: check payment_details and retry, or ask for another card".into(),
            retryable: true,
        }),
        _ => Err(unknown_status("response.verification_status", &status, STATUSES)),
    }
}

pub fn parse_return(params: &Params) -> Result<ReturnResult> {
    let token = params.required("secure_token_id")?;
    let mut result = ReturnResult::new("komoju", Outcome::Pending);
    result.id("secureTokenId", Some(token));
    result.reason = Some("read the secure token with GET /api/v1/secure_tokens/:id: only verification_status OK (or SKIPPED, by choice) is payable".into());
    Ok(result)
}
