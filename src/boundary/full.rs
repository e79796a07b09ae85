//! The full build's further exports: decoders, return parsers and their integrity checks, the notification
//! responder, the inspector and the interpretation tables, for servers, edge workers and tools.

use wasm_bindgen::prelude::*;

use super::{
    data_member, from_js_object, from_js_string, js_string_length, js_to_json, member_json, pick_json, pick_options,
    plain_string, to_js, to_js_error, JsResult, PLAIN_OPTIONS,
};
use crate::core::browser_info::ServerBrowserInfo;
use crate::core::creq::Creq;
use crate::core::cres::ChallengeResult;
use crate::core::error::{ErrorCode, ThreeDsError};
use crate::core::fields::{quote_for_message, Fields};
use crate::core::form::MAX_FORM_LEN;
use crate::core::inspect::inspect;
use crate::core::integrity;
use crate::core::interpret::{interpret_vresult_code, liability_shift, LiabilityInput};
use crate::core::json::{Map, ToJson, Value};
use crate::core::method::{MethodData, MethodNotification};
use crate::core::notification::{notification_page, Envelope, NotificationResult};
use crate::core::providers::{self, Keys, Provider, ReturnOptions, ReturnRequest};
use crate::core::session_data;

#[wasm_bindgen(typescript_custom_section)]
const TYPES: &str = r#"
export interface MethodNotification { threeDSServerTransID: string; }
/** A decoded CReq: any messageVersion of the form 2.x.y is read, so it is a string. */
export interface Creq {
  messageType: "CReq"; threeDSServerTransID: string; acsTransID: string; messageVersion: string;
  challengeWindowSize: ChallengeWindowSizeCode; messageExtension?: MessageExtension[];
}
export interface Inspection {
  kind: "threeDSMethodData" | "methodNotification" | "creq" | "cres" | "erro";
  decoded: MethodData | MethodNotification | Creq | Cres | Erro;
  fields: { name: string; value: string; meaning: string }[];
  warnings: string[];
}
export interface ServerBrowserInfo { browserAcceptHeader: string; browserIP?: string; }
export interface NotificationRequest { body: string; contentType?: string | null; }
export interface NotificationPageOptions { targetOrigin: string; nonce?: string; }
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
/** Read as the object's own properties: a plain object (`{ ... }` or `Object.create(null)`), never inherited ones. */
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

/// Decodes the `threeDSMethodData` a merchant page sends to the ACS.
#[wasm_bindgen(js_name = decodeMethodData, unchecked_return_type = "MethodData")]
pub fn decode_method_data(#[wasm_bindgen(unchecked_param_type = "string")] value: JsValue) -> JsResult<JsValue> {
    let value = from_js_string(value, "threeDSMethodData")?;
    to_js(&MethodData::decode(&value).map_err(to_js_error)?)
}

/// Decodes the `threeDSMethodData` an ACS posts to the notification URL, tolerating padding, either
/// alphabet, whitespace and misspelled keys (the transaction ID is matched by value).
#[wasm_bindgen(js_name = decodeMethodNotification, unchecked_return_type = "MethodNotification")]
pub fn decode_method_notification(
    #[wasm_bindgen(unchecked_param_type = "string")] value: JsValue,
) -> JsResult<JsValue> {
    let value = from_js_string(value, "threeDSMethodData")?;
    to_js(&MethodNotification::decode(&value).map_err(to_js_error)?)
}

/// Decodes a `creq` form value.
#[wasm_bindgen(js_name = decodeCreq, unchecked_return_type = "Creq")]
pub fn decode_creq(#[wasm_bindgen(unchecked_param_type = "string")] value: JsValue) -> JsResult<JsValue> {
    let value = from_js_string(value, "creq")?;
    to_js(&Creq::decode(&value).map_err(to_js_error)?)
}

/// Decodes a `cres` form value into a CRes or an Erro (messageType normalised).
#[wasm_bindgen(js_name = decodeCres, unchecked_return_type = "Cres | Erro")]
pub fn decode_cres(#[wasm_bindgen(unchecked_param_type = "string")] value: JsValue) -> JsResult<JsValue> {
    let value = from_js_string(value, "cres")?;
    to_js(&ChallengeResult::decode(&value).map_err(to_js_error)?)
}

/// Works out what a pasted payload is (threeDSMethodData, notification, creq, cres, Erro, or a form body
/// holding one), decodes and checks it, and explains each field.
#[wasm_bindgen(js_name = inspectPayload, unchecked_return_type = "Inspection")]
pub fn inspect_payload(#[wasm_bindgen(unchecked_param_type = "string")] value: JsValue) -> JsResult<JsValue> {
    let value = from_js_string(value, "payload")?;
    to_js(&inspect(&value).map_err(to_js_error)?)
}

/// The browser fields only a server or edge sees: `browserAcceptHeader` (the request's Accept header) and
/// `browserIP`. For workers: `serverBrowserInfo({ acceptHeader: request.headers.get("accept"), ip: request.headers.get("cf-connecting-ip") })`.
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

/// For the notification URLs the ACS posts to (server or worker, no DOM): decodes the form POST (method
/// notification, cres, erro, or nothing) and returns `{ result, html }`, where `html` is a page that posts
/// the tagged result to the parent window with exactly `targetOrigin`, under the CSP `nonce` if given.
/// A post that cannot be read is `{ type: "error", code, message }`, posted too, so the challenge ends at
/// once with that error; bad options throw.
#[wasm_bindgen(js_name = respondToNotification, unchecked_return_type = "{ result: NotificationResult; html: string }")]
pub fn respond_to_notification(
    #[wasm_bindgen(unchecked_param_type = "NotificationRequest")] request: JsValue,
    #[wasm_bindgen(unchecked_param_type = "NotificationPageOptions")] options: JsValue,
) -> JsResult<JsValue> {
    let fields = pick_json(&request, "request", &["contentType"])?;
    let fields = Fields::of(&fields, "request").map_err(to_js_error)?;
    let options = pick_options(&options, "options", &["targetOrigin", "nonce"])?;
    let options = Fields::of(&options, "options").map_err(to_js_error)?;
    // The body is what the ACS (or anyone) posted: too large is a result to post, like any unreadable post, and
    // it is measured before it is copied into wasm memory.
    let body = data_member(&request, "request", "body").map_err(to_js_error)?.unwrap_or(JsValue::UNDEFINED);
    let too_large = js_string_length(&body).is_some_and(|length| length > MAX_FORM_LEN);
    let body = match body.as_string() {
        _ if too_large => String::new(),
        Some(body) => body,
        None if body.is_undefined() || body.is_null() => String::new(),
        None => {
            return Err(to_js_error(ThreeDsError::invalid(
                "request.body",
                "a string (the raw form body, not a parsed object: see the README's raw-body recipes)",
            )))
        }
    };
    let content_type = fields.optional_str("contentType").map_err(to_js_error)?;
    let target_origin = options.required_str("targetOrigin").map_err(to_js_error)?;
    // An empty nonce is a mistake that would leave the page's script blocked by its own CSP.
    let nonce = match options.get("nonce") {
        Some(Value::String(nonce)) => Some(nonce.as_str()),
        None => None,
        Some(_) => return Err(to_js_error(ThreeDsError::invalid("options.nonce", "a string"))),
    };
    let result = if too_large {
        NotificationResult::Error {
            code: ErrorCode::TooLarge.as_str().to_string(),
            message: format!("form body is over {MAX_FORM_LEN} characters; at most {MAX_FORM_LEN} bytes are accepted"),
        }
    } else {
        NotificationResult::from_form_or_error(&body, content_type)
    };
    let result = as_the_merchant_page_reads_it(result);
    let html = notification_page(&result, target_origin, nonce).map_err(to_js_error)?;
    to_js(&Value::object([("result", result.to_json()), ("html", html.into())]))
}

/// Decodes threeDSSessionData made by `encodeSessionData` (as echoed by the ACS).
#[wasm_bindgen(js_name = decodeSessionData, unchecked_return_type = "unknown")]
pub fn decode_session_data(#[wasm_bindgen(unchecked_param_type = "string")] value: JsValue) -> JsResult<JsValue> {
    let value = from_js_string(value, "threeDSSessionData")?;
    to_js(&session_data::decode(&value).map_err(to_js_error)?)
}

/// The members `ReturnOptions` may have: a misspelled one (`expectedOrderID`) would otherwise quietly turn
/// a check off.
const RETURN_OPTIONS: &[&str] =
    &["provider", "expectedThreeDSServerTransID", "expectedOrderId", "keys", "maxAgeSeconds"];

/// The own properties of a JS object, each name with its value, or None where its getter threw. Each value is
/// read with the name the object listed (no name is made in wasm memory), and only own properties count: an
/// option inherited from a polluted `Object.prototype` is not an option (so that none is silently ignored
/// either, callers take plain objects only: [`is_plain_object`]). An object that refuses to list its
/// properties (a Proxy that throws) is an error naming it, never an exception thrown through the module.
fn own_entries(value: &JsValue, name: &str) -> Result<Vec<(String, Option<JsValue>)>, ThreeDsError> {
    let object: &js_sys::Object = value.unchecked_ref();
    let names = js_sys::Reflect::own_keys(object)
        .map_err(|_| ThreeDsError::invalid(name, "an object whose properties can be read"))?;
    // Symbols are not options; they are left out, as JSON leaves them out.
    Ok(names
        .iter()
        .filter_map(|key| key.as_string().map(|text| (text, js_sys::Reflect::get(value, &key).ok())))
        .collect())
}

/// Whether a JS object is plain: written `{ ... }` or made by `Object.create(null)`, in this realm. Its prototype
/// is null or this realm's `Object.prototype`; anything else (an object of defaults, a class instance, an object
/// of another realm, whose `Object.prototype` cannot be told from an object dressed as one) is not.
fn is_plain_object(value: &JsValue) -> bool {
    js_sys::Reflect::get_prototype_of(value).is_ok_and(|prototype| {
        prototype.is_null() || OBJECT_PROTOTYPE.with(|object_prototype| JsValue::from(prototype) == *object_prototype)
    })
}

#[wasm_bindgen]
extern "C" {
    /// This realm's `Object.prototype`, read from the binding itself (non-writable): no call to
    /// `Object.getPrototypeOf`, which data merged into an object's `constructor` can overwrite.
    #[wasm_bindgen(thread_local_v2, js_namespace = Object, js_name = prototype)]
    static OBJECT_PROTOTYPE: JsValue;
}

/// Reads `parseReturn`'s options: own properties only (see [`own_entries`]), each name one of
/// [`RETURN_OPTIONS`], `keys` member by member ([`read_keys`]) and the rest as JSON.
pub(super) fn return_options(options: JsValue) -> JsResult<ReturnOptions> {
    let entries = if options.is_undefined() || options.is_null() {
        Vec::new()
    } else if !options.is_object() {
        return Err(to_js_error(ThreeDsError::invalid("options", "an object")));
    } else if !is_plain_object(&options) {
        return Err(to_js_error(ThreeDsError::invalid("options", PLAIN_OPTIONS)));
    } else {
        own_entries(&options, "options").map_err(to_js_error)?
    };
    let mut keys = Keys::default();
    let mut fields = Map::new();
    for (name, value) in entries {
        let Some(value) = value else {
            let error = if name == "keys" {
                ThreeDsError::new(ErrorCode::InvalidKeys, "options.keys could not be read (is the secret configured?)")
            } else {
                ThreeDsError::invalid(
                    &format!("options.{}", quote_for_message(&name)),
                    "a property that can be read (its getter threw)",
                )
            };
            return Err(to_js_error(error));
        };
        match name.as_str() {
            "keys" => keys = read_keys(value)?,
            "provider" if value.is_undefined() => {}
            _ if RETURN_OPTIONS.contains(&name.as_str()) => {
                // Undefined reads as JSON null: a check asked for with no value, refused below.
                let value = member_json(&value, "options", &name)?;
                fields.insert(name, value);
            }
            _ => {
                return Err(to_js_error(ThreeDsError::invalid(
                    &format!("options.{}", quote_for_message(&name)),
                    format_args!("absent: ReturnOptions has only {}", RETURN_OPTIONS.join(", ")),
                )))
            }
        }
    }
    let fields = Value::Object(fields);
    // A check asked for with no value (`undefined` or `null`, or NaN and Infinity, which JSON writes as null:
    // an unset variable, most likely) is a mistake that would otherwise turn the check off.
    for check in ["expectedThreeDSServerTransID", "expectedOrderId", "maxAgeSeconds"] {
        if fields.get(check) == Some(&Value::Null) {
            return Err(to_js_error(ThreeDsError::invalid(
                &format!("options.{check}"),
                "a value, or absent (undefined, null, NaN and Infinity turn no check on)",
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
fn read_keys(keys: JsValue) -> JsResult<Keys> {
    let refuse = |message: String| to_js_error(ThreeDsError::new(ErrorCode::InvalidKeys, message));
    let unreadable = |what: &str| refuse(format!("options.{what} could not be read (is the secret configured?)"));
    // `keys: undefined` (an own member: `keys` is read only when the object has it) is most likely a secret
    // store that returned nothing, not "no keys".
    if keys.is_undefined() {
        return Err(refuse(
            "options.keys is undefined (is the secret configured?): omit it to read returns without integrity checks"
                .into(),
        ));
    }
    if !keys.is_object() {
        return Err(refuse("options.keys must be an object of key strings".into()));
    }
    if !is_plain_object(&keys) {
        return Err(refuse("options.keys must be a plain object of key strings (inherited keys are not read)".into()));
    }
    let entries = own_entries(&keys, "options.keys").map_err(|_| unreadable("keys"))?;
    if entries.is_empty() {
        return Err(refuse("options.keys is empty: omit it to read returns without integrity checks".into()));
    }
    let mut result = Keys::default();
    for (name, value) in entries {
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
        let Some(value) = value else { return Err(unreadable(&format!("keys.{name}"))) };
        // Read as the JSON path reads strings, so that a lone surrogate is refused, not copied as U+FFFD (which
        // would make two different secrets verify the same signatures).
        let text = match member_json(&value, "options.keys", &name) {
            Ok(Value::String(text)) => text,
            _ => return Err(refuse(format!("options.keys.{name} must be a string (is the secret configured?)"))),
        };
        *slot = Some(text);
    }
    Ok(result)
}

/// Normalises what came back through the browser (a GET or POST to a return or notification URL) for any of
/// the five providers or plain EMV: outcome, whether it is `trusted` (an integrity check with a merchant key
/// passed) and whether the merchant must `verifyWithServer`. Throws `integrity_failed` for a tampered return.
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

/// `result`, or the error the merchant page would refuse it with once the notification page has posted it.
/// The page's `JSON.parse` makes each number a double, which cannot hold every number JSON can write: `1e400`
/// in a message extension's data becomes null, and `1e9` comes back as `1000000000`, past a length limit
/// that the text as sent met. Posted as such, the result would be ignored and the challenge would wait out
/// its time limit; posted as the refusal, it ends at once.
fn as_the_merchant_page_reads_it(result: NotificationResult) -> NotificationResult {
    let Ok(posted) = js_sys::JSON::parse(&Envelope(result.clone()).to_json().to_json()) else { return result };
    match crate::dom::read_posted_result(&posted) {
        Ok(_) => result,
        Err(error) => NotificationResult::from_error(error),
    }
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

/// A merchant secret given to a verifier, read as the members of `options.keys` are: a string, a lone
/// surrogate refused rather than copied as U+FFFD (which would make two different secrets verify alike), and
/// anything else (`undefined`: an unset secret) `invalid_keys`, as the core's [`integrity::check_secret`] makes
/// an empty one.
fn secret_from_js(value: JsValue, name: &str) -> JsResult<String> {
    let text = match plain_string(&value) {
        Some(text) => Some(text),
        None if value.is_string() => match js_to_json(&value, name) {
            Ok(Value::String(text)) => Some(text),
            _ => None,
        },
        None => None,
    };
    match text {
        Some(text) => Ok(text),
        None => Err(to_js_error(ThreeDsError::new(
            ErrorCode::InvalidKeys,
            format!("{name} must be a string of the secret, with no lone surrogate (is the secret configured?)"),
        ))),
    }
}

/// A field of `pairs`, refusing one sent twice (the check and the caller must read the same value).
fn lookup(pairs: &[(String, String)], name: &str) -> Result<Option<String>, ThreeDsError> {
    crate::core::form::only(pairs, name).map(|v| v.map(str::to_string))
}

/// Acquired.com redirect POST: checks `hash` against status, transaction_id, order_id, timestamp and the app key.
#[wasm_bindgen(js_name = verifyAcquiredRedirect)]
pub fn verify_acquired_redirect(
    #[wasm_bindgen(unchecked_param_type = "FormFields")] fields: JsValue,
    #[wasm_bindgen(unchecked_param_type = "string", js_name = appKey)] app_key: JsValue,
) -> JsResult<bool> {
    let pairs = form_fields(fields, "fields")?;
    let app_key = secret_from_js(app_key, "appKey")?;
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
#[wasm_bindgen(js_name = verifyAcquiredWebhook)]
pub fn verify_acquired_webhook(
    #[wasm_bindgen(unchecked_param_type = "string", js_name = rawBody)] raw_body: JsValue,
    #[wasm_bindgen(unchecked_param_type = "string", js_name = hashHeader)] hash_header: JsValue,
    #[wasm_bindgen(unchecked_param_type = "string", js_name = appKey)] app_key: JsValue,
) -> JsResult<bool> {
    integrity::verify_acquired_webhook(
        &from_js_string(raw_body, "rawBody")?,
        &from_js_string(hash_header, "hashHeader")?,
        &secret_from_js(app_key, "appKey")?,
    )
    .map_err(to_js_error)
}

/// VeriTrans4G redirect POST: checks `vAuthInfo` over the fields `authParams` names, with the merchant CCID and password.
#[wasm_bindgen(js_name = verifyVeritransRedirect)]
pub fn verify_veritrans_redirect(
    #[wasm_bindgen(unchecked_param_type = "FormFields")] fields: JsValue,
    #[wasm_bindgen(unchecked_param_type = "string", js_name = merchantCcId)] merchant_cc_id: JsValue,
    #[wasm_bindgen(unchecked_param_type = "string", js_name = merchantPassword)] merchant_password: JsValue,
) -> JsResult<bool> {
    let pairs = form_fields(fields, "fields")?;
    let cc_id = secret_from_js(merchant_cc_id, "merchantCcId")?;
    let password = secret_from_js(merchant_password, "merchantPassword")?;
    integrity::verify_veritrans_redirect(&pairs, &cc_id, &password).map_err(to_js_error)
}

/// VeriTrans4G push notification: the `h=HmacSHA256;s=...;v=...` header (current MDKs), or the seed's
/// SHA-256(body + key) form.
#[wasm_bindgen(js_name = verifyVeritransPush)]
pub fn verify_veritrans_push(
    #[wasm_bindgen(unchecked_param_type = "string", js_name = rawBody)] raw_body: JsValue,
    #[wasm_bindgen(unchecked_param_type = "string", js_name = headerValue)] header_value: JsValue,
    #[wasm_bindgen(unchecked_param_type = "string", js_name = secretKey)] secret_key: JsValue,
) -> JsResult<bool> {
    integrity::verify_veritrans_push(
        &from_js_string(raw_body, "rawBody")?,
        &from_js_string(header_value, "headerValue")?,
        &secret_from_js(secret_key, "secretKey")?,
    )
    .map_err(to_js_error)
}

/// Ingenico RETURNMAC: constant-time equality of the returned and the stored value.
#[wasm_bindgen(js_name = verifyIngenicoReturnMac)]
pub fn verify_ingenico_return_mac(
    #[wasm_bindgen(unchecked_param_type = "string")] returned: JsValue,
    #[wasm_bindgen(unchecked_param_type = "string")] stored: JsValue,
) -> JsResult<bool> {
    integrity::verify_ingenico_return_mac(&from_js_string(returned, "returned")?, &secret_from_js(stored, "stored")?)
        .map_err(to_js_error)
}

/// What a VeriTrans4G vResultCode means for a service option type: whether payment may proceed, who bears the risk.
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
