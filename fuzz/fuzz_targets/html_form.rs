//! The provider HTML form reader (VeriTrans `resResponseContents`), alone and through `nextAction` and `plan`:
//! never more fields than the limit, every field named, and a typed error for what has no form.
#![no_main]

use libfuzzer_sys::fuzz_target;
use threeds_kit::core::action::plan;
use threeds_kit::core::fields::Fields;
use threeds_kit::core::html_form::{first_form, MAX_FIELDS};
use threeds_kit::core::providers::{next_action, NextActionOptions, Provider};

fuzz_target!(|data: &[u8]| {
    let Ok(html) = std::str::from_utf8(data) else { return };
    if let Ok(form) = first_form(html) {
        assert!(form.fields.len() <= MAX_FIELDS);
        assert!(form.fields.iter().all(|(name, _)| !name.is_empty()));
        assert!(form.method == "GET" || form.method == "POST");
        assert!(!form.action.is_empty());
    }
    let response = serde_json::json!({"mstatus": "success", "vResultCode": "G001000000000000", "resResponseContents": html});
    if let Ok(action) = next_action(Provider::Veritrans, &response, &NextActionOptions::default()) {
        let action = serde_json::to_value(&action).expect("actions serialise");
        let _ = plan(&action, &Fields::of(&serde_json::json!({}), "options").expect("an object"));
    }
});
