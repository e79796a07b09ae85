//! VeriTrans4G MPI: `mstatus`, `vResultCode` and the service option type; the authorize response may carry
//! an HTML document (`resResponseContents`) or an `authStartUrl`; the redirect POST back is signed with
//! `authParams` / `vAuthInfo`.

use super::{
    check_order, check_redirect_url, integrity_failed, lookup_any, refuse_provider_fields_in_query, unknown_status,
    Params, ReturnOptions,
};
use crate::core::action::NextAction;
use crate::core::error::{Result, ThreeDsError};
use crate::core::integrity::{
    check_veritrans_field, verify_veritrans_redirect, VERITRANS_KNOWN_FIELDS, VERITRANS_RESULT_FIELDS,
};
use crate::core::interpret::interpret_vresult_code;
use crate::core::json::{Map, Value};
use crate::core::outcome::{Outcome, ReturnResult};

const MSTATUSES: &[&str] = &["success", "failure", "pending"];

pub fn next_action(response: &Value) -> Result<NextAction> {
    let mstatus = lookup_any(response, &[&["mstatus"], &["mpiMstatus"], &["mpi_mstatus"]])
        .ok_or_else(|| ThreeDsError::missing("response.mstatus"))?
        .to_ascii_lowercase();
    let code = lookup_any(response, &[&["vResultCode"], &["vresult_code"]]);
    let service = lookup_any(response, &[&["serviceOptionType"], &["service_option_type"]])
        .unwrap_or_else(|| "mpi-company".into());
    let interpretation = code.as_deref().map(|c| interpret_vresult_code(c, &service)).transpose()?;
    match mstatus.as_str() {
        "success" => {
            if let Some(html) = lookup_any(response, &[&["resResponseContents"], &["res_response_contents"]]) {
                // The document auto-submits to the card company, and the flow comes back to redirection_uri
                // at the top level.
                return Ok(NextAction::Html { html, top_level: true });
            }
            if let Some(url) = lookup_any(response, &[&["authStartUrl"], &["auth_start_url"]]) {
                return Ok(NextAction::Redirect {
                    url: check_redirect_url("response.authStartUrl", &url)?,
                    method: "GET",
                    fields: Map::new(),
                    iframe_allowed: false,
                    challenge_window_size: None,
                    store: None,
                });
            }
            match &interpretation {
                Some(i) if i.mpi_code == "G001" => Err(ThreeDsError::missing(
                    "response.resResponseContents (3-D Secure is possible but there is no document or authStartUrl)",
                )),
                Some(i) => {
                    let mut detail = Map::new();
                    detail.insert("vResultCode", Value::String(i.code.clone()));
                    detail.insert("meaning", Value::String(i.meaning.into()));
                    detail.insert("paymentMayProceed", Value::Bool(i.payment_may_proceed));
                    detail.insert("riskBearer", i.risk_bearer.as_str().into());
                    Ok(NextAction::None { status: mstatus, detail })
                }
                None => Err(ThreeDsError::missing("response.vResultCode")),
            }
        }
        "failure" => {
            let (reason, retryable) = match &interpretation {
                Some(i) => (
                    format!("{}: {}", i.code, i.meaning),
                    matches!(i.mpi_code.as_str(), "GE03" | "GE04" | "GE05" | "GE13" | "GE14" | "GE15"),
                ),
                None => ("failure".into(), false),
            };
            Ok(NextAction::Fail { reason, retryable })
        }
        "pending" => Ok(NextAction::None { status: mstatus, detail: Map::new() }),
        _ => Err(unknown_status("response.mstatus", &mstatus, MSTATUSES)),
    }
}

pub fn parse_return(params: &Params, options: &ReturnOptions) -> Result<ReturnResult> {
    let request_id = params.value("RequestId")?;
    let order_id = params.value("OrderId")?;
    let mpi_mstatus = params.value("mpiMstatus")?;
    let code = params.value("vResultCode")?;
    // The fields the result is built from, in their documented formats whether signed or not.
    for (name, value) in VERITRANS_RESULT_FIELDS.iter().zip([request_id, order_id, mpi_mstatus, code]) {
        if let Some(value) = value {
            check_veritrans_field(name, value)?;
        }
    }
    if request_id.is_none() && order_id.is_none() {
        return Err(ThreeDsError::missing("RequestId"));
    }
    let interpretation = code.map(|code| interpret_vresult_code(code, "mpi-company")).transpose()?;
    if let (Some(interpretation), Some(mstatus)) = (&interpretation, mpi_mstatus) {
        if interpretation.mstatus != mstatus {
            return Err(ThreeDsError::invalid(
                "mpiMstatus",
                format_args!("{} for vResultCode {} (got {mstatus})", interpretation.mstatus, interpretation.code),
            ));
        }
    }
    // The minimal return names the request only: search for the result.
    let outcome = interpretation.as_ref().map_or(Outcome::Pending, |i| Outcome::from_name(i.outcome));
    let mut result = ReturnResult::new("veritrans", outcome);
    let keys = &options.keys;
    if let (Some(cc_id), Some(password)) =
        (keys.veritrans_merchant_cc_id.as_deref(), keys.veritrans_merchant_password.as_deref())
    {
        if params.value("vAuthInfo")?.is_none() || params.value("authParams")?.is_none() {
            return Err(integrity_failed("vAuthInfo (absent)"));
        }
        refuse_provider_fields_in_query(params, VERITRANS_KNOWN_FIELDS)?;
        if !verify_veritrans_redirect(params.body(), cc_id, password)? {
            return Err(integrity_failed("vAuthInfo"));
        }
        result.trusted = true;
    }
    check_order(options, "OrderId", order_id)?;
    // Only a refusal is final here (a G001's challenge_required, say, is not). `outcome` is the
    // authentication's, and both service option types follow it with a card payment whose result the return
    // cannot vouch for: `authParams` is not signed, so the signed bytes of a `cardMstatus=failure` can be posted
    // under another name (or the `success` of mpiMstatus under `cardMstatus`, the `failure` carried by a name
    // VeriTrans never sent or a free-text RequestId) and still verify. So a success, full or conditional, is
    // read from the Search API, as the guide says to.
    let refusal = matches!(outcome, Outcome::NotAuthenticated | Outcome::Rejected | Outcome::Error);
    result.verify_with_server = !result.trusted || !refusal;
    result.id("requestId", request_id);
    result.id("orderId", order_id);
    result.reason = code.or(mpi_mstatus).map(str::to_string);
    Ok(result)
}
