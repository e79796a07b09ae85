//! The tags of an HTML document as a browser's tokenizer and tree builder see them, for the form reader: what a
//! browser reads as text (comments, `<script>` with its escaped states, RCDATA and RAWTEXT elements, `<template>`
//! contents, SVG and MathML) never yields a tag. One forward pass; no search looks behind the cursor or past
//! what it consumes, so the work is linear in the document whatever its shape.

/// A start or end tag: its lower-case name ("input", "/form"), its attributes, and for RCDATA elements
/// (`<textarea>`, `<title>`) their text.
pub struct Tag<'a> {
    /// The name, lower case, with a leading '/' for an end tag.
    pub name: &'a str,
    /// The attributes the form reader uses.
    pub attributes: Attributes,
    /// The raw text of a `<textarea>` or `<title>`.
    pub text: Option<&'a str>,
}

/// The attributes the form reader needs, first occurrence of each (as browsers keep them); others are skipped
/// without being decoded, so a tag with thousands of attributes holds nothing for them.
#[derive(Default)]
pub struct Attributes {
    /// `action`, decoded.
    pub action: Option<String>,
    /// `method`, decoded.
    pub method: Option<String>,
    /// `enctype`, decoded.
    pub enctype: Option<String>,
    /// `name`, decoded.
    pub name: Option<String>,
    /// `type`, decoded.
    pub kind: Option<String>,
    /// `value`, decoded.
    pub value: Option<String>,
    /// `id`, decoded.
    pub id: Option<String>,
    /// `form` (the id of the form a field belongs to), decoded.
    pub form: Option<String>,
    /// Whether `checked` is present.
    pub checked: bool,
    /// Whether `disabled` is present.
    pub disabled: bool,
    /// Whether `selected` is present.
    pub selected: bool,
    /// Whether `multiple` is present.
    pub multiple: bool,
}

/// Elements whose content is text up to their end tag (RCDATA: entities decoded; RAWTEXT: not). `noscript`
/// is RAWTEXT because the merchant page runs with scripting enabled.
const RCDATA: &[&str] = &["textarea", "title"];
const RAWTEXT: &[&str] = &["style", "xmp", "iframe", "noembed", "noframes", "noscript"];
/// Elements whose whole content never holds an HTML form field: template contents are inert, and a `<form>`
/// inside SVG or MathML is a foreign element.
const SKIPPED: &[&str] = &["template", "svg", "math"];

/// The tags of a document, in order, from a cursor that only moves forward.
pub struct Tags<'a> {
    html: &'a str,
    /// `html` in ASCII lower case: the same byte offsets.
    lower: &'a str,
    at: usize,
}

impl<'a> Tags<'a> {
    /// The tags of `html`, whose ASCII lower-case copy is `lower`.
    pub fn new(html: &'a str, lower: &'a str) -> Self {
        Tags { html, lower, at: 0 }
    }

    /// The text from the cursor to the next `<` (or the end), moving the cursor there.
    pub fn text(&mut self) -> &'a str {
        let start = self.at;
        self.at = self.lower[start..].find('<').map_or(self.lower.len(), |i| start + i);
        &self.html[start..self.at]
    }

    /// The next tag, skipping text, comments and whatever a browser reads as text.
    pub fn next_tag(&mut self) -> Option<Tag<'a>> {
        loop {
            let open = self.at + self.lower.get(self.at..)?.find('<')?;
            let rest = &self.lower[open..];
            if rest.starts_with("<!--") {
                self.at = open + 4;
                self.skip_past("-->");
                continue;
            }
            if rest.starts_with("<!") || rest.starts_with("<?") {
                // A doctype, or a bogus comment (CDATA outside foreign content is one): to the next '>'.
                self.at = open + 2;
                self.skip_past(">");
                continue;
            }
            let end_tag = rest.as_bytes().get(1) == Some(&b'/');
            let name_start = open + 1 + usize::from(end_tag);
            if !self.lower.as_bytes().get(name_start).is_some_and(u8::is_ascii_alphabetic) {
                // A '<' that starts no tag is text (checked before the name is scanned, so that a run of '<'
                // costs linear time).
                self.at = open + 1;
                continue;
            }
            let name_end = self.lower[name_start..]
                .find(|c: char| c.is_ascii_whitespace() || c == '/' || c == '>')
                .map_or(self.lower.len(), |i| name_start + i);
            let (attributes, after) = attributes_at(self.html, self.lower, name_end);
            self.at = after;
            let name = &self.lower[open + 1..name_end];
            if end_tag {
                return Some(Tag { name, attributes, text: None });
            }
            let mut text = None;
            if name == "script" {
                self.skip_script();
            } else if name == "plaintext" {
                self.at = self.lower.len();
            } else if RCDATA.contains(&name) {
                text = Some(self.text_until_end_tag(name));
            } else if RAWTEXT.contains(&name) {
                self.text_until_end_tag(name);
            } else if SKIPPED.contains(&name) {
                self.skip_element(name);
                continue;
            }
            return Some(Tag { name, attributes, text });
        }
    }

    /// Moves the cursor past the next `needle` (or to the end).
    fn skip_past(&mut self, needle: &str) {
        self.at = self.lower[self.at..].find(needle).map_or(self.lower.len(), |i| self.at + i + needle.len());
    }

    /// The position of the next end tag `</name` (followed by whitespace, '/' or '>') from `from`.
    fn find_end_tag(&self, name: &str, from: usize) -> Option<usize> {
        let mut at = from;
        loop {
            let i = at + self.lower[at..].find("</")?;
            let after = i + 2 + name.len();
            if self.lower[i + 2..].starts_with(name)
                && self.lower.as_bytes().get(after).is_none_or(|b| b.is_ascii_whitespace() || *b == b'/' || *b == b'>')
            {
                return Some(i);
            }
            at = i + 2;
        }
    }

    /// The text up to the end tag `</name>`, moving the cursor past it.
    fn text_until_end_tag(&mut self, name: &str) -> &'a str {
        let start = self.at;
        let end = self.find_end_tag(name, start).unwrap_or(self.lower.len());
        self.at = end;
        self.skip_past(">");
        &self.html[start..end]
    }

    /// Skips an element's whole content, nested elements of the same name included.
    fn skip_element(&mut self, name: &str) {
        let mut depth = 1usize;
        while depth > 0 {
            let Some(tag) = self.next_tag() else { return };
            if tag.name == name {
                depth += 1;
            } else if tag.name.strip_prefix('/') == Some(name) {
                depth -= 1;
            }
        }
    }

    /// Skips script data to its end tag as the tokenizer does: inside `<!--`, a `<script` starts the
    /// "double-escaped" state, in which `</script>` does not end the element.
    fn skip_script(&mut self) {
        let (mut escaped, mut double) = (false, false);
        loop {
            let Some(i) = self.lower[self.at..].find(['<', '-']).map(|i| self.at + i) else {
                self.at = self.lower.len();
                return;
            };
            let rest = &self.lower[i..];
            let tag_follows = |len: usize| {
                rest.as_bytes().get(len).is_none_or(|b| b.is_ascii_whitespace() || *b == b'/' || *b == b'>')
            };
            if rest.starts_with("-->") {
                (escaped, double) = (false, false);
                self.at = i + 3;
            } else if rest.starts_with("<!--") && !escaped {
                escaped = true;
                self.at = i + 4;
            } else if rest.starts_with("</script") && tag_follows(8) {
                if double {
                    double = false;
                    self.at = i + 8;
                } else {
                    self.at = i;
                    self.skip_past(">");
                    return;
                }
            } else if escaped && !double && rest.starts_with("<script") && tag_follows(7) {
                double = true;
                self.at = i + 7;
            } else {
                self.at = i + 1;
            }
        }
    }
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
        // An attribute name runs to whitespace, '/', '>' or '=' (but a leading '=' belongs to the name).
        i += 1;
        while i < bytes.len() && !bytes[i].is_ascii_whitespace() && !matches!(bytes[i], b'=' | b'>' | b'/') {
            i += 1;
        }
        let slot = match &lower[name_start..i] {
            "action" => Some(&mut attributes.action),
            "method" => Some(&mut attributes.method),
            "enctype" => Some(&mut attributes.enctype),
            "name" => Some(&mut attributes.name),
            "type" => Some(&mut attributes.kind),
            "value" => Some(&mut attributes.value),
            "id" => Some(&mut attributes.id),
            "form" => Some(&mut attributes.form),
            flag => {
                match flag {
                    "checked" => attributes.checked = true,
                    "disabled" => attributes.disabled = true,
                    "selected" => attributes.selected = true,
                    "multiple" => attributes.multiple = true,
                    _ => {}
                }
                None
            }
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

/// Decodes character references: the basic named ones and numeric ones, where a reference to nothing a
/// browser would keep (NUL, a surrogate, past U+10FFFF) becomes U+FFFD as it does there.
pub fn decode_entities(text: &str) -> String {
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
        let numeric = entity
            .strip_prefix("#x")
            .or_else(|| entity.strip_prefix("#X"))
            .map(|hex| (hex, 16))
            .or_else(|| entity.strip_prefix('#').map(|dec| (dec, 10)))
            .filter(|(digits, _)| !digits.is_empty())
            .map(|(digits, radix)| u32::from_str_radix(digits, radix).ok().and_then(char::from_u32));
        let decoded = match entity {
            "amp" => Some('&'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "nbsp" => Some('\u{a0}'),
            _ => numeric.map(|c| c.filter(|c| *c != '\0').unwrap_or('\u{fffd}')),
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
