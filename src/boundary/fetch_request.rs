//! `parseReturnRequest`: `parseReturn` on a Fetch `Request`, the hot path of an edge worker.
//!
//! The request's members are read by the glue as plain property accesses (`request.method`,
//! `request.headers.get(name)`), declared below, not through `Reflect.get` with a property name made from wasm
//! memory on every call; the header names are JS strings made once. A getter or method that throws, or a
//! member that is missing, reads as "not a Fetch Request" or "no readable body", never as an exception.

use wasm_bindgen::prelude::*;

use super::full::return_options;
use super::{js_string_length, to_js, to_js_error, JsResult};
use crate::core::error::{ErrorCode, ThreeDsError};
use crate::core::form::MAX_FORM_LEN;
use crate::core::providers::{self, ReturnOptions, ReturnRequest};

#[wasm_bindgen]
extern "C" {
    /// Whatever the caller passed as a Request; each member is checked as it is read.
    type FetchRequest;

    #[wasm_bindgen(method, getter, catch)]
    fn method(this: &FetchRequest) -> Result<JsValue, JsValue>;

    #[wasm_bindgen(method, getter, catch)]
    fn url(this: &FetchRequest) -> Result<JsValue, JsValue>;

    #[wasm_bindgen(method, getter, catch)]
    fn headers(this: &FetchRequest) -> Result<FetchHeaders, JsValue>;

    #[wasm_bindgen(method, getter, catch)]
    fn body(this: &FetchRequest) -> Result<JsValue, JsValue>;

    /// `request.text()`: throws (caught) when `text` is not a function. What it returns is only ever read
    /// through [`AdoptedPromise::of`].
    #[wasm_bindgen(method, catch)]
    fn text(this: &FetchRequest) -> Result<JsValue, JsValue>;

    type FetchHeaders;

    /// `headers.get(name)`: throws (caught) when there are no headers or `get` is not a function.
    #[wasm_bindgen(method, catch)]
    fn get(this: &FetchHeaders, name: &JsValue) -> Result<JsValue, JsValue>;

    /// A promise of this realm, made by [`AdoptedPromise::of`].
    #[wasm_bindgen(extends = js_sys::Promise, js_name = Promise)]
    type AdoptedPromise;

    /// `Promise.resolve(value)`: a promise of this realm for whatever a caller's object returned, a thenable
    /// adopted later (its `then` is called in a job of its own, where a throw is a rejection).
    #[wasm_bindgen(static_method_of = AdoptedPromise, js_class = "Promise", js_name = resolve, catch)]
    fn of(value: &JsValue) -> Result<AdoptedPromise, JsValue>;

    /// A copy of a chunk of a body stream, that no other code holds.
    #[wasm_bindgen(extends = js_sys::Uint8Array, js_name = Uint8Array)]
    type ChunkCopy;

    /// `new Uint8Array(chunk)`: for a real typed array, a copy made from its internal slots (no property of the
    /// chunk is read).
    #[wasm_bindgen(constructor, catch)]
    fn new(chunk: &JsValue) -> Result<ChunkCopy, JsValue>;
}

impl AdoptedPromise {
    /// `promise.then(on_fulfilled, on_rejected)` with the `then` of promises, not one the caller's promise may
    /// carry itself (which could call a continuation twice, or throw); None if it threw.
    fn then_as_promised(&self, on_fulfilled: &JsValue, on_rejected: &JsValue) -> Option<js_sys::Promise> {
        PROMISE_THEN.with(|then| then.call2(self, on_fulfilled, on_rejected)).ok().and_then(|p| p.dyn_into().ok())
    }
}

type AfterBody = Closure<dyn Fn(JsValue, JsValue, JsValue, OptionsRead, JsValue) -> JsValue>;
type BodyRefused = Closure<dyn Fn(OptionsRead, JsValue) -> JsValue>;

thread_local! {
    /// `Promise.prototype.then`, read before any caller's code runs.
    static PROMISE_THEN: js_sys::Function = js_sys::Reflect::get(
        &js_sys::Object::get_prototype_of(&js_sys::Promise::resolve(&JsValue::UNDEFINED)),
        &"then".into(),
    )
    .unwrap_or_default()
    .unchecked_into();
    static CONTENT_LENGTH: JsValue = JsValue::from_str("content-length");
    static CONTENT_TYPE: JsValue = JsValue::from_str("content-type");
    /// `text()`'s continuation: (request, method, url, options, body) -> the result, or a promise rejected
    /// with the error.
    static AFTER_BODY: AfterBody = Closure::new(|request: JsValue, method: JsValue, url: JsValue, options: OptionsRead, body: JsValue| {
        let line = RequestLine { method: method.as_string().unwrap_or_default(), url };
        // Measured before it is copied into wasm memory: a Content-Length that understates the body (a Request
        // built by the worker's own code) must not bring more than the limit in. UTF-16 units never outnumber
        // UTF-8 bytes, so a longer string is over the limit in bytes too.
        let result = match js_string_length(&body) {
            Some(length) if length > MAX_FORM_LEN => Err(to_js_error(too_large_body(MAX_FORM_LEN))),
            Some(_) => parse_fetch_request(request.unchecked_ref(), line, &options.0, body.as_string().unwrap_or_default()),
            None => Err(unreadable_body()),
        };
        result.unwrap_or_else(|error| js_sys::Promise::reject(&error).into())
    });
    /// `text()` refused (the client went away, the body was already read): the typed error.
    /// It takes the options too, so that they are freed at once.
    static UNREADABLE_BODY: BodyRefused = Closure::new(|_: OptionsRead, _| js_sys::Promise::reject(&unreadable_body()).into());
}

/// `parseReturn` for a Fetch `Request` (workers): reads method, URL, content type and body, refusing bodies
/// over 256 KiB before reading them when Content-Length says so. Every error rejects the promise; nothing
/// throws.
#[wasm_bindgen(js_name = parseReturnRequest, unchecked_return_type = "Promise<ReturnResult>")]
pub fn parse_return_request(
    #[wasm_bindgen(unchecked_param_type = "Request")] request: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "ReturnOptions")] options: Option<JsValue>,
) -> js_sys::Promise {
    // Read now, not when the body has come: the caller may change its object meanwhile, and a mistake in the
    // options is reported before the body is read.
    let options = match return_options(options.unwrap_or(JsValue::UNDEFINED)) {
        Ok(options) => options,
        Err(error) => return js_sys::Promise::reject(&error),
    };
    let request: FetchRequest = request.unchecked_into();
    let (line, source) = match start_reading(&request) {
        Ok(started) => started,
        Err(error) => return js_sys::Promise::reject(&error),
    };
    match source {
        BodySource::Empty => settled(parse_fetch_request(&request, line, &options, String::new())),
        // A worker's hot path: one `text()` and one continuation, chained as JS chains it. The continuation
        // is made once, not per request; what it needs travels as its bound arguments (the options read in a
        // JS object that owns them: taken by whichever continuation runs, or freed with the object if none
        // does). An async fn here costs a future, its executor and two closures per request: about a fifth of
        // the time of the whole call in workerd.
        BodySource::Whole(text) => AFTER_BODY.with(|after_body| {
            let method = JsValue::from(line.method);
            let on_body = after_body.as_ref().unchecked_ref::<js_sys::Function>();
            let options = JsValue::from(OptionsRead(options));
            let on_body = on_body.bind4(&JsValue::NULL, &request, &method, &line.url, &options);
            let on_refused = UNREADABLE_BODY
                .with(|refused| refused.as_ref().unchecked_ref::<js_sys::Function>().bind1(&JsValue::NULL, &options));
            text.then_as_promised(&on_body, &on_refused).unwrap_or_else(|| js_sys::Promise::reject(&unreadable_body()))
        }),
        BodySource::Chunked => wasm_bindgen_futures::future_to_promise(async move {
            let body = read_body_capped(&request, MAX_FORM_LEN).await?;
            parse_fetch_request(&request, line, &options, body)
        }),
    }
}

/// `parseReturn`'s options as read when `parseReturnRequest` was called, carried to `text()`'s continuation as
/// a JS object that owns them: taken by the continuation, or freed with the object if the body never comes.
#[wasm_bindgen(skip_typescript)]
pub struct OptionsRead(ReturnOptions);

/// A Fetch Request's method, and its URL (a JS string, copied into wasm once, when it is parsed).
struct RequestLine {
    method: String,
    url: JsValue,
}

/// How a Fetch Request's body is to be read.
enum BodySource {
    /// GET and HEAD: no body.
    Empty,
    /// `text()` under way: HTTP framing holds an incoming body to its Content-Length, checked against the
    /// limit before reading, so one `text()` is as safe as the chunked read.
    Whole(AdoptedPromise),
    /// No Content-Length: read chunk by chunk, stopping at the limit.
    Chunked,
}

/// Checks that `request` is a Fetch Request and that a declared body fits, and starts reading it.
fn start_reading(request: &FetchRequest) -> JsResult<(RequestLine, BodySource)> {
    let method = request.method().ok().and_then(|m| m.as_string());
    let url = request.url().ok().filter(JsValue::is_string);
    let (Some(method), Some(url)) = (method, url) else {
        return Err(to_js_error(ThreeDsError::invalid("request", "a Fetch Request")));
    };
    let line = RequestLine { method, url };
    let source = body_source(request, &line.method)?;
    Ok((line, source))
}

fn body_source(request: &FetchRequest, method: &str) -> JsResult<BodySource> {
    let declared_length =
        CONTENT_LENGTH.with(|name| header(request, name)).and_then(|l| l.trim().parse::<usize>().ok());
    if declared_length.is_some_and(|l| l > MAX_FORM_LEN) {
        return Err(to_js_error(too_large_body(MAX_FORM_LEN)));
    }
    if method.eq_ignore_ascii_case("GET") || method.eq_ignore_ascii_case("HEAD") {
        return Ok(BodySource::Empty);
    }
    if declared_length.is_none() {
        return Ok(BodySource::Chunked);
    }
    request.text().and_then(|text| AdoptedPromise::of(&text)).map(BodySource::Whole).map_err(|_| unreadable_body())
}

/// A promise of `result`.
fn settled(result: JsResult<JsValue>) -> js_sys::Promise {
    match result {
        Ok(value) => js_sys::Promise::resolve(&value),
        Err(error) => js_sys::Promise::reject(&error),
    }
}

/// `parseReturn` on a Fetch Request whose body has been read.
fn parse_fetch_request(
    request: &FetchRequest,
    line: RequestLine,
    options: &ReturnOptions,
    body: String,
) -> JsResult<JsValue> {
    let request = ReturnRequest {
        method: line.method,
        url: line.url.as_string().unwrap_or_default(),
        body,
        content_type: CONTENT_TYPE.with(|name| header(request, name)),
    };
    to_js(&providers::parse_return(&request, options).map_err(to_js_error)?)
}

/// A header of a Fetch Request, through its `headers.get`; None when it cannot be read.
fn header(request: &FetchRequest, name: &JsValue) -> Option<String> {
    request.headers().ok()?.get(name).ok()?.as_string()
}

fn unreadable_body() -> JsValue {
    to_js_error(ThreeDsError::invalid("request", "a Fetch Request with a readable body"))
}

fn too_large_body(limit: usize) -> ThreeDsError {
    ThreeDsError::new(ErrorCode::TooLarge, format!("the request body is over {limit} bytes"))
}

/// Reads a Fetch Request's body chunk by chunk, cancelling it as soon as it passes `limit` bytes: a chunked
/// body with no Content-Length is never buffered whole. Decoded as `Request.text()` does (UTF-8, lossy).
/// Every call on the caller's objects is caught, and every promise they give is adopted by one of this realm
/// ([`AdoptedPromise::of`]): a hostile stream is a typed rejection, never an exception thrown through the module.
async fn read_body_capped(request: &FetchRequest, limit: usize) -> JsResult<String> {
    let method = |target: &JsValue, name: &str| -> JsResult<js_sys::Function> {
        js_sys::Reflect::get(target, &name.into()).ok().and_then(|f| f.dyn_into().ok()).ok_or_else(unreadable_body)
    };
    let stream = request.body().map_err(|_| unreadable_body())?;
    if stream.is_null() || stream.is_undefined() {
        return Ok(String::new());
    }
    let reader = method(&stream, "getReader")?.call0(&stream).map_err(|_| unreadable_body())?;
    let read = method(&reader, "read")?;
    let mut bytes: Vec<u8> = Vec::new();
    loop {
        let promise = read.call0(&reader).and_then(|p| AdoptedPromise::of(&p)).map_err(|_| unreadable_body())?;
        // A promise of our own to wait on (JsFuture calls its `then`).
        let promise = promise.then_as_promised(&JsValue::UNDEFINED, &JsValue::UNDEFINED).ok_or_else(unreadable_body)?;
        let chunk = wasm_bindgen_futures::JsFuture::from(promise).await.map_err(|_| unreadable_body())?;
        if js_sys::Reflect::get(&chunk, &"done".into()).ok().and_then(|d| d.as_bool()) == Some(true) {
            break;
        }
        let value = js_sys::Reflect::get(&chunk, &"value".into()).map_err(|_| unreadable_body())?;
        let value = chunk_bytes(&value)?;
        let start = bytes.len();
        let length = value.length() as usize;
        if start + length > limit {
            if let Ok(cancel) = method(&reader, "cancel") {
                let _ = cancel.call0(&reader);
            }
            return Err(to_js_error(too_large_body(limit)));
        }
        bytes.resize(start + length, 0);
        value.copy_to(&mut bytes[start..]);
    }
    let text = String::from_utf8_lossy(&bytes);
    Ok(text.strip_prefix('\u{feff}').unwrap_or(&text).to_string())
}

/// A chunk of a body stream, as a `Uint8Array` of our own: only a real one (not an object dressed as one, whose
/// `length` could be anything), copied in JS (not into wasm memory before its length is checked), so that
/// nothing the caller's object does can change its length between reading it and copying it.
fn chunk_bytes(value: &JsValue) -> JsResult<ChunkCopy> {
    if !js_sys::ArrayBuffer::is_view(value) || !value.is_instance_of::<js_sys::Uint8Array>() {
        return Err(unreadable_body());
    }
    ChunkCopy::new(value).map_err(|_| unreadable_body())
}
