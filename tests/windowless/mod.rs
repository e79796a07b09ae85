//! What a runtime without a window (Node, a dedicated worker) must answer to the browser steps.

use threeds_kit::boundary::{collect_browser_info, run_method};
use wasm_bindgen::JsValue;
use wasm_bindgen_test::wasm_bindgen_test;

fn code_of(error: JsValue) -> Option<String> {
    js_sys::Reflect::get(&error, &"code".into()).ok()?.as_string()
}

#[wasm_bindgen_test]
async fn browser_steps_need_a_window() {
    let options = js_sys::JSON::parse(
        r#"{"methodUrl":"https://acs.example/m","threeDSServerTransID":"8a880dc0-d2d2-4067-bcb1-b08d1690b26e","notificationUrl":"https://shop.example/n"}"#,
    )
    .expect("test JSON");
    let error = run_method(options).await.expect_err("no window in Node");
    assert_eq!(code_of(error).as_deref(), Some("unsupported_environment"));
    assert_eq!(code_of(collect_browser_info().expect_err("no window")).as_deref(), Some("unsupported_environment"));
}
