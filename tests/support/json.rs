//! The tests' JSON literals: serde_json's `json!` syntax (serde_json is a dev-dependency only), read back
//! through the crate's own parser, so that every literal is a `threeds_kit::core::json::Value`.

macro_rules! json {
    ($($t:tt)+) => {
        threeds_kit::core::json::parse(&serde_json::json!($($t)+).to_string()).unwrap()
    };
}
