//! Every provider's `nextAction` on any JSON response, and `plan` on what it returns: a typed error or an
//! action whose URLs are https (or http to a trustworthy host) and which `plan` accepts.
#![no_main]

use libfuzzer_sys::fuzz_target;
use serde_json::Value;
use threeds_kit::core::action::plan;
use threeds_kit::core::fields::Fields;
use threeds_kit::core::providers::{next_action, NextActionOptions, Provider};

fuzz_target!(|data: &[u8]| {
    let Ok(response) = serde_json::from_slice::<Value>(data) else { return };
    let options = NextActionOptions {
        method_notification_url: Some("https://shop.example/3ds/method".into()),
        challenge_window_size: None,
    };
    for provider in [Provider::Komoju, Provider::Veritrans, Provider::Ingenico, Provider::Shift4, Provider::Acquired] {
        for options in [&options, &NextActionOptions::default()] {
            let Ok(action) = next_action(provider, &response, options) else { continue };
            let action = serde_json::to_value(&action).expect("actions serialise");
            if let Some(url) = action.get("url").and_then(Value::as_str) {
                let lower = url.to_ascii_lowercase();
                assert!(lower.starts_with("https://") || lower.starts_with("http://"), "{url}");
            }
            let _ = plan(&action, &Fields::of(&serde_json::json!({}), "options").expect("an object"));
        }
    }
});
