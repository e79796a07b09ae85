//! The provider HTML form reader (VeriTrans `resResponseContents`), alone and through `nextAction` and `plan`:
//! never more fields than the limit, every field named, and a typed error for what has no form.
#![no_main]

use libfuzzer_sys::fuzz_target;
use threeds_kit::core::action::plan;
use threeds_kit::core::fields::Fields;
use threeds_kit::core::html_form::{first_form, MAX_FIELDS};
use threeds_kit::core::json::{Map, ToJson, Value};
use threeds_kit::core::providers::{next_action, NextActionOptions, Provider};

fuzz_target!(|data: &[u8]| {
    let Ok(html) = std::str::from_utf8(data) else { return };
    if let Ok(form) = first_form(html) {
        assert!(form.fields.len() <= MAX_FIELDS);
        assert!(form.fields.iter().all(|(name, _)| !name.is_empty()));
        assert!(form.method == "GET" || form.method == "POST");
        assert!(!form.action.is_empty());
    }
    let response = Value::object([
        ("mstatus", "success".into()),
        ("vResultCode", "G001000000000000".into()),
        ("resResponseContents", html.into()),
    ]);
    if let Ok(action) = next_action(Provider::Veritrans, &response, &NextActionOptions::default()) {
        let action = action.to_json();
        let _ = plan(&action, &Fields::of(&Value::Object(Map::new()), "options").expect("an object"));
    }
});
