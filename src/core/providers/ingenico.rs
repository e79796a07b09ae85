//! Ingenico (GlobalCollect) Connect: payment `status`, `statusOutput.threeDSecureStatus` and `merchantAction`;
//! the return carries `REF` / `hostedCheckoutId` and the opaque `RETURNMAC`, never the result.

use super::{check_redirect_url, integrity_failed, lookup, lookup_any, unknown_status, Params, ReturnOptions};
use crate::core::action::NextAction;
use crate::core::error::{Result, ThreeDsError};
use crate::core::fields::quote_for_message;
use crate::core::integrity::verify_ingenico_return_mac;
use crate::core::json::{Map, Value};
use crate::core::outcome::{normalise_eci, Outcome, ReturnResult};

const ACTION_TYPES: &[&str] = &["REDIRECT", "SHOW_FORM", "SHOW_INSTRUCTIONS", "SHOW_TRANSACTION_RESULTS"];
const PAST_AUTHENTICATION: &[&str] = &[
    "PENDING_COMPLETION",
    "PENDING_APPROVAL",
    "PENDING_CAPTURE",
    "AUTHORIZATION_REQUESTED",
    "CAPTURE_REQUESTED",
    "CAPTURED",
    "PAID",
    "ACCOUNT_VERIFIED",
    "CREATED",
    "PENDING_PAYMENT",
    "PENDING_FRAUD_APPROVAL",
];
const ENDED: &[&str] =
    &["REJECTED", "REJECTED_CAPTURE", "CANCELLED", "REVERSED", "CHARGEBACKED", "REFUNDED", "REFUND_REQUESTED"];

pub fn next_action(response: &Value) -> Result<NextAction> {
    // A create-payment response wraps the payment; a retrieve-payment response is the payment.
    let payment = lookup(response, &["payment"]).unwrap_or(response);
    if let Some(action) = lookup(response, &["merchantAction"]).filter(|a| !a.is_null()) {
        let action_type = lookup_any(action, &[&["actionType"]])
            .ok_or_else(|| ThreeDsError::missing("response.merchantAction.actionType"))?;
        return match action_type.to_ascii_uppercase().as_str() {
            "REDIRECT" => {
                let url = lookup_any(action, &[&["redirectData", "redirectURL"]])
                    .ok_or_else(|| ThreeDsError::missing("response.merchantAction.redirectData.redirectURL"))?;
                let store = lookup_any(action, &[&["redirectData", "RETURNMAC"]]).map(|mac| {
                    let mut store = Map::new();
                    store.insert("RETURNMAC", Value::String(mac));
                    store
                });
                Ok(NextAction::Redirect {
                    url: check_redirect_url("response.merchantAction.redirectData.redirectURL", &url)?,
                    method: "GET",
                    fields: Map::new(),
                    iframe_allowed: false,
                    challenge_window_size: None,
                    store,
                })
            }
            "SHOW_FORM" | "SHOW_INSTRUCTIONS" | "SHOW_TRANSACTION_RESULTS" => {
                // Not a 3-D Secure step: the merchant shows the data (payment instructions, results).
                let mut detail = Map::new();
                detail.insert("merchantAction", action.clone());
                Ok(NextAction::None { status: action_type, detail })
            }
            _ => Err(unknown_status("response.merchantAction.actionType", &action_type, ACTION_TYPES)),
        };
    }
    let status = lookup_any(payment, &[&["status"]])
        .ok_or_else(|| ThreeDsError::missing("response.payment.status"))?
        .to_ascii_uppercase();
    let three_ds_status = lookup_any(payment, &[&["statusOutput", "threeDSecureStatus"]]);
    if status == "REDIRECTED" {
        return Err(ThreeDsError::missing("response.merchantAction (status REDIRECTED needs one)"));
    }
    if PAST_AUTHENTICATION.contains(&status.as_str()) {
        let results = lookup(payment, &["paymentOutput", "cardPaymentMethodSpecificOutput", "threeDSecureResults"]);
        let mut detail = Map::new();
        if let Some(s) = &three_ds_status {
            detail.insert("threeDSecureStatus", Value::String(s.clone()));
        }
        if let Some(eci) = results.and_then(|r| lookup_any(r, &[&["eci"]])) {
            detail.insert("eci", Value::String(normalise_eci(Some(&eci)).unwrap_or(eci)));
        }
        detail.insert("cavvPresent", Value::Bool(results.and_then(|r| lookup_any(r, &[&["cavv"]])).is_some()));
        if let Some(id) = lookup_any(payment, &[&["id"]]) {
            detail.insert("paymentId", Value::String(id));
        }
        return Ok(NextAction::None { status, detail });
    }
    if ENDED.contains(&status.as_str()) {
        let errors = lookup(payment, &["statusOutput", "errors"]).or_else(|| lookup(response, &["errors"]));
        let first_error = errors
            .and_then(Value::as_array)
            .and_then(|e| e.first())
            .and_then(|e| lookup_any(e, &[&["message"], &["code"]]));
        let reason = three_ds_status.or(first_error).unwrap_or_else(|| status.clone());
        return Ok(NextAction::Fail { reason, retryable: false });
    }
    let mut known: Vec<&str> = vec!["REDIRECTED"];
    known.extend(PAST_AUTHENTICATION);
    known.extend(ENDED);
    Err(unknown_status("response.payment.status", &status, &known))
}

pub fn parse_return(params: &Params, options: &ReturnOptions) -> Result<ReturnResult> {
    let payment_id = params.value("REF")?;
    let hosted_checkout_id = params.value("hostedCheckoutId")?;
    // RETURNMAC is base64: a '+' that arrived unescaped was read as a space by form decoding.
    let return_mac = params.value("RETURNMAC")?.map(|mac| mac.replace(' ', "+"));
    if payment_id.is_none() && hosted_checkout_id.is_none() && return_mac.is_none() {
        return Err(ThreeDsError::missing("REF, hostedCheckoutId or RETURNMAC"));
    }
    let mut result = ReturnResult::new("ingenico", Outcome::Pending);
    if let Some(stored) = options.keys.ingenico_return_mac.as_deref() {
        let returned = return_mac.as_deref().ok_or_else(|| integrity_failed("RETURNMAC (absent)"))?;
        if !verify_ingenico_return_mac(returned, stored)? {
            return Err(integrity_failed("RETURNMAC"));
        }
        // The RETURNMAC proves the customer came back from the checkout it was stored with, nothing about
        // REF or hostedCheckoutId beside it: those must be the payment it was stored for, or a customer could
        // point the merchant's next Retrieve Payment at another payment.
        if options.expected_order_id.is_none() {
            return Err(ThreeDsError::missing(
                "options.expectedOrderId (the payment or hosted checkout the RETURNMAC was stored with)",
            ));
        }
        result.trusted = true;
    }
    if let Some(expected) = options.expected_order_id.as_deref() {
        if payment_id.is_none() && hosted_checkout_id.is_none() {
            return Err(ThreeDsError::missing("REF or hostedCheckoutId"));
        }
        for (field, id) in [("REF", payment_id), ("hostedCheckoutId", hosted_checkout_id)] {
            if id.is_some_and(|id| id != expected) {
                return Err(ThreeDsError::invalid(
                    field,
                    format_args!("the expected payment {}", quote_for_message(expected)),
                ));
            }
        }
    }
    result.verify_with_server = true;
    result.id("paymentId", payment_id);
    result.id("hostedCheckoutId", hosted_checkout_id);
    result.reason = Some("the return carries no result: call Retrieve Payment (or Get Hosted Checkout) for status and threeDSecureStatus".into());
    Ok(result)
}
