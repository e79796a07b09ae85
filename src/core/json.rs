//! JSON for the whole crate: one small parser and one writer, shared by the browser and the full build.
//!
//! Why not serde_json: in a checkout page's wasm its parser, float tables and derive code cost about
//! 30 KB, more than everything else the page needs. What this module does differently, on purpose:
//! - numbers stay as the JSON text they arrived as (checked against the grammar), so a value that only
//!   passes through (a message extension, the merchant's session state) leaves byte for byte as it came;
//! - objects keep their members in order, and a key written twice anywhere is an error: two parsers that
//!   keep different copies of `{"transStatus":"N","transStatus":"Y"}` must never disagree about a verdict;
//! - nesting is limited (as serde_json's 128), so hostile input cannot exhaust the stack.

use std::fmt::Write as _;

/// How deep arrays and objects may nest in a payload.
pub const MAX_DEPTH: usize = 128;

/// How much deeper a value may nest when it wraps a payload: the envelope a notification page posts and the
/// result objects around a CRes. Without it, a CRes nested to [`MAX_DEPTH`] would decode on the server and
/// then be dropped, wrapped, by the page waiting for it.
pub const WRAPPING_DEPTH: usize = 8;

/// A JSON value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Value {
    /// `null`.
    Null,
    /// `true` or `false`.
    Bool(bool),
    /// A number, as its JSON text.
    Number(Number),
    /// A string.
    String(String),
    /// An array.
    Array(Vec<Value>),
    /// An object.
    Object(Map),
}

/// A JSON number kept as its text (always valid JSON number grammar).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Number(String);

/// A JSON object: members in order, each key once.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Map(Vec<(String, Value)>);

/// Why a text is not JSON, and where.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParseError {
    /// Byte offset in the text.
    pub offset: usize,
    /// What was wrong.
    pub kind: ParseErrorKind,
}

/// The kinds of [`ParseError`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ParseErrorKind {
    /// The text ended inside a value.
    Eof,
    /// A character that cannot start or continue a value here.
    Unexpected,
    /// A value followed by more than whitespace.
    Trailing,
    /// A malformed number.
    Number,
    /// A malformed string (control character, bad escape, lone surrogate).
    String,
    /// Arrays and objects nested deeper than [`MAX_DEPTH`].
    TooDeep,
    /// This key is written twice in one object.
    DuplicateKey(String),
}

impl ParseError {
    /// A short description for error messages.
    pub fn describe(&self) -> String {
        let what = match &self.kind {
            ParseErrorKind::Eof => "the text ends inside a value",
            ParseErrorKind::Unexpected => "an unexpected character",
            ParseErrorKind::Trailing => "text after the value",
            ParseErrorKind::Number => "a malformed number",
            ParseErrorKind::String => "a malformed string",
            ParseErrorKind::TooDeep => "nesting too deep",
            ParseErrorKind::DuplicateKey(key) => {
                return format!("the key {} is written twice", super::fields::quote_for_message(key))
            }
        };
        let mut text = String::from(what);
        let _ = write!(text, " at byte {}", self.offset);
        text
    }
}

/// Parses `text` as exactly one JSON value (whitespace around it allowed), nested at most [`MAX_DEPTH`].
pub fn parse(text: &str) -> Result<Value, ParseError> {
    parse_nested(text, MAX_DEPTH)
}

/// [`parse`] with another nesting limit: `MAX_DEPTH + WRAPPING_DEPTH` for values that wrap payloads.
pub fn parse_nested(text: &str, max_depth: usize) -> Result<Value, ParseError> {
    let mut parser = Parser { bytes: text.as_bytes(), text, at: 0, max_depth };
    let value = parser.value(0)?;
    parser.skip_whitespace();
    if parser.at != parser.bytes.len() {
        return Err(parser.error(ParseErrorKind::Trailing));
    }
    Ok(value)
}

struct Parser<'a> {
    bytes: &'a [u8],
    text: &'a str,
    at: usize,
    max_depth: usize,
}

impl Parser<'_> {
    fn error(&self, kind: ParseErrorKind) -> ParseError {
        ParseError { offset: self.at, kind }
    }

    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.at).copied()
    }

    fn skip_whitespace(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.peek() {
            self.at += 1;
        }
    }

    fn expect_word(&mut self, word: &[u8], value: Value) -> Result<Value, ParseError> {
        match self.bytes.get(self.at..self.at + word.len()) {
            Some(found) if found == word => {
                self.at += word.len();
                Ok(value)
            }
            _ => Err(self.error(ParseErrorKind::Unexpected)),
        }
    }

    fn value(&mut self, depth: usize) -> Result<Value, ParseError> {
        self.skip_whitespace();
        match self.peek() {
            None => Err(self.error(ParseErrorKind::Eof)),
            Some(b'n') => self.expect_word(b"null", Value::Null),
            Some(b't') => self.expect_word(b"true", Value::Bool(true)),
            Some(b'f') => self.expect_word(b"false", Value::Bool(false)),
            Some(b'"') => self.string().map(Value::String),
            Some(b'-' | b'0'..=b'9') => self.number().map(Value::Number),
            Some(b'[') => self.array(depth + 1),
            Some(b'{') => self.object(depth + 1),
            Some(_) => Err(self.error(ParseErrorKind::Unexpected)),
        }
    }

    fn digits(&mut self) -> usize {
        let start = self.at;
        while let Some(b'0'..=b'9') = self.peek() {
            self.at += 1;
        }
        self.at - start
    }

    fn number(&mut self) -> Result<Number, ParseError> {
        let start = self.at;
        if self.peek() == Some(b'-') {
            self.at += 1;
        }
        match self.peek() {
            Some(b'0') => self.at += 1,
            Some(b'1'..=b'9') => {
                self.digits();
            }
            _ => return Err(self.error(ParseErrorKind::Number)),
        }
        if self.peek() == Some(b'.') {
            self.at += 1;
            if self.digits() == 0 {
                return Err(self.error(ParseErrorKind::Number));
            }
        }
        if let Some(b'e' | b'E') = self.peek() {
            self.at += 1;
            if let Some(b'+' | b'-') = self.peek() {
                self.at += 1;
            }
            if self.digits() == 0 {
                return Err(self.error(ParseErrorKind::Number));
            }
        }
        Ok(Number(self.text[start..self.at].to_string()))
    }

    fn hex4(&mut self) -> Result<u32, ParseError> {
        let mut code = 0;
        for _ in 0..4 {
            let digit = self.peek().and_then(|b| char::from(b).to_digit(16));
            let Some(digit) = digit else { return Err(self.error(ParseErrorKind::String)) };
            code = code * 16 + digit;
            self.at += 1;
        }
        Ok(code)
    }

    fn string(&mut self) -> Result<String, ParseError> {
        self.at += 1; // the opening quote
        let mut out = String::new();
        loop {
            // Copy the run up to the next quote, backslash or control character in one go.
            let start = self.at;
            while let Some(b) = self.peek() {
                if b == b'"' || b == b'\\' || b < 0x20 {
                    break;
                }
                self.at += 1;
            }
            // The run ends before an ASCII byte, so it is whole UTF-8.
            out.push_str(&self.text[start..self.at]);
            match self.peek() {
                None => return Err(self.error(ParseErrorKind::Eof)),
                Some(b'"') => {
                    self.at += 1;
                    return Ok(out);
                }
                Some(b'\\') => {
                    self.at += 1;
                    let escaped = match self.peek() {
                        None => return Err(self.error(ParseErrorKind::Eof)),
                        Some(b'"') => '"',
                        Some(b'\\') => '\\',
                        Some(b'/') => '/',
                        Some(b'b') => '\u{8}',
                        Some(b'f') => '\u{c}',
                        Some(b'n') => '\n',
                        Some(b'r') => '\r',
                        Some(b't') => '\t',
                        Some(b'u') => {
                            self.at += 1;
                            out.push(self.unicode_escape()?);
                            continue;
                        }
                        Some(_) => return Err(self.error(ParseErrorKind::String)),
                    };
                    self.at += 1;
                    out.push(escaped);
                }
                Some(_) => return Err(self.error(ParseErrorKind::String)),
            }
        }
    }

    /// After `\u`: one code point, joining a surrogate pair; a lone surrogate cannot be a Rust string.
    fn unicode_escape(&mut self) -> Result<char, ParseError> {
        let first = self.hex4()?;
        let code = match first {
            0xD800..=0xDBFF => {
                if self.bytes.get(self.at..self.at + 2) != Some(b"\\u") {
                    return Err(self.error(ParseErrorKind::String));
                }
                self.at += 2;
                let second = self.hex4()?;
                if !(0xDC00..=0xDFFF).contains(&second) {
                    return Err(self.error(ParseErrorKind::String));
                }
                0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00)
            }
            0xDC00..=0xDFFF => return Err(self.error(ParseErrorKind::String)),
            code => code,
        };
        char::from_u32(code).ok_or_else(|| self.error(ParseErrorKind::String))
    }

    fn array(&mut self, depth: usize) -> Result<Value, ParseError> {
        if depth > self.max_depth {
            return Err(self.error(ParseErrorKind::TooDeep));
        }
        self.at += 1;
        let mut items = Vec::new();
        self.skip_whitespace();
        if self.peek() == Some(b']') {
            self.at += 1;
            return Ok(Value::Array(items));
        }
        loop {
            items.push(self.value(depth)?);
            self.skip_whitespace();
            match self.peek() {
                Some(b',') => self.at += 1,
                Some(b']') => {
                    self.at += 1;
                    return Ok(Value::Array(items));
                }
                None => return Err(self.error(ParseErrorKind::Eof)),
                Some(_) => return Err(self.error(ParseErrorKind::Unexpected)),
            }
        }
    }

    fn object(&mut self, depth: usize) -> Result<Value, ParseError> {
        if depth > self.max_depth {
            return Err(self.error(ParseErrorKind::TooDeep));
        }
        let start = self.at;
        self.at += 1;
        let mut members = Vec::new();
        self.skip_whitespace();
        if self.peek() == Some(b'}') {
            self.at += 1;
            return Ok(Value::Object(Map(members)));
        }
        loop {
            self.skip_whitespace();
            match self.peek() {
                Some(b'"') => {}
                None => return Err(self.error(ParseErrorKind::Eof)),
                Some(_) => return Err(self.error(ParseErrorKind::Unexpected)),
            }
            let key = self.string()?;
            self.skip_whitespace();
            match self.peek() {
                Some(b':') => self.at += 1,
                None => return Err(self.error(ParseErrorKind::Eof)),
                Some(_) => return Err(self.error(ParseErrorKind::Unexpected)),
            }
            let value = self.value(depth)?;
            members.push((key, value));
            self.skip_whitespace();
            match self.peek() {
                Some(b',') => self.at += 1,
                Some(b'}') => {
                    self.at += 1;
                    break;
                }
                None => return Err(self.error(ParseErrorKind::Eof)),
                Some(_) => return Err(self.error(ParseErrorKind::Unexpected)),
            }
        }
        if let Some(key) = duplicate_key(&members) {
            return Err(ParseError { offset: start, kind: ParseErrorKind::DuplicateKey(key.to_string()) });
        }
        Ok(Value::Object(Map(members)))
    }
}

/// A key that two members share. Sorting keeps a hostile object of many keys at n log n.
fn duplicate_key(members: &[(String, Value)]) -> Option<&str> {
    match members.len() {
        0 | 1 => None,
        // The common case, a handful of members: no allocation.
        n if n <= 16 => members
            .iter()
            .enumerate()
            .find(|(i, (key, _))| members[..*i].iter().any(|(other, _)| other == key))
            .map(|(_, (key, _))| key.as_str()),
        _ => {
            let mut keys: Vec<&str> = members.iter().map(|(key, _)| key.as_str()).collect();
            keys.sort_unstable();
            keys.windows(2).find(|pair| pair[0] == pair[1]).map(|pair| pair[0])
        }
    }
}

impl Value {
    /// The JSON text of this value, compact.
    pub fn to_json(&self) -> String {
        let mut out = String::new();
        self.write(&mut out);
        out
    }

    /// Appends the JSON text of this value to `out`.
    pub fn write(&self, out: &mut String) {
        match self {
            Value::Null => out.push_str("null"),
            Value::Bool(true) => out.push_str("true"),
            Value::Bool(false) => out.push_str("false"),
            Value::Number(number) => out.push_str(&number.0),
            Value::String(text) => write_string(text, out),
            Value::Array(items) => {
                out.push('[');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    item.write(out);
                }
                out.push(']');
            }
            Value::Object(map) => {
                out.push('{');
                for (i, (key, value)) in map.0.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    write_string(key, out);
                    out.push(':');
                    value.write(out);
                }
                out.push('}');
            }
        }
    }

    /// The member `key` of an object; None for a missing member or a value that is not an object.
    pub fn get(&self, key: &str) -> Option<&Value> {
        self.as_object()?.get(key)
    }

    /// The string, if this is one.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::String(text) => Some(text),
            _ => None,
        }
    }

    /// The object, if this is one.
    pub fn as_object(&self) -> Option<&Map> {
        match self {
            Value::Object(map) => Some(map),
            _ => None,
        }
    }

    /// The array, if this is one.
    pub fn as_array(&self) -> Option<&Vec<Value>> {
        match self {
            Value::Array(items) => Some(items),
            _ => None,
        }
    }

    /// The boolean, if this is one.
    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Value::Bool(b) => Some(*b),
            _ => None,
        }
    }

    /// The number, if this is one.
    pub fn as_number(&self) -> Option<&Number> {
        match self {
            Value::Number(number) => Some(number),
            _ => None,
        }
    }

    /// The number, if this is a non-negative integer that fits in a u64 (see [`Number::as_u64`]).
    pub fn as_u64(&self) -> Option<u64> {
        self.as_number()?.as_u64()
    }

    /// Whether this is `null`.
    pub fn is_null(&self) -> bool {
        matches!(self, Value::Null)
    }

    /// A key twice to a reader that ignores case, in any object of this value (see [`Map::key_in_two_cases`]).
    pub fn key_in_two_cases(&self) -> Option<String> {
        match self {
            Value::Object(map) => map.key_in_two_cases(),
            Value::Array(items) => items.iter().find_map(Value::key_in_two_cases),
            _ => None,
        }
    }

    /// Whether this is an array.
    pub fn is_array(&self) -> bool {
        matches!(self, Value::Array(_))
    }

    /// Whether this is an object.
    pub fn is_object(&self) -> bool {
        matches!(self, Value::Object(_))
    }

    /// An object of `members`, in order (the caller names each key once).
    pub fn object<const N: usize>(members: [(&str, Value); N]) -> Value {
        Value::object_of_members(Vec::from(members))
    }

    /// [`Value::object`]'s work, once for every number of members.
    fn object_of_members(members: Vec<(&str, Value)>) -> Value {
        Value::Object(Map(members.into_iter().map(|(key, value)| (key.to_string(), value)).collect()))
    }
}

/// Writes `text` as a JSON string: quotes, backslashes and control characters escaped, nothing else, each in
/// its shortest form (as JSON.stringify does), so that what we write is never longer than any JSON text of the
/// same value: a decoded value always fits again where its text fitted (session data's 1024 characters).
fn write_string(text: &str, out: &mut String) {
    out.push('"');
    let mut start = 0;
    for (i, b) in text.bytes().enumerate() {
        let escape = match b {
            b'"' => "\\\"",
            b'\\' => "\\\\",
            b'\n' => "\\n",
            b'\r' => "\\r",
            b'\t' => "\\t",
            0x08 => "\\b",
            0x0c => "\\f",
            0..=0x1f => "",
            _ => continue,
        };
        out.push_str(&text[start..i]);
        if escape.is_empty() {
            const HEX: &[u8; 16] = b"0123456789abcdef";
            out.push_str("\\u00");
            out.push(char::from(HEX[usize::from(b >> 4)]));
            out.push(char::from(HEX[usize::from(b & 15)]));
        } else {
            out.push_str(escape);
        }
        start = i + 1;
    }
    out.push_str(&text[start..]);
    out.push('"');
}

impl Number {
    /// Its JSON text.
    pub fn as_text(&self) -> &str {
        &self.0
    }

    /// The value when it is a non-negative integer written without fraction or exponent (`42`, not
    /// `42.0` or `4.2e1`) that fits in a u64.
    pub fn as_u64(&self) -> Option<u64> {
        let mut value: u64 = 0;
        for b in self.0.bytes() {
            let digit = b.checked_sub(b'0').filter(|d| *d <= 9)?;
            value = value.checked_mul(10)?.checked_add(u64::from(digit))?;
        }
        Some(value)
    }

    /// The value rounded to the nearest integer (halves up), when that is from 0 to `max`. Read from the
    /// digits, without floating point: parsing a float costs a browser build about 15 KB of tables.
    pub fn to_rounded_u32(&self, max: u32) -> Option<u32> {
        let text = self.0.as_str();
        let (mantissa, exponent) = match text.find(['e', 'E']) {
            Some(at) => (&text[..at], Some(&text[at + 1..])),
            None => (text, None),
        };
        let (negative, mantissa) = match mantissa.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, mantissa),
        };
        let (whole, fraction) = mantissa.split_once('.').unwrap_or((mantissa, ""));
        if (whole.bytes().chain(fraction.bytes())).all(|b| b == b'0') {
            return Some(0); // 0, -0, 0.000, 0e999
        }
        if negative {
            return None;
        }
        // The decimal point moves by the exponent; one too large for i32 is far out of range either way.
        let shift = match exponent {
            None => 0,
            Some(exponent) => match exponent.parse::<i32>() {
                Ok(shift) => shift,
                Err(_) if exponent.starts_with('-') => return Some(0),
                Err(_) => return None,
            },
        };
        let digits: Vec<u8> = whole.bytes().chain(fraction.bytes()).collect();
        let point = i64::from(shift) + whole.len() as i64;
        let mut value: u64 = 0;
        for (i, digit) in digits.iter().enumerate() {
            if i as i64 >= point {
                // The first digit after the point decides the rounding (when the number has digits that
                // far up: 5e-3 has implicit zeros there).
                if i as i64 == point && *digit >= b'5' {
                    value += 1;
                }
                break;
            }
            value = value.checked_mul(10)?.checked_add(u64::from(digit - b'0'))?;
        }
        // Digits end before the point: the exponent appends zeros.
        for _ in digits.len() as i64..point {
            value = value.checked_mul(10)?;
            if value > u64::from(max) {
                return None;
            }
        }
        u32::try_from(value).ok().filter(|v| *v <= max)
    }

    /// The number text of an integer.
    pub fn from_i64(value: i64) -> Number {
        let mut digits = [0u8; 20];
        let mut at = digits.len();
        let mut rest = value.unsigned_abs();
        loop {
            at -= 1;
            digits[at] = b'0' + (rest % 10) as u8;
            rest /= 10;
            if rest == 0 {
                break;
            }
        }
        let mut text = String::with_capacity(21);
        if value < 0 {
            text.push('-');
        }
        text.extend(digits[at..].iter().map(|d| char::from(*d)));
        Number(text)
    }
}

impl Map {
    /// An empty object.
    pub fn new() -> Self {
        Map(Vec::new())
    }

    /// The member `key`.
    pub fn get(&self, key: &str) -> Option<&Value> {
        self.0.iter().find(|(k, _)| k == key).map(|(_, v)| v)
    }

    /// Whether `key` is a member.
    pub fn contains_key(&self, key: &str) -> bool {
        self.get(key).is_some()
    }

    /// Sets `key` to `value`: in place if it is a member, else at the end.
    pub fn insert(&mut self, key: impl Into<String>, value: Value) {
        let key = key.into();
        match self.0.iter_mut().find(|(k, _)| *k == key) {
            Some((_, slot)) => *slot = value,
            None => self.0.push((key, value)),
        }
    }

    /// Removes the member `key`, returning its value.
    pub fn remove(&mut self, key: &str) -> Option<Value> {
        let index = self.0.iter().position(|(k, _)| k == key)?;
        Some(self.0.remove(index).1)
    }

    /// The members, in order.
    pub fn iter(&self) -> impl Iterator<Item = (&String, &Value)> {
        self.0.iter().map(|(k, v)| (k, v))
    }

    /// The keys, in order.
    pub fn keys(&self) -> impl Iterator<Item = &String> {
        self.0.iter().map(|(k, _)| k)
    }

    /// The values, in order.
    pub fn values(&self) -> impl Iterator<Item = &Value> {
        self.0.iter().map(|(_, v)| v)
    }

    /// How many members.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// A key that is here twice to a reader that ignores case (`transStatus` beside `TransStatus` or
    /// `tranſStatus`), in this object or any inside it, as [`case_blind`] writes it. This crate reads the exact
    /// key and such a reader could take the other: the duplicate-key rule, made case-blind.
    pub fn key_in_two_cases(&self) -> Option<String> {
        let folded: Vec<String> = self.keys().map(|k| case_blind(k)).collect();
        // Sorted as &str, as the parser sorts its keys: one sort in the browser build, not two (1.3 KiB gzip).
        let mut keys: Vec<&str> = folded.iter().map(String::as_str).collect();
        keys.sort_unstable();
        if let Some(pair) = keys.windows(2).find(|pair| pair[0] == pair[1]) {
            return Some(pair[0].to_string());
        }
        self.values().find_map(Value::key_in_two_cases)
    }
}

/// A key or form name as readers that ignore case compare it: ASCII letters in lower case, and the four
/// non-ASCII letters whose case mapping is an ASCII letter as that letter (`ſ` is `s` and the Kelvin sign `K`
/// is `k` to Java's `equalsIgnoreCase` and Go's `encoding/json`; `ı` and `İ` are `i` to Java).
pub fn case_blind(key: &str) -> String {
    key.chars()
        .map(|c| match c {
            '\u{17f}' => 's',
            '\u{212a}' => 'k',
            '\u{131}' | '\u{130}' => 'i',
            c => c.to_ascii_lowercase(),
        })
        .collect()
}

/// Collects members; a key seen again replaces the earlier value in place (as [`Map::insert`]).
impl FromIterator<(String, Value)> for Map {
    fn from_iter<I: IntoIterator<Item = (String, Value)>>(members: I) -> Self {
        let mut map = Map::new();
        for (key, value) in members {
            map.insert(key, value);
        }
        map
    }
}

impl From<&str> for Value {
    fn from(text: &str) -> Self {
        Value::String(text.to_string())
    }
}

impl From<String> for Value {
    fn from(text: String) -> Self {
        Value::String(text)
    }
}

impl From<&String> for Value {
    fn from(text: &String) -> Self {
        Value::String(text.clone())
    }
}

impl From<bool> for Value {
    fn from(b: bool) -> Self {
        Value::Bool(b)
    }
}

impl From<i64> for Value {
    fn from(n: i64) -> Self {
        Value::Number(Number::from_i64(n))
    }
}

impl From<u32> for Value {
    fn from(n: u32) -> Self {
        Value::Number(Number::from_i64(i64::from(n)))
    }
}

impl From<i32> for Value {
    fn from(n: i32) -> Self {
        Value::Number(Number::from_i64(i64::from(n)))
    }
}

impl From<Map> for Value {
    fn from(map: Map) -> Self {
        Value::Object(map)
    }
}

impl<T: Into<Value>> From<Option<T>> for Value {
    fn from(value: Option<T>) -> Self {
        value.map_or(Value::Null, Into::into)
    }
}

impl<T: Into<Value>> From<Vec<T>> for Value {
    fn from(items: Vec<T>) -> Self {
        Value::Array(items.into_iter().map(Into::into).collect())
    }
}

/// `value["key"]`: the member, or null when it is missing or `value` is not an object (as serde_json).
impl core::ops::Index<&str> for Value {
    type Output = Value;

    fn index(&self, key: &str) -> &Value {
        static NULL: Value = Value::Null;
        self.get(key).unwrap_or(&NULL)
    }
}

/// `map["key"]`: the member, or null when it is missing.
impl core::ops::Index<&str> for Map {
    type Output = Value;

    fn index(&self, key: &str) -> &Value {
        static NULL: Value = Value::Null;
        self.get(key).unwrap_or(&NULL)
    }
}

/// Writes the compact JSON text.
impl core::fmt::Display for Value {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(&self.to_json())
    }
}

impl PartialEq<&str> for Value {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == Some(*other)
    }
}

/// Types that go out as JSON (results crossing to JS, payloads being encoded).
pub trait ToJson {
    /// This value as JSON.
    fn to_json(&self) -> Value;
}

impl<T: ToJson> ToJson for Box<T> {
    fn to_json(&self) -> Value {
        T::to_json(self)
    }
}

impl ToJson for Value {
    fn to_json(&self) -> Value {
        self.clone()
    }
}

/// Builds an object, leaving out members whose value is None: `object_of([("a", Some(v)), ("b", None)])`.
pub fn object_of<const N: usize>(members: [(&str, Option<Value>); N]) -> Value {
    Value::Object(Map(members
        .into_iter()
        .filter_map(|(key, value)| value.map(|value| (key.to_string(), value)))
        .collect()))
}

/// For tests: serde_json's `json!` syntax, read back through this module's parser.
#[cfg(test)]
macro_rules! json {
    ($($t:tt)+) => {
        $crate::core::json::parse(&serde_json::json!($($t)+).to_string()).unwrap()
    };
}
#[cfg(test)]
pub(crate) use json;

/// For tests: sets `key` of an object (a value that is not an object is left alone).
#[cfg(test)]
pub(crate) fn set(value: &mut Value, key: &str, new: Value) {
    if let Value::Object(map) = value {
        map.insert(key, new);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_twice_to_a_reader_that_ignores_case() {
        let found = |text: &str| parse(text).unwrap().key_in_two_cases();
        assert_eq!(found(r#"{"a":1,"b":{"Kind":1,"\u212aind":2}}"#), Some("kind".to_string()));
        assert_eq!(found(r#"{"\u0131d":1,"ID":2}"#), Some("id".to_string()));
        assert_eq!(found(r#"[{"x":[{"\u0130d":1,"id":2}]}]"#), Some("id".to_string()));
        assert_eq!(found(r#"{"id":1,"idx":2,"\u00e9":3,"\u00c9":4}"#), None, "only folds that reach ASCII");
    }

    fn kind(text: &str) -> ParseErrorKind {
        parse(text).unwrap_err().kind
    }

    #[test]
    fn values_round_trip_byte_for_byte() {
        for text in [
            r#"{"a":[1,-0,0.5,-3.9880936958868953e-16,1E+400,-1.1571177700400403e+294],"b":{"c":null,"d":true}}"#,
            r#"["\"\\\n\r\t\b\f\u0001\u001f","é😀",false,{}]"#,
            "12345678901234567890123456789",
        ] {
            assert_eq!(parse(text).unwrap().to_json(), text);
        }
        // Escapes JSON need not use come back in the shortest form.
        assert_eq!(parse(r#""\/\u00e9\ud83d\ude00""#).unwrap().to_json(), "\"/é😀\"");
    }

    #[test]
    fn malformed_text_is_refused_with_its_kind() {
        assert_eq!(kind(""), ParseErrorKind::Eof);
        assert_eq!(kind("{\"a\":1"), ParseErrorKind::Eof);
        assert_eq!(kind("01"), ParseErrorKind::Trailing);
        assert_eq!(kind("1."), ParseErrorKind::Number);
        assert_eq!(kind("-"), ParseErrorKind::Number);
        assert_eq!(kind("1e"), ParseErrorKind::Number);
        assert_eq!(kind("\"\u{1}\""), ParseErrorKind::String);
        assert_eq!(kind(r#""\ud800""#), ParseErrorKind::String);
        assert_eq!(kind(r#""\udc00\ud800""#), ParseErrorKind::String);
        assert_eq!(kind(r#""\x""#), ParseErrorKind::String);
        assert_eq!(kind("[1,]"), ParseErrorKind::Unexpected);
        assert_eq!(kind("{,}"), ParseErrorKind::Unexpected);
        assert_eq!(kind("nul"), ParseErrorKind::Unexpected);
        assert_eq!(kind("[1] x"), ParseErrorKind::Trailing);
        assert_eq!(kind("\u{feff}{}"), ParseErrorKind::Unexpected);
    }

    #[test]
    fn a_key_twice_is_refused_at_any_depth_and_any_width() {
        assert_eq!(kind(r#"{"a":1,"a":2}"#), ParseErrorKind::DuplicateKey("a".into()));
        assert_eq!(kind(r#"{"x":{"a":1,"b":0,"a":2}}"#), ParseErrorKind::DuplicateKey("a".into()));
        let wide: Vec<String> = (0..40).map(|i| format!("\"k{}\":{i}", i % 39)).collect();
        assert_eq!(kind(&format!("{{{}}}", wide.join(","))), ParseErrorKind::DuplicateKey("k0".into()));
        // An escaped spelling of the same key is the same key.
        assert_eq!(kind(r#"{"a":1,"\u0061":2}"#), ParseErrorKind::DuplicateKey("a".into()));
    }

    #[test]
    fn nesting_is_limited() {
        let ok = format!("{}{}", "[".repeat(MAX_DEPTH), "]".repeat(MAX_DEPTH));
        assert!(parse(&ok).is_ok());
        let deep = format!("{}{}", "[".repeat(MAX_DEPTH + 1), "]".repeat(MAX_DEPTH + 1));
        assert_eq!(kind(&deep), ParseErrorKind::TooDeep);
        assert_eq!(kind(&"{\"a\":".repeat(100_000)), ParseErrorKind::TooDeep);
    }

    #[test]
    fn numbers() {
        let n = |text: &str| parse(text).unwrap().as_number().unwrap().clone();
        assert_eq!(n("42").as_u64(), Some(42));
        assert_eq!(n("42.0").as_u64(), None);
        assert_eq!(n("-1").as_u64(), None);
        assert_eq!(n("18446744073709551616").as_u64(), None);
        assert_eq!(Number::from_i64(i64::MIN).as_text(), "-9223372036854775808");
        assert_eq!(Number::from_i64(0).as_text(), "0");
    }

    #[test]
    fn rounded_integers_are_read_from_the_digits() {
        let read = |text: &str| parse(text).unwrap().as_number().unwrap().to_rounded_u32(86_400_000);
        for (text, expected) in [
            ("0", Some(0)),
            ("-0", Some(0)),
            ("-0.0e5", Some(0)),
            ("10000", Some(10_000)),
            ("2500.5", Some(2501)),
            ("2500.4999", Some(2500)),
            ("0.5", Some(1)),
            ("1e4", Some(10_000)),
            ("1.5e1", Some(15)),
            ("15e-1", Some(2)),
            ("5e-324", Some(0)),
            ("1e-99999999999", Some(0)),
            ("86400000", Some(86_400_000)),
            ("86400000.4", Some(86_400_000)),
            ("86400000.5", None),
            ("86400001", None),
            ("1e21", None),
            ("1e99999999999", None),
            ("-1", None),
            ("-0.4", None),
            ("184467440737095516160", None),
        ] {
            assert_eq!(read(text), expected, "{text}");
        }
    }

    #[test]
    fn maps_keep_order_and_replace_in_place() {
        let mut map = Map::new();
        map.insert("b", Value::from(1));
        map.insert("a", Value::from(2));
        map.insert("b", Value::from(3));
        assert_eq!(Value::from(map.clone()).to_json(), r#"{"b":3,"a":2}"#);
        assert_eq!(map.remove("b"), Some(Value::from(3)));
        assert_eq!(map.keys().collect::<Vec<_>>(), ["a"]);
    }
}
