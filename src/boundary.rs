//! The `#[wasm_bindgen]` exports. Each one decodes its JS input, calls the core, and encodes the result;
//! no protocol logic lives here. Errors leave as real `Error` objects named `ThreeDsError` with a `code`.

use serde::Serialize;
use serde_json::Value;
use wasm_bindgen::prelude::*;

use crate::core::creq::Creq;
use crate::core::cres::ChallengeResult;
use crate::core::error::{ErrorCode, ThreeDsError};
use crate::core::fields::Fields;
use crate::core::inspect::inspect;
use crate::core::method::{MethodData, MethodNotification};
use crate::core::window::window_size;

#[wasm_bindgen(typescript_custom_section)]
const TYPES: &str = r#"
/** Stable codes of ThreeDsError. */
export type ThreeDsErrorCode = "invalid_base64" | "invalid_json" | "missing_field" | "invalid_field" | "too_large";
/** Every error this package throws: a real Error with name "ThreeDsError" and a stable code. */
export interface ThreeDsError extends Error { name: "ThreeDsError"; code: ThreeDsErrorCode; }
export type ChallengeWindowSizeCode = "01" | "02" | "03" | "04" | "05";
export type MessageVersion = "2.1.0" | "2.2.0" | "2.3.0" | "2.3.1";
export interface MessageExtension { name: string; id: string; criticalityIndicator: boolean; data: unknown; }
export interface MethodData { threeDSServerTransID: string; threeDSMethodNotificationURL: string; }
export interface MethodNotification { threeDSServerTransID: string; }
export interface CreqInput {
  threeDSServerTransID: string; acsTransID: string; messageVersion: MessageVersion;
  challengeWindowSize: ChallengeWindowSizeCode; messageExtension?: MessageExtension[];
}
export interface Creq extends CreqInput { messageType: "CReq"; messageVersion: string; }
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
"#;

/// Turns a core error into the `ThreeDsError` JS callers see.
pub(crate) fn to_js_error(error: ThreeDsError) -> JsValue {
    let js = js_sys::Error::new(&error.message);
    js.set_name("ThreeDsError");
    // Setting a property on a fresh Error object cannot fail.
    let _ = js_sys::Reflect::set(&js, &"code".into(), &error.code.as_str().into());
    js.into()
}

type JsResult<T> = Result<T, JsValue>;

fn to_js<T: Serialize>(value: &T) -> JsResult<JsValue> {
    value
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(|e| to_js_error(ThreeDsError::new(ErrorCode::InvalidField, e.to_string())))
}

/// Reads a JS options object as JSON (undefined members become null, which counts as absent).
fn from_js_object(value: JsValue, name: &str) -> JsResult<Value> {
    if !value.is_object() {
        return Err(to_js_error(ThreeDsError::invalid(name, "an object")));
    }
    serde_wasm_bindgen::from_value(value)
        .map_err(|e| to_js_error(ThreeDsError::invalid(name, format_args!("plain JSON data ({e})"))))
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

/// Encodes a browser CReq (`messageType` is added) as base64url JSON without padding.
#[wasm_bindgen(js_name = encodeCreq, unchecked_return_type = "string")]
pub fn encode_creq(#[wasm_bindgen(unchecked_param_type = "CreqInput")] creq: JsValue) -> JsResult<String> {
    let value = from_js_object(creq, "creq")?;
    let fields = Fields::of(&value, "").map_err(to_js_error)?;
    Creq::from_fields(&fields).map(|c| c.encode()).map_err(to_js_error)
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
#[wasm_bindgen(js_name = inspectPayload, unchecked_return_type = "Inspection")]
pub fn inspect_payload(#[wasm_bindgen(unchecked_param_type = "string")] value: JsValue) -> JsResult<JsValue> {
    let value = from_js_string(value, "payload")?;
    to_js(&inspect(&value).map_err(to_js_error)?)
}
