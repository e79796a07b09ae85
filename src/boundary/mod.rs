//! The `#[wasm_bindgen]` exports, one room per build. Each export decodes its JS input, calls the core, and
//! encodes the result; no protocol logic lives here. Errors leave as real `Error` objects named `ThreeDsError`
//! with a `code`.
//!
//! - [`browser`]: what a checkout page runs (the two browser steps, `nextAction`/`perform`, the encoders they
//!   need). It is the whole browser build (`--no-default-features`).
//! - `full` (feature `full`, the default): everything else, for servers, edge workers and tools: the
//!   decoders, the return parsers and their integrity checks, the notification responder, the inspector.

use wasm_bindgen::prelude::*;

use crate::core::error::{ErrorCode, ThreeDsError};
use crate::core::json::{self, Map, ToJson, Value};

pub mod browser;
#[cfg(feature = "full")]
mod fetch_request;
#[cfg(feature = "full")]
pub mod full;

pub use browser::*;
#[cfg(feature = "full")]
pub use fetch_request::*;
#[cfg(feature = "full")]
pub use full::*;

// The package's error class, a JS `Error` subclass that every entry of the package exports: errors made here
// are instances of the class users import, in every runtime.
#[wasm_bindgen(module = "/pkg-config/error.js")]
extern "C" {
    #[wasm_bindgen(js_name = ThreeDsError)]
    type JsThreeDsError;

    #[wasm_bindgen(constructor, js_class = "ThreeDsError")]
    fn new(code: &str, message: &str) -> JsThreeDsError;
}

/// Turns a core error into the `ThreeDsError` JS callers see.
pub(crate) fn to_js_error(error: ThreeDsError) -> JsValue {
    JsThreeDsError::new(error.code.as_str(), &error.message).into()
}

type JsResult<T> = Result<T, JsValue>;

/// Results go out as plain objects: JSON text from the core's writer, read by the engine's own `JSON.parse`.
/// One JSON path in and out, and no JS (de)serializer compiled into the wasm.
fn to_js<T: ToJson>(value: &T) -> JsResult<JsValue> {
    js_sys::JSON::parse(&value.to_json().to_json())
        .map_err(|_| to_js_error(ThreeDsError::new(ErrorCode::InvalidField, "a result could not be read back as JSON")))
}

/// The largest JS input read as JSON, in bytes of its JSON text.
const MAX_INPUT_JSON: usize = 1024 * 1024;

/// Reads a JS value as JSON through `JSON.stringify`, which refuses cycles and BigInt with a TypeError
/// instead of recursing: a hostile or mistaken input is a typed error, never a stack overflow in wasm.
/// Undefined, functions and symbols read as null, which counts as absent.
fn js_to_json(value: &JsValue, name: &str) -> JsResult<Value> {
    let invalid =
        || to_js_error(ThreeDsError::invalid(name, "plain JSON data (no cycles, no BigInt, no lone surrogates)"));
    let text = JsValue::from(js_sys::JSON::stringify(value).map_err(|_| invalid())?);
    let too_large = || {
        to_js_error(ThreeDsError::new(ErrorCode::TooLarge, format!("{name} is over {MAX_INPUT_JSON} bytes as JSON")))
    };
    // Measured before it is copied into wasm memory, which never shrinks: a huge value is refused at the cost
    // of its JSON text in JS only. What JSON cannot write (undefined, a function, a symbol, a `toJSON` that
    // gives undefined) comes back as undefined, not a string: absent.
    let Some(length) = js_string_length(&text) else { return Ok(Value::Null) };
    if length > MAX_INPUT_JSON {
        return Err(too_large());
    }
    let text = text.as_string().unwrap_or_default();
    if text.len() > MAX_INPUT_JSON {
        return Err(too_large());
    }
    // What crosses from JS may wrap a payload (a result around a CRes, for notifyParent).
    json::parse_nested(&text, json::MAX_DEPTH + json::WRAPPING_DEPTH).map_err(|_| invalid())
}

/// The length of a JS string in UTF-16 units, read without copying it into wasm; None for a non-string.
fn js_string_length(value: &JsValue) -> Option<usize> {
    value.dyn_ref::<js_sys::JsString>().map(|s| s.length() as usize)
}

/// Reads a JS object as JSON.
fn from_js_object(value: JsValue, name: &str) -> JsResult<Value> {
    if !value.is_object() {
        return Err(to_js_error(ThreeDsError::invalid(name, "an object")));
    }
    js_to_json(&value, name)
}

fn from_js_string(value: JsValue, name: &str) -> JsResult<String> {
    // Every string input has a limit of its own far below this; this one keeps a huge string out of wasm memory.
    if js_string_length(&value).is_some_and(|length| length > MAX_INPUT_JSON) {
        return Err(to_js_error(ThreeDsError::new(
            ErrorCode::TooLarge,
            format!("{name} is over {MAX_INPUT_JSON} characters"),
        )));
    }
    value.as_string().ok_or_else(|| {
        let error = if value.is_undefined() || value.is_null() {
            ThreeDsError::missing(name)
        } else {
            ThreeDsError::invalid(name, "a string")
        };
        to_js_error(error)
    })
}

/// Reads the named members of a JS object of data (a request, an input) as JSON, leaving out what JSON
/// leaves out: each [`data_member`], so that a polluted `Object.prototype` lends a request no body and a
/// liability input no ECI. Options objects are read by [`pick_options`], which also refuses inherited defaults.
#[cfg(feature = "full")]
fn pick_json(object: &JsValue, name: &str, keys: &[&str]) -> JsResult<Value> {
    if !object.is_object() {
        return Err(to_js_error(ThreeDsError::invalid(name, "an object")));
    }
    pick(object, name, keys, data_member)
}

/// A member of a data object: its own, or one its class defines (a framework's request with a `body` getter),
/// never one from the root of its prototype chain (any realm's `Object.prototype`, or an object with no
/// prototype), where a polluted property would come from.
#[cfg(feature = "full")]
fn data_member(object: &JsValue, name: &str, key: &str) -> Result<Option<JsValue>, ThreeDsError> {
    let key_value = JsValue::from_str(key);
    let mut holder = object.clone();
    // A class hierarchy is a few levels deep; a longer chain is read as far as this.
    for _ in 0..16 {
        if has_own(&holder, &key_value).map_err(|_| unreadable(name, key))? {
            return read(object, name, key, &key_value).map(Some);
        }
        let prototype: JsValue = js_sys::Reflect::get_prototype_of(&holder).map_err(|_| unreadable(name, key))?.into();
        if is_chain_root(&prototype) {
            return Ok(None);
        }
        holder = prototype;
    }
    Ok(None)
}

/// The named members of `object` that are not undefined, each read by `member` and given as JSON.
fn pick(
    object: &JsValue,
    name: &str,
    keys: &[&str],
    member: fn(&JsValue, &str, &str) -> Result<Option<JsValue>, ThreeDsError>,
) -> JsResult<Value> {
    let mut map = Map::new();
    for key in keys {
        let Some(value) = member(object, name, key).map_err(to_js_error)? else { continue };
        if value.is_undefined() {
            continue;
        }
        map.insert((*key).to_string(), member_json(&value, name, key)?);
    }
    Ok(Value::Object(map))
}

/// Reads the named members of an options object as JSON, leaving out DOM objects and functions, which
/// [`js_member`] reads separately. Options are an object's own properties, in every function of both builds:
/// an option inherited from a polluted `Object.prototype` (a vulnerable dependency that merges attacker JSON)
/// is not an option, and an object of inherited defaults is refused rather than read in part.
fn pick_options(options: &JsValue, name: &str, keys: &[&str]) -> JsResult<Value> {
    if !options.is_object() {
        return Err(to_js_error(ThreeDsError::invalid(name, "an object")));
    }
    if !is_options_object(options) {
        return Err(to_js_error(ThreeDsError::invalid(name, PLAIN_OPTIONS)));
    }
    pick(options, name, keys, own_member)
}

/// What an options object must be.
const PLAIN_OPTIONS: &str = "a plain object (its own properties are read, never inherited ones)";

/// Whether a JS object can be options: its prototype is null or has none itself, as any realm's
/// `Object.prototype`. Only own properties are read ([`own_member`]), so this refuses, loudly, what would have
/// options silently ignored (an object of inherited defaults, a class instance), and lets in options made in
/// another realm (a same-origin frame, a WebDriver script's sandbox). `parseReturn`, whose options carry the
/// integrity checks, holds its options to [`is_plain_object`] instead.
fn is_options_object(value: &JsValue) -> bool {
    js_sys::Reflect::get_prototype_of(value).is_ok_and(|prototype| is_chain_root(&prototype))
}

/// Whether a prototype is where a chain ends: null, or an object with no prototype (any realm's
/// `Object.prototype`, where pollution lands). A Proxy that will not say is not taken for one.
fn is_chain_root(prototype: &JsValue) -> bool {
    prototype.is_null() || js_sys::Reflect::get_prototype_of(prototype).is_ok_and(|above| above.is_null())
}

/// An own property of an object, or None where it has none (an inherited one is none). Every object the package
/// reads by name (options, requests, inputs) is read this way, or as [`data_member`].
fn own_member(object: &JsValue, name: &str, key: &str) -> Result<Option<JsValue>, ThreeDsError> {
    let key_value = JsValue::from_str(key);
    if !has_own(object, &key_value).map_err(|_| unreadable(name, key))? {
        return Ok(None);
    }
    read(object, name, key, &key_value).map(Some)
}

/// Whether `object` has `key` as an own property. `Reflect.getOwnPropertyDescriptor` answers in every engine the
/// package supports (`Object.hasOwn` is younger than some, and data merged into a `constructor` can overwrite
/// it), and a Proxy whose trap throws is an error, never an exception thrown through the module.
fn has_own(object: &JsValue, key: &JsValue) -> Result<bool, JsValue> {
    js_sys::Reflect::get_own_property_descriptor(object.unchecked_ref::<js_sys::Object>(), key)
        .map(|d| !d.is_undefined())
}

/// The value of a property `object` has (its own, or its class's): a getter that throws is an error naming it.
fn read(object: &JsValue, name: &str, key: &str, key_value: &JsValue) -> Result<JsValue, ThreeDsError> {
    js_sys::Reflect::get(object, key_value)
        .map_err(|_| ThreeDsError::invalid(&format!("{name}.{key}"), "a property that can be read (its getter threw)"))
}

/// The error for a property whose object refuses to say whether it has it (a Proxy whose trap throws).
fn unreadable(name: &str, key: &str) -> ThreeDsError {
    ThreeDsError::invalid(&format!("{name}.{key}"), "a property that can be read")
}

/// The member `key` of the object `name`, as JSON. The full build copies a string member as it is where that
/// is exact ([`plain_string`]), for workers' hot paths; the browser build keeps the one JSON path, as its
/// bytes count more than a microsecond per call.
fn member_json(value: &JsValue, name: &str, key: &str) -> JsResult<Value> {
    #[cfg(feature = "full")]
    if let Some(text) = plain_string(value) {
        return Ok(Value::String(text));
    }
    js_to_json(value, &format!("{name}.{key}"))
}

/// A string member copied as it is, when that gives what the JSON path ([`js_to_json`]) would, without its
/// two JSON passes: the copy into wasm turns a lone surrogate into U+FFFD, so a copy without U+FFFD had none,
/// and a string this short cannot pass the JSON size limit even if every character is escaped (six bytes).
/// Anything else takes the JSON path, which refuses what it must.
#[cfg(feature = "full")]
fn plain_string(value: &JsValue) -> Option<String> {
    let short = js_string_length(value).is_some_and(|length| length <= (MAX_INPUT_JSON - 2) / 6);
    let text = if short { value.as_string()? } else { return None };
    (!text.contains('\u{FFFD}')).then_some(text)
}

/// An optional own member of an options object (read by [`pick_options`] first) that must be a real `T` (an
/// AbortSignal, an Element): an instance of this realm's class that the class's own getter `genuine` reads.
/// An object that only looks like one (a Proxy of a real one, an object made from the prototype) passes
/// `instanceof`, but the first DOM call on it throws, which inside a flow would escape it: a flow that never
/// settles, and the flows queued behind it stalled.
fn js_member<T: JsCast>(
    options: &JsValue,
    name: &str,
    key: &str,
    expected: &str,
    genuine: fn(&T) -> bool,
) -> JsResult<Option<T>> {
    let Some(value) = own_member(options, name, key).map_err(to_js_error)? else { return Ok(None) };
    if value.is_undefined() || value.is_null() {
        return Ok(None);
    }
    value
        .dyn_into::<T>()
        .ok()
        .filter(genuine)
        .map(Some)
        .ok_or_else(|| to_js_error(ThreeDsError::invalid(&format!("{name}.{key}"), expected)))
}

#[wasm_bindgen]
extern "C" {
    // Node's own getter (`final`: the getter taken from the prototype and called on the object, never a property
    // read that a Proxy or an own property could answer), catching: it throws for anything that is not a node.
    #[wasm_bindgen(js_name = Node)]
    type RealNode;
    #[wasm_bindgen(method, getter, final, catch, js_name = isConnected)]
    fn is_connected(this: &RealNode) -> JsResult<bool>;
}

/// Whether `signal` is a real AbortSignal.
fn real_signal(signal: &web_sys::AbortSignal) -> bool {
    signal.unchecked_ref::<crate::dom::RealSignal>().aborted().is_ok()
}

/// Whether `element` is a real Element (`instanceof` said it is one if it is a node).
fn real_element(element: &web_sys::Element) -> bool {
    element.unchecked_ref::<RealNode>().is_connected().is_ok()
}

/// The `signal` and `container` options of a browser flow, each real or absent.
fn signal_and_container(
    options: &JsValue,
    name: &str,
) -> JsResult<(Option<web_sys::AbortSignal>, Option<web_sys::Element>)> {
    Ok((
        js_member(options, name, "signal", "an AbortSignal", real_signal)?,
        js_member(options, name, "container", "an Element", real_element)?,
    ))
}

fn optional_object(value: JsValue, name: &str, keys: &[&str]) -> JsResult<Value> {
    if value.is_undefined() || value.is_null() {
        Ok(Value::Object(Map::new()))
    } else {
        pick_options(&value, name, keys)
    }
}
