//! The few URL facts the protocol needs: that a notification URL is https (or http on loopback) and
//! what its origin is. A small parser instead of the `url` crate, which would cost more than the codec.

use super::error::{Result, ThreeDsError};
use super::fields::quote_for_message;

/// EMV limits `threeDSMethodNotificationURL` (and `notificationURL`) to 256 characters.
pub const MAX_NOTIFICATION_URL_LEN: usize = 256;

/// A parsed absolute http(s) URL: enough to know its origin.
#[derive(Debug, PartialEq, Eq)]
pub struct HttpUrl<'a> {
    /// "http" or "https", lower case.
    pub scheme: String,
    /// The host as written, lower-cased (brackets kept for IPv6).
    pub host: String,
    /// The explicit port, if any.
    pub port: Option<&'a str>,
}

impl HttpUrl<'_> {
    /// The origin, as browsers serialise it (`https://acs.example`, default ports dropped).
    pub fn origin(&self) -> String {
        let default = if self.scheme == "https" { "443" } else { "80" };
        match self.port {
            Some(port) if port != default => format!("{}://{}:{port}", self.scheme, self.host),
            _ => format!("{}://{}", self.scheme, self.host),
        }
    }

    /// Whether the host is this machine (the only place plain http is acceptable).
    pub fn is_loopback(&self) -> bool {
        matches!(self.host.as_str(), "localhost" | "127.0.0.1" | "[::1]")
    }
}

/// Parses `value` of `field` as an absolute http or https URL.
pub fn parse_http_url<'a>(field: &str, value: &'a str) -> Result<HttpUrl<'a>> {
    let bad = |why: &str| {
        ThreeDsError::invalid(field, format_args!("an absolute http(s) URL ({why}; got {})", quote_for_message(value)))
    };
    if value.chars().any(|c| c.is_control() || c.is_whitespace()) {
        return Err(bad("no spaces or control characters"));
    }
    let (scheme, rest) = value.split_once("://").ok_or_else(|| bad("no scheme"))?;
    let scheme = scheme.to_ascii_lowercase();
    if scheme != "https" && scheme != "http" {
        return Err(bad("scheme must be https or http"));
    }
    let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let authority = &rest[..authority_end];
    if authority.contains('@') {
        return Err(bad("no user name or password"));
    }
    let (host, port) = match authority.rfind(':') {
        Some(i) if !authority[i..].contains(']') => (&authority[..i], Some(&authority[i + 1..])),
        _ => (authority, None),
    };
    if host.is_empty() || host.contains('\\') {
        return Err(bad("no host"));
    }
    if let Some(port) = port {
        if port.is_empty()
            || port.len() > 5
            || !port.bytes().all(|b| b.is_ascii_digit())
            || port.parse::<u32>().map_or(true, |p| p > 65535)
        {
            return Err(bad("port must be a number up to 65535"));
        }
    }
    Ok(HttpUrl { scheme, host: host.to_ascii_lowercase(), port })
}

/// EMV limits `acsURL` and `threeDSMethodURL` to 2048 characters.
pub const MAX_ACS_URL_LEN: usize = 2048;

/// Checks a URL the ACS will post a notification to: https, or http only on localhost / 127.0.0.1, and at
/// most 256 characters.
pub fn check_notification_url(field: &str, value: &str) -> Result<()> {
    check_secure_url(field, value, MAX_NOTIFICATION_URL_LEN).map(|_| ())
}

/// Checks a URL the browser will post to (ACS method or challenge URL, or a notification URL) and returns
/// its origin: https, or http only on localhost / 127.0.0.1, and at most `max_len` characters.
pub fn check_secure_url(field: &str, value: &str, max_len: usize) -> Result<String> {
    if value.chars().count() > max_len {
        return Err(ThreeDsError::invalid(field, format_args!("at most {max_len} characters")));
    }
    let url = parse_http_url(field, value)?;
    if url.scheme == "http" && !url.is_loopback() {
        return Err(ThreeDsError::invalid(field, "an https URL (http is accepted only for localhost and 127.0.0.1)"));
    }
    Ok(url.origin())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn origins() {
        let o = |s| parse_http_url("u", s).unwrap().origin();
        assert_eq!(o("https://Merchant.example/3ds/notify?x=1"), "https://merchant.example");
        assert_eq!(o("https://merchant.example:443/n"), "https://merchant.example");
        assert_eq!(o("http://127.0.0.1:8081/n"), "http://127.0.0.1:8081");
        assert_eq!(o("http://[::1]:9/n"), "http://[::1]:9");
        assert_eq!(o("https://a.example#frag"), "https://a.example");
    }

    #[test]
    fn notification_url_rules() {
        assert!(check_notification_url("u", "https://merchant.example/n").is_ok());
        assert!(check_notification_url("u", "http://localhost:3000/n").is_ok());
        assert!(check_notification_url("u", "http://127.0.0.1/n").is_ok());
        for bad in [
            "http://merchant.example/n",
            "merchant_server",
            "javascript:alert(1)",
            "https://a b/",
            "https://u:p@x/",
            "https://x:99999/",
            "https:///path",
            "ftp://x/",
        ] {
            assert!(check_notification_url("u", bad).is_err(), "{bad}");
        }
        let long = format!("https://m.example/{}", "a".repeat(300));
        assert!(check_notification_url("u", &long).is_err());
    }
}
