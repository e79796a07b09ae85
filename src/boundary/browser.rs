//! The browser build's exports: what a checkout page runs.

use wasm_bindgen::prelude::*;

use super::{
    from_js_object, from_js_string, js_to_json, optional_object, pick_options, signal_and_container, to_js,
    to_js_error, JsResult,
};
use crate::core::action::{plan, Step};
use crate::core::creq::Creq;
use crate::core::fields::Fields;
use crate::core::flow::{ChallengeRequest, MethodRequest};
use crate::core::json::Value;
use crate::core::method::MethodData;
use crate::core::notification::Envelope;
use crate::core::providers::{self, NextActionOptions, Provider};
use crate::core::session_data;
use crate::core::window::window_size;
use crate::dom;

#[wasm_bindgen(typescript_custom_section)]
const TYPES: &str = r#"
/** Stable codes of ThreeDsError. */
export type ThreeDsErrorCode = "invalid_base64" | "invalid_json" | "missing_field" | "invalid_field" | "too_large"
  | "aborted" | "timeout" | "empty_result" | "unsupported_environment" | "unknown_status" | "unknown_provider"
  | "integrity_failed" | "invalid_keys";
export type ChallengeWindowSizeCode = "01" | "02" | "03" | "04" | "05";
export type MessageVersion = "2.1.0" | "2.2.0" | "2.3.0" | "2.3.1";
export interface MessageExtension { name: string; id: string; criticalityIndicator: boolean; data: unknown; }
export interface MethodData { threeDSServerTransID: string; threeDSMethodNotificationURL: string; }
export interface CreqInput {
  threeDSServerTransID: string; acsTransID: string; messageVersion: MessageVersion;
  challengeWindowSize: ChallengeWindowSizeCode; messageExtension?: MessageExtension[];
}
export interface Cres {
  messageType: "CRes"; threeDSServerTransID: string; acsTransID: string; messageVersion: string;
  transStatus?: "Y" | "N" | "U" | "A" | "C" | "R" | "D" | "I" | "S"; challengeCompletionInd: "Y" | "N";
  messageExtension?: MessageExtension[];
}
export interface Erro {
  messageType: "Erro"; errorCode: string; errorComponent: "C" | "S" | "D" | "A"; errorDescription: string;
  errorDetail?: string; errorMessageType?: string; messageVersion?: string;
  threeDSServerTransID?: string; acsTransID?: string; dsTransID?: string;
}
export interface WindowSize { code: ChallengeWindowSizeCode; width: string; height: string; }
export interface BrowserInfo {
  browserColorDepth: "1" | "4" | "8" | "15" | "16" | "24" | "32" | "48"; browserScreenHeight: string;
  browserScreenWidth: string; browserTZ: string; browserLanguage: string; browserJavaEnabled: boolean;
  browserJavascriptEnabled: true; browserUserAgent: string;
}
export interface MethodOptions {
  /** The ACS's threeDSMethodURL; absent or empty: compInd "U" at once, nothing touched. */
  methodUrl?: string | null; threeDSServerTransID: string; notificationUrl: string;
  /** Default 10000 (the EMV rule). */
  timeoutMs?: number; signal?: AbortSignal;
  /** Where the hidden iframe goes; default document.body. */
  container?: Element;
}
export interface MethodResult { compInd: "Y" | "N" | "U"; elapsedMs: number; }
export interface ChallengeOptions {
  acsUrl: string;
  /** A CReq already encoded (by the 3DS Server), or the fields to build one. */
  creq?: string; threeDSServerTransID?: string; acsTransID?: string; messageVersion?: MessageVersion;
  challengeWindowSize?: ChallengeWindowSizeCode; messageExtension?: MessageExtension[];
  threeDSSessionData?: string;
  /** Required in iframe mode: only messages from its origin are accepted. */
  notificationUrl?: string;
  mode?: "iframe" | "redirect";
  /** When the container is narrower than the requested size, use the widest size that fits (announced in the CReq). */
  fitToContainer?: boolean;
  /** Default 600000 (ten minutes, the ACS session limit). */
  timeoutMs?: number; signal?: AbortSignal; container?: Element;
}
export interface Redirected { mode: "redirect"; }
export type NotificationResult =
  | { type: "method"; threeDSServerTransID: string }
  | { type: "challenge"; message: Cres | Erro; threeDSServerTransID?: string; threeDSSessionData?: string }
  | { type: "empty" }
  | { type: "error"; code: ThreeDsErrorCode; message: string };
export type ProviderName = "komoju" | "veritrans" | "ingenico" | "shift4" | "acquired";
export type NextAction =
  | { type: "none"; status: string; detail: Record<string, unknown> }
  | { type: "method"; methodUrl: string; threeDSServerTransID: string; threeDSMethodData?: string; then: string }
  | { type: "redirect"; url: string; method: "GET" | "POST"; fields: Record<string, string>; iframeAllowed: boolean;
      challengeWindowSize?: ChallengeWindowSizeCode; store?: Record<string, string> }
  | { type: "html"; html: string; topLevel: boolean }
  | { type: "fail"; reason: string; retryable: boolean };
export interface NextActionOptions { methodNotificationUrl?: string; challengeWindowSize?: ChallengeWindowSizeCode; }
export interface PerformOptions {
  /** For method actions: the notification URL (else the one in the action's threeDSMethodData). */
  notificationUrl?: string; timeoutMs?: number; signal?: AbortSignal; container?: Element;
  /** "top" (default) or "iframe" (only where the provider allows it): a sandboxed iframe of challengeWindowSize. */
  display?: "top" | "iframe"; challengeWindowSize?: ChallengeWindowSizeCode;
}
export type Performed =
  | { type: "none" | "fail" }
  | ({ type: "method" } & MethodResult)
  | { type: "navigating" }
  | { type: "shown" };
"#;

/// Encodes `threeDSMethodData` for the 3DS Method form POST: base64url JSON without padding.
#[wasm_bindgen(js_name = encodeMethodData, unchecked_return_type = "string")]
pub fn encode_method_data(#[wasm_bindgen(unchecked_param_type = "MethodData")] data: JsValue) -> JsResult<String> {
    let value = from_js_object(data, "methodData")?;
    let fields = Fields::of(&value, "").map_err(to_js_error)?;
    MethodData::from_fields(&fields).map(|d| d.encode()).map_err(to_js_error)
}

/// Encodes a browser CReq (`messageType` is added) as base64url JSON without padding.
#[wasm_bindgen(js_name = encodeCreq, unchecked_return_type = "string")]
pub fn encode_creq(#[wasm_bindgen(unchecked_param_type = "CreqInput")] creq: JsValue) -> JsResult<String> {
    let value = from_js_object(creq, "creq")?;
    let fields = Fields::of(&value, "").map_err(to_js_error)?;
    Creq::from_fields(&fields).map(|c| c.encode()).map_err(to_js_error)
}

/// The EMV challenge window size for a code "01" to "05", as CSS lengths.
#[wasm_bindgen(js_name = challengeWindowSize, unchecked_return_type = "WindowSize")]
pub fn challenge_window_size(
    #[wasm_bindgen(unchecked_param_type = "ChallengeWindowSizeCode")] code: JsValue,
) -> JsResult<JsValue> {
    let code = from_js_string(code, "challengeWindowSize")?;
    to_js(&window_size("challengeWindowSize", &code).map_err(to_js_error)?)
}

/// Reads the AReq browser fields the page can see, each normalised to be valid for the AReq schema.
#[wasm_bindgen(js_name = collectBrowserInfo, unchecked_return_type = "BrowserInfo")]
pub fn collect_browser_info() -> JsResult<JsValue> {
    to_js(&dom::browser_info::collect().map_err(to_js_error)?)
}

/// Runs the 3DS Method: a hidden iframe that form-POSTs threeDSMethodData to the ACS, settled by the
/// notification ("Y"), the time limit ("N", 10 s by default) or the absence of a method URL ("U").
/// Rejects with code `aborted` when the signal fires. Settles exactly once and leaves nothing behind.
#[wasm_bindgen(js_name = runMethod, unchecked_return_type = "MethodResult")]
pub async fn run_method(#[wasm_bindgen(unchecked_param_type = "MethodOptions")] options: JsValue) -> JsResult<JsValue> {
    let data =
        pick_options(&options, "options", &["methodUrl", "threeDSServerTransID", "notificationUrl", "timeoutMs"])?;
    let request =
        MethodRequest::from_fields(&Fields::of(&data, "options").map_err(to_js_error)?).map_err(to_js_error)?;
    let (signal, container) = signal_and_container(&options, "options")?;
    to_js(&dom::method::run(request, container, signal).await.map_err(to_js_error)?)
}

/// Runs the challenge in an iframe of exactly the window size (resolving with the CRes or Erro) or as a
/// full-page redirect (resolving with `{ mode: "redirect" }` as the page leaves). Rejects with `timeout`,
/// `aborted` or `empty_result`. Settles exactly once and leaves nothing behind.
#[wasm_bindgen(js_name = runChallenge, unchecked_return_type = "Cres | Erro | Redirected")]
pub async fn run_challenge(
    #[wasm_bindgen(unchecked_param_type = "ChallengeOptions")] options: JsValue,
) -> JsResult<JsValue> {
    let keys = [
        "acsUrl",
        "creq",
        "threeDSServerTransID",
        "acsTransID",
        "messageVersion",
        "challengeWindowSize",
        "messageExtension",
        "threeDSSessionData",
        "notificationUrl",
        "mode",
        "fitToContainer",
        "timeoutMs",
    ];
    let data = pick_options(&options, "options", &keys)?;
    let request =
        ChallengeRequest::from_fields(&Fields::of(&data, "options").map_err(to_js_error)?).map_err(to_js_error)?;
    let (signal, container) = signal_and_container(&options, "options")?;
    match dom::challenge::run(request, container, signal).await.map_err(to_js_error)? {
        dom::challenge::ChallengeOutcome::Result(result) => to_js(&result),
        dom::challenge::ChallengeOutcome::Redirected => to_js(&Value::object([("mode", "redirect".into())])),
    }
}

/// For notification pages that read their result in the browser: posts it to the parent window with exactly
/// `targetOrigin`. Returns false when the page is not framed.
#[wasm_bindgen(js_name = notifyParent)]
pub fn notify_parent(
    #[wasm_bindgen(unchecked_param_type = "NotificationResult")] result: JsValue,
    #[wasm_bindgen(unchecked_param_type = "{ targetOrigin: string }")] options: JsValue,
) -> JsResult<bool> {
    let result = from_js_object(result, "result")?;
    let result = Envelope::result_from_json(&result).map_err(to_js_error)?;
    let options = pick_options(&options, "options", &["targetOrigin"])?;
    let target_origin = Fields::of(&options, "options")
        .and_then(|f| f.required_str("targetOrigin").map(str::to_string))
        .map_err(to_js_error)?;
    dom::notify::notify_parent(result, &target_origin).map_err(to_js_error)
}

/// Encodes the merchant's state (any JSON) as threeDSSessionData: base64url, at most 1024 characters.
#[wasm_bindgen(js_name = encodeSessionData, unchecked_return_type = "string")]
pub fn encode_session_data(#[wasm_bindgen(unchecked_param_type = "unknown")] state: JsValue) -> JsResult<String> {
    let state = js_to_json(&state, "state")?;
    session_data::encode(&state).map_err(to_js_error)
}

/// Turns a provider's API response into the next browser step: none, method, redirect, html or fail.
#[wasm_bindgen(js_name = nextAction, unchecked_return_type = "NextAction")]
pub fn next_action(
    #[wasm_bindgen(unchecked_param_type = "ProviderName")] provider: JsValue,
    #[wasm_bindgen(unchecked_param_type = "object")] response: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "NextActionOptions")] options: Option<JsValue>,
) -> JsResult<JsValue> {
    let options = options.unwrap_or(JsValue::UNDEFINED);
    let provider = Provider::parse(&from_js_string(provider, "provider")?, false).map_err(to_js_error)?;
    let response = from_js_object(response, "response")?;
    let options = optional_object(options, "options", &["methodNotificationUrl", "challengeWindowSize"])?;
    let options = Fields::of(&options, "options").map_err(to_js_error)?;
    let options = NextActionOptions {
        method_notification_url: options
            .optional_str("methodNotificationUrl")
            .map_err(to_js_error)?
            .map(str::to_string),
        challenge_window_size: options.optional_str("challengeWindowSize").map_err(to_js_error)?.map(str::to_string),
    };
    to_js(&providers::next_action(provider, &response, &options).map_err(to_js_error)?)
}

/// Runs an action from `nextAction` in the browser: the 3DS Method, a navigation (top level, or a sandboxed
/// iframe where the provider allows it), or the form of a provider's HTML document rebuilt from DOM nodes.
#[wasm_bindgen(unchecked_return_type = "Performed")]
pub async fn perform(
    #[wasm_bindgen(unchecked_param_type = "NextAction")] action: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "PerformOptions")] options: Option<JsValue>,
) -> JsResult<JsValue> {
    let options = options.unwrap_or(JsValue::UNDEFINED);
    let action = from_js_object(action, "action")?;
    let data = optional_object(
        options.clone(),
        "options",
        &["notificationUrl", "timeoutMs", "display", "challengeWindowSize"],
    )?;
    let step = plan(&action, &Fields::of(&data, "options").map_err(to_js_error)?).map_err(to_js_error)?;
    let (signal, container) =
        if options.is_object() { signal_and_container(&options, "options")? } else { (None, None) };
    match step {
        Step::Nothing => to_js(&Value::object([("type", action.get("type").cloned().unwrap_or(Value::Null))])),
        Step::Method(request) => {
            let outcome = dom::method::run(request, container, signal).await.map_err(to_js_error)?;
            to_js(&Value::object([
                ("type", "method".into()),
                ("compInd", outcome.comp_ind.into()),
                ("elapsedMs", outcome.elapsed_ms.into()),
            ]))
        }
        Step::Navigate(navigation) => match dom::navigate::go(&navigation, container, signal).map_err(to_js_error)? {
            dom::navigate::Shown::TopLevel => to_js(&Value::object([("type", "navigating".into())])),
            dom::navigate::Shown::Iframe => to_js(&Value::object([("type", "shown".into())])),
        },
    }
}
