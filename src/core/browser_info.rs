//! The EMV browser-channel fields of the AReq: what a page can read, normalised so that every value passes
//! the AReq schema, and the two fields only a server or edge can supply.

use super::error::{Result, ThreeDsError};
use super::json::{object_of, ToJson, Value};

/// What the page reads, as the browser reports it.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct RawBrowserInfo {
    /// `screen.colorDepth`.
    pub color_depth: f64,
    /// `screen.height`.
    pub screen_height: f64,
    /// `screen.width`.
    pub screen_width: f64,
    /// `new Date().getTimezoneOffset()`: minutes, positive west of UTC.
    pub timezone_offset: f64,
    /// `navigator.language`.
    pub language: String,
    /// `navigator.javaEnabled()`.
    pub java_enabled: bool,
    /// `navigator.userAgent`.
    pub user_agent: String,
}

/// The browser fields of an AReq, each valid for its schema.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BrowserInfo {
    /// One of 1, 4, 8, 15, 16, 24, 32, 48.
    pub browser_color_depth: String,
    /// 1 to 6 digits.
    pub browser_screen_height: String,
    /// 1 to 6 digits.
    pub browser_screen_width: String,
    /// Minutes, with getTimezoneOffset's sign (UTC+1 is "-60").
    pub browser_tz: String,
    /// BCP 47, at most 8 characters.
    pub browser_language: String,
    /// Whether Java is enabled (false in every current browser).
    pub browser_java_enabled: bool,
    /// Always true: this code is running.
    pub browser_javascript_enabled: bool,
    /// At most 2048 characters.
    pub browser_user_agent: String,
}

const COLOR_DEPTHS: [u32; 8] = [1, 4, 8, 15, 16, 24, 32, 48];

impl BrowserInfo {
    /// Normalises what the page read.
    pub fn from_raw(raw: &RawBrowserInfo) -> Self {
        BrowserInfo {
            browser_color_depth: color_depth(raw.color_depth).to_string(),
            browser_screen_height: screen_length(raw.screen_height),
            browser_screen_width: screen_length(raw.screen_width),
            browser_tz: timezone(raw.timezone_offset),
            browser_language: language(&raw.language),
            browser_java_enabled: raw.java_enabled,
            browser_javascript_enabled: true,
            browser_user_agent: raw.user_agent.chars().take(2048).collect(),
        }
    }
}

/// Maps a reported depth down to the nearest allowed value (30-bit displays report 30: that is 24).
fn color_depth(reported: f64) -> u32 {
    COLOR_DEPTHS.iter().rev().copied().find(|&d| f64::from(d) <= reported).unwrap_or(1)
}

fn screen_length(reported: f64) -> String {
    let clamped = if reported.is_finite() { reported.round().clamp(0.0, 999_999.0) } else { 0.0 };
    // Integer formatting: float formatting would add its own code to the wasm for nothing.
    (clamped as u32).to_string()
}

fn timezone(offset_minutes: f64) -> String {
    let clamped = if offset_minutes.is_finite() { offset_minutes.round().clamp(-9999.0, 9999.0) } else { 0.0 };
    // -0 would print as "-0".
    format!("{}", clamped as i32)
}

/// Keeps whole BCP 47 subtags up to 8 characters, stopping at extensions and private use
/// ("zh-CN-u-co-pinyin" is "zh-CN"); an empty or malformed tag becomes "en".
fn language(tag: &str) -> String {
    let mut out = String::new();
    for subtag in tag.trim().split(['-', '_']) {
        let valid = !subtag.is_empty() && subtag.chars().all(|c| c.is_ascii_alphanumeric());
        if !valid || (subtag.len() == 1 && !out.is_empty()) {
            break;
        }
        let added = if out.is_empty() { subtag.len() } else { subtag.len() + 1 };
        if out.len() + added > 8 {
            break;
        }
        if !out.is_empty() {
            out.push('-');
        }
        out.push_str(subtag);
    }
    if out.is_empty() || out.len() == 1 {
        "en".to_string()
    } else {
        out
    }
}

/// The browser fields only a server or edge sees: the Accept header and the client IP.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ServerBrowserInfo {
    /// The request's Accept header exactly, at most 2048 characters.
    pub browser_accept_header: String,
    /// The client's IP address (at most 45 characters), when known.
    pub browser_ip: Option<String>,
}

impl ServerBrowserInfo {
    /// Checks and shapes the server-side fields. An Accept header longer than 2048 is truncated (EMV says so
    /// for the user agent and real headers rarely come close); an IP that is not an IPv4 or IPv6 address
    /// is an error, because a wrong IP makes issuers' risk checks worse, not better.
    pub fn new(accept_header: &str, ip: Option<&str>) -> Result<Self> {
        let ip = match ip.map(str::trim).filter(|ip| !ip.is_empty()) {
            None => None,
            Some(ip) if ip.len() <= 45 && ip.parse::<std::net::IpAddr>().is_ok() => Some(ip.to_string()),
            Some(_) => return Err(ThreeDsError::invalid("ip", "an IPv4 or IPv6 address")),
        };
        let accept = if accept_header.trim().is_empty() { "*/*" } else { accept_header };
        Ok(ServerBrowserInfo { browser_accept_header: accept.chars().take(2048).collect(), browser_ip: ip })
    }
}

impl ToJson for BrowserInfo {
    fn to_json(&self) -> Value {
        Value::object([
            ("browserColorDepth", (&self.browser_color_depth).into()),
            ("browserScreenHeight", (&self.browser_screen_height).into()),
            ("browserScreenWidth", (&self.browser_screen_width).into()),
            ("browserTZ", (&self.browser_tz).into()),
            ("browserLanguage", (&self.browser_language).into()),
            ("browserJavaEnabled", self.browser_java_enabled.into()),
            ("browserJavascriptEnabled", self.browser_javascript_enabled.into()),
            ("browserUserAgent", (&self.browser_user_agent).into()),
        ])
    }
}

impl ToJson for ServerBrowserInfo {
    fn to_json(&self) -> Value {
        object_of([
            ("browserAcceptHeader", Some((&self.browser_accept_header).into())),
            ("browserIP", self.browser_ip.as_ref().map(Value::from)),
        ])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_value_fits_the_schema() {
        let info = BrowserInfo::from_raw(&RawBrowserInfo {
            color_depth: 30.0,
            screen_height: 1440.0,
            screen_width: 2560.4,
            timezone_offset: -330.0,
            language: "zh-CN-u-co-pinyin".into(),
            java_enabled: false,
            user_agent: "x".repeat(3000),
        });
        assert_eq!(info.browser_color_depth, "24");
        assert_eq!(info.browser_screen_width, "2560");
        assert_eq!(info.browser_tz, "-330");
        assert_eq!(info.browser_language, "zh-CN");
        assert_eq!(info.browser_user_agent.len(), 2048);
    }

    #[test]
    fn edge_values() {
        assert_eq!(color_depth(0.0), 1);
        assert_eq!(color_depth(48.0), 48);
        assert_eq!(color_depth(64.0), 48);
        assert_eq!(color_depth(f64::NAN), 1);
        assert_eq!(screen_length(f64::INFINITY), "0");
        assert_eq!(screen_length(5e9), "999999");
        assert_eq!(timezone(-0.0), "0");
        assert_eq!(timezone(60.0), "60");
        assert_eq!(language("sr-Latn-RS"), "sr-Latn");
        assert_eq!(language("en-US"), "en-US");
        assert_eq!(language("de"), "de");
        assert_eq!(language(""), "en");
        assert_eq!(language("x-private"), "en");
        assert_eq!(language("abcdefghij"), "en");
    }

    #[test]
    fn server_fields() {
        let info = ServerBrowserInfo::new("text/html", Some("2001:db8::1")).unwrap();
        assert_eq!(info.browser_ip.as_deref(), Some("2001:db8::1"));
        assert!(ServerBrowserInfo::new("text/html", Some("evil")).is_err());
        assert_eq!(ServerBrowserInfo::new("", None).unwrap().browser_accept_header, "*/*");
    }
}
