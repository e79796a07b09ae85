//! The crate's JSON module (src/core/json.rs) against serde_json as an oracle: the same texts accepted and
//! refused (but for the refusals that are ours on purpose), the same values read, and values written that
//! read back exactly.
#![cfg(not(target_arch = "wasm32"))]

use proptest::prelude::*;
use threeds_kit::core::json::{self, ParseErrorKind};

/// serde_json values of every kind: floats at the edges, big integers, strings with escapes and astral
/// characters, nested arrays and objects.
fn serde_value() -> impl Strategy<Value = serde_json::Value> {
    let leaf = prop_oneof![
        Just(serde_json::Value::Null),
        any::<bool>().prop_map(serde_json::Value::Bool),
        any::<i64>().prop_map(serde_json::Value::from),
        any::<u64>().prop_map(serde_json::Value::from),
        any::<f64>().prop_filter("finite", |f| f.is_finite()).prop_map(serde_json::Value::from),
        "\\PC{0,12}".prop_map(serde_json::Value::String),
        "[\"\\\\/\u{0}-\u{1f}\u{7f}\u{2028}é😀]{0,8}".prop_map(serde_json::Value::String),
    ];
    leaf.prop_recursive(4, 48, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..5).prop_map(serde_json::Value::Array),
            prop::collection::btree_map("[a-zA-Z\"\\\\é]{0,6}", inner, 0..6)
                .prop_map(|m| serde_json::Value::Object(m.into_iter().collect())),
        ]
    })
}

/// Text that is almost JSON: the grammar's characters in any order, so that both parsers meet every error.
fn json_like_text() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop_oneof![
            Just("{".to_string()),
            Just("}".to_string()),
            Just("[".to_string()),
            Just("]".to_string()),
            Just(",".to_string()),
            Just(":".to_string()),
            Just("\"a\"".to_string()),
            Just("\"".to_string()),
            Just("\\u00".to_string()),
            Just("\\ud83d\\ude00".to_string()),
            Just("\\ud800".to_string()),
            Just("null".to_string()),
            Just("tru".to_string()),
            Just("true".to_string()),
            "-?[0-9]{0,3}(\\.[0-9]{0,2})?([eE][+-]?[0-9]{0,3})?",
            Just(" ".to_string()),
            Just("\u{1}".to_string()),
            Just("é".to_string()),
        ],
        0..16,
    )
    .prop_map(|parts| parts.concat())
}

/// What serde_json reads from our writer's text.
fn reread(value: &json::Value) -> serde_json::Value {
    serde_json::from_str(&value.to_json()).expect("our writer writes JSON serde_json reads")
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(4000))]

    #[test]
    fn values_read_and_written_as_serde_json_reads_and_writes_them(value in serde_value()) {
        let text = serde_json::to_string(&value).unwrap();
        let ours = json::parse(&text).unwrap();
        prop_assert_eq!(reread(&ours), value.clone());
        // Written again, read again: a fixed point.
        prop_assert_eq!(json::parse(&ours.to_json()).unwrap(), ours);
        // Pretty-printed input (whitespace everywhere) reads the same.
        prop_assert_eq!(reread(&json::parse(&serde_json::to_string_pretty(&value).unwrap()).unwrap()), value);
    }

    #[test]
    fn the_same_texts_are_accepted_and_refused(text in json_like_text()) {
        let ours = json::parse(&text);
        let theirs: Result<serde_json::Value, _> = serde_json::from_str(&text);
        match (&ours, &theirs) {
            (Ok(ours), Ok(theirs)) => prop_assert_eq!(&reread(ours), theirs),
            (Err(_), Err(_)) => {}
            // Ours on purpose: a key twice, or nesting past 128.
            (Err(e), Ok(_)) => prop_assert!(matches!(e.kind, ParseErrorKind::DuplicateKey(_) | ParseErrorKind::TooDeep), "{text:?}: {e:?}"),
            // Ours on purpose: numbers past f64's range stay as their text (serde_json refuses them).
            (Ok(_), Err(e)) => prop_assert!(e.to_string().contains("number out of range"), "{text:?}: serde_json says {e}"),
        }
    }

    #[test]
    fn the_number_grammar_is_the_same(text in "-?0?[0-9]{0,3}(\\.[0-9]{0,2})?([eE][+-]?[0-9]{0,2})?[ ,]?") {
        let ours = json::parse(&text);
        let theirs: Result<serde_json::Value, _> = serde_json::from_str(&text);
        prop_assert_eq!(ours.is_ok(), theirs.is_ok(), "{:?}: ours {:?}, serde_json {:?}", text, ours, theirs);
        if let (Ok(ours), Ok(theirs)) = (ours, theirs) {
            prop_assert_eq!(reread(&ours), theirs);
        }
    }

    #[test]
    fn numbers_keep_their_text(mantissa in -(10i64.pow(17))..10i64.pow(17), fraction in "[0-9]{0,20}", exponent in prop::option::of(-400i32..400)) {
        let mut text = mantissa.to_string();
        if !fraction.is_empty() {
            text.push('.');
            text.push_str(&fraction);
        }
        if let Some(e) = exponent {
            text.push_str(&format!("e{e}"));
        }
        let value = json::parse(&text).unwrap();
        prop_assert_eq!(value.to_json(), text.clone());
        prop_assert_eq!(value.as_number().unwrap().as_text(), text);
    }

    #[test]
    fn timeouts_round_as_floats_do(ms in 0.0f64..86_400_000.0) {
        // The text JS writes for a number (shortest round trip), as JSON.stringify hands it to the wasm.
        let text = serde_json::to_string(&ms).unwrap();
        let read = json::parse(&text).unwrap().as_number().unwrap().to_rounded_u32(86_400_000);
        prop_assert_eq!(read, Some(ms.round() as u32), "{}", text);
    }
}

#[test]
fn refusals_that_are_ours_on_purpose() {
    assert!(serde_json::from_str::<serde_json::Value>(r#"{"a":1,"a":2}"#).is_ok());
    assert!(matches!(json::parse(r#"{"a":1,"a":2}"#).unwrap_err().kind, ParseErrorKind::DuplicateKey(_)));
    assert!(serde_json::from_str::<serde_json::Value>("1e400").is_err());
    assert_eq!(json::parse("1e400").unwrap().to_json(), "1e400");
}
