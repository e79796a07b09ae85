//! Reads the auto-submitting form out of a provider's HTML document (VeriTrans `resResponseContents`), so
//! the browser can submit the same fields with a form built from DOM nodes: the provider's markup and
//! scripts never enter the merchant page, and strict CSP and Trusted Types pages work.

use serde::Serialize;

use super::error::{Result, ThreeDsError};

/// The first form of a document: where it posts and what.
#[derive(Debug, PartialEq, Eq, Serialize)]
pub struct HtmlForm {
    /// The form's action URL.
    pub action: String,
    /// "GET" or "POST".
    pub method: String,
    /// Its named inputs (and textareas), in document order.
    pub fields: Vec<(String, String)>,
}

/// The largest document read, in bytes.
pub const MAX_HTML_LEN: usize = 256 * 1024;

/// Extracts the first `<form>` and its named `<input>` / `<textarea>` values (buttons and unnamed inputs skipped).
pub fn first_form(html: &str) -> Result<HtmlForm> {
    if html.len() > MAX_HTML_LEN {
        return Err(ThreeDsError::new(
            super::error::ErrorCode::TooLarge,
            format!("html is {} bytes; at most {MAX_HTML_LEN} are read", html.len()),
        ));
    }
    let lower = html.to_ascii_lowercase();
    let start = find_tag(&lower, "form", 0)
        .ok_or_else(|| ThreeDsError::invalid("html", "a document with a <form> to submit"))?;
    let (form_attributes, mut cursor) = attributes_at(html, start);
    let end = lower[cursor..].find("</form").map_or(html.len(), |i| cursor + i);
    let mut fields = Vec::new();
    while let Some(position) = next_field(&lower, cursor, end) {
        let (attributes, after) = attributes_at(html, position);
        cursor = after;
        let is_textarea = lower[position..].starts_with("<textarea");
        let kind = attribute(&attributes, "type").unwrap_or_default().to_ascii_lowercase();
        let Some(name) = attribute(&attributes, "name").filter(|n| !n.is_empty()) else { continue };
        if matches!(kind.as_str(), "submit" | "button" | "image" | "reset" | "file") {
            continue;
        }
        if matches!(kind.as_str(), "checkbox" | "radio") && attribute(&attributes, "checked").is_none() {
            continue;
        }
        let value = if is_textarea {
            let close = lower[after..end.max(after)].find("</textarea").map_or(end, |i| after + i);
            decode_entities(&html[after..close.max(after)])
        } else {
            attribute(&attributes, "value").unwrap_or_default()
        };
        fields.push((name, value));
    }
    let action = attribute(&form_attributes, "action")
        .filter(|a| !a.is_empty())
        .ok_or_else(|| ThreeDsError::missing("html form action"))?;
    let method = attribute(&form_attributes, "method").unwrap_or_else(|| "GET".into()).to_ascii_uppercase();
    if method != "GET" && method != "POST" {
        return Err(ThreeDsError::invalid("html form method", "GET or POST"));
    }
    Ok(HtmlForm { action, method, fields })
}

fn find_tag(lower: &str, name: &str, from: usize) -> Option<usize> {
    let needle = format!("<{name}");
    let mut at = from;
    while let Some(i) = lower.get(at..)?.find(&needle) {
        let position = at + i;
        let next = lower.as_bytes().get(position + needle.len()).copied();
        if next.is_none_or(|b| b.is_ascii_whitespace() || b == b'>' || b == b'/') {
            return Some(position);
        }
        at = position + needle.len();
    }
    None
}

fn next_field(lower: &str, from: usize, end: usize) -> Option<usize> {
    let input = find_tag(lower, "input", from).filter(|&p| p < end);
    let textarea = find_tag(lower, "textarea", from).filter(|&p| p < end);
    match (input, textarea) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

/// The attributes of the tag starting at `start` ("<name ..."), and the index just after its '>'.
fn attributes_at(html: &str, start: usize) -> (Vec<(String, String)>, usize) {
    let bytes = html.as_bytes();
    let mut i = start + 1;
    while i < bytes.len() && !bytes[i].is_ascii_whitespace() && bytes[i] != b'>' && bytes[i] != b'/' {
        i += 1;
    }
    let mut attributes = Vec::new();
    loop {
        while i < bytes.len() && (bytes[i].is_ascii_whitespace() || bytes[i] == b'/') {
            i += 1;
        }
        if i >= bytes.len() {
            return (attributes, i);
        }
        if bytes[i] == b'>' {
            return (attributes, i + 1);
        }
        let name_start = i;
        while i < bytes.len() && !bytes[i].is_ascii_whitespace() && !matches!(bytes[i], b'=' | b'>' | b'/') {
            i += 1;
        }
        let name = html[name_start..i].to_ascii_lowercase();
        while i < bytes.len() && bytes[i].is_ascii_whitespace() {
            i += 1;
        }
        let mut value = String::new();
        if i < bytes.len() && bytes[i] == b'=' {
            i += 1;
            while i < bytes.len() && bytes[i].is_ascii_whitespace() {
                i += 1;
            }
            if i < bytes.len() && (bytes[i] == b'"' || bytes[i] == b'\'') {
                let quote = bytes[i];
                let value_start = i + 1;
                let close =
                    bytes[value_start..].iter().position(|&b| b == quote).map_or(bytes.len(), |p| value_start + p);
                value = decode_entities(&html[value_start..close]);
                i = (close + 1).min(bytes.len());
            } else {
                let value_start = i;
                while i < bytes.len() && !bytes[i].is_ascii_whitespace() && bytes[i] != b'>' {
                    i += 1;
                }
                value = decode_entities(&html[value_start..i]);
            }
        }
        attributes.push((name, value));
    }
}

fn attribute(attributes: &[(String, String)], name: &str) -> Option<String> {
    attributes.iter().find(|(n, _)| n == name).map(|(_, v)| v.clone())
}

/// Decodes the character references attribute values use (named basics and numeric).
fn decode_entities(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        rest = &rest[amp..];
        // Character references are short; a ';' further away is not one's end.
        let Some(semi) = rest.find(';').filter(|&i| i <= 12) else {
            out.push('&');
            rest = &rest[1..];
            continue;
        };
        let entity = &rest[1..semi];
        let decoded = match entity {
            "amp" => Some('&'),
            "quot" => Some('"'),
            "apos" | "#39" => Some('\''),
            "lt" => Some('<'),
            "gt" => Some('>'),
            _ => entity
                .strip_prefix("#x")
                .or_else(|| entity.strip_prefix("#X"))
                .and_then(|hex| u32::from_str_radix(hex, 16).ok())
                .or_else(|| entity.strip_prefix('#').and_then(|dec| dec.parse().ok()))
                .and_then(char::from_u32),
        };
        match decoded {
            Some(c) => {
                out.push(c);
                rest = &rest[semi + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_an_auto_submit_document() {
        let html = r#"<html><body onload="document.forms[0].submit()">
            <FORM name=f method="post" action="https://acs.example/pareq?a=1&amp;b=2">
              <input type="hidden" name="PaReq" value="eJx+/=">
              <input type=hidden name='TermUrl' value='https://shop.example/r'>
              <input type="hidden" name="MD" value="&quot;x&#39;&#x41;">
              <textarea name="note">a &lt; b</textarea>
              <input type="submit" name="go" value="Go"><input name="">
            </FORM><input name="outside" value="no"></body></html>"#;
        let form = first_form(html).unwrap();
        assert_eq!(form.action, "https://acs.example/pareq?a=1&b=2");
        assert_eq!(form.method, "POST");
        let expected = [("PaReq", "eJx+/="), ("TermUrl", "https://shop.example/r"), ("MD", "\"x'A"), ("note", "a < b")];
        assert_eq!(form.fields, expected.map(|(k, v)| (k.to_string(), v.to_string())));
    }

    #[test]
    fn refuses_documents_without_a_form() {
        assert!(first_form("<p>hello</p>").is_err());
        assert!(first_form("<form><input name=a value=b></form>").is_err(), "no action");
        assert!(first_form("<formal action=x>").is_err());
        assert!(first_form("<form action='x' method='dance'>").is_err());
        // Truncated markup never panics.
        for cut in
            ["<form action=\"", "<form action=x><input name=\"a", "<form action=x><textarea name=t>", "&#xFFFFFFFF;"]
        {
            let _ = first_form(cut);
        }
    }
}
