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

/// The most fields read from a form: a provider's auto-submitting form has a handful.
pub const MAX_FIELDS: usize = 1000;

/// Extracts the first `<form>` and its named `<input>` / `<textarea>` values (buttons and unnamed inputs skipped).
/// One forward pass over the document, as a browser's tokenizer reads it: `<textarea>` content is text (tags
/// inside it are not fields), comments and `<script>` / `<style>` content are skipped, and no search ever
/// looks behind the cursor or past what it consumes, so the work is linear in the document's length whatever
/// its shape.
pub fn first_form(html: &str) -> Result<HtmlForm> {
    if html.len() > MAX_HTML_LEN {
        return Err(ThreeDsError::new(
            super::error::ErrorCode::TooLarge,
            format!("html is {} bytes; at most {MAX_HTML_LEN} are read", html.len()),
        ));
    }
    let lower = html.to_ascii_lowercase();
    let mut tags = Tags { html, lower: &lower, at: 0 };
    let form_attributes = loop {
        match tags.next() {
            Some(tag) if tag.name == "form" => break tag.attributes,
            Some(_) => continue,
            None => return Err(ThreeDsError::invalid("html", "a document with a <form> to submit")),
        }
    };
    let mut fields = Vec::new();
    while let Some(tag) = tags.next() {
        let text = match tag.name {
            "/form" => break,
            "textarea" => Some(decode_entities(tags.text_until("</textarea"))),
            "input" => None,
            _ => continue,
        };
        let Attributes { name, kind, value, checked, .. } = tag.attributes;
        let Some(name) = name.filter(|n| !n.is_empty()) else { continue };
        let kind = kind.unwrap_or_default().to_ascii_lowercase();
        if text.is_none() && matches!(kind.as_str(), "submit" | "button" | "image" | "reset" | "file") {
            continue;
        }
        if matches!(kind.as_str(), "checkbox" | "radio") && !checked {
            continue;
        }
        if fields.len() == MAX_FIELDS {
            return Err(ThreeDsError::new(
                super::error::ErrorCode::TooLarge,
                format!("html form has more than {MAX_FIELDS} fields"),
            ));
        }
        fields.push((name, text.or(value).unwrap_or_default()));
    }
    let action =
        form_attributes.action.filter(|a| !a.is_empty()).ok_or_else(|| ThreeDsError::missing("html form action"))?;
    let method = form_attributes.method.unwrap_or_else(|| "GET".into()).to_ascii_uppercase();
    if method != "GET" && method != "POST" {
        return Err(ThreeDsError::invalid("html form method", "GET or POST"));
    }
    Ok(HtmlForm { action, method, fields })
}

/// A start or end tag: its lower-case name ("input", "/form") and its attributes.
struct Tag<'a> {
    name: &'a str,
    attributes: Attributes,
}

/// The tags of a document, in order, from a cursor that only moves forward.
struct Tags<'a> {
    html: &'a str,
    /// `html` in ASCII lower case: the same byte offsets.
    lower: &'a str,
    at: usize,
}

impl<'a> Tags<'a> {
    /// The next tag, skipping text, comments and the content of script and style elements.
    fn next(&mut self) -> Option<Tag<'a>> {
        loop {
            let open = self.at + self.lower.get(self.at..)?.find('<')?;
            let rest = &self.lower[open..];
            if rest.starts_with("<!--") {
                self.at = open + 4;
                self.text_until("-->");
                continue;
            }
            let name_start = open + 1 + usize::from(rest.as_bytes().get(1) == Some(&b'/'));
            let name_end = self.lower[name_start..]
                .find(|c: char| !c.is_ascii_alphanumeric())
                .map_or(self.lower.len(), |i| name_start + i);
            if name_end == name_start {
                // A '<' that starts no tag is text.
                self.at = open + 1;
                continue;
            }
            let (attributes, after) = attributes_at(self.html, self.lower, name_end);
            self.at = after;
            let name = &self.lower[open + 1..name_end];
            // Raw text: nothing inside is markup.
            if name == "script" || name == "style" {
                self.text_until(if name == "script" { "</script" } else { "</style" });
            }
            return Some(Tag { name, attributes });
        }
    }

    /// The text from the cursor to `close` (or the end), moving the cursor past `close`'s '>'.
    fn text_until(&mut self, close: &str) -> &'a str {
        let start = self.at;
        let end = self.lower[start..].find(close).map_or(self.lower.len(), |i| start + i);
        self.at = self.lower[end..].find('>').map_or(self.lower.len(), |i| end + i + 1);
        &self.html[start..end]
    }
}

/// The attributes the reader needs, first occurrence of each (as browsers keep them); others are skipped
/// without being decoded, so a tag with thousands of attributes holds nothing for them.
#[derive(Default)]
struct Attributes {
    action: Option<String>,
    method: Option<String>,
    name: Option<String>,
    kind: Option<String>,
    value: Option<String>,
    checked: bool,
}

/// The attributes of a tag whose name ends at `start`, and the index just after its '>'.
fn attributes_at(html: &str, lower: &str, start: usize) -> (Attributes, usize) {
    let bytes = html.as_bytes();
    let mut i = start;
    let mut attributes = Attributes::default();
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
        let slot = match &lower[name_start..i] {
            "action" => Some(&mut attributes.action),
            "method" => Some(&mut attributes.method),
            "name" => Some(&mut attributes.name),
            "type" => Some(&mut attributes.kind),
            "value" => Some(&mut attributes.value),
            "checked" => {
                attributes.checked = true;
                None
            }
            _ => None,
        };
        while i < bytes.len() && bytes[i].is_ascii_whitespace() {
            i += 1;
        }
        let mut raw = "";
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
                raw = &html[value_start..close];
                i = (close + 1).min(bytes.len());
            } else {
                let value_start = i;
                while i < bytes.len() && !bytes[i].is_ascii_whitespace() && bytes[i] != b'>' {
                    i += 1;
                }
                raw = &html[value_start..i];
            }
        }
        if let Some(slot) = slot.filter(|slot| slot.is_none()) {
            *slot = Some(decode_entities(raw));
        }
    }
}

/// Decodes the character references attribute values use (named basics and numeric).
fn decode_entities(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        rest = &rest[amp..];
        // Character references are short: look for their ';' in the next few bytes only, so that a run of
        // '&' costs linear time.
        let Some(semi) = rest.as_bytes().iter().take(13).position(|&b| b == b';') else {
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
    fn reads_markup_as_a_browser_tokenizer_does() {
        // Tags inside a textarea are its text; comments and scripts hold no fields.
        let html = r#"<form action="https://acs.example/p" method=post>
            <textarea name=a><input name=b value=x></TEXTAREA>
            <!-- <input name=c value=y> --><script>var s = "<input name=d>";</script>
            <input name=e value=z></form>"#;
        let form = first_form(html).unwrap();
        let fields: Vec<(&str, &str)> = form.fields.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        assert_eq!(fields, [("a", "<input name=b value=x>"), ("e", "z")]);
        // An unclosed textarea runs to the end of the document, once.
        let html = format!("<form action=x>{}", "<textarea name=a>".repeat(1000));
        let form = first_form(&html).unwrap();
        assert_eq!(form.fields.len(), 1);
        assert_eq!(form.fields[0].1.len(), html.len() - "<form action=x><textarea name=a>".len());
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
