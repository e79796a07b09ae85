//! The shared wasm suite in headless Chromium, and the DOM module where there is a window.
#![cfg(target_arch = "wasm32")]

wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

mod common;

use threeds_kit::boundary::{collect_browser_info, run_method};
use wasm_bindgen_test::wasm_bindgen_test;

#[wasm_bindgen_test]
fn browser_info_is_valid_for_the_areq() {
    let info = collect_browser_info().expect("a window");
    let field =
        |name: &str| js_sys::Reflect::get(&info, &name.into()).ok().and_then(|v| v.as_string()).unwrap_or_default();
    assert!(["1", "4", "8", "15", "16", "24", "32", "48"].contains(&field("browserColorDepth").as_str()));
    assert!(!field("browserLanguage").is_empty() && field("browserLanguage").len() <= 8);
    assert!(field("browserTZ").parse::<i32>().is_ok());
}

#[wasm_bindgen_test]
async fn an_aborted_signal_touches_nothing() {
    let document = web_sys::window().and_then(|w| w.document()).expect("document");
    let frames_before = document.get_elements_by_tag_name("iframe").length();
    let options = js_sys::JSON::parse(
        r#"{"methodUrl":"https://acs.example/m","threeDSServerTransID":"8a880dc0-d2d2-4067-bcb1-b08d1690b26e","notificationUrl":"https://shop.example/n"}"#,
    )
    .expect("test JSON");
    let controller = web_sys::AbortController::new().expect("AbortController");
    controller.abort();
    js_sys::Reflect::set(&options, &"signal".into(), &controller.signal()).expect("set");
    let error = run_method(options).await.expect_err("aborted");
    assert_eq!(
        js_sys::Reflect::get(&error, &"code".into()).ok().and_then(|c| c.as_string()).as_deref(),
        Some("aborted")
    );
    assert_eq!(document.get_elements_by_tag_name("iframe").length(), frames_before);
}
