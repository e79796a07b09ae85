//! Reads the browser-channel fields from the page.

use js_sys::{Function, Reflect};
use wasm_bindgen::JsCast;

use crate::core::browser_info::{BrowserInfo, RawBrowserInfo};
use crate::core::error::{ErrorCode, Result, ThreeDsError};

/// Collects what the page can read and normalises it for the AReq.
pub fn collect() -> Result<BrowserInfo> {
    let window = web_sys::window().ok_or_else(|| {
        ThreeDsError::new(ErrorCode::UnsupportedEnvironment, "collectBrowserInfo needs a browser window")
    })?;
    let navigator = window.navigator();
    let screen = window.screen().ok();
    let read = |f: fn(&web_sys::Screen) -> std::result::Result<i32, wasm_bindgen::JsValue>| {
        screen.as_ref().and_then(|s| f(s).ok()).map_or(0.0, f64::from)
    };
    // javaEnabled() is gone from some browsers' Navigator; absent means false.
    let java_enabled = Reflect::get(&navigator, &"javaEnabled".into())
        .ok()
        .and_then(|f| f.dyn_into::<Function>().ok())
        .and_then(|f| f.call0(&navigator).ok())
        .and_then(|v| v.as_bool())
        .unwrap_or(false);
    Ok(BrowserInfo::from_raw(&RawBrowserInfo {
        color_depth: read(web_sys::Screen::color_depth),
        screen_height: read(web_sys::Screen::height),
        screen_width: read(web_sys::Screen::width),
        timezone_offset: js_sys::Date::new_0().get_timezone_offset(),
        language: navigator.language().unwrap_or_default(),
        java_enabled,
        user_agent: navigator.user_agent().unwrap_or_default(),
    }))
}
