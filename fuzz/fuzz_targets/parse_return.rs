//! `parseReturn` for every provider and with detection, with and without keys. The input is split into a URL
//! query and a body at the first NUL. Invariants: with keys, a result is trusted (an integrity check passed)
//! or there is no result; without keys, nothing is trusted; a trusted result re-verifies with the standalone
//! checks on the same fields.
#![no_main]

use libfuzzer_sys::fuzz_target;
use threeds_kit::core::form;
use threeds_kit::core::integrity;
use threeds_kit::core::providers::{parse_return, Keys, Provider, ReturnOptions, ReturnRequest};

const CC_ID: &str = "A100000000000001";
const PASSWORD: &str = "merchant-password";
const APP_KEY: &str = "app_key";

fn keys_for(provider: Option<Provider>) -> Keys {
    match provider {
        Some(Provider::Acquired) => Keys { acquired_app_key: Some(APP_KEY.into()), ..Keys::default() },
        Some(Provider::Veritrans) => Keys {
            veritrans_merchant_cc_id: Some(CC_ID.into()),
            veritrans_merchant_password: Some(PASSWORD.into()),
            ..Keys::default()
        },
        Some(Provider::Ingenico) => Keys { ingenico_return_mac: Some("stored-mac".into()), ..Keys::default() },
        // Detection with every key: the detected provider's check must run.
        None => Keys {
            acquired_app_key: Some(APP_KEY.into()),
            veritrans_merchant_cc_id: Some(CC_ID.into()),
            veritrans_merchant_password: Some(PASSWORD.into()),
            ingenico_return_mac: Some("stored-mac".into()),
        },
        Some(_) => Keys::default(),
    }
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let (query, body) = text.split_once('\0').unwrap_or(("", text));
    let request = ReturnRequest {
        method: "POST".into(),
        url: format!("https://shop.example/return?{query}"),
        body: body.to_string(),
        content_type: Some("application/x-www-form-urlencoded".into()),
    };
    let providers = [
        None,
        Some(Provider::Komoju),
        Some(Provider::Veritrans),
        Some(Provider::Ingenico),
        Some(Provider::Shift4),
        Some(Provider::Acquired),
        Some(Provider::Emv),
    ];
    for provider in providers {
        let unkeyed = ReturnOptions { provider, ..ReturnOptions::default() };
        if let Ok(result) = parse_return(&request, &unkeyed) {
            assert!(!result.trusted, "trusted without keys: {result:?}");
        }
        let keys = keys_for(provider);
        if keys.is_empty() {
            continue;
        }
        let expected_order_id = (provider == Some(Provider::Ingenico)).then(|| "1".to_string());
        let keyed = ReturnOptions { provider, keys, expected_order_id, ..ReturnOptions::default() };
        let Ok(result) = parse_return(&request, &keyed) else { continue };
        assert!(result.trusted, "a keyed result that is not trusted: {result:?}");
        let body = form::parse(body).expect("the body parsed for the result");
        let get = |name: &str| form::only(&body, name).expect("no duplicates in a result's body");
        match result.provider {
            "acquired" => assert_eq!(
                integrity::verify_acquired_redirect(
                    get("status"),
                    get("transaction_id"),
                    get("order_id"),
                    get("timestamp"),
                    get("hash"),
                    APP_KEY
                ),
                Ok(true)
            ),
            "veritrans" => assert_eq!(integrity::verify_veritrans_redirect(&body, CC_ID, PASSWORD), Ok(true)),
            "ingenico" => assert_eq!(
                result.ids.get("paymentId").or(result.ids.get("hostedCheckoutId")).and_then(|v| v.as_str()),
                Some("1")
            ),
            other => panic!("{other} came out trusted"),
        }
    }
});
