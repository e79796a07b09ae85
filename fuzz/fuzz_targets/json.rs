//! The crate's JSON parser and writer against serde_json on any text: the same texts accepted and refused
//! (but for the refusals that are ours on purpose: a key twice, nesting past 128; and the numbers past f64's
//! range we keep as text), the same values read, and what we write reads back as the same value.
#![no_main]

use libfuzzer_sys::fuzz_target;
use threeds_kit::core::json::{self, ParseErrorKind};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let ours = json::parse(text);
    let theirs = serde_json::from_str::<serde_json::Value>(text);
    if let Ok(value) = &ours {
        let written = value.to_json();
        assert_eq!(json::parse(&written).as_ref(), Ok(value), "{written}");
    }
    match (&ours, &theirs) {
        (Ok(value), Ok(theirs)) => {
            let reread: serde_json::Value =
                serde_json::from_str(&value.to_json()).expect("serde_json reads what we write");
            assert_eq!(&reread, theirs, "{text}");
        }
        (Err(_), Err(_)) => {}
        (Err(e), Ok(_)) => {
            assert!(matches!(e.kind, ParseErrorKind::DuplicateKey(_) | ParseErrorKind::TooDeep), "{text:?}: {e:?}")
        }
        (Ok(_), Err(e)) => assert!(e.to_string().contains("number out of range"), "{text:?}: serde_json says {e}"),
    }
});
