//! The tags of an HTML document as a browser's tokenizer and tree builder see them, for the form reader: what a
//! browser reads as text (comments, `<script>` with its escaped states, RCDATA and RAWTEXT elements, `<template>`
//! contents, SVG and MathML) never yields a tag. One forward pass; no search looks behind the cursor or past
//! what it consumes, so the work is linear in the document whatever its shape.

/// A start or end tag: its lower-case name ("input", "/form") and its attributes.
pub struct Tag<'a> {
    /// The name, lower case, with a leading '/' for an end tag.
    pub name: &'a str,
    /// The attributes the form reader uses.
    pub attributes: Attributes,
    /// Whether the tag ends with "/>" (which closes an element of SVG or MathML at once).
    pub self_closing: bool,
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
    /// `accept-charset`, decoded.
    pub accept_charset: Option<String>,
    /// Whether `multiple` is present.
    pub multiple: bool,
    /// Whether `dirname` is present.
    pub dirname: bool,
    /// A character reference in one of these attributes that this reader does not decode (see
    /// [`decode_entities`]).
    pub unread_reference: Option<String>,
}

/// Elements whose content is text up to their end tag (RCDATA and RAWTEXT). `noscript` is one because the
/// merchant page runs with scripting enabled.
const TEXT_ELEMENTS: &[&str] = &["textarea", "title", "style", "xmp", "iframe", "noembed", "noframes", "noscript"];
/// Start tags that end SVG or MathML content and are read as HTML (the tree builder's "breakout" list; `font`
/// only with some attributes, taken here always), and end tags that do (`</p>`, `</br>`: as tag names).
const BREAKOUT: &[&str] = &[
    "b",
    "big",
    "blockquote",
    "body",
    "br",
    "center",
    "code",
    "dd",
    "div",
    "dl",
    "dt",
    "em",
    "embed",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "head",
    "hr",
    "i",
    "img",
    "li",
    "listing",
    "menu",
    "meta",
    "nobr",
    "ol",
    "p",
    "pre",
    "ruby",
    "s",
    "small",
    "span",
    "strong",
    "strike",
    "sub",
    "sup",
    "table",
    "tt",
    "u",
    "ul",
    "var",
    "font",
];
/// Elements of SVG and MathML whose content is HTML.
const INTEGRATION_POINTS: &[&str] =
    &["foreignobject", "desc", "title", "mi", "mo", "mn", "ms", "mtext", "annotation-xml"];

/// The tags of a document, in order, from a cursor that only moves forward.
pub struct Tags<'a> {
    html: &'a str,
    /// `html` in ASCII lower case: the same byte offsets.
    lower: &'a str,
    at: usize,
    /// Whether the cursor is in SVG or MathML content.
    foreign: bool,
    /// Whether SVG or MathML content held something a browser would read as HTML, which this reader does not
    /// follow.
    pub foreign_html: bool,
}

impl<'a> Tags<'a> {
    /// The tags of `html`, whose ASCII lower-case copy is `lower`.
    pub fn new(html: &'a str, lower: &'a str) -> Self {
        Tags { html, lower, at: 0, foreign: false, foreign_html: false }
    }

    /// The next tag, skipping text, comments and whatever a browser reads as text.
    pub fn next_tag(&mut self) -> Option<Tag<'a>> {
        loop {
            let open = self.at + self.lower.get(self.at..)?.find('<')?;
            let rest = &self.lower[open..];
            if rest.starts_with("<!--") {
                self.skip_comment(open);
                continue;
            }
            if self.foreign && rest.starts_with("<![cdata[") {
                // In SVG and MathML, CDATA is text to its "]]>".
                self.at = open + 9;
                self.skip_past("]]>");
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
                // costs linear time), but "</" followed by anything else is not: "</>" is nothing, and "</"
                // before any other character is a bogus comment to the next '>', which hides whatever is in it
                // ("</ <form ...>" is no form to a browser).
                match (end_tag, self.lower.as_bytes().get(name_start).copied()) {
                    (true, Some(b'>')) => self.at = name_start + 1,
                    (true, Some(_)) => {
                        self.at = name_start;
                        self.skip_past(">");
                    }
                    _ => self.at = open + 1,
                }
                continue;
            }
            let name_end = self.lower[name_start..]
                .find(|c: char| c.is_ascii_whitespace() || c == '/' || c == '>')
                .map_or(self.lower.len(), |i| name_start + i);
            let (attributes, self_closing, after) = attributes_at(self.html, self.lower, name_end);
            self.at = after;
            let name = &self.lower[open + 1..name_end];
            if end_tag || self.foreign {
                // SVG and MathML have none of HTML's text elements: their tags are read as they come.
                return Some(Tag { name, attributes, self_closing });
            }
            if name == "script" {
                self.skip_script();
            } else if name == "plaintext" {
                self.at = self.lower.len();
            } else if TEXT_ELEMENTS.contains(&name) {
                self.skip_text_to_end_tag(name);
            } else if name == "template" {
                self.skip_template();
                continue;
            } else if (name == "svg" || name == "math") && !self_closing {
                self.skip_foreign(name);
                continue;
            }
            return Some(Tag { name, attributes, self_closing });
        }
    }

    /// Skips the comment that starts at `open` ("<!--") as the tokenizer does: "<!-->" and "<!--->" are empty
    /// comments, and a comment ends at the first "-->" or "--!>".
    fn skip_comment(&mut self, open: usize) {
        let rest = &self.lower[open..];
        if rest.starts_with("<!-->") || rest.starts_with("<!--->") {
            self.at = open + rest.find('>').map_or(rest.len(), |i| i + 1);
            return;
        }
        let mut at = open + 4;
        self.at = loop {
            let Some(i) = self.lower[at..].find("--").map(|i| at + i) else { break self.lower.len() };
            match &self.lower.as_bytes()[i + 2..] {
                [b'>', ..] => break i + 3,
                [b'!', b'>', ..] => break i + 4,
                _ => at = i + 1,
            }
        };
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

    /// Skips the text up to the end tag `</name>`, and the end tag.
    fn skip_text_to_end_tag(&mut self, name: &str) {
        self.at = self.find_end_tag(name, self.at).unwrap_or(self.lower.len());
        self.skip_past(">");
    }

    /// Skips a `<template>`'s inert content, nested templates included.
    fn skip_template(&mut self) {
        let mut depth = 1usize;
        while depth > 0 {
            let Some(tag) = self.next_tag() else { return };
            match tag.name {
                "template" => depth += 1,
                "/template" => depth -= 1,
                _ => {}
            }
        }
    }

    /// Skips an `<svg>` or `<math>` element, whose `<form>` would be a foreign element, not a form. What a
    /// browser would read as HTML in it (a tag that breaks out of foreign content, an integration point with
    /// markup in it, an end tag that may close an HTML element around it) is not followed here: it marks the
    /// document [`Tags::foreign_html`], which the form reader refuses rather than guess.
    fn skip_foreign(&mut self, root: &'a str) {
        self.foreign = true;
        let mut open = vec![root];
        // An integration point (SVG `<foreignObject>`, `<desc>`, `<title>`; MathML text elements) must hold
        // text only: its next tag must be its own end tag.
        let mut integration: Option<&str> = None;
        while !open.is_empty() {
            let Some(tag) = self.next_tag() else { break };
            if let Some(point) = integration.take() {
                if tag.name.strip_prefix('/') != Some(point) {
                    self.foreign_html = true;
                    break;
                }
            }
            if let Some(end) = tag.name.strip_prefix('/') {
                let Some(at) = open.iter().rposition(|name| *name == end) else {
                    self.foreign_html = true;
                    break;
                };
                open.truncate(at);
            } else if BREAKOUT.contains(&tag.name) {
                self.foreign_html = true;
                break;
            } else if !tag.self_closing {
                if INTEGRATION_POINTS.contains(&tag.name) {
                    integration = Some(tag.name);
                }
                open.push(tag.name);
            }
        }
        self.foreign = false;
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
                // Escaped, unless its dashes are closed at once ("<!-->", "<!--->"), as the tokenizer reads them.
                let dashes = rest[4..].bytes().take_while(|b| *b == b'-').count();
                let closed = rest.as_bytes().get(4 + dashes) == Some(&b'>');
                escaped = !closed;
                self.at = i + 4 + dashes + usize::from(closed);
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

/// The attributes of a tag whose name ends at `start`, whether it is self-closing, and the index just after
/// its '>'.
fn attributes_at(html: &str, lower: &str, start: usize) -> (Attributes, bool, usize) {
    let bytes = html.as_bytes();
    let mut i = start;
    let mut attributes = Attributes::default();
    loop {
        let between = i;
        while i < bytes.len() && (bytes[i].is_ascii_whitespace() || bytes[i] == b'/') {
            i += 1;
        }
        if i >= bytes.len() {
            return (attributes, false, i);
        }
        if bytes[i] == b'>' {
            // A '/' just before the '>', outside any attribute value.
            return (attributes, i > between && bytes[i - 1] == b'/', i + 1);
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
            "accept-charset" => Some(&mut attributes.accept_charset),
            flag => {
                match flag {
                    "checked" => attributes.checked = true,
                    "disabled" => attributes.disabled = true,
                    "multiple" => attributes.multiple = true,
                    "dirname" => attributes.dirname = true,
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
            match decode_entities(raw) {
                // The tokenizer reads a NUL in an attribute value as U+FFFD.
                Ok(value) => *slot = Some(value.replace('\0', "\u{fffd}")),
                Err(reference) => {
                    *slot = Some(String::new());
                    attributes.unread_reference.get_or_insert(reference);
                }
            }
        }
    }
}

/// The named character references a browser decodes even without their ';' (HTML's Latin-1 set): the names of
/// U+00A0 to U+00FF in order, then the rest with the character each stands for.
/// Six bytes each, padded with spaces: no table of pointers in the wasm.
const LATIN1_NAMES: &str =
    "nbsp  iexcl cent  pound currenyen   brvbarsect  uml   copy  ordf  laquo not   shy   reg   macr  \
    deg   plusmnsup2  sup3  acute micro para  middotcedil sup1  ordm  raquo frac14frac12frac34iquest\
    AgraveAacuteAcirc AtildeAuml  Aring AElig CcedilEgraveEacuteEcirc Euml  IgraveIacuteIcirc Iuml  \
    ETH   NtildeOgraveOacuteOcirc OtildeOuml  times OslashUgraveUacuteUcirc Uuml  YacuteTHORN szlig \
    agraveaacuteacirc atildeauml  aring aelig ccedilegraveeacuteecirc euml  igraveiacuteicirc iuml  \
    eth   ntildeograveoacuteocirc otildeouml  divideoslashugraveuacuteucirc uuml  yacutethorn yuml  ";
const OTHER_LEGACY: [(&str, char); 10] = [
    ("amp", '&'),
    ("AMP", '&'),
    ("lt", '<'),
    ("LT", '<'),
    ("gt", '>'),
    ("GT", '>'),
    ("quot", '"'),
    ("QUOT", '"'),
    ("COPY", '\u{a9}'),
    ("REG", '\u{ae}'),
];

/// The character `name` stands for, if it is a name of HTML's Latin-1 set (or a basic one). One pass over the
/// names, first bytes first: this runs for every '&' of an attribute.
fn legacy_reference(name: &str) -> Option<char> {
    if let Some((_, c)) = OTHER_LEGACY.iter().find(|(other, _)| *other == name) {
        return Some(*c);
    }
    let latin1 = LATIN1_NAMES.as_bytes();
    // The first byte first: most names are passed over without a call to compare them.
    (0..96)
        .find(|index| {
            latin1[index * 6] == name.as_bytes()[0]
                && latin1[index * 6..index * 6 + 6].trim_ascii_end() == name.as_bytes()
        })
        .map(|index| char::from(0xa0 + index as u8))
}

/// What windows-1252 puts at 0x80 to 0x9F, which a numeric reference to a C1 control stands for in a browser (0
/// where the control is kept).
const C1_REPLACEMENTS: [u16; 32] = [
    0x20ac, 0, 0x201a, 0x192, 0x201e, 0x2026, 0x2020, 0x2021, 0x2c6, 0x2030, 0x160, 0x2039, 0x152, 0, 0x17d, 0, 0,
    0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x2dc, 0x2122, 0x161, 0x203a, 0x153, 0, 0x17e, 0x178,
];

/// The character a numeric reference to `value` stands for in a browser.
fn numeric_reference(value: u32) -> char {
    match value {
        0x80..=0x9f => match C1_REPLACEMENTS[(value - 0x80) as usize] {
            0 => char::from_u32(value),
            replacement => char::from_u32(u32::from(replacement)),
        },
        0 => None,
        _ => char::from_u32(value),
    }
    .unwrap_or('\u{fffd}')
}

/// Decodes character references as a browser's tokenizer does in an attribute value: numeric ones
/// (with or without ';'; NUL, surrogates and values past U+10FFFF become U+FFFD, C1 controls windows-1252's
/// characters), and named ones of HTML's Latin-1 set with the basic ones. A named reference with a ';' outside
/// that set is the error (the reference as written): a browser's table has two thousand more, which this
/// reader does not carry and will not guess.
pub fn decode_entities(text: &str) -> Result<String, String> {
    let mut out = String::with_capacity(text.len());
    let bytes = text.as_bytes();
    let mut copied = 0;
    let mut at = 0;
    while let Some(amp) = text[at..].find('&').map(|i| at + i) {
        out.push_str(&text[copied..amp]);
        let after = amp + 1;
        copied = amp;
        at = after;
        if bytes.get(after) == Some(&b'#') {
            let hex = matches!(bytes.get(after + 1), Some(b'x' | b'X'));
            let digits_start = after + 1 + usize::from(hex);
            let radix = if hex { 16 } else { 10 };
            let digits = bytes[digits_start..].iter().take_while(|b| (**b as char).is_digit(radix)).count();
            if digits == 0 {
                continue;
            }
            // Saturates past U+10FFFF, however many digits follow.
            let value = text[digits_start..digits_start + digits]
                .chars()
                .fold(0u32, |value, d| value.saturating_mul(radix).saturating_add(d.to_digit(radix).unwrap_or(0)));
            out.push(numeric_reference(value.min(0x11_0000)));
            at = digits_start + digits;
            at += usize::from(bytes.get(at) == Some(&b';'));
            copied = at;
            continue;
        }
        // The longest name is 31 characters: a longer run of letters and digits is matched on its start.
        let run = bytes[after..].iter().take(32).take_while(|b| b.is_ascii_alphanumeric()).count();
        if run == 0 {
            continue;
        }
        let name = &text[after..after + run];
        let next = bytes.get(after + run).copied();
        if next == Some(b';') {
            let decoded = legacy_reference(name).or(match name {
                "apos" => Some('\''),
                _ => None,
            });
            let Some(c) = decoded else { return Err(format!("&{name};")) };
            out.push(c);
            at = after + run + 1;
            copied = at;
            continue;
        }
        // Without ';', in an attribute, only a whole run that is a Latin-1 name, not followed by '=' (so that
        // query strings keep their "&copy=1"); a longer run is followed by a letter or digit, and stays as it is.
        if let Some(c) = legacy_reference(name).filter(|_| next != Some(b'=')) {
            out.push(c);
            at = after + run;
            copied = at;
        }
    }
    out.push_str(&text[copied..]);
    Ok(out)
}
