//! Property tests on the host: round trips, and arbitrary input that must give a typed error, never a panic.
#![cfg(not(target_arch = "wasm32"))]

#[macro_use]
#[path = "support/json.rs"]
mod json_syntax;

use base64::Engine;
use proptest::prelude::*;
use threeds_kit::core::creq::Creq;
use threeds_kit::core::cres::ChallengeResult;
use threeds_kit::core::fields::Fields;
use threeds_kit::core::inspect::inspect;
use threeds_kit::core::json::Value;
use threeds_kit::core::method::{MethodData, MethodNotification};
use threeds_kit::core::providers::{
    next_action, parse_return, NextActionOptions, Provider, ReturnOptions, ReturnRequest,
};
use threeds_kit::core::{form, html_form, payload};

fn uuid() -> impl Strategy<Value = String> {
    "[0-9a-fA-F]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9A-F]{12}"
}

fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        ".{0,12}".prop_map(Value::String),
        prop::sample::select(vec!["Y", "N", "CRes", "cres", "Erro", "CReq", "2.2.0", "05", "A"]).prop_map(Value::from),
        uuid().prop_map(Value::String),
    ];
    leaf.prop_recursive(3, 24, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::btree_map(
                prop::sample::select(vec![
                    "messageType",
                    "threeDSServerTransID",
                    "acsTransID",
                    "messageVersion",
                    "transStatus",
                    "challengeCompletionInd",
                    "challengeWindowSize",
                    "errorCode",
                    "errorComponent",
                    "errorDescription",
                    "messageExtension",
                    "threeDSMethodNotificationURL",
                    "x",
                ])
                .prop_map(str::to_string),
                inner,
                0..8
            )
            .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

fn every_decoder(input: &str) {
    let _ = MethodData::decode(input);
    let _ = MethodNotification::decode(input);
    let _ = Creq::decode(input);
    let _ = ChallengeResult::decode(input);
    let _ = inspect(input);
    let _ = form::parse(input);
    let _ = html_form::first_form(input);
    for method in ["GET", "POST"] {
        let request = ReturnRequest {
            method: method.into(),
            url: format!("/r?{input}"),
            body: input.into(),
            content_type: Some("application/x-www-form-urlencoded".into()),
        };
        let _ = parse_return(&request, &ReturnOptions::default());
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn arbitrary_text_never_panics(input in ".{0,200}") {
        every_decoder(&input);
    }

    #[test]
    fn arbitrary_bytes_in_base64_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..300), url in any::<bool>()) {
        let encoded = if url {
            base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(&bytes)
        } else {
            base64::engine::general_purpose::STANDARD.encode(&bytes)
        };
        every_decoder(&encoded);
    }

    #[test]
    fn arbitrary_json_never_panics(value in json_value()) {
        let encoded = payload::encode(&value);
        every_decoder(&encoded);
        let _ = Fields::of(&value, "x").map(|f| (MethodData::from_fields(&f), Creq::from_fields(&f)));
    }

    #[test]
    fn provider_responses_never_panic(value in json_value(), provider in prop::sample::select(vec!["komoju", "veritrans", "ingenico", "shift4", "acquired"])) {
        let options = NextActionOptions { method_notification_url: Some("https://shop.example/n".into()), challenge_window_size: None };
        let _ = next_action(Provider::parse(provider, false).unwrap(), &value, &options);
        let _ = next_action(Provider::parse(provider, false).unwrap(), &Value::object([("payment", value.clone()), ("result", Value::Array(vec![value.clone()])), ("merchantAction", value)]), &options);
    }

    #[test]
    fn provider_returns_never_panic(names in prop::collection::vec(prop::sample::select(vec!["cres", "j", "secure_token_id", "RETURNMAC", "REF", "vResultCode", "RequestId", "OrderId", "authParams", "vAuthInfo", "status", "transaction_id", "hash", "order_id", "timestamp"]), 0..6), values in prop::collection::vec("[A-Za-z0-9%+=/_ -]{0,40}", 6), provider in prop::option::of(prop::sample::select(vec!["komoju", "veritrans", "ingenico", "shift4", "acquired", "emv"]))) {
        let body: Vec<String> = names.iter().zip(values.iter()).map(|(n, v)| format!("{n}={v}")).collect();
        let request = ReturnRequest { method: "POST".into(), url: format!("/r?{}", body.join("&")), body: body.join("&"), content_type: None };
        let mut options = ReturnOptions { provider: provider.map(|p| Provider::parse(p, true).unwrap()), ..Default::default() };
        options.keys.acquired_app_key = Some("k".into());
        options.keys.ingenico_return_mac = Some("m".into());
        options.keys.veritrans_merchant_cc_id = Some("c".into());
        options.keys.veritrans_merchant_password = Some("p".into());
        let _ = parse_return(&request, &options);
    }

    #[test]
    fn method_data_round_trips(id in uuid(), path in "[a-z0-9/]{0,40}", port in 1u16..) {
        let data = MethodData { three_ds_server_trans_id: id.clone(), notification_url: format!("https://m.example:{port}/{path}") };
        let encoded = data.encode();
        prop_assert!(!encoded.contains(['+', '/', '=']));
        prop_assert_eq!(MethodData::decode(&encoded).unwrap(), data);
        prop_assert_eq!(MethodNotification::decode(&encoded).unwrap().three_ds_server_trans_id, id);
    }

    #[test]
    fn creq_round_trips(ids in (uuid(), uuid()), size in 1u8..=5, version in prop::sample::select(vec!["2.1.0", "2.2.0", "2.3.1"])) {
        let input = json!({
            "threeDSServerTransID": ids.0, "acsTransID": ids.1, "messageVersion": version,
            "challengeWindowSize": format!("0{size}"),
        });
        let creq = Creq::from_fields(&Fields::of(&input, "").unwrap()).unwrap();
        let encoded = creq.encode();
        prop_assert!(!encoded.contains(['+', '/', '=']));
        prop_assert_eq!(Creq::decode(&encoded).unwrap(), creq);
    }

    #[test]
    fn cres_decodes_in_every_encoding(ids in (uuid(), uuid()), status in prop::sample::select(vec!["Y", "N"]), casing in prop::sample::select(vec!["CRes", "cres", "CRES", "Cres"])) {
        let json = json!({"threeDSServerTransID": ids.0, "acsTransID": ids.1, "messageType": casing,
            "messageVersion": "2.2.0", "transStatus": status, "challengeCompletionInd": "Y"}).to_string();
        for encoded in [
            base64::engine::general_purpose::STANDARD.encode(&json),
            base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(&json),
            base64::engine::general_purpose::URL_SAFE.encode(&json),
        ] {
            let ChallengeResult::Cres(cres) = ChallengeResult::decode(&encoded).unwrap() else { panic!("not a CRes") };
            prop_assert_eq!(cres.message_type, "CRes");
            prop_assert_eq!(cres.trans_status.as_deref(), Some(status));
        }
    }
}
