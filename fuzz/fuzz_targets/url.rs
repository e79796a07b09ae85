//! URL checks: an accepted URL's origin is a fixed point (parsed again, it is the same origin, as a browser
//! would serialise it), plain http only to potentially trustworthy hosts, and the responder's target origin
//! is accepted only when written exactly as an origin.
#![no_main]

use libfuzzer_sys::fuzz_target;
use threeds_kit::core::notification::check_target_origin;
use threeds_kit::core::url::{check_notification_url, check_secure_url, parse_http_url};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if let Ok(url) = parse_http_url("u", text) {
        let origin = url.origin();
        let again = parse_http_url("u", &origin).expect("an origin parses");
        assert_eq!(again.origin(), origin);
        assert!(origin.is_ascii() && origin == origin.to_ascii_lowercase(), "{origin}");
    }
    if let Ok(origin) = check_secure_url("u", text, 2048) {
        assert!(
            origin.starts_with("https://")
                || parse_http_url("u", &origin).expect("parses").host.is_potentially_trustworthy()
        );
    }
    let _ = check_notification_url("u", text);
    if let Ok(origin) = check_target_origin(text) {
        assert_eq!(origin, text.trim_end_matches('/'));
    }
});
