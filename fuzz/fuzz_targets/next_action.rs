//! Every provider's `nextAction` on any JSON response, and `plan` on what it returns: a typed error or an
//! action whose URLs are https (or http to a trustworthy host) and which `plan` accepts.
#![no_main]

use libfuzzer_sys::fuzz_target;
use threeds_kit::core::action::plan;
use threeds_kit::core::fields::Fields;
use threeds_kit::core::json::{self, Map, ToJson, Value};
use threeds_kit::core::providers::{next_action, NextActionOptions, Provider};

fuzz_target!(|data: &[u8]| {
    let Ok(response) = std::str::from_utf8(data).map_err(drop).and_then(|text| json::parse(text).map_err(drop)) else {
        return;
    };
    let options = NextActionOptions {
        method_notification_url: Some("https://shop.example/3ds/method".into()),
        challenge_window_size: None,
    };
    for provider in [Provider::Komoju, Provider::Veritrans, Provider::Ingenico, Provider::Shift4, Provider::Acquired] {
        for options in [&options, &NextActionOptions::default()] {
            let Ok(action) = next_action(provider, &response, options) else { continue };
            let action = action.to_json();
            if let Some(url) = action.get("url").and_then(Value::as_str) {
                let lower = url.to_ascii_lowercase();
                assert!(lower.starts_with("https://") || lower.starts_with("http://"), "{url}");
            }
            let _ = plan(&action, &Fields::of(&Value::Object(Map::new()), "options").expect("an object"));
        }
    }
});
