//! Integrity checks with merchant secrets, for servers and edge workers only: keys never go to the browser.
//! Every comparison of a hash or MAC is constant-time.

use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

use super::error::{ErrorCode, Result, ThreeDsError};
use super::fields::{check_uuid, quote_for_message};

/// Lower-case hex of SHA-256 of `data`.
pub fn sha256_hex(data: &[u8]) -> String {
    hex(&Sha256::digest(data))
}

/// HMAC-SHA256 of `data` under `key`.
pub fn hmac_sha256(key: &[u8], data: &[u8]) -> Vec<u8> {
    // HMAC takes keys of any length; new_from_slice cannot fail for it.
    match Hmac::<Sha256>::new_from_slice(key) {
        Ok(mut mac) => {
            mac.update(data);
            mac.finalize().into_bytes().to_vec()
        }
        Err(_) => Vec::new(),
    }
}

/// Lower-case hex.
pub fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        out.push(DIGITS[usize::from(b >> 4)] as char);
        out.push(DIGITS[usize::from(b & 15)] as char);
    }
    out
}

/// Decodes hex (either case); None when it is not hex.
pub fn unhex(text: &str) -> Option<Vec<u8>> {
    let text = text.trim().as_bytes();
    if text.len() % 2 != 0 {
        return None;
    }
    let digit = |c: u8| (c as char).to_digit(16).map(|d| d as u8);
    text.chunks(2).map(|pair| Some(digit(pair[0])? << 4 | digit(pair[1])?)).collect()
}

/// Constant-time equality of two byte strings (the length is not secret).
pub fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && bool::from(a.ct_eq(b))
}

/// Whether hex text `received` encodes exactly the digest `expected` (constant-time; case ignored).
fn hex_matches(received: &str, expected: &[u8]) -> bool {
    unhex(received).is_some_and(|bytes| constant_time_eq(&bytes, expected))
}

fn required<'a>(field: &str, value: Option<&'a str>) -> Result<&'a str> {
    value.filter(|v| !v.is_empty()).ok_or_else(|| ThreeDsError::missing(field))
}

/// Checks a merchant secret as given (`invalid_keys`): not empty, and nothing invisible at either end. No provider
/// issues a key with either, and a key read from a file with its newline would otherwise fail every genuine
/// signature as a quiet `false`, which looks like an attack rather than a configuration error.
pub fn check_secret(name: &str, value: &str) -> Result<()> {
    // A byte-order mark too: a secret file saved by an editor that writes one.
    let trimmed = value.trim_matches(|c: char| c.is_whitespace() || c == '\u{feff}');
    let problem = if trimmed.is_empty() {
        "is empty (is the secret configured?)"
    } else if trimmed != value {
        "has whitespace or a byte-order mark at its start or end (a secret read with its newline?): pass it trimmed"
    } else {
        return Ok(());
    };
    Err(ThreeDsError::new(ErrorCode::InvalidKeys, format!("{name} {problem}")))
}

fn integrity_failed(message: impl Into<String>) -> ThreeDsError {
    ThreeDsError::new(ErrorCode::IntegrityFailed, message)
}

/// A hash or MAC as providers send it: 64 hex digits (SHA-256), either case.
fn check_sha256_hex(field: &str, value: &str) -> Result<()> {
    if value.len() == 64 && value.bytes().all(|b| b.is_ascii_hexdigit()) {
        Ok(())
    } else {
        Err(ThreeDsError::invalid(field, "64 hexadecimal digits (a SHA-256)"))
    }
}

/// The statuses Acquired.com posts back, exactly as it writes them.
pub const ACQUIRED_STATUSES: &[&str] =
    &["tds_pending", "success", "executed", "declined", "blocked", "tds_failed", "tds_error", "tds_expired"];

/// Checks that `status` is one of Acquired.com's, exactly as it writes them (an `unknown_status` error).
pub fn check_acquired_status(status: &str) -> Result<()> {
    if ACQUIRED_STATUSES.contains(&status) {
        return Ok(());
    }
    Err(ThreeDsError::new(
        ErrorCode::UnknownStatus,
        format!("status {} is not one of {}", quote_for_message(status), ACQUIRED_STATUSES.join(", ")),
    ))
}

/// Acquired.com's `timestamp`: Unix seconds as ten digits, no leading zero (2001 to 2286). Its length is what
/// fixes the boundary between `order_id` and `timestamp` in the unseparated signed string.
pub fn check_acquired_timestamp(value: &str) -> Result<u64> {
    let bytes = value.as_bytes();
    if bytes.len() != 10 || bytes[0] == b'0' || !bytes.iter().all(u8::is_ascii_digit) {
        return Err(ThreeDsError::invalid(
            "timestamp",
            format_args!("Unix seconds, ten digits with no leading zero (got {})", quote_for_message(value)),
        ));
    }
    value.parse().map_err(|_| ThreeDsError::invalid("timestamp", "Unix seconds"))
}

/// Acquired.com redirect POST: hash = SHA-256(hex(SHA-256(status . transaction_id . order_id . timestamp)) . app_key).
/// The four fields are joined with no separator, so each is checked against its exact format first (status
/// from the known set, transaction_id a UUID, timestamp ten digits): then only one split of the signed string
/// exists, and bytes cannot slide from one field into the next.
pub fn verify_acquired_redirect(
    status: Option<&str>,
    transaction_id: Option<&str>,
    order_id: Option<&str>,
    timestamp: Option<&str>,
    hash: Option<&str>,
    app_key: &str,
) -> Result<bool> {
    check_secret("appKey", app_key)?;
    let status = required("status", status)?;
    check_acquired_status(status)?;
    let transaction_id = required("transaction_id", transaction_id)?;
    check_uuid("transaction_id", transaction_id)?;
    let order_id = required("order_id", order_id)?;
    let timestamp = required("timestamp", timestamp)?;
    check_acquired_timestamp(timestamp)?;
    let hash = required("hash", hash)?;
    check_sha256_hex("hash", hash)?;
    let mut inner = Sha256::new();
    for part in [status, transaction_id, order_id, timestamp] {
        inner.update(part.as_bytes());
    }
    let outer = Sha256::new().chain_update(hex(&inner.finalize()).as_bytes()).chain_update(app_key.as_bytes());
    Ok(hex_matches(hash, &outer.finalize()))
}

/// Acquired.com webhook: the `Hash` header = hex(HMAC-SHA256(app_key, the raw body with all whitespace removed)).
pub fn verify_acquired_webhook(raw_body: &str, hash_header: &str, app_key: &str) -> Result<bool> {
    check_secret("appKey", app_key)?;
    let hash_header = required("hashHeader", Some(hash_header))?;
    let compact: Vec<u8> = raw_body.bytes().filter(|b| !b.is_ascii_whitespace()).collect();
    Ok(hex_matches(hash_header, &hmac_sha256(app_key.as_bytes(), &compact)))
}

/// The VeriTrans4G return fields a result is built from: a trusted result needs every one that is present
/// among the signed fields.
pub const VERITRANS_RESULT_FIELDS: &[&str] = &["RequestId", "OrderId", "mpiMstatus", "vResultCode"];

/// The VeriTrans4G return fields this library knows the format of.
pub const VERITRANS_KNOWN_FIELDS: &[&str] = &["RequestId", "OrderId", "mpiMstatus", "vResultCode", "cardMstatus"];

/// The most field names `authParams` may list: a genuine return signs about ten.
pub const VERITRANS_MAX_SIGNED_FIELDS: usize = 64;

/// Checks a VeriTrans4G return field against its documented format; fields this crate does not know pass.
/// Exact formats matter because the signed string joins values with no separator.
pub fn check_veritrans_field(name: &str, value: &str) -> Result<()> {
    let bytes = value.as_bytes();
    let (ok, expected) = match name {
        // "Half-width alphanumeric and symbols ... within 128 digits".
        "RequestId" => (
            !bytes.is_empty() && bytes.len() <= 128 && bytes.iter().all(|b| b.is_ascii_graphic()),
            "1 to 128 half-width letters, digits and symbols",
        ),
        // "Half-width alphanumeric, hyphen and underscore ... within 100 digits".
        "OrderId" => (
            !bytes.is_empty()
                && bytes.len() <= 100
                && bytes.iter().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_')),
            "1 to 100 letters, digits, '-' and '_'",
        ),
        "mpiMstatus" | "cardMstatus" => {
            (matches!(value, "success" | "failure" | "pending"), "\"success\", \"failure\" or \"pending\"")
        }
        "vResultCode" => (
            bytes.len() == 16 && bytes.iter().all(|b| b.is_ascii_uppercase() || b.is_ascii_digit()),
            "16 upper-case letters and digits such as \"G011A00100000000\"",
        ),
        _ => (true, ""),
    };
    if ok {
        Ok(())
    } else {
        Err(ThreeDsError::invalid(name, format_args!("{expected} (got {})", quote_for_message(value))))
    }
}

/// The field names `authParams` (standard base64 of a comma-separated list) signs, each checked: a field name,
/// listed once, at most [`VERITRANS_MAX_SIGNED_FIELDS`], and never `authParams` or `vAuthInfo` themselves.
pub fn veritrans_signed_names(auth_params: &str) -> Result<Vec<String>> {
    let bad = |why: &str| {
        ThreeDsError::invalid("authParams", format_args!("base64 of a comma-separated list of field names ({why})"))
    };
    // 64 names of at most 64 characters, with commas, in base64.
    if auth_params.len() > 6 * 1024 {
        return Err(ThreeDsError::new(ErrorCode::TooLarge, "authParams is over 6144 characters"));
    }
    // VeriTrans's own MDK writes base64 padding as '*' (and reads '-' and '_' as '/' and '+', which the base64
    // of names of letters, digits, '_' and ',' never holds).
    let padded = auth_params.trim_end_matches('*');
    let stars = auth_params.len() - padded.len();
    let auth_params = if stars == 0 { auth_params.to_string() } else { format!("{padded}{}", "=".repeat(stars)) };
    let names = super::payload::decode_bytes("authParams", &auth_params)?;
    let names = String::from_utf8(names).map_err(|_| bad("not UTF-8"))?;
    let mut signed: Vec<String> = Vec::new();
    for name in names.split(',').map(str::trim) {
        if name.is_empty() || name.len() > 64 || !name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_') {
            return Err(bad("each a name of letters, digits and '_'"));
        }
        if name == "authParams" || name == "vAuthInfo" {
            return Err(bad("the signature cannot sign itself"));
        }
        if signed.iter().any(|n| n == name) {
            return Err(bad("each name once"));
        }
        if signed.len() == VERITRANS_MAX_SIGNED_FIELDS {
            return Err(bad("at most 64 names"));
        }
        signed.push(name.to_string());
    }
    Ok(signed)
}

/// VeriTrans4G redirect POST: `vAuthInfo` = hex(SHA-256(merchantCcId + the values of the fields `authParams`
/// names, in that order + merchantPassword)). `authParams` is not itself signed, so the check also demands:
/// every field it names is posted, every field posted (but `authParams` and `vAuthInfo`) is named, once, and
/// each signed field this library knows has its documented format. A posted field left unsigned is
/// `integrity_failed`; a field out of format `invalid_field`. `posted` is the POST's fields; one sent twice is
/// refused.
pub fn verify_veritrans_redirect(
    posted: &[(String, String)],
    merchant_cc_id: &str,
    merchant_password: &str,
) -> Result<bool> {
    check_secret("merchantCcId", merchant_cc_id)?;
    check_secret("merchantPassword", merchant_password)?;
    let field = |name: &str| super::form::only(posted, name);
    let auth_params =
        field("authParams")?.filter(|v| !v.is_empty()).ok_or_else(|| ThreeDsError::missing("authParams"))?;
    let v_auth_info =
        field("vAuthInfo")?.filter(|v| !v.is_empty()).ok_or_else(|| ThreeDsError::missing("vAuthInfo"))?;
    check_sha256_hex("vAuthInfo", v_auth_info)?;
    let names = veritrans_signed_names(auth_params)?;
    // Every posted field signed: nothing the result or a reader of `raw` sees can be left out of the hash.
    if let Some((unsigned, _)) =
        posted.iter().find(|(name, _)| name != "authParams" && name != "vAuthInfo" && !names.iter().any(|n| n == name))
    {
        return Err(integrity_failed(format!(
            "{} is posted but not among the fields authParams signs: the return cannot be trusted",
            quote_for_message(unsigned)
        )));
    }
    // Hashed as it is read: the signed string is never built.
    let mut digest = Sha256::new().chain_update(merchant_cc_id.as_bytes());
    for name in &names {
        let value = field(name)?.ok_or_else(|| {
            ThreeDsError::invalid("authParams", format_args!("a list of posted fields ({name} is not posted)"))
        })?;
        if !value.is_empty() {
            check_veritrans_field(name, value)?;
        }
        digest.update(value.as_bytes());
    }
    digest.update(merchant_password.as_bytes());
    Ok(hex_matches(v_auth_info, &digest.finalize()))
}

/// VeriTrans4G push notification. Two header forms, told apart by their shape:
/// - current MDKs: `h=HmacSHA256;s=<merchantCcId>;v=<hex HMAC-SHA256 of the raw body, key = hex-decoded secret>`;
/// - the seed document's older rule: hex(SHA-256(raw body + secret key)), optionally after a scheme word.
pub fn verify_veritrans_push(raw_body: &str, header_value: &str, secret_key: &str) -> Result<bool> {
    check_secret("secretKey", secret_key)?;
    let header = required("headerValue", Some(header_value))?.trim();
    // The older form is a bare digest, after a scheme word at most: a ';' is the MDK's parts.
    if header.contains(';') {
        let (mut algorithm, mut merchant, mut value) = (None, None, None);
        for part in header.split(';') {
            let Some((name, part_value)) = part.split_once('=') else { continue };
            let slot = match name.trim().to_ascii_lowercase().as_str() {
                "h" => &mut algorithm,
                "s" => &mut merchant,
                "v" => &mut value,
                _ => continue,
            };
            // Two signatures, algorithms or merchants in one header (in any case: `V=` is `v=` to a reader that
            // ignores case): which one a reader takes is a choice an attacker could make. `s` is not signed, but
            // a merchant with several VeriTrans accounts picks the secret by it.
            if slot.replace(part_value.trim()).is_some() {
                return Err(ThreeDsError::invalid("headerValue", "h=...;s=...;v=... with each part once"));
            }
        }
        if !algorithm.is_some_and(|h| h.eq_ignore_ascii_case("HmacSHA256")) {
            return Err(ThreeDsError::invalid(
                "headerValue",
                "h=HmacSHA256;s=...;v=... (the only algorithm VeriTrans uses)",
            ));
        }
        let value = value.ok_or_else(|| ThreeDsError::missing("headerValue v="))?;
        // The MDK's key is the hex-decoded secret: one that is not hex is a configuration error, which would
        // otherwise refuse every genuine notification without a word.
        let key = unhex(secret_key).ok_or_else(|| {
            ThreeDsError::new(ErrorCode::InvalidKeys, "secretKey must be the hex secret key VeriTrans issued")
        })?;
        return Ok(hex_matches(value, &hmac_sha256(&key, raw_body.as_bytes())));
    }
    let digest = header.rsplit(' ').next().unwrap_or(header);
    Ok(hex_matches(digest, &Sha256::digest(format!("{raw_body}{secret_key}").as_bytes())))
}

/// Ingenico RETURNMAC: an opaque value the merchant stored; equal (constant-time) or not.
pub fn verify_ingenico_return_mac(returned: &str, stored: &str) -> Result<bool> {
    check_secret("stored", stored)?;
    let returned = required("returned", Some(returned))?;
    Ok(constant_time_eq(returned.as_bytes(), stored.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn acquired_worked_example_from_the_seed() {
        // Acquired.com's guide: status "executed", its transaction and order IDs, timestamp, key "app_key".
        let ok = verify_acquired_redirect(
            Some("executed"),
            Some("1970f4e1-95da-4859-b275-e9ac83f05eb1"),
            Some("your_unique_reference_1"),
            Some("1657183950"),
            Some("4e7e127a6ab8e7c4d73100e0c959eb42e1d61adff6b641c6ea7e4690e44cbff0"),
            "app_key",
        );
        assert_eq!(ok, Ok(true));
        assert_eq!(
            sha256_hex(b"executed1970f4e1-95da-4859-b275-e9ac83f05eb1your_unique_reference_11657183950"),
            "4e9ce34004008830e672aa826efd5ddf56130ad127c279751135d48291b5f007"
        );
        let tampered = verify_acquired_redirect(
            Some("success"),
            Some("1970f4e1-95da-4859-b275-e9ac83f05eb1"),
            Some("your_unique_reference_1"),
            Some("1657183950"),
            Some("4E7E127A6AB8E7C4D73100E0C959EB42E1D61ADFF6B641C6EA7E4690E44CBFF0"),
            "app_key",
        );
        assert_eq!(tampered, Ok(false));
        assert!(verify_acquired_redirect(Some("x"), None, Some("o"), Some("1"), Some("h"), "k").is_err());
    }

    #[test]
    fn acquired_fields_are_checked_before_the_hash() {
        let verify = |status: &str, id: &str, order: &str, timestamp: &str| {
            verify_acquired_redirect(
                Some(status),
                Some(id),
                Some(order),
                Some(timestamp),
                Some("4e7e127a6ab8e7c4d73100e0c959eb42e1d61adff6b641c6ea7e4690e44cbff0"),
                "app_key",
            )
            .map_err(|e| (e.code, e.message.split(' ').next().unwrap_or("").to_string()))
        };
        let id = "1970f4e1-95da-4859-b275-e9ac83f05eb1";
        // Each keeps the seed's signed string (and so its hash); each is refused before hashing.
        assert_eq!(
            verify("executed", id, "your_unique_reference_11", "657183950"),
            Err((ErrorCode::InvalidField, "timestamp".into()))
        );
        assert_eq!(
            verify("executed", &format!("{id}your"), "_unique_reference_1", "1657183950"),
            Err((ErrorCode::InvalidField, "transaction_id".into()))
        );
        assert_eq!(
            verify("execute", &format!("d{id}"), "your_unique_reference_1", "1657183950"),
            Err((ErrorCode::UnknownStatus, "status".into()))
        );
        assert_eq!(verify("executed", id, "your_unique_reference_1", "1657183950"), Ok(true));
        assert_eq!(check_acquired_timestamp("0657183950").unwrap_err().code, ErrorCode::InvalidField);
        assert_eq!(check_acquired_timestamp("1657183950"), Ok(1_657_183_950));
    }

    #[test]
    fn veritrans_signed_names_are_each_a_name_once() {
        use base64::Engine;
        let names = |list: &str| veritrans_signed_names(&base64::engine::general_purpose::STANDARD.encode(list));
        assert_eq!(names("RequestId, OrderId").unwrap(), vec!["RequestId", "OrderId"]);
        for bad in ["RequestId,RequestId", "RequestId,,OrderId", "vAuthInfo", "authParams", "Order Id", "a=b"] {
            assert_eq!(names(bad).unwrap_err().code, ErrorCode::InvalidField, "{bad}");
        }
        let many: Vec<String> = (0..65).map(|i| format!("f{i}")).collect();
        assert!(names(&many.join(",")).is_err());
        assert_eq!(names(&many[..64].join(",")).unwrap().len(), 64);
    }

    #[test]
    fn hmac_rfc4231_case_2() {
        // RFC 4231 test case 2, an independent vector for the HMAC every webhook check uses.
        assert_eq!(
            hex(&hmac_sha256(b"Jefe", b"what do ya want for nothing?")),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
    }

    #[test]
    fn acquired_webhook_ignores_whitespace() {
        let body = "{\"id\": \"x\",\n \"event\": \"status_update\"}";
        let mac = hex(&hmac_sha256(b"key", b"{\"id\":\"x\",\"event\":\"status_update\"}"));
        assert_eq!(verify_acquired_webhook(body, &mac, "key"), Ok(true));
        assert_eq!(verify_acquired_webhook(body, &mac, "other"), Ok(false));
        assert_eq!(verify_acquired_webhook(body, "zz", "key"), Ok(false));
    }

    #[test]
    fn veritrans_push_both_forms() {
        let body = "numberOfNotify=1&pushTime=20250101120000&pushId=00000001&orderId0000=A1";
        let secret = "00112233445566778899aabbccddeeff";
        let mac = hex(&hmac_sha256(&unhex(secret).unwrap(), body.as_bytes()));
        assert_eq!(verify_veritrans_push(body, &format!("h=HmacSHA256;s=A100000000000001;v={mac}"), secret), Ok(true));
        assert_eq!(
            verify_veritrans_push(&format!("{body}x"), &format!("h=HmacSHA256;s=A1;v={mac}"), secret),
            Ok(false)
        );
        let legacy = sha256_hex(format!("{body}{secret}").as_bytes());
        assert_eq!(verify_veritrans_push(body, &legacy, secret), Ok(true));
        assert_eq!(verify_veritrans_push(body, &format!("Basic {legacy}"), secret), Ok(true));
        assert!(verify_veritrans_push(body, "h=HmacMD5;v=00", secret).is_err());
        let doubled = format!("h=HmacSHA256;s=A1;v={};v={mac}", "0".repeat(64));
        assert_eq!(verify_veritrans_push(body, &doubled, secret).unwrap_err().code, ErrorCode::InvalidField);
        // Part names in any case and spaces around them read alike; a part twice, in any case, is refused.
        for header in [format!("H=HmacSHA256;S=A1;V={mac}"), format!(" h = HmacSHA256 ; s = A1 ; v = {mac} ;")] {
            assert_eq!(verify_veritrans_push(body, &header, secret), Ok(true), "{header}");
        }
        for header in [
            format!("h=HmacSHA256;s=A1;V={};v={mac}", "0".repeat(64)),
            format!("h=HmacSHA256;s=A2;s=A1;v={mac}"),
            format!("h=HmacSHA256;S=A2;s=A1;v={mac}"),
            format!("H=HmacSHA256;h=HmacSHA256;s=A1;v={mac}"),
        ] {
            let e = verify_veritrans_push(body, &header, secret).unwrap_err();
            assert_eq!(
                (e.code, e.message.as_str()),
                (ErrorCode::InvalidField, "headerValue must be h=...;s=...;v=... with each part once"),
                "{header}"
            );
        }
    }

    #[test]
    fn secrets_that_no_check_can_use_are_refused() {
        // Empty, or read with a newline: every genuine signature would fail as a quiet `false`.
        let body = "a=1";
        let mac = hex(&hmac_sha256(b"key", body.as_bytes()));
        for key in ["", " ", "key\n", " key", "key\u{a0}", "\u{feff}key"] {
            for result in [
                verify_acquired_webhook(body, &mac, key),
                verify_acquired_redirect(
                    Some("success"),
                    Some("1970f4e1-95da-4859-b275-e9ac83f05eb1"),
                    Some("o"),
                    Some("1657183950"),
                    Some(&mac),
                    key,
                ),
                verify_veritrans_push(body, &format!("h=HmacSHA256;s=A1;v={mac}"), key),
                verify_veritrans_redirect(&[], key, "password"),
                verify_veritrans_redirect(&[], "A1", key),
                verify_ingenico_return_mac("mac", key),
            ] {
                assert_eq!(result.unwrap_err().code, ErrorCode::InvalidKeys, "{key:?}");
            }
        }
        assert_eq!(verify_acquired_webhook(body, &mac, "key"), Ok(true));
    }

    #[test]
    fn veritrans_redirect() {
        use base64::Engine;
        let names = base64::engine::general_purpose::STANDARD.encode("RequestId,OrderId,mpiMstatus,vResultCode");
        let v_auth = sha256_hex(b"A100000000000001req-1order-1successG011A00100000000secret");
        let form = |overrides: &[(&str, &str)]| {
            let mut pairs: Vec<(String, String)> = [
                ("RequestId", "req-1"),
                ("OrderId", "order-1"),
                ("mpiMstatus", "success"),
                ("vResultCode", "G011A00100000000"),
                ("authParams", names.as_str()),
                ("vAuthInfo", v_auth.as_str()),
            ]
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
            for (k, v) in overrides {
                pairs.retain(|(name, _)| name != k);
                pairs.push((k.to_string(), v.to_string()));
            }
            pairs
        };
        assert_eq!(verify_veritrans_redirect(&form(&[]), "A100000000000001", "secret"), Ok(true));
        assert_eq!(verify_veritrans_redirect(&form(&[]), "A100000000000001", "wrong"), Ok(false));
        assert_eq!(
            verify_veritrans_redirect(&form(&[("mpiMstatus", "failure")]), "A100000000000001", "secret"),
            Ok(false)
        );
        assert_eq!(
            verify_veritrans_redirect(&form(&[("vAuthInfo", "")]), "A100000000000001", "secret"),
            Err(ThreeDsError::missing("vAuthInfo"))
        );
        let unsigned = verify_veritrans_redirect(&form(&[("cardMstatus", "success")]), "A100000000000001", "secret");
        assert_eq!(unsigned.unwrap_err().code, ErrorCode::IntegrityFailed);
    }

    #[test]
    fn ingenico() {
        assert_eq!(
            verify_ingenico_return_mac(
                "f1N/MjcdMf7w1VsSZhr0ryEC0mTtuoe8NYZ8+WnVIH0=",
                "f1N/MjcdMf7w1VsSZhr0ryEC0mTtuoe8NYZ8+WnVIH0="
            ),
            Ok(true)
        );
        assert_eq!(
            verify_ingenico_return_mac(
                "f1N/MjcdMf7w1VsSZhr0ryEC0mTtuoe8NYZ8+WnVIH1=",
                "f1N/MjcdMf7w1VsSZhr0ryEC0mTtuoe8NYZ8+WnVIH0="
            ),
            Ok(false)
        );
    }
}
