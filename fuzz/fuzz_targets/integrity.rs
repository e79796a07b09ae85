//! The standalone integrity checks on any fields and headers: a typed error or a verdict, and a `true` only
//! when the hash recomputed here, independently, matches.
#![no_main]

use libfuzzer_sys::fuzz_target;
use threeds_kit::core::form;
use threeds_kit::core::integrity::{
    hex, hmac_sha256, sha256_hex, verify_acquired_redirect, verify_acquired_webhook, verify_ingenico_return_mac,
    verify_veritrans_push, verify_veritrans_redirect,
};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let (header, body) = text.split_once('\n').unwrap_or(("", text));
    if let Ok(pairs) = form::parse(body) {
        let get = |name: &str| form::only(&pairs, name).ok().flatten();
        let fields = [get("status"), get("transaction_id"), get("order_id"), get("timestamp"), get("hash")];
        if verify_acquired_redirect(fields[0], fields[1], fields[2], fields[3], fields[4], "app_key") == Ok(true) {
            let inner = sha256_hex(fields[..4].iter().map(|f| f.unwrap_or("")).collect::<String>().as_bytes());
            assert!(fields[4].unwrap_or("").eq_ignore_ascii_case(&sha256_hex(format!("{inner}app_key").as_bytes())));
        }
        let _ = verify_veritrans_redirect(&pairs, "A100000000000001", "merchant-password");
    }
    if verify_acquired_webhook(body, header, "app_key") == Ok(true) {
        let compact: Vec<u8> = body.bytes().filter(|b| !b.is_ascii_whitespace()).collect();
        assert!(header.eq_ignore_ascii_case(&hex(&hmac_sha256(b"app_key", &compact))));
    }
    let _ = verify_veritrans_push(body, header, "00112233445566778899aabbccddeeff");
    if verify_ingenico_return_mac(header, body) == Ok(true) {
        assert_eq!(header, body);
    }
});
