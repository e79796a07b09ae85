//! Shift4 3D Secure Standalone: `transaction.responseCode` A / D / H / G; the completion redirect carries
//! `j`, URL-encoded base64 JSON of the same response shape.

use super::{
    check_order, check_redirect_url, lookup, lookup_any, unknown_status, NextActionOptions, Params, ReturnOptions,
};
use crate::core::action::NextAction;
use crate::core::error::{Result, ThreeDsError};
use crate::core::json::{Map, Value};
use crate::core::method::MethodData;
use crate::core::outcome::{normalise_eci, Outcome, ReturnResult};
use crate::core::payload;

const CODES: &[&str] = &["A", "D", "H", "G"];

/// Responses come as `{ result: [ {...} ] }` or as the inner object.
fn inner(response: &Value) -> &Value {
    lookup(response, &["result"]).and_then(Value::as_array).and_then(|items| items.first()).unwrap_or(response)
}

fn response_code(item: &Value) -> Result<String> {
    lookup_any(item, &[&["transaction", "responseCode"], &["responseCode"]])
        .ok_or_else(|| ThreeDsError::missing("response.transaction.responseCode"))
}

fn redirect_url(item: &Value) -> Result<String> {
    let url = lookup_any(item, &[&["threeDSecure", "redirectUrl"], &["redirectUrl"], &["transaction", "redirectUrl"]])
        .ok_or_else(|| ThreeDsError::missing("response.redirectUrl"))?;
    check_redirect_url("response.redirectUrl", &url)
}

pub fn next_action(response: &Value, options: &NextActionOptions) -> Result<NextAction> {
    let item = inner(response);
    let code = response_code(item)?;
    match code.to_ascii_uppercase().as_str() {
        "A" => {
            let mut detail = Map::new();
            for (name, path) in [
                ("cryptogram", ["threeDSecure", "cryptogram"]),
                ("eci", ["threeDSecure", "ecommIndicator"]),
                ("trxId", ["threeDSecure", "trxId"]),
            ] {
                if let Some(value) = lookup_any(item, &[&path]) {
                    let value = if name == "eci" { normalise_eci(Some(&value)).unwrap_or(value) } else { value };
                    detail.insert(name, Value::String(value));
                }
            }
            Ok(NextAction::None { status: code, detail })
        }
        "D" => Ok(NextAction::Fail {
            reason: "3-D Secure was unsuccessful: treat as a decline and ask for another form of payment".into(),
            retryable: false,
        }),
        "H" => {
            let trx_id = lookup_any(item, &[&["threeDSecure", "trxId"]])
                .ok_or_else(|| ThreeDsError::missing("response.threeDSecure.trxId"))?;
            crate::core::fields::check_uuid("response.threeDSecure.trxId", &trx_id)?;
            let three_ds_method_data = match &options.method_notification_url {
                Some(url) => {
                    crate::core::url::check_notification_url("options.methodNotificationUrl", url)?;
                    Some(
                        MethodData { three_ds_server_trans_id: trx_id.clone(), notification_url: url.clone() }.encode(),
                    )
                }
                None => None,
            };
            Ok(NextAction::Method {
                method_url: redirect_url(item)?,
                three_ds_server_trans_id: trx_id,
                three_ds_method_data,
                then: "send the 3D Secure Completion request with threeDSecure.compInd (Y notified, N not within 10 s)",
            })
        }
        "G" => Ok(NextAction::Redirect {
            url: redirect_url(item)?,
            method: "GET",
            fields: Map::new(),
            iframe_allowed: false,
            challenge_window_size: None,
            store: None,
        }),
        _ => Err(unknown_status("response.transaction.responseCode", &code, CODES)),
    }
}

pub fn parse_return(params: &Params, options: &ReturnOptions) -> Result<ReturnResult> {
    let j = params.required("j")?;
    let decoded = Value::Object(payload::decode_object("j", j)?);
    crate::core::payload::refuse_key_in_two_cases("j", decoded.key_in_two_cases())?;
    let item = inner(&decoded);
    let code = response_code(item)?;
    let eci =
        normalise_eci(lookup_any(item, &[&["threeDSecure", "ecommIndicator"], &["threeDSecure", "eci"]]).as_deref());
    let outcome = match code.to_ascii_uppercase().as_str() {
        // A with an attempts ECI (Visa 06, Mastercard 01) is an attempt, not a full authentication.
        "A" => match eci.as_deref() {
            Some("06") | Some("01") => Outcome::Attempted,
            _ => Outcome::Authenticated,
        },
        "D" => Outcome::NotAuthenticated,
        "G" => Outcome::ChallengeRequired,
        "H" => Outcome::Pending,
        _ => return Err(unknown_status("j.transaction.responseCode", &code, CODES)),
    };
    let invoice = lookup_any(item, &[&["transaction", "invoice"]]);
    check_order(options, "j.transaction.invoice", invoice.as_deref())?;
    let mut result = ReturnResult::new("shift4", outcome);
    result.id("trxId", lookup_any(item, &[&["threeDSecure", "trxId"]]).as_deref());
    result.id("directoryServerTranId", lookup_any(item, &[&["threeDSecure", "directoryServerTranId"]]).as_deref());
    result.id("invoice", invoice.as_deref());
    result.eci = eci;
    result.authentication_value = lookup_any(item, &[&["threeDSecure", "cryptogram"]]);
    result.reason = Some(format!("responseCode {code}"));
    let mut raw = params.raw();
    raw.insert("j", decoded.clone());
    result.raw = raw;
    Ok(result)
}
