//! Reading and checking the fields of a decoded JSON object, with errors that name the field.

use super::error::{Result, ThreeDsError};
use super::json::{Map, Value};

/// A JSON object being read field by field; `context` prefixes field names in errors ("cres.acsTransID").
pub struct Fields<'a> {
    map: &'a Map,
    context: &'a str,
}

impl<'a> Fields<'a> {
    /// Reads `value` as an object, or fails naming `context`.
    pub fn of(value: &'a Value, context: &'a str) -> Result<Self> {
        match value {
            Value::Object(map) => Ok(Fields { map, context }),
            _ => Err(ThreeDsError::invalid(context, "an object")),
        }
    }

    /// Reads an already decoded object.
    pub fn from_map(map: &'a Map, context: &'a str) -> Self {
        Fields { map, context }
    }

    /// The full name of `key` for messages.
    pub fn name(&self, key: &str) -> String {
        if self.context.is_empty() {
            key.to_string()
        } else {
            format!("{}.{key}", self.context)
        }
    }

    /// Every member, in the object's order.
    pub fn entries(&self) -> impl Iterator<Item = (&'a String, &'a Value)> {
        self.map.iter()
    }

    /// The raw value of `key`; null counts as absent.
    pub fn get(&self, key: &str) -> Option<&'a Value> {
        self.map.get(key).filter(|v| !v.is_null())
    }

    /// A string field that may be absent; an empty string counts as absent.
    pub fn optional_str(&self, key: &str) -> Result<Option<&'a str>> {
        match self.get(key) {
            None => Ok(None),
            Some(Value::String(s)) if s.is_empty() => Ok(None),
            Some(Value::String(s)) => Ok(Some(s)),
            Some(_) => Err(ThreeDsError::invalid(&self.name(key), "a string")),
        }
    }

    /// A string field that must be present and non-empty.
    pub fn required_str(&self, key: &str) -> Result<&'a str> {
        self.optional_str(key)?.ok_or_else(|| ThreeDsError::missing(&self.name(key)))
    }

    /// A required transaction ID in UUID form (36 characters, hex digits and hyphens at 8-4-4-4-12).
    pub fn required_uuid(&self, key: &str) -> Result<String> {
        let value = self.required_str(key)?;
        check_uuid(&self.name(key), value)?;
        Ok(value.to_string())
    }

    /// An optional transaction ID in UUID form.
    pub fn optional_uuid(&self, key: &str) -> Result<Option<String>> {
        match self.optional_str(key)? {
            None => Ok(None),
            Some(value) => check_uuid(&self.name(key), value).map(|()| Some(value.to_string())),
        }
    }

    /// A required string that must be one of `allowed`.
    pub fn required_enum(&self, key: &str, allowed: &[&str]) -> Result<String> {
        let value = self.required_str(key)?;
        check_enum(&self.name(key), value, allowed).map(|()| value.to_string())
    }

    /// An optional string that, when present, must be one of `allowed`.
    pub fn optional_enum(&self, key: &str, allowed: &[&str]) -> Result<Option<String>> {
        match self.optional_str(key)? {
            None => Ok(None),
            Some(value) => check_enum(&self.name(key), value, allowed).map(|()| Some(value.to_string())),
        }
    }

    /// An optional free-text string of at most `max` characters.
    pub fn optional_text(&self, key: &str, max: usize) -> Result<Option<String>> {
        match self.optional_str(key)? {
            Some(s) if s.chars().count() > max => {
                Err(ThreeDsError::invalid(&self.name(key), format_args!("at most {max} characters")))
            }
            other => Ok(other.map(str::to_string)),
        }
    }

    /// The optional `messageExtension` array (at most 10 objects with name, id, criticalityIndicator, data of
    /// at most 8,059 characters as JSON).
    pub fn optional_message_extension(&self) -> Result<Option<Value>> {
        let key = "messageExtension";
        let Some(value) = self.get(key) else { return Ok(None) };
        let name = self.name(key);
        let Value::Array(items) = value else { return Err(ThreeDsError::invalid(&name, "an array")) };
        if items.len() > 10 {
            return Err(ThreeDsError::invalid(&name, "an array of at most 10 extensions"));
        }
        for (i, item) in items.iter().enumerate() {
            let context = format!("{name}[{i}]");
            let ext = Fields::of(item, &context)?;
            for key in ["name", "id"] {
                let text = ext.required_str(key)?;
                if text.chars().count() > 64 {
                    return Err(ThreeDsError::invalid(&ext.name(key), "at most 64 characters"));
                }
            }
            match ext.get("criticalityIndicator") {
                Some(Value::Bool(_)) => {}
                None => return Err(ThreeDsError::missing(&ext.name("criticalityIndicator"))),
                Some(_) => return Err(ThreeDsError::invalid(&ext.name("criticalityIndicator"), "a boolean")),
            }
            let Some(data) = ext.get("data") else { return Err(ThreeDsError::missing(&ext.name("data"))) };
            // EMV caps each extension's data at 8,059 characters: what the decoder refuses, the encoder must too.
            if data.to_json().chars().count() > MAX_EXTENSION_DATA_CHARS {
                return Err(ThreeDsError::new(
                    super::error::ErrorCode::TooLarge,
                    format!(
                        "{} is over {MAX_EXTENSION_DATA_CHARS} characters as JSON (the EMV limit)",
                        ext.name("data")
                    ),
                ));
            }
        }
        Ok(Some(value.clone()))
    }
}

/// EMV's limit on one message extension's `data`, in characters of its JSON text.
pub const MAX_EXTENSION_DATA_CHARS: usize = 8059;

/// Checks the 8-4-4-4-12 hexadecimal form of EMV transaction IDs (either case).
pub fn check_uuid(field: &str, value: &str) -> Result<()> {
    let bytes = value.as_bytes();
    let well_formed = bytes.len() == 36
        && bytes.iter().enumerate().all(|(i, b)| match i {
            8 | 13 | 18 | 23 => *b == b'-',
            _ => b.is_ascii_hexdigit(),
        });
    if well_formed {
        Ok(())
    } else {
        Err(ThreeDsError::invalid(field, "a UUID (36 characters, 8-4-4-4-12 hexadecimal)"))
    }
}

/// Whether `value` has the UUID form, for matching IDs by value.
pub fn is_uuid(value: &str) -> bool {
    check_uuid("", value).is_ok()
}

fn check_enum(field: &str, value: &str, allowed: &[&str]) -> Result<()> {
    if allowed.contains(&value) {
        Ok(())
    } else {
        // Each allowed value quoted: "01", "02", ...
        Err(ThreeDsError::invalid(
            field,
            format_args!("one of \"{}\" (got {})", allowed.join("\", \""), quote_for_message(value)),
        ))
    }
}

/// A short, quoted rendering of untrusted input for error messages (never the whole of a huge value).
pub fn quote_for_message(value: &str) -> String {
    let mut shown: String = value.chars().take(40).collect();
    if shown.len() < value.len() {
        shown.push('…');
    }
    // Hand-quoted rather than `{:?}`: Debug formatting of str drags Unicode tables into the wasm.
    let mut quoted = String::with_capacity(shown.len() + 2);
    quoted.push('"');
    for c in shown.chars() {
        match c {
            '"' | '\\' => {
                quoted.push('\\');
                quoted.push(c);
            }
            c if c.is_control() => quoted.push_str(&format!("\\u{{{:x}}}", c as u32)),
            c => quoted.push(c),
        }
    }
    quoted.push('"');
    quoted
}

/// The EMV message versions this crate knows.
pub const MESSAGE_VERSIONS: &[&str] = &["2.1.0", "2.2.0", "2.3.0", "2.3.1"];

/// Checks that `value` looks like a message version (digits.digits.digits), known or later.
pub fn check_version_form(field: &str, value: &str) -> Result<()> {
    let parts: Vec<&str> = value.split('.').collect();
    let ok = parts.len() == 3
        && parts.iter().all(|p| !p.is_empty() && p.len() <= 3 && p.bytes().all(|b| b.is_ascii_digit()));
    if ok {
        Ok(())
    } else {
        Err(ThreeDsError::invalid(
            field,
            format_args!("a message version such as \"2.2.0\" (got {})", quote_for_message(value)),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::json::json;

    #[test]
    fn uuid_form() {
        assert!(is_uuid("8a880dc0-d2d2-4067-bcb1-b08d1690b26e"));
        assert!(is_uuid("8A880DC0-D2D2-4067-BCB1-B08D1690B26E"));
        assert!(!is_uuid("8a880dc0d2d24067bcb1b08d1690b26e"));
        assert!(!is_uuid("8a880dc0-d2d2-4067-bcb1-b08d1690b26g"));
        assert!(!is_uuid("8a880dc0-d2d2-4067-bcb1-b08d1690b26ee"));
    }

    #[test]
    fn messages_name_the_field() {
        let v = json!({"a": 5, "b": "", "c": "x"});
        let f = Fields::of(&v, "cres").unwrap();
        assert_eq!(f.required_str("a").unwrap_err().message, "cres.a must be a string");
        assert_eq!(f.required_str("b").unwrap_err().message, "cres.b is required");
        let e = f.required_enum("c", &["Y", "N"]).unwrap_err();
        assert_eq!(e.message, "cres.c must be one of \"Y\", \"N\" (got \"x\")");
    }

    #[test]
    fn quotes_are_bounded() {
        let shown = quote_for_message(&"x".repeat(1000));
        assert!(shown.chars().count() < 50);
    }
}
