//! The non-DOM wasm suite, shared by the Node, browser and dedicated-worker runners: the exports as JS
//! sees them (plain objects out, ThreeDsError objects with codes thrown).

use js_sys::{Error, Reflect, JSON};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::wasm_bindgen_test;

use threeds_kit::boundary::*;

const ID: &str = "8a880dc0-d2d2-4067-bcb1-b08d1690b26e";
const ACS_ID: &str = "d7c1ee99-9478-44a6-b1f2-391e29c6b340";

fn js(json: &str) -> JsValue {
    JSON::parse(json).expect("test JSON parses")
}

fn get(object: &JsValue, key: &str) -> JsValue {
    Reflect::get(object, &key.into()).expect("object property")
}

fn assert_three_ds_error(result: Result<impl core::fmt::Debug, JsValue>, code: &str, field: &str) {
    let error = result.expect_err("should fail");
    assert!(error.is_instance_of::<Error>(), "a real Error");
    let error: Error = error.unchecked_into();
    assert_eq!(error.name(), "ThreeDsError");
    assert_eq!(get(&error, "code").as_string().as_deref(), Some(code));
    let message = String::from(error.message());
    assert!(message.contains(field), "message {message:?} names {field}");
}

#[wasm_bindgen_test]
fn method_data_round_trip_is_base64url_without_padding() {
    let input = js(&format!(
        r#"{{"threeDSServerTransID":"{ID}","threeDSMethodNotificationURL":"https://merchant.example/n?a=1"}}"#
    ));
    let encoded = encode_method_data(input).unwrap();
    assert!(!encoded.contains(['=', '+', '/']), "{encoded}");
    let json = from_base64url_json(&encoded);
    assert_eq!(
        get(&json, "threeDSMethodNotificationURL").as_string().as_deref(),
        Some("https://merchant.example/n?a=1")
    );
    #[cfg(feature = "full")]
    full_build_decodes_method_data(&encoded);
}

#[cfg(feature = "full")]
fn full_build_decodes_method_data(encoded: &str) {
    let decoded = decode_method_data(encoded.into()).unwrap();
    assert!(
        js_sys::Object::get_prototype_of(&decoded) == js_sys::Object::get_prototype_of(&js_sys::Object::new()),
        "a plain object"
    );
    assert_eq!(get(&decoded, "threeDSServerTransID").as_string().as_deref(), Some(ID));
    let notification = decode_method_notification(format!("  {encoded}==\n").into()).unwrap();
    assert_eq!(get(&notification, "threeDSServerTransID").as_string().as_deref(), Some(ID));
}

#[wasm_bindgen_test]
fn creq_and_cres() {
    let creq = js(&format!(
        r#"{{"threeDSServerTransID":"{ID}","acsTransID":"{ACS_ID}","messageVersion":"2.2.0","challengeWindowSize":"03"}}"#
    ));
    let encoded = encode_creq(creq).unwrap();
    let json = from_base64url_json(&encoded);
    assert_eq!(get(&json, "messageType").as_string().as_deref(), Some("CReq"));
    assert!(get(&json, "messageExtension").is_undefined());
    #[cfg(feature = "full")]
    full_build_decodes_creq_and_cres(&encoded);
}

#[cfg(feature = "full")]
fn full_build_decodes_creq_and_cres(encoded: &str) {
    let decoded = decode_creq(encoded.into()).unwrap();
    assert_eq!(get(&decoded, "messageType").as_string().as_deref(), Some("CReq"));

    let cres = format!(
        r#"{{"threeDSServerTransID":"{ID}","acsTransID":"{ACS_ID}","messageType":"cRES","messageVersion":"2.2.0","transStatus":"Y","challengeCompletionInd":"Y"}}"#
    );
    let padded = String::from(js_sys::global().unchecked_into::<WindowOrWorker>().btoa(&cres));
    let result = decode_cres(padded.into()).unwrap();
    assert_eq!(get(&result, "messageType").as_string().as_deref(), Some("CRes"));
    assert_eq!(get(&result, "transStatus").as_string().as_deref(), Some("Y"));
}

#[wasm_bindgen_test]
fn window_sizes() {
    let size = challenge_window_size("04".into()).unwrap();
    assert_eq!(get(&size, "width").as_string().as_deref(), Some("600px"));
    assert_eq!(get(&size, "height").as_string().as_deref(), Some("400px"));
    assert_three_ds_error(challenge_window_size("6".into()), "invalid_field", "challengeWindowSize");
}

#[wasm_bindgen_test]
fn bad_input_is_a_typed_error() {
    #[cfg(feature = "full")]
    {
        assert_three_ds_error(decode_cres(JsValue::UNDEFINED), "missing_field", "cres");
        assert_three_ds_error(decode_cres(JsValue::from(42)), "invalid_field", "cres");
        assert_three_ds_error(decode_cres("%%%".into()), "invalid_base64", "cres");
        assert_three_ds_error(decode_cres("bm90IGpzb24".into()), "invalid_json", "cres");
        assert_three_ds_error(decode_cres("A".repeat(200_000).into()), "too_large", "cres");
    }
    assert_three_ds_error(next_action("paypal".into(), js("{}"), None), "unknown_provider", "provider");
    assert_three_ds_error(encode_method_data(JsValue::NULL), "invalid_field", "methodData");
    assert_three_ds_error(
        encode_method_data(js(&format!(
            r#"{{"threeDSServerTransID":"{ID}","threeDSMethodNotificationURL":"http://evil.example/"}}"#
        ))),
        "invalid_field",
        "threeDSMethodNotificationURL",
    );
    assert_three_ds_error(encode_creq(js("{}")), "missing_field", "threeDSServerTransID");
}

/// The JSON inside a base64url value, read with the engine's own `atob` and `JSON.parse`.
fn from_base64url_json(encoded: &str) -> JsValue {
    let standard: String = encoded
        .chars()
        .map(|c| match c {
            '-' => '+',
            '_' => '/',
            c => c,
        })
        .collect();
    let padded = format!("{standard}{}", "=".repeat((4 - standard.len() % 4) % 4));
    let text = js_sys::global().unchecked_into::<WindowOrWorker>().atob(&padded);
    JSON::parse(&String::from(text)).expect("the payload is JSON")
}

#[cfg(feature = "full")]
#[wasm_bindgen_test]
fn inspector_explains_fields() {
    let value = encode_method_data(js(&format!(
        r#"{{"threeDSServerTransID":"{ID}","threeDSMethodNotificationURL":"https://merchant.example/n"}}"#
    )))
    .unwrap();
    let report = inspect_payload(value.into()).unwrap();
    assert_eq!(get(&report, "kind").as_string().as_deref(), Some("threeDSMethodData"));
    assert!(js_sys::Array::is_array(&get(&report, "fields")));
}

#[wasm_bindgen::prelude::wasm_bindgen]
extern "C" {
    /// `btoa` on whichever global this runs in (window, worker, Node).
    type WindowOrWorker;
    #[wasm_bindgen(method)]
    fn btoa(this: &WindowOrWorker, data: &str) -> js_sys::JsString;
    #[wasm_bindgen(method)]
    fn atob(this: &WindowOrWorker, data: &str) -> js_sys::JsString;
}

#[wasm_bindgen_test]
fn providers_and_integrity_without_a_window() {
    let action = next_action(
        "komoju".into(),
        js(r#"{"verification_status":"NEEDS_VERIFY","authentication_url":"https://komoju.com/x"}"#),
        None,
    )
    .unwrap();
    assert_eq!(get(&action, "type").as_string().as_deref(), Some("redirect"));
    assert_three_ds_error(
        next_action("komoju".into(), js(r#"{"verification_status":"??"}"#), None),
        "unknown_status",
        "verification_status",
    );
    #[cfg(feature = "full")]
    full_build_checks_returns_without_a_window();
}

#[cfg(feature = "full")]
fn full_build_checks_returns_without_a_window() {
    let fields = js(
        r#"{"status":"executed","transaction_id":"1970f4e1-95da-4859-b275-e9ac83f05eb1","order_id":"your_unique_reference_1","timestamp":"1657183950","hash":"4e7e127a6ab8e7c4d73100e0c959eb42e1d61adff6b641c6ea7e4690e44cbff0"}"#,
    );
    assert_eq!(verify_acquired_redirect(fields, "app_key".into()), Ok(true));
    let result = parse_return(js(r#"{"method":"GET","url":"/r?secure_token_id=tok_1"}"#), None).unwrap();
    assert_eq!(get(&result, "outcome").as_string().as_deref(), Some("pending"));
    let response =
        respond_to_notification(js(r#"{"body":""}"#), js(r#"{"targetOrigin":"https://shop.example"}"#)).unwrap();
    assert_eq!(get(&get(&response, "result"), "type").as_string().as_deref(), Some("empty"));
}

#[wasm_bindgen_test]
async fn run_method_without_a_method_url_is_u_everywhere() {
    let result = run_method(js(r#"{"methodUrl":null}"#)).await.unwrap();
    assert_eq!(get(&result, "compInd").as_string().as_deref(), Some("U"));
}

#[wasm_bindgen_test]
async fn run_method_refuses_bad_options_with_a_typed_error() {
    let options = js(&format!(
        r#"{{"methodUrl":"javascript:alert(1)","threeDSServerTransID":"{ID}","notificationUrl":"https://shop.example/n"}}"#
    ));
    assert_three_ds_error(run_method(options).await, "invalid_field", "methodUrl");
}
