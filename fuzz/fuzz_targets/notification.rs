//! A form POST to a notification URL, read and answered with the notification page: the body never gets out
//! of the page's one script (exactly one `</script>`, no markup from the input), and what the page posts is
//! what the body said.
#![no_main]

use libfuzzer_sys::fuzz_target;
use threeds_kit::core::error::ErrorCode;
use threeds_kit::core::form;
use threeds_kit::core::notification::{notification_page, Envelope, NotificationResult};

fuzz_target!(|data: &[u8]| {
    let Ok(body) = std::str::from_utf8(data) else { return };
    if let Ok(pairs) = form::parse(body) {
        // The form encoding escapes more than a sender must (a raw NUL is three bytes once encoded), so what
        // was read may encode past the limit: then reading it again is a typed refusal, never other pairs.
        let encoded = form::encode(&pairs);
        match form::parse(&encoded) {
            Ok(again) => assert_eq!(again, pairs),
            Err(e) => assert!(encoded.len() > form::MAX_FORM_LEN && e.code == ErrorCode::TooLarge, "{e:?}"),
        }
    }
    let result = NotificationResult::from_form_or_error(body, Some("application/x-www-form-urlencoded"));
    let page = notification_page(&result, "https://shop.example", Some("abc123")).expect("a page for any result");
    assert_eq!(page.matches("</script").count(), 1, "{page}");
    assert_eq!(page.matches("<script").count(), 1, "{page}");
    assert!(!page.contains("<!--") && !page.contains('\u{2028}') && !page.contains('\u{2029}'), "{page}");
    let script =
        page.split("<script nonce=\"abc123\">").nth(1).and_then(|s| s.split("</script>").next()).expect("one script");
    let message = script
        .strip_prefix("window.parent.postMessage(JSON.parse(")
        .and_then(|s| s.strip_suffix("), \"https://shop.example\");"))
        .expect("the script posts one message to the merchant origin");
    // A JS string literal that is also a JSON string (serde_json reads it independently), holding JSON.
    let message: String = serde_json::from_str(message).expect("the message is a string literal");
    let posted = threeds_kit::core::json::parse(&message).expect("the message is JSON");
    assert_eq!(Envelope::read(&posted), Some(Envelope(result)));
});
