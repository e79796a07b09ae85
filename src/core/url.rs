//! The few URL facts the protocol needs: that a notification URL is https (or http on loopback) and
//! what its origin is. A small parser instead of the `url` crate, which would cost more than the codec.

use super::error::{Result, ThreeDsError};
use super::fields::quote_for_message;

/// EMV limits `threeDSMethodNotificationURL` (and `notificationURL`) to 256 characters.
pub const MAX_NOTIFICATION_URL_LEN: usize = 256;

/// A parsed absolute http(s) URL: enough to know its origin.
#[derive(Debug, PartialEq, Eq)]
pub struct HttpUrl {
    /// "http" or "https", lower case.
    pub scheme: String,
    /// The host as browsers serialise it: lower case, IPv4 in dotted decimal, IPv6 compressed in brackets.
    pub host: Host,
    /// The port, when it is not the scheme's default.
    pub port: Option<u16>,
}

/// A host, parsed as the URL Standard parses hosts of http(s) URLs.
#[derive(Debug, PartialEq, Eq)]
pub enum Host {
    /// A domain name, lower case ASCII.
    Domain(String),
    /// An IPv4 address.
    Ipv4([u8; 4]),
    /// An IPv6 address.
    Ipv6([u16; 8]),
}

impl Host {
    /// The host as `URL.host` and `event.origin` write it.
    pub fn serialise(&self) -> String {
        match self {
            Host::Domain(name) => name.clone(),
            Host::Ipv4([a, b, c, d]) => format!("{a}.{b}.{c}.{d}"),
            Host::Ipv6(pieces) => format!("[{}]", serialise_ipv6(pieces)),
        }
    }

    /// Whether browsers treat plain http to this host as potentially trustworthy (a secure context): the
    /// loopback range 127.0.0.0/8, [::1], `localhost` and names under `.localhost`.
    pub fn is_potentially_trustworthy(&self) -> bool {
        match self {
            Host::Domain(name) => name == "localhost" || name.ends_with(".localhost"),
            Host::Ipv4([first, ..]) => *first == 127,
            Host::Ipv6(pieces) => *pieces == [0, 0, 0, 0, 0, 0, 0, 1],
        }
    }
}

impl HttpUrl {
    /// The origin, exactly as browsers serialise it (`https://acs.example`, default ports dropped): what
    /// `event.origin` of a message from a page at this URL will be.
    pub fn origin(&self) -> String {
        match self.port {
            Some(port) => format!("{}://{}:{port}", self.scheme, self.host.serialise()),
            None => format!("{}://{}", self.scheme, self.host.serialise()),
        }
    }
}

/// Parses `value` of `field` as an absolute http or https URL, normalising its host and port as the URL
/// Standard does, and refusing hosts a browser would refuse or that this parser cannot normalise exactly
/// (non-ASCII names, which need IDNA, and percent-encoded ones): an origin that could never equal
/// `event.origin` would end a flow in a silent time-out instead of an error now.
pub fn parse_http_url(field: &str, value: &str) -> Result<HttpUrl> {
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
    let authority_end = rest.find(['/', '?', '#', '\\']).unwrap_or(rest.len());
    let authority = &rest[..authority_end];
    if authority.contains('@') {
        return Err(bad("no user name or password"));
    }
    // The port follows the last ':' that is not inside an IPv6 literal's brackets.
    let (host, port) = match authority.rfind(':') {
        Some(i) if !authority[i..].contains(']') => (&authority[..i], Some(&authority[i + 1..])),
        _ => (authority, None),
    };
    let host = parse_host(host).map_err(&bad)?;
    let default: u16 = if scheme == "https" { 443 } else { 80 };
    let port = match port {
        // "https://a:/" has an empty port, which browsers read as none.
        None | Some("") => None,
        Some(port) => {
            // Leading zeros are allowed (":0443" is port 443).
            let digits = port.trim_start_matches('0');
            let number = match digits.parse::<u16>() {
                _ if !port.bytes().all(|b| b.is_ascii_digit()) => None,
                _ if digits.is_empty() => Some(0),
                parsed => parsed.ok(),
            }
            .ok_or_else(|| bad("port must be a number up to 65535"))?;
            (number != default).then_some(number)
        }
    };
    Ok(HttpUrl { scheme, host, port })
}

/// Parses a host of an http(s) URL as the URL Standard does: `[...]` is IPv6, a name whose last label is a
/// number is IPv4 (`127.1`, `0x7f.0.0.1` and `2130706433` all mean 127.0.0.1), anything else a domain.
fn parse_host(host: &str) -> core::result::Result<Host, &'static str> {
    if host.is_empty() {
        return Err("no host");
    }
    if let Some(inner) = host.strip_prefix('[') {
        let inner = inner.strip_suffix(']').ok_or("an IPv6 address must end with ']'")?;
        return parse_ipv6(inner).map(Host::Ipv6).ok_or("not an IPv6 address");
    }
    if !host.is_ascii() {
        return Err("write an international host name in its xn-- form");
    }
    if host.contains('%') {
        return Err("no percent-encoding in the host");
    }
    let name = host.to_ascii_lowercase();
    if !name.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'_')) {
        return Err("a host name of letters, digits, '.', '-' and '_'");
    }
    if ends_in_a_number(&name) {
        return parse_ipv4(&name).map(Host::Ipv4).ok_or("not an IPv4 address");
    }
    if name
        .split('.')
        .any(|label| label.strip_prefix("xn--").is_some_and(|rest| !is_punycode_of_a_non_ascii_label(rest)))
    {
        return Err("an xn-- label must be the Punycode of an international name");
    }
    Ok(Host::Domain(name))
}

/// Whether a decoded code point is not one IDNA refuses in every version: a scalar value that is not a
/// control, private use or a noncharacter.
fn may_be_in_a_name(code_point: u32) -> bool {
    char::from_u32(code_point).is_some()
        && !matches!(code_point, 0x80..=0x9F | 0xE000..=0xF8FF | 0xF0000.. | 0xFDD0..=0xFDEF)
        && code_point & 0xFFFE != 0xFFFE
}

/// Whether the part of an `xn--` label after its prefix decodes as Punycode (RFC 3492) to a label with a
/// character beyond ASCII. Browsers decode such labels when they parse a host and refuse one that does not
/// decode, that decodes to ASCII alone (`xn--`, `xn--abc-`) or to a character no name may hold (`xn--a` is
/// U+0080, a control): a URL they would not load, which a flow would otherwise find out only at its time limit.
/// Whether each other decoded character is allowed (Unicode's IDNA tables: `xn--A-...` for an upper-case
/// letter, say) is not checked: those tables would cost the browser build more than the typos they catch.
fn is_punycode_of_a_non_ascii_label(encoded: &str) -> bool {
    const BASE: u32 = 36;
    const T_MIN: u32 = 1;
    const T_MAX: u32 = 26;
    // RFC 3492, 6.1: the bias after each decoded character.
    fn adapt(delta: u32, points: u32, first: bool) -> u32 {
        let mut delta = if first { delta / 700 } else { delta / 2 };
        delta += delta / points;
        let mut k = 0;
        while delta > ((BASE - T_MIN) * T_MAX) / 2 {
            delta /= BASE - T_MIN;
            k += BASE;
        }
        k + (BASE - T_MIN + 1) * delta / (delta + 38)
    }
    // The basic (ASCII) characters come before the last '-', which goes with them; with none before it, a
    // '-' is read as a digit (and refused), as ICU and RFC 3492's decoder read `xn---4gq`.
    let (basic, extended) = match encoded.rfind('-') {
        Some(at) if at > 0 => (&encoded[..at], &encoded[at + 1..]),
        _ => ("", encoded),
    };
    let (mut length, mut code_point, mut index, mut bias) = (basic.len() as u32, 128u32, 0u32, 72u32);
    let mut digits = extended.bytes();
    let mut decoded_any = false;
    while digits.len() > 0 {
        let (previous, mut weight, mut k) = (index, 1u32, BASE);
        loop {
            let digit = match digits.next() {
                Some(b @ b'a'..=b'z') => u32::from(b - b'a'),
                Some(b @ b'0'..=b'9') => u32::from(b - b'0') + 26,
                _ => return false,
            };
            let Some(next) = digit.checked_mul(weight).and_then(|step| index.checked_add(step)) else { return false };
            index = next;
            let threshold = k.saturating_sub(bias).clamp(T_MIN, T_MAX);
            if digit < threshold {
                break;
            }
            let Some(next) = weight.checked_mul(BASE - threshold) else { return false };
            weight = next;
            k += BASE;
        }
        length += 1;
        bias = adapt(index - previous, length, previous == 0);
        let Some(next) = code_point.checked_add(index / length) else { return false };
        code_point = next;
        if !may_be_in_a_name(code_point) {
            return false;
        }
        index = index % length + 1;
        decoded_any = true;
    }
    decoded_any
}

/// The URL Standard's "ends in a number": the last label (ignoring one trailing dot) is digits, or 0x hex.
fn ends_in_a_number(name: &str) -> bool {
    let name = name.strip_suffix('.').unwrap_or(name);
    let last = name.rsplit('.').next().unwrap_or("");
    if !last.is_empty() && last.bytes().all(|b| b.is_ascii_digit()) {
        return true;
    }
    last.strip_prefix("0x").is_some_and(|hex| hex.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// The URL Standard's IPv4 parser: one to four parts, each decimal, 0x hex or 0-led octal; the last part
/// fills the remaining bytes.
fn parse_ipv4(name: &str) -> Option<[u8; 4]> {
    let name = name.strip_suffix('.').unwrap_or(name);
    let parts: Vec<&str> = name.split('.').collect();
    if parts.len() > 4 {
        return None;
    }
    let mut numbers = Vec::with_capacity(4);
    for part in &parts {
        let (digits, radix) = if let Some(hex) = part.strip_prefix("0x") {
            (hex, 16)
        } else if part.len() > 1 && part.starts_with('0') {
            (&part[1..], 8)
        } else {
            (*part, 10)
        };
        if part.is_empty() {
            return None;
        }
        let number = if digits.is_empty() { 0 } else { u64::from_str_radix(digits, radix).ok()? };
        numbers.push(number);
    }
    let last = numbers.pop()?;
    if numbers.iter().any(|n| *n > 255) || last >= 256u64.pow(4 - numbers.len() as u32) {
        return None;
    }
    let mut address = last;
    for (i, n) in numbers.iter().enumerate() {
        address += n << (8 * (3 - i));
    }
    Some((address as u32).to_be_bytes())
}

/// The URL Standard's IPv6 parser (without zone IDs, which URLs cannot carry).
fn parse_ipv6(text: &str) -> Option<[u16; 8]> {
    let mut pieces = [0u16; 8];
    let (head, tail) = match text.split_once("::") {
        Some((head, tail)) => (head, Some(tail)),
        None => (text, None),
    };
    let read = |part: &str, out: &mut Vec<u16>| -> Option<()> {
        if part.is_empty() {
            return Some(());
        }
        let groups: Vec<&str> = part.split(':').collect();
        for (i, group) in groups.iter().enumerate() {
            if i == groups.len() - 1 && group.contains('.') {
                // An IPv4 address in the last two pieces: four decimal parts, no leading zeros.
                let bytes: Vec<u8> = group
                    .split('.')
                    .map(|d| {
                        (!d.is_empty()
                            && d.len() <= 3
                            && d.bytes().all(|b| b.is_ascii_digit())
                            && (d == "0" || !d.starts_with('0')))
                        .then(|| d.parse::<u8>().ok())
                        .flatten()
                    })
                    .collect::<Option<Vec<u8>>>()?;
                if bytes.len() != 4 {
                    return None;
                }
                out.push(u16::from_be_bytes([bytes[0], bytes[1]]));
                out.push(u16::from_be_bytes([bytes[2], bytes[3]]));
            } else {
                if group.is_empty() || group.len() > 4 || !group.bytes().all(|b| b.is_ascii_hexdigit()) {
                    return None;
                }
                out.push(u16::from_str_radix(group, 16).ok()?);
            }
        }
        Some(())
    };
    let mut front = Vec::new();
    read(head, &mut front)?;
    let mut back = Vec::new();
    if let Some(tail) = tail {
        if tail.contains("::") {
            return None;
        }
        read(tail, &mut back)?;
        if front.len() + back.len() > 7 {
            return None;
        }
    } else if front.len() != 8 {
        return None;
    }
    pieces[..front.len()].copy_from_slice(&front);
    pieces[8 - back.len()..].copy_from_slice(&back);
    Some(pieces)
}

/// The URL Standard's IPv6 serialiser: lower-case hex, the first longest run of two or more zero pieces
/// compressed to "::".
fn serialise_ipv6(pieces: &[u16; 8]) -> String {
    let (mut best, mut best_len) = (None, 1);
    let mut i = 0;
    while i < 8 {
        let start = i;
        while i < 8 && pieces[i] == 0 {
            i += 1;
        }
        if i - start > best_len {
            best = Some(start);
            best_len = i - start;
        }
        i += 1;
    }
    let mut out = String::new();
    let mut i = 0;
    while i < 8 {
        if Some(i) == best {
            out.push_str(if i == 0 { "::" } else { ":" });
            i += best_len;
            continue;
        }
        out.push_str(&format!("{:x}", pieces[i]));
        if i < 7 {
            out.push(':');
        }
        i += 1;
    }
    out
}

/// EMV limits `acsURL` and `threeDSMethodURL` to 2048 characters.
pub const MAX_ACS_URL_LEN: usize = 2048;

/// Checks a URL the ACS will post a notification to: https (http only to a potentially trustworthy host),
/// and at most 256 characters.
pub fn check_notification_url(field: &str, value: &str) -> Result<()> {
    check_secure_url(field, value, MAX_NOTIFICATION_URL_LEN).map(|_| ())
}

/// Checks a URL the browser will post to (ACS method or challenge URL, or a notification URL) and returns
/// its origin as browsers write it: https (http only to a potentially trustworthy host), and at most
/// `max_len` characters.
pub fn check_secure_url(field: &str, value: &str, max_len: usize) -> Result<String> {
    if value.chars().count() > max_len {
        return Err(ThreeDsError::invalid(field, format_args!("at most {max_len} characters")));
    }
    let url = parse_http_url(field, value)?;
    if url.scheme == "http" && !url.host.is_potentially_trustworthy() {
        return Err(ThreeDsError::invalid(
            field,
            "an https URL (http is accepted only for hosts browsers trust: 127.0.0.0/8, [::1], localhost and *.localhost)",
        ));
    }
    Ok(url.origin())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn origins_as_browsers_serialise_them() {
        // Each expected origin is what `new URL(input).origin` gives in Node, Chromium and Firefox.
        let o = |s| parse_http_url("u", s).unwrap().origin();
        for (input, origin) in [
            ("https://Merchant.example/3ds/notify?x=1", "https://merchant.example"),
            ("https://merchant.example:443/n", "https://merchant.example"),
            ("https://a:0443/", "https://a"),
            ("https://a:/", "https://a"),
            ("https://a:08443/", "https://a:8443"),
            ("http://127.0.0.1:8081/n", "http://127.0.0.1:8081"),
            ("http://127.1/", "http://127.0.0.1"),
            ("http://0x7f.0.0.1/", "http://127.0.0.1"),
            ("https://2130706433/", "https://127.0.0.1"),
            ("https://A.Example./", "https://a.example."),
            ("http://[::1]:9/n", "http://[::1]:9"),
            ("https://[0:0::1]/", "https://[::1]"),
            ("https://[::FFFF:7F00:1]/", "https://[::ffff:7f00:1]"),
            ("https://[::ffff:127.0.0.1]/", "https://[::ffff:7f00:1]"),
            ("https://[1:0:0:2:0:0:0:3]/", "https://[1:0:0:2::3]"),
            ("https://[1:0:0:0:2:0:0:3]/", "https://[1::2:0:0:3]"),
            ("https://[0:0:0:0:0:0:0:0]/", "https://[::]"),
            ("https://[1::]/", "https://[1::]"),
            ("https://[0:1:0:1:0:1:0:1]/", "https://[0:1:0:1:0:1:0:1]"),
            ("https://[2001:db8::1:0:0:1]/", "https://[2001:db8::1:0:0:1]"),
            ("https://a_b.example#frag", "https://a_b.example"),
        ] {
            assert_eq!(o(input), origin, "{input}");
        }
    }

    #[test]
    fn hosts_no_browser_would_load_or_that_cannot_be_normalised_are_refused() {
        for bad in [
            "https://merchant.e:xample:443/n",
            "https://::443/n",
            "https://1.2.3.08/",
            "https://1.2.3.4.5/",
            "https://256.0.0.1/",
            "https://[1:2:3]/",
            "https://[::1::2]/",
            "https://[1:2:3:4:5:6:7:8:9]/",
            "https://b\u{fc}cher.example/",
            "https://%41.example/",
            "https://a<b/",
            "https://a:65536/",
            "https://a:-1/",
            // Not the Punycode of an international name: browsers refuse these hosts.
            "https://xn--a.example/",
            "https://xn--.example/",
            "https://xn--abc-.example/",
            "https://shop.xn--zz/",
            "https://xn--99999999999999999999.example/",
            "https://xn---4gq.example/",
        ] {
            assert!(parse_http_url("u", bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn punycode_labels_of_international_names_are_read() {
        for (ok, origin) in [
            ("https://xn--bcher-kva.example/", "https://xn--bcher-kva.example"),
            ("https://XN--MNCHEN-3YA.de/", "https://xn--mnchen-3ya.de"),
            ("https://xn--ls8h.la/", "https://xn--ls8h.la"),
            ("https://xn--fiqs8s.xn--fiqz9s/", "https://xn--fiqs8s.xn--fiqz9s"),
            ("https://xn--80ak6aa92e.com/", "https://xn--80ak6aa92e.com"),
        ] {
            assert_eq!(parse_http_url("u", ok).map(|u| u.origin()), Ok(origin.to_string()), "{ok}");
        }
    }

    #[test]
    fn plain_http_only_where_browsers_trust_it() {
        for ok in [
            "http://127.0.0.1/n",
            "http://127.9.8.7/n",
            "http://[::1]/n",
            "http://localhost:3000/n",
            "http://shop.localhost/n",
        ] {
            assert!(check_notification_url("u", ok).is_ok(), "{ok}");
        }
        for bad in [
            "http://128.0.0.1/n",
            "http://[::2]/n",
            "http://localhost.example/n",
            "http://mylocalhost/n",
            "http://10.0.0.1/n",
        ] {
            assert!(check_notification_url("u", bad).is_err(), "{bad}");
        }
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
