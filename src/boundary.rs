//! The `#[wasm_bindgen]` exports. Each one decodes its JS input, calls the core, and encodes the result;
//! no protocol logic lives here. Errors leave as real `Error` objects named `ThreeDsError` with a `code`.

use crate::core::json::{self, Map, ToJson, Value};
use wasm_bindgen::prelude::*;

use crate::core::action::{plan, Step};
use crate::core::browser_info::ServerBrowserInfo;
use crate::core::creq::Creq;
use crate::core::cres::ChallengeResult;
use crate::core::error::{ErrorCode, ThreeDsError};
use crate::core::fields::{quote_for_message, Fields};
use crate::core::flow::{ChallengeRequest, MethodRequest};
use crate::core::inspect::inspect;
use crate::core::integrity;
use crate::core::interpret::{interpret_vresult_code, liability_shift, LiabilityInput};
use crate::core::method::{MethodData, MethodNotification};
use crate::core::notification::{notification_page, Envelope, NotificationResult};
use crate::core::providers::{self, Keys, NextActionOptions, Provider, ReturnOptions, ReturnRequest};
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
export interface MethodNotification { threeDSServerTransID: string; }
export interface CreqInput {
  threeDSServerTransID: string; acsTransID: string; messageVersion: MessageVersion;
  challengeWindowSize: ChallengeWindowSizeCode; messageExtension?: MessageExtension[];
}
/** A decoded CReq: any messageVersion of the form 2.x.y is read, so it is a string. */
export interface Creq {
  messageType: "CReq"; threeDSServerTransID: string; acsTransID: string; messageVersion: string;
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
export interface Inspection {
  kind: "threeDSMethodData" | "methodNotification" | "creq" | "cres" | "erro";
  decoded: MethodData | MethodNotification | Creq | Cres | Erro;
  fields: { name: string; value: string; meaning: string }[];
  warnings: string[];
}
export interface BrowserInfo {
  browserColorDepth: "1" | "4" | "8" | "15" | "16" | "24" | "32" | "48"; browserScreenHeight: string;
  browserScreenWidth: string; browserTZ: string; browserLanguage: string; browserJavaEnabled: boolean;
  browserJavascriptEnabled: true; browserUserAgent: string;
}
export interface ServerBrowserInfo { browserAcceptHeader: string; browserIP?: string; }
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
export interface NotificationRequest { body: string; contentType?: string | null; }
export interface NotificationPageOptions { targetOrigin: string; nonce?: string; }
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
export type Outcome = "authenticated" | "attempted" | "challenge_required" | "not_authenticated" | "rejected"
  | "unavailable" | "pending" | "error";
export interface ReturnResult {
  provider: ProviderName | "emv"; outcome: Outcome;
  /** True only when an integrity check with a merchant key passed. */
  trusted: boolean;
  /** The merchant must read the result from the provider before shipping goods. */
  verifyWithServer: boolean;
  ids: Record<string, string>; transStatus: string | null; eci: string | null; authenticationValue: string | null;
  reason: string | null; raw: Record<string, unknown>;
}
export interface ReturnRequestData { method: string; url: string; body?: string; contentType?: string | null; }
export interface MerchantKeys {
  acquiredAppKey?: string; veritransMerchantCcId?: string; veritransMerchantPassword?: string;
  /** The RETURNMAC stored when the Ingenico payment was created. */
  ingenicoReturnMac?: string;
}
export interface ReturnOptions {
  provider?: ProviderName | "emv"; expectedThreeDSServerTransID?: string;
  /** The order the return must be for (Acquired.com order_id, VeriTrans4G OrderId, Shift4 invoice). */
  expectedOrderId?: string;
  /** Only the keys of the return's provider; each a non-empty string. */
  keys?: MerchantKeys;
  /** Refuse a signed return whose own timestamp (Acquired.com) is older than this (replay protection). */
  maxAgeSeconds?: number;
}
export interface VresultInterpretation {
  code: string; mpiCode: string; meaning: string; cardCode: string; mstatus: "success" | "failure";
  paymentMayProceed: boolean; riskBearer: "card_company" | "merchant" | "nobody"; outcome: Outcome;
}
export interface LiabilityShiftInput {
  brand: "visa" | "mastercard" | "maestro" | "diners" | "discover" | "amex"; cardType: "consumer" | "commercial";
  eci?: string; cavvPresent: boolean; region?: "US" | "EU" | "US_CA" | string;
  authentication?: "full" | "attempt" | "not_enrolled" | "unable" | "failed";
}
export type FormFields = Record<string, string> | string;
"#;

// The package's error class, a JS `Error` subclass that every entry of the package exports: errors made here
// are instances of the class users import, in every runtime.
#[wasm_bindgen(module = "/pkg-config/error.js")]
extern "C" {
    #[wasm_bindgen(js_name = ThreeDsError)]
    type JsThreeDsError;

    #[wasm_bindgen(constructor, js_class = "ThreeDsError")]
    fn new(code: &str, message: &str) -> JsThreeDsError;
}

/// Turns a core error into the `ThreeDsError` JS callers see.
pub(crate) fn to_js_error(error: ThreeDsError) -> JsValue {
    JsThreeDsError::new(error.code.as_str(), &error.message).into()
}

type JsResult<T> = Result<T, JsValue>;

/// Results go out as plain objects: JSON text from the core's writer, read by the engine's own `JSON.parse`.
/// One JSON path in and out, and no JS (de)serializer compiled into the wasm.
fn to_js<T: ToJson>(value: &T) -> JsResult<JsValue> {
    js_sys::JSON::parse(&value.to_json().to_json())
        .map_err(|_| to_js_error(ThreeDsError::new(ErrorCode::InvalidField, "a result could not be read back as JSON")))
}

/// The largest JS input read as JSON, in bytes of its JSON text.
const MAX_INPUT_JSON: usize = 1024 * 1024;

/// Reads a JS value as JSON through `JSON.stringify`, which refuses cycles and BigInt with a TypeError
/// instead of recursing: a hostile or mistaken input is a typed error, never a stack overflow in wasm.
/// Undefined, functions and symbols read as null, which counts as absent.
fn js_to_json(value: &JsValue, name: &str) -> JsResult<Value> {
    let invalid = || to_js_error(ThreeDsError::invalid(name, "plain JSON data (no cycles, no BigInt)"));
    let text = js_sys::JSON::stringify(value).map_err(|_| invalid())?;
    let Some(text) = JsValue::from(text).as_string() else { return Ok(Value::Null) };
    if text.len() > MAX_INPUT_JSON {
        return Err(to_js_error(ThreeDsError::new(
            ErrorCode::TooLarge,
            format!("{name} is over {MAX_INPUT_JSON} bytes as JSON"),
        )));
    }
    json::parse(&text).map_err(|_| invalid())
}

/// Reads a JS object as JSON.
fn from_js_object(value: JsValue, name: &str) -> JsResult<Value> {
    if !value.is_object() {
        return Err(to_js_error(ThreeDsError::invalid(name, "an object")));
    }
    js_to_json(&value, name)
}

fn from_js_string(value: JsValue, name: &str) -> JsResult<String> {
    value.as_string().ok_or_else(|| {
        let error = if value.is_undefined() || value.is_null() {
            ThreeDsError::missing(name)
        } else {
            ThreeDsError::invalid(name, "a string")
        };
        to_js_error(error)
    })
}

/// Encodes `threeDSMethodData` for the 3DS Method form POST: base64url JSON without padding.
#[wasm_bindgen(js_name = encodeMethodData, unchecked_return_type = "string")]
pub fn encode_method_data(#[wasm_bindgen(unchecked_param_type = "MethodData")] data: JsValue) -> JsResult<String> {
    let value = from_js_object(data, "methodData")?;
    let fields = Fields::of(&value, "").map_err(to_js_error)?;
    MethodData::from_fields(&fields).map(|d| d.encode()).map_err(to_js_error)
}

/// Decodes the `threeDSMethodData` a merchant page sends to the ACS.
#[cfg(feature = "full")]
#[wasm_bindgen(js_name = decodeMethodData, unchecked_return_type = "MethodData")]
pub fn decode_method_data(#[wasm_bindgen(unchecked_param_type = "string")] value: JsValue) -> JsResult<JsValue> {
    let value = from_js_string(value, "threeDSMethodData")?;
    to_js(&MethodData::decode(&value).map_err(to_js_error)?)
}

/// Decodes the `threeDSMethodData` an ACS posts to the notification URL, tolerating padding, either
/// alphabet, whitespace and misspelled keys (the transaction ID is matched by value).
#[cfg(feature = "full")]
#[wasm_bindgen(js_name = decodeMethodNotification, unchecked_return_type = "MethodNotification")]
pub fn decode_method_notification(
    #[wasm_bindgen(unchecked_param_type = "string")] value: JsValue,
) -> JsResult<JsValue> {
    let value = from_js_string(value, "threeDSMethodData")?;
    to_js(&MethodNotification::decode(&value).map_err(to_js_error)?)
}

/// Encodes a browser CReq (`messageType` is added) as base64url JSON without padding.
#[wasm_bindgen(js_name = encodeCreq, unchecked_return_type = "string")]
pub fn encode_creq(#[wasm_bindgen(unchecked_param_type = "CreqInput")] creq: JsValue) -> JsResult<String> {
    let value = from_js_object(creq, "creq")?;
    let fields = Fields::of(&value, "").map_err(to_js_error)?;
    Creq::from_fields(&fields).map(|c| c.encode()).map_err(to_js_error)
}

/// Decodes a `creq` form value.
#[cfg(feature = "full")]
#[wasm_bindgen(js_name = decodeCreq, unchecked_return_type = "Creq")]
pub fn decode_creq(#[wasm_bindgen(unchecked_param_type = "string")] value: JsValue) -> JsResult<JsValue> {
    let value = from_js_string(value, "creq")?;
    to_js(&Creq::decode(&value).map_err(to_js_error)?)
}

/// Decodes a `cres` form value into a CRes or an Erro (messageType normalised).
#[cfg(feature = "full")]
#[wasm_bindgen(js_name = decodeCres, unchecked_return_type = "Cres | Erro")]
pub fn decode_cres(#[wasm_bindgen(unchecked_param_type = "string")] value: JsValue) -> JsResult<JsValue> {
    let value = from_js_string(value, "cres")?;
    to_js(&ChallengeResult::decode(&value).map_err(to_js_error)?)
}

/// The EMV challenge window size for a code "01" to "05", as CSS lengths.
#[wasm_bindgen(js_name = challengeWindowSize, unchecked_return_type = "WindowSize")]
pub fn challenge_window_size(
    #[wasm_bindgen(unchecked_param_type = "ChallengeWindowSizeCode")] code: JsValue,
) -> JsResult<JsValue> {
    let code = from_js_string(code, "challengeWindowSize")?;
    to_js(&window_size("challengeWindowSize", &code).map_err(to_js_error)?)
}

/// Works out what a pasted payload is (threeDSMethodData, notification, creq, cres, Erro, or a form body
/// holding one), decodes and checks it, and explains each field.
#[cfg(feature = "full")]
#[wasm_bindgen(js_name = inspectPayload, unchecked_return_type = "Inspection")]
pub fn inspect_payload(#[wasm_bindgen(unchecked_param_type = "string")] value: JsValue) -> JsResult<JsValue> {
    let value = from_js_string(value, "payload")?;
    to_js(&inspect(&value).map_err(to_js_error)?)
}

/// Reads the named members of a JS options object as JSON, leaving out DOM objects and functions, which
/// [`js_member`] reads separately.
fn pick_json(options: &JsValue, name: &str, keys: &[&str]) -> JsResult<Value> {
    if !options.is_object() {
        return Err(to_js_error(ThreeDsError::invalid(name, "an object")));
    }
    let mut map = Map::new();
    for key in keys {
        let value = member(options, name, key).map_err(to_js_error)?;
        if value.is_undefined() {
            continue;
        }
        map.insert((*key).to_string(), js_to_json(&value, &format!("{name}.{key}"))?);
    }
    Ok(Value::Object(map))
}

/// An optional member that must be an instance of `T` (an AbortSignal, an Element).
fn js_member<T: JsCast>(options: &JsValue, name: &str, key: &str, expected: &str) -> JsResult<Option<T>> {
    let value = member(options, name, key).map_err(to_js_error)?;
    if value.is_undefined() || value.is_null() {
        return Ok(None);
    }
    value.dyn_into::<T>().map(Some).map_err(|_| to_js_error(ThreeDsError::invalid(&format!("{name}.{key}"), expected)))
}

/// Reads the AReq browser fields the page can see, each normalised to be valid for the AReq schema.
#[wasm_bindgen(js_name = collectBrowserInfo, unchecked_return_type = "BrowserInfo")]
pub fn collect_browser_info() -> JsResult<JsValue> {
    to_js(&dom::browser_info::collect().map_err(to_js_error)?)
}

/// The browser fields only a server or edge sees: `browserAcceptHeader` (the request's Accept header) and
/// `browserIP`. For workers: `serverBrowserInfo({ acceptHeader: request.headers.get("accept"), ip: request.headers.get("cf-connecting-ip") })`.
#[cfg(feature = "full")]
#[wasm_bindgen(js_name = serverBrowserInfo, unchecked_return_type = "ServerBrowserInfo")]
pub fn server_browser_info(
    #[wasm_bindgen(unchecked_param_type = "{ acceptHeader?: string | null; ip?: string | null }")] request: JsValue,
) -> JsResult<JsValue> {
    let value = pick_json(&request, "request", &["acceptHeader", "ip"])?;
    let fields = Fields::of(&value, "").map_err(to_js_error)?;
    let accept = fields.optional_str("acceptHeader").map_err(to_js_error)?.unwrap_or("");
    let ip = fields.optional_str("ip").map_err(to_js_error)?;
    to_js(&ServerBrowserInfo::new(accept, ip).map_err(to_js_error)?)
}

/// Runs the 3DS Method: a hidden iframe that form-POSTs threeDSMethodData to the ACS, settled by the
/// notification ("Y"), the time limit ("N", 10 s by default) or the absence of a method URL ("U").
/// Rejects with code `aborted` when the signal fires. Settles exactly once and leaves nothing behind.
#[wasm_bindgen(js_name = runMethod, unchecked_return_type = "MethodResult")]
pub async fn run_method(#[wasm_bindgen(unchecked_param_type = "MethodOptions")] options: JsValue) -> JsResult<JsValue> {
    let data = pick_json(&options, "options", &["methodUrl", "threeDSServerTransID", "notificationUrl", "timeoutMs"])?;
    let request =
        MethodRequest::from_fields(&Fields::of(&data, "options").map_err(to_js_error)?).map_err(to_js_error)?;
    let signal = js_member(&options, "options", "signal", "an AbortSignal")?;
    let container = js_member(&options, "options", "container", "an Element")?;
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
    let data = pick_json(&options, "options", &keys)?;
    let request =
        ChallengeRequest::from_fields(&Fields::of(&data, "options").map_err(to_js_error)?).map_err(to_js_error)?;
    let signal = js_member(&options, "options", "signal", "an AbortSignal")?;
    let container = js_member(&options, "options", "container", "an Element")?;
    match dom::challenge::run(request, container, signal).await.map_err(to_js_error)? {
        dom::challenge::ChallengeOutcome::Result(result) => to_js(&result),
        dom::challenge::ChallengeOutcome::Redirected => to_js(&Value::object([("mode", "redirect".into())])),
    }
}

/// For the notification URLs the ACS posts to (server or worker, no DOM): decodes the form POST (method
/// notification, cres, erro, or nothing) and returns `{ result, html }`, where `html` is a page that posts
/// the tagged result to the parent window with exactly `targetOrigin`, under the CSP `nonce` if given.
/// A post that cannot be read is `{ type: "error", code, message }`, posted too, so the challenge ends at
/// once with that error; bad options throw.
#[cfg(feature = "full")]
#[wasm_bindgen(js_name = respondToNotification, unchecked_return_type = "{ result: NotificationResult; html: string }")]
pub fn respond_to_notification(
    #[wasm_bindgen(unchecked_param_type = "NotificationRequest")] request: JsValue,
    #[wasm_bindgen(unchecked_param_type = "NotificationPageOptions")] options: JsValue,
) -> JsResult<JsValue> {
    let request = pick_json(&request, "request", &["body", "contentType"])?;
    let request = Fields::of(&request, "request").map_err(to_js_error)?;
    let options = pick_json(&options, "options", &["targetOrigin", "nonce"])?;
    let options = Fields::of(&options, "options").map_err(to_js_error)?;
    let body = match request.get("body") {
        None => "",
        Some(Value::String(body)) => body.as_str(),
        Some(_) => {
            return Err(to_js_error(ThreeDsError::invalid(
                "request.body",
                "a string (the raw form body, not a parsed object: see the README's raw-body recipes)",
            )))
        }
    };
    let content_type = request.optional_str("contentType").map_err(to_js_error)?;
    let target_origin = options.required_str("targetOrigin").map_err(to_js_error)?;
    // An empty nonce is a mistake that would leave the page's script blocked by its own CSP.
    let nonce = match options.get("nonce") {
        Some(Value::String(nonce)) => Some(nonce.as_str()),
        None => None,
        Some(_) => return Err(to_js_error(ThreeDsError::invalid("options.nonce", "a string"))),
    };
    let result = NotificationResult::from_form_or_error(body, content_type);
    let html = notification_page(&result, target_origin, nonce).map_err(to_js_error)?;
    to_js(&Value::object([("result", result.to_json()), ("html", html.into())]))
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
    let options = pick_json(&options, "options", &["targetOrigin"])?;
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

/// Decodes threeDSSessionData made by `encodeSessionData` (as echoed by the ACS).
#[cfg(feature = "full")]
#[wasm_bindgen(js_name = decodeSessionData, unchecked_return_type = "unknown")]
pub fn decode_session_data(#[wasm_bindgen(unchecked_param_type = "string")] value: JsValue) -> JsResult<JsValue> {
    let value = from_js_string(value, "threeDSSessionData")?;
    to_js(&session_data::decode(&value).map_err(to_js_error)?)
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
    let (signal, container) = if options.is_object() {
        (
            js_member(&options, "options", "signal", "an AbortSignal")?,
            js_member(&options, "options", "container", "an Element")?,
        )
    } else {
        (None, None)
    };
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
        Step::Navigate(navigation) => match dom::navigate::go(&navigation, container).map_err(to_js_error)? {
            dom::navigate::Shown::TopLevel => to_js(&Value::object([("type", "navigating".into())])),
            dom::navigate::Shown::Iframe => to_js(&Value::object([("type", "shown".into())])),
        },
    }
}

fn optional_object(value: JsValue, name: &str, keys: &[&str]) -> JsResult<Value> {
    if value.is_undefined() || value.is_null() {
        Ok(Value::Object(Map::new()))
    } else {
        pick_json(&value, name, keys)
    }
}

/// The members `ReturnOptions` may have: a misspelled one (`expectedOrderID`) would otherwise quietly turn
/// a check off.
const RETURN_OPTIONS: &[&str] =
    &["provider", "expectedThreeDSServerTransID", "expectedOrderId", "keys", "maxAgeSeconds"];

/// The own property names of a JS object; an object that refuses to list them (a Proxy that throws) is an
/// error naming it, never an exception thrown through the module.
fn own_names(value: &JsValue, name: &str) -> Result<Vec<String>, ThreeDsError> {
    let object: &js_sys::Object = value.unchecked_ref();
    js_sys::Reflect::own_keys(object)
        .map(|names| names.iter().filter_map(|name| name.as_string()).collect())
        .map_err(|_| ThreeDsError::invalid(name, "an object whose properties can be read"))
}

/// A property of a JS object; a getter that throws is an error naming the property, never "absent".
fn member(value: &JsValue, name: &str, key: &str) -> Result<JsValue, ThreeDsError> {
    js_sys::Reflect::get(value, &key.into())
        .map_err(|_| ThreeDsError::invalid(&format!("{name}.{key}"), "a property that can be read (its getter threw)"))
}

fn return_options(options: JsValue) -> JsResult<ReturnOptions> {
    if options.is_object() {
        let names = own_names(&options, "options").map_err(to_js_error)?;
        if let Some(unknown) = names.into_iter().find(|n| !RETURN_OPTIONS.contains(&n.as_str())) {
            return Err(to_js_error(ThreeDsError::invalid(
                &format!("options.{}", quote_for_message(&unknown)),
                format_args!("absent: ReturnOptions has only {}", RETURN_OPTIONS.join(", ")),
            )));
        }
    }
    let keys = if options.is_object() { read_keys(&options)? } else { Keys::default() };
    let fields = optional_object(
        options,
        "options",
        &["provider", "expectedThreeDSServerTransID", "expectedOrderId", "maxAgeSeconds"],
    )?;
    // A check asked for with no value (`null`, or NaN and Infinity, which JSON writes as null) is a mistake
    // that would otherwise turn the check off.
    for check in ["expectedThreeDSServerTransID", "expectedOrderId", "maxAgeSeconds"] {
        if fields.get(check) == Some(&Value::Null) {
            return Err(to_js_error(ThreeDsError::invalid(
                &format!("options.{check}"),
                "a value, or absent (null, NaN and Infinity turn no check on)",
            )));
        }
    }
    let fields = Fields::of(&fields, "options").map_err(to_js_error)?;
    let provider = fields
        .optional_str("provider")
        .map_err(to_js_error)?
        .map(|p| Provider::parse(p, true))
        .transpose()
        .map_err(to_js_error)?;
    let expected = fields.optional_uuid("expectedThreeDSServerTransID").map_err(to_js_error)?;
    let expected_order_id = match fields.get("expectedOrderId") {
        None => None,
        Some(Value::String(id)) if !id.is_empty() => Some(id.clone()),
        Some(_) => {
            return Err(to_js_error(ThreeDsError::invalid("options.expectedOrderId", "a non-empty string")));
        }
    };
    let max_age_seconds =
        match fields.get("maxAgeSeconds") {
            None => None,
            Some(value) => Some(value.as_u64().ok_or_else(|| {
                to_js_error(ThreeDsError::invalid("options.maxAgeSeconds", "a whole number of seconds"))
            })?),
        };
    // The core has no clock; the boundary reads the runtime's.
    let now_seconds = max_age_seconds.map(|_| (js_sys::Date::now() / 1000.0) as u64);
    Ok(ReturnOptions {
        provider,
        expected_three_ds_server_trans_id: expected,
        expected_order_id,
        keys,
        max_age_seconds,
        now_seconds,
    })
}

/// Reads `options.keys` member by member, not as JSON: JSON would drop a key whose value is `undefined` (an
/// unset secret) and a misspelled name would mean "no key", and either would quietly turn the check off.
/// Both are `invalid_keys`; empty and incomplete keys are refused by the core.
fn read_keys(options: &JsValue) -> JsResult<Keys> {
    let refuse = |message: String| to_js_error(ThreeDsError::new(ErrorCode::InvalidKeys, message));
    let unreadable = |what: &str| refuse(format!("options.{what} could not be read (is the secret configured?)"));
    let keys = js_sys::Reflect::get(options, &"keys".into()).map_err(|_| unreadable("keys"))?;
    if keys.is_undefined() {
        return Ok(Keys::default());
    }
    if !keys.is_object() {
        return Err(refuse("options.keys must be an object of key strings".into()));
    }
    let names = own_names(&keys, "options.keys").map_err(|_| unreadable("keys"))?;
    if names.is_empty() {
        return Err(refuse("options.keys is empty: omit it to read returns without integrity checks".into()));
    }
    let mut result = Keys::default();
    for name in names {
        let slot = match name.as_str() {
            "acquiredAppKey" => &mut result.acquired_app_key,
            "veritransMerchantCcId" => &mut result.veritrans_merchant_cc_id,
            "veritransMerchantPassword" => &mut result.veritrans_merchant_password,
            "ingenicoReturnMac" => &mut result.ingenico_return_mac,
            _ => {
                return Err(refuse(format!(
                    "options.keys.{} is not a key: use acquiredAppKey, veritransMerchantCcId, veritransMerchantPassword or ingenicoReturnMac",
                    quote_for_message(&name)
                )))
            }
        };
        let value =
            js_sys::Reflect::get(&keys, &name.as_str().into()).map_err(|_| unreadable(&format!("keys.{name}")))?;
        let Some(text) = value.as_string() else {
            return Err(refuse(format!("options.keys.{name} must be a string (is the secret configured?)")));
        };
        *slot = Some(text);
    }
    Ok(result)
}

/// Normalises what came back through the browser (a GET or POST to a return or notification URL) for any of
/// the five providers or plain EMV: outcome, whether it is `trusted` (an integrity check with a merchant key
/// passed) and whether the merchant must `verifyWithServer`. Throws `integrity_failed` for a tampered return.
#[cfg(feature = "full")]
#[wasm_bindgen(js_name = parseReturn, unchecked_return_type = "ReturnResult")]
pub fn parse_return(
    #[wasm_bindgen(unchecked_param_type = "ReturnRequestData")] request: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "ReturnOptions")] options: Option<JsValue>,
) -> JsResult<JsValue> {
    let options = options.unwrap_or(JsValue::UNDEFINED);
    let data = pick_json(&request, "request", &["method", "url", "body", "contentType"])?;
    let fields = Fields::of(&data, "request").map_err(to_js_error)?;
    let request = ReturnRequest {
        method: fields.optional_str("method").map_err(to_js_error)?.unwrap_or("GET").to_string(),
        url: fields.required_str("url").map_err(to_js_error)?.to_string(),
        body: match fields.get("body") {
            None => String::new(),
            Some(Value::String(body)) => body.clone(),
            Some(_) => return Err(to_js_error(ThreeDsError::invalid("request.body", "a string"))),
        },
        content_type: fields.optional_str("contentType").map_err(to_js_error)?.map(str::to_string),
    };
    to_js(&providers::parse_return(&request, &return_options(options)?).map_err(to_js_error)?)
}

/// `parseReturn` for a Fetch `Request` (workers): reads method, URL, content type and body, refusing bodies
/// over 256 KiB before reading them when Content-Length says so.
#[cfg(feature = "full")]
#[wasm_bindgen(js_name = parseReturnRequest, unchecked_return_type = "ReturnResult")]
pub async fn parse_return_request(
    #[wasm_bindgen(unchecked_param_type = "Request")] request: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "ReturnOptions")] options: Option<JsValue>,
) -> JsResult<JsValue> {
    let options = options.unwrap_or(JsValue::UNDEFINED);
    let options = return_options(options)?;
    let read = |key: &str| js_sys::Reflect::get(&request, &key.into()).ok().and_then(|v| v.as_string());
    let (Some(method), Some(url)) = (read("method"), read("url")) else {
        return Err(to_js_error(ThreeDsError::invalid("request", "a Fetch Request")));
    };
    let header = |name: &str| -> Option<String> {
        let headers = js_sys::Reflect::get(&request, &"headers".into()).ok()?;
        let get: js_sys::Function = js_sys::Reflect::get(&headers, &"get".into()).ok()?.dyn_into().ok()?;
        get.call1(&headers, &name.into()).ok()?.as_string()
    };
    let limit = crate::core::form::MAX_FORM_LEN;
    if header("content-length").and_then(|l| l.trim().parse::<usize>().ok()).is_some_and(|l| l > limit) {
        return Err(to_js_error(too_large_body(limit)));
    }
    let body = if method.eq_ignore_ascii_case("GET") || method.eq_ignore_ascii_case("HEAD") {
        String::new()
    } else {
        read_body_capped(&request, limit).await?
    };
    let request = ReturnRequest { method, url, body, content_type: header("content-type") };
    to_js(&providers::parse_return(&request, &options).map_err(to_js_error)?)
}

fn too_large_body(limit: usize) -> ThreeDsError {
    ThreeDsError::new(ErrorCode::TooLarge, format!("the request body is over {limit} bytes"))
}

/// Reads a Fetch Request's body chunk by chunk, cancelling it as soon as it passes `limit` bytes: a chunked
/// body with no Content-Length is never buffered whole. Decoded as `Request.text()` does (UTF-8, lossy).
async fn read_body_capped(request: &JsValue, limit: usize) -> JsResult<String> {
    let unreadable = || to_js_error(ThreeDsError::invalid("request", "a Fetch Request with a readable body"));
    let method = |target: &JsValue, name: &str| -> JsResult<js_sys::Function> {
        js_sys::Reflect::get(target, &name.into()).ok().and_then(|f| f.dyn_into().ok()).ok_or_else(unreadable)
    };
    let stream = js_sys::Reflect::get(request, &"body".into()).map_err(|_| unreadable())?;
    if stream.is_null() || stream.is_undefined() {
        return Ok(String::new());
    }
    let reader = method(&stream, "getReader")?.call0(&stream).map_err(|_| unreadable())?;
    let read = method(&reader, "read")?;
    let mut bytes: Vec<u8> = Vec::new();
    loop {
        let promise: js_sys::Promise = read.call0(&reader).map_err(|_| unreadable())?.unchecked_into();
        let chunk = wasm_bindgen_futures::JsFuture::from(promise).await.map_err(|_| unreadable())?;
        if js_sys::Reflect::get(&chunk, &"done".into()).ok().and_then(|d| d.as_bool()) == Some(true) {
            break;
        }
        let value: js_sys::Uint8Array = js_sys::Reflect::get(&chunk, &"value".into())
            .ok()
            .and_then(|v| v.dyn_into().ok())
            .ok_or_else(unreadable)?;
        let start = bytes.len();
        let length = value.length() as usize;
        if start + length > limit {
            if let Ok(cancel) = method(&reader, "cancel") {
                let _ = cancel.call0(&reader);
            }
            return Err(to_js_error(too_large_body(limit)));
        }
        bytes.resize(start + length, 0);
        value.copy_to(&mut bytes[start..]);
    }
    let text = String::from_utf8_lossy(&bytes);
    Ok(text.strip_prefix('\u{feff}').unwrap_or(&text).to_string())
}

/// Reads form fields given as an object of strings or as a form-urlencoded string.
fn form_fields(value: JsValue, name: &str) -> JsResult<Vec<(String, String)>> {
    if let Some(body) = value.as_string() {
        return crate::core::form::parse(&body).map_err(to_js_error);
    }
    let value = from_js_object(value, name)?;
    let fields = Fields::of(&value, name).map_err(to_js_error)?;
    let mut pairs = Vec::new();
    for (key, value) in fields.entries() {
        match value {
            Value::String(s) => pairs.push((key.clone(), s.clone())),
            Value::Number(n) => pairs.push((key.clone(), n.as_text().to_string())),
            Value::Null => {}
            _ => return Err(to_js_error(ThreeDsError::invalid(&fields.name(key), "a string"))),
        }
    }
    Ok(pairs)
}

/// A field of `pairs`, refusing one sent twice (the check and the caller must read the same value).
fn lookup(pairs: &[(String, String)], name: &str) -> Result<Option<String>, ThreeDsError> {
    crate::core::form::only(pairs, name).map(|v| v.map(str::to_string))
}

/// Acquired.com redirect POST: checks `hash` against status, transaction_id, order_id, timestamp and the app key.
#[cfg(feature = "full")]
#[wasm_bindgen(js_name = verifyAcquiredRedirect)]
pub fn verify_acquired_redirect(
    #[wasm_bindgen(unchecked_param_type = "FormFields")] fields: JsValue,
    #[wasm_bindgen(unchecked_param_type = "string", js_name = appKey)] app_key: JsValue,
) -> JsResult<bool> {
    let pairs = form_fields(fields, "fields")?;
    let app_key = from_js_string(app_key, "appKey")?;
    let get = |name: &str| lookup(&pairs, name).map_err(to_js_error);
    integrity::verify_acquired_redirect(
        get("status")?.as_deref(),
        get("transaction_id")?.as_deref(),
        get("order_id")?.as_deref(),
        get("timestamp")?.as_deref(),
        get("hash")?.as_deref(),
        &app_key,
    )
    .map_err(to_js_error)
}

/// Acquired.com webhook: checks the `Hash` header (HMAC-SHA256 of the body without whitespace, keyed by the app key).
#[cfg(feature = "full")]
#[wasm_bindgen(js_name = verifyAcquiredWebhook)]
pub fn verify_acquired_webhook(
    #[wasm_bindgen(unchecked_param_type = "string", js_name = rawBody)] raw_body: JsValue,
    #[wasm_bindgen(unchecked_param_type = "string", js_name = hashHeader)] hash_header: JsValue,
    #[wasm_bindgen(unchecked_param_type = "string", js_name = appKey)] app_key: JsValue,
) -> JsResult<bool> {
    integrity::verify_acquired_webhook(
        &from_js_string(raw_body, "rawBody")?,
        &from_js_string(hash_header, "hashHeader")?,
        &from_js_string(app_key, "appKey")?,
    )
    .map_err(to_js_error)
}

/// VeriTrans4G redirect POST: checks `vAuthInfo` over the fields `authParams` names, with the merchant CCID and password.
#[cfg(feature = "full")]
#[wasm_bindgen(js_name = verifyVeritransRedirect)]
pub fn verify_veritrans_redirect(
    #[wasm_bindgen(unchecked_param_type = "FormFields")] fields: JsValue,
    #[wasm_bindgen(unchecked_param_type = "string", js_name = merchantCcId)] merchant_cc_id: JsValue,
    #[wasm_bindgen(unchecked_param_type = "string", js_name = merchantPassword)] merchant_password: JsValue,
) -> JsResult<bool> {
    let pairs = form_fields(fields, "fields")?;
    let cc_id = from_js_string(merchant_cc_id, "merchantCcId")?;
    let password = from_js_string(merchant_password, "merchantPassword")?;
    integrity::verify_veritrans_redirect(&pairs, &cc_id, &password).map_err(to_js_error)
}

/// VeriTrans4G push notification: the `h=HmacSHA256;s=...;v=...` header (current MDKs), or the seed's
/// SHA-256(body + key) form.
#[cfg(feature = "full")]
#[wasm_bindgen(js_name = verifyVeritransPush)]
pub fn verify_veritrans_push(
    #[wasm_bindgen(unchecked_param_type = "string", js_name = rawBody)] raw_body: JsValue,
    #[wasm_bindgen(unchecked_param_type = "string", js_name = headerValue)] header_value: JsValue,
    #[wasm_bindgen(unchecked_param_type = "string", js_name = secretKey)] secret_key: JsValue,
) -> JsResult<bool> {
    integrity::verify_veritrans_push(
        &from_js_string(raw_body, "rawBody")?,
        &from_js_string(header_value, "headerValue")?,
        &from_js_string(secret_key, "secretKey")?,
    )
    .map_err(to_js_error)
}

/// Ingenico RETURNMAC: constant-time equality of the returned and the stored value.
#[cfg(feature = "full")]
#[wasm_bindgen(js_name = verifyIngenicoReturnMac)]
pub fn verify_ingenico_return_mac(
    #[wasm_bindgen(unchecked_param_type = "string")] returned: JsValue,
    #[wasm_bindgen(unchecked_param_type = "string")] stored: JsValue,
) -> JsResult<bool> {
    integrity::verify_ingenico_return_mac(&from_js_string(returned, "returned")?, &from_js_string(stored, "stored")?)
        .map_err(to_js_error)
}

/// What a VeriTrans4G vResultCode means for a service option type: whether payment may proceed, who bears the risk.
#[cfg(feature = "full")]
#[wasm_bindgen(js_name = interpretVresultCode, unchecked_return_type = "VresultInterpretation")]
pub fn interpret_vresult(
    #[wasm_bindgen(unchecked_param_type = "string")] code: JsValue,
    #[wasm_bindgen(
        unchecked_param_type = "\"mpi-complete\" | \"mpi-company\" | \"mpi-merchant\" | \"mpi-none\"",
        js_name = serviceOptionType
    )]
    service_option_type: JsValue,
) -> JsResult<JsValue> {
    let code = from_js_string(code, "vResultCode")?;
    let service = from_js_string(service_option_type, "serviceOptionType")?;
    to_js(&interpret_vresult_code(&code, &service).map_err(to_js_error)?)
}

/// Whether liability shifts, from Ingenico's matrices, with the rule that decided it.
#[cfg(feature = "full")]
#[wasm_bindgen(js_name = liabilityShift, unchecked_return_type = "{ liabilityShift: \"yes\" | \"no\"; rule: string }")]
pub fn liability_shift_of(
    #[wasm_bindgen(unchecked_param_type = "LiabilityShiftInput")] input: JsValue,
) -> JsResult<JsValue> {
    let value = pick_json(&input, "input", &["brand", "cardType", "eci", "cavvPresent", "region", "authentication"])?;
    let fields = Fields::of(&value, "input").map_err(to_js_error)?;
    let cavv_present = match fields.get("cavvPresent") {
        Some(Value::Bool(b)) => *b,
        None => false,
        Some(_) => return Err(to_js_error(ThreeDsError::invalid("input.cavvPresent", "a boolean"))),
    };
    let eci = match fields.get("eci") {
        Some(Value::Number(n)) => Some(n.as_text().to_string()),
        _ => fields.optional_str("eci").map_err(to_js_error)?.map(str::to_string),
    };
    let input = LiabilityInput {
        brand: fields.required_str("brand").map_err(to_js_error)?,
        card_type: fields.required_str("cardType").map_err(to_js_error)?,
        eci: eci.as_deref(),
        cavv_present,
        region: fields.optional_str("region").map_err(to_js_error)?,
        authentication: fields.optional_str("authentication").map_err(to_js_error)?,
    };
    to_js(&liability_shift(&input).map_err(to_js_error)?)
}
