//! Acquired.com: `status` + `links` + `reason` in the API response; a form POST back with a double-SHA-256
//! hash keyed by the app key.

use super::{
    check_order, check_redirect_url, integrity_failed, lookup, lookup_any, refuse_provider_fields_in_query,
    unknown_status, NextActionOptions, Params, ReturnOptions,
};
use crate::core::action::NextAction;
use crate::core::error::{Result, ThreeDsError};
use crate::core::fields::check_uuid;
use crate::core::integrity::{
    check_acquired_status, check_acquired_timestamp, verify_acquired_redirect, ACQUIRED_STATUSES,
};
use crate::core::json::{Map, Value};
use crate::core::outcome::{Outcome, ReturnResult};
use crate::core::window::WINDOW_SIZE_CODES;

/// Reasons after which the same card may succeed on a new attempt.
fn retryable(status: &str, reason: Option<&str>) -> bool {
    match reason {
        Some("challenge_time_out" | "acs_technical_issue") => true,
        Some("card_not_enrolled" | "low_confidence" | "suspected_fraud") => false,
        _ => matches!(status, "tds_error" | "tds_expired"),
    }
}

/// `challenge_window_size` is an integer 1-5 in Acquired's `tds` object; the EMV code is "01"-"05".
fn window_size(value: Option<&Value>) -> Result<Option<String>> {
    let code = match value {
        None | Some(Value::Null) => return Ok(None),
        Some(Value::Number(n)) => n.as_u64().map(|n| format!("{n:02}")),
        Some(Value::String(s)) if s.len() == 1 => Some(format!("0{s}")),
        Some(Value::String(s)) => Some(s.clone()),
        Some(_) => None,
    };
    match code {
        Some(code) if WINDOW_SIZE_CODES.contains(&code.as_str()) => Ok(Some(code)),
        _ => Err(ThreeDsError::invalid("challenge_window_size", "1 to 5 (or \"01\" to \"05\")")),
    }
}

pub fn next_action(response: &Value, options: &NextActionOptions) -> Result<NextAction> {
    let status = lookup_any(response, &[&["status"]])
        .ok_or_else(|| ThreeDsError::missing("response.status"))?
        .to_ascii_lowercase();
    let reason = lookup_any(response, &[&["reason"]]);
    let mut detail = Map::new();
    if let Some(id) = lookup_any(response, &[&["transaction_id"]]) {
        detail.insert("transactionId", Value::String(id));
    }
    match status.as_str() {
        "tds_pending" => {
            let links = lookup(response, &["links"])
                .and_then(Value::as_array)
                .ok_or_else(|| ThreeDsError::missing("response.links"))?;
            let href = links
                .iter()
                .find(|link| lookup_any(link, &[&["rel"]]).is_some_and(|rel| rel.eq_ignore_ascii_case("tds")))
                .and_then(|link| lookup_any(link, &[&["href"]]))
                .ok_or_else(|| ThreeDsError::missing("response.links[rel=tds].href"))?;
            let size = match &options.challenge_window_size {
                Some(code) => window_size(Some(&Value::String(code.clone())))?,
                None => window_size(lookup(response, &["tds", "challenge_window_size"]))?,
            };
            Ok(NextAction::Redirect {
                url: check_redirect_url("response.links[rel=tds].href", &href)?,
                method: "GET",
                fields: Map::new(),
                // Acquired.com: "redirect the user to this url either via a full redirect or within an iframe".
                iframe_allowed: true,
                challenge_window_size: size,
                store: None,
            })
        }
        "success" | "executed" => Ok(NextAction::None { status, detail }),
        "declined" | "blocked" | "tds_failed" | "tds_error" | "tds_expired" => Ok(NextAction::Fail {
            retryable: retryable(&status, reason.as_deref()),
            reason: reason.unwrap_or_else(|| status.clone()),
        }),
        _ => Err(unknown_status("response.status", &status, ACQUIRED_STATUSES)),
    }
}

/// How far in the future a timestamp may be (clock skew between Acquired.com and the merchant).
const MAX_FUTURE_SECONDS: u64 = 300;

fn check_fresh(timestamp: &str, options: &ReturnOptions) -> Result<()> {
    let (Some(max_age), Some(now)) = (options.max_age_seconds, options.now_seconds) else { return Ok(()) };
    let sent = check_acquired_timestamp(timestamp)?;
    if sent > now + MAX_FUTURE_SECONDS || now.saturating_sub(sent) > max_age {
        return Err(ThreeDsError::invalid(
            "timestamp",
            format_args!("within {max_age} s of now (the return is stale or replayed)"),
        ));
    }
    Ok(())
}

pub fn parse_return(params: &Params, options: &ReturnOptions) -> Result<ReturnResult> {
    let status = params.required("status")?;
    check_acquired_status(status)?;
    let transaction_id = params.required("transaction_id")?;
    check_uuid("transaction_id", transaction_id)?;
    let order_id = params.value("order_id")?;
    let reason = params.value("reason")?;
    let outcome = match status {
        "success" | "executed" => Outcome::Authenticated,
        "declined" | "blocked" => Outcome::Rejected,
        // Not "unavailable" for reason card_not_enrolled: `reason` is not signed, and a customer who failed
        // the challenge could otherwise turn a refusal into a card that "could not be authenticated".
        "tds_failed" => Outcome::NotAuthenticated,
        "tds_error" | "tds_expired" => Outcome::Error,
        "tds_pending" => Outcome::Pending,
        // check_acquired_status let only known statuses through; the arm keeps the match total.
        _ => return Err(unknown_status("status", status, ACQUIRED_STATUSES)),
    };
    let mut result = ReturnResult::new("acquired", outcome);
    if let Some(app_key) = options.keys.acquired_app_key.as_deref() {
        refuse_provider_fields_in_query(
            params,
            &["status", "transaction_id", "order_id", "timestamp", "hash", "reason"],
        )?;
        // The hash covers status, transaction_id, order_id and timestamp as sent (not reason).
        let timestamp = params.required("timestamp")?;
        let ok = verify_acquired_redirect(
            Some(status),
            Some(transaction_id),
            order_id,
            Some(timestamp),
            Some(params.value("hash")?.ok_or_else(|| integrity_failed("hash (absent)"))?),
            app_key,
        )?;
        if !ok {
            return Err(integrity_failed("hash"));
        }
        check_fresh(timestamp, options)?;
        result.trusted = true;
    } else if let Some(timestamp) = params.value("timestamp")? {
        check_acquired_timestamp(timestamp)?;
    }
    check_order(options, "order_id", order_id)?;
    // A pending payment has no result yet, signed or not: it is read from Acquired.com when it settles.
    result.verify_with_server = !result.trusted || outcome == Outcome::Pending;
    result.id("transactionId", Some(transaction_id));
    result.id("orderId", order_id);
    result.reason = Some(reason.unwrap_or(status).to_string());
    Ok(result)
}
