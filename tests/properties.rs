//! Property tests on the host: round trips, and arbitrary input that must give a typed error, never a panic.
#![cfg(not(target_arch = "wasm32"))]

use base64::Engine;
use proptest::prelude::*;
use serde_json::{json, Value};
use threeds_kit::core::creq::Creq;
use threeds_kit::core::cres::ChallengeResult;
use threeds_kit::core::fields::Fields;
use threeds_kit::core::inspect::inspect;
use threeds_kit::core::method::{MethodData, MethodNotification};
use threeds_kit::core::{form, payload};

fn uuid() -> impl Strategy<Value = String> {
    "[0-9a-fA-F]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9A-F]{12}"
}

fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(|n| json!(n)),
        ".{0,12}".prop_map(Value::String),
        prop::sample::select(vec!["Y", "N", "CRes", "cres", "Erro", "CReq", "2.2.0", "05", "A"]).prop_map(|s| json!(s)),
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
