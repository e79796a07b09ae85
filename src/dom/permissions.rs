//! What a flow's iframe may use: its `allow` attribute (Permissions Policy).

use crate::core::error::{Result, ThreeDsError};
use crate::core::fields::quote_for_message;

/// The `allow` attribute that lets the document from `origin`, and only it, use Secure Payment Confirmation
/// (`payment`) and WebAuthn (`publickey-credentials-get`). The origin is named because an allowlist left out
/// means 'src', the origin of the iframe's src, and these frames have none (a form POST loads them): the ACS
/// would be refused both. `field` names the URL `origin` came from, for the error.
pub fn payment_and_webauthn(field: &str, origin: &str) -> Result<String> {
    // The origin is spliced into policy syntax, where ';' starts another directive, '*' is a wildcard and
    // quotes make keywords: only what a host, a port and a scheme are made of may go in (and non-ASCII, for
    // internationalised domain names; the core has refused whitespace already).
    let plain = |c: char| !c.is_ascii() || c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '/' | '[' | ']');
    if !origin.chars().all(plain) {
        return Err(ThreeDsError::invalid(
            field,
            format_args!(
                "a URL whose host is a plain domain name or IP address (origin {})",
                quote_for_message(origin)
            ),
        ));
    }
    Ok(format!("payment {origin}; publickey-credentials-get {origin}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_the_origin_for_both_features() {
        assert_eq!(
            payment_and_webauthn("u", "https://acs.bank.example").unwrap(),
            "payment https://acs.bank.example; publickey-credentials-get https://acs.bank.example"
        );
        assert!(payment_and_webauthn("u", "http://[::1]:8443").is_ok());
        assert!(payment_and_webauthn("u", "https://bänk.example").is_ok());
    }

    #[test]
    fn refuses_origins_that_would_change_the_policy() {
        for origin in ["https://a.example;camera", "https://*.example", "https://'self'", "https://a,b", "https://a(b)"]
        {
            let error = payment_and_webauthn("options.acsUrl", origin).unwrap_err();
            assert!(error.to_string().starts_with("invalid_field: options.acsUrl must be"), "{error}");
        }
    }
}
