//! `parseReturnRequest`: `parseReturn` on a Fetch `Request`, the hot path of an edge worker.
//!
//! The request's members are read by the glue as plain property accesses (`request.method`,
//! `request.headers.get(name)`), declared below, not through `Reflect.get` with a property name made from wasm
//! memory on every call; the header names are JS strings made once. A getter or method that throws, or a
//! member that is missing, reads as "not a Fetch Request" or "no readable body", never as an exception.

use std::cell::RefCell;
use std::collections::BTreeMap;

use wasm_bindgen::prelude::*;

use super::full::return_options;
use super::{js_string_length, to_js, to_js_error, JsResult};
use crate::core::error::{ErrorCode, ThreeDsError};
use crate::core::form::MAX_FORM_LEN;
use crate::core::providers::{self, ReturnOptions, ReturnRequest, MAX_URL_LEN};

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
    /// through [`body_promise`].
    #[wasm_bindgen(method, catch)]
    fn text(this: &FetchRequest) -> Result<JsValue, JsValue>;

    type FetchHeaders;

    /// `headers.get(name)`: throws (caught) when there are no headers or `get` is not a function.
    #[wasm_bindgen(method, catch)]
    fn get(this: &FetchHeaders, name: &JsValue) -> Result<JsValue, JsValue>;

    /// `Function.prototype.bind`, as [`FUNCTION_BIND`] holds it.
    type Bind;

    /// `bind.call(target, this, a)`: a continuation bound to its argument; a throw (caught) is a typed error,
    /// never an exception through the module.
    #[wasm_bindgen(method, catch, js_name = call)]
    fn bind_1(this: &Bind, target: &JsValue, this_arg: &JsValue, a: &JsValue) -> Result<js_sys::Function, JsValue>;

    /// `bind.call(target, this, a, b, c, d)`, as [`bind_1`].
    #[wasm_bindgen(method, catch, js_name = call)]
    #[allow(clippy::too_many_arguments)]
    fn bind_4(
        this: &Bind,
        target: &JsValue,
        this_arg: &JsValue,
        a: &JsValue,
        b: &JsValue,
        c: &JsValue,
        d: &JsValue,
    ) -> Result<js_sys::Function, JsValue>;

    /// A copy of a chunk of a body stream, that no other code holds.
    #[wasm_bindgen(extends = js_sys::Uint8Array, js_name = Uint8Array)]
    type ChunkCopy;

    /// `new Uint8Array(chunk)`: for a real typed array, a copy made from its internal slots (no property of the
    /// chunk is read).
    #[wasm_bindgen(constructor, catch)]
    fn new(chunk: &JsValue) -> Result<ChunkCopy, JsValue>;
}

/// A promise of our own for whatever a caller's object gave (`new Promise(resolve => resolve(value))`): a
/// thenable is adopted in a job of its own, where a throw is a rejection, and no constructor or species of the
/// caller's can make the promise we chain on or return.
fn promise_of(value: &JsValue) -> js_sys::Promise {
    js_sys::Promise::new(&mut |resolve, _| {
        let _ = resolve.call1(&JsValue::NULL, value);
    })
}

/// What `text()` gave, as a promise to chain on: itself when it is a plain promise (its prototype
/// `Promise.prototype`, and no `constructor` of its own to choose a species: a real Request's), which costs
/// less than [`promise_of`], the way for anything else.
fn body_promise(value: JsValue) -> js_sys::Promise {
    let plain = js_sys::Reflect::get_prototype_of(&value).is_ok_and(|prototype| {
        PROMISE_PROTOTYPE.with(|promise_prototype| JsValue::from(prototype) == *promise_prototype)
    }) && CONSTRUCTOR.with(|key| {
        js_sys::Reflect::get_own_property_descriptor(value.unchecked_ref::<js_sys::Object>(), key)
            .is_ok_and(|d| d.is_undefined())
    });
    if plain {
        value.unchecked_into()
    } else {
        promise_of(&value)
    }
}

/// A promise rejected with `error`, made with the Promise constructor: `Promise.reject` is a static that data
/// merged into a promise's `constructor` can overwrite, and a throw from it would pass through the module.
fn rejected(error: &JsValue) -> js_sys::Promise {
    js_sys::Promise::new(&mut |_, reject| {
        let _ = reject.call1(&JsValue::NULL, error);
    })
}

/// Whether `cached` holds the built-in `name` of `prototype`, read now if it holds none yet; false while what is
/// there is not a function (data merged into a prototype can overwrite it): such a call is a typed error, and a
/// later call reads again.
fn holds_builtin(cached: &RefCell<Option<js_sys::Function>>, prototype: &JsValue, name: &str) -> bool {
    let mut cached = cached.borrow_mut();
    if cached.is_none() {
        *cached = js_sys::Reflect::get(prototype, &name.into()).ok().and_then(|f| f.dyn_into().ok());
    }
    cached.is_some()
}

/// The built-ins a body is chained with, [`PROMISE_THEN`] and [`FUNCTION_BIND`], or the typed error that says
/// which one this runtime's code has replaced with something else.
fn chaining_builtins() -> Result<(), ThreeDsError> {
    let missing =
        |name: &str| ThreeDsError::new(ErrorCode::UnsupportedEnvironment, format!("{name} is not a function here"));
    if !PROMISE_THEN.with(|then| PROMISE_PROTOTYPE.with(|prototype| holds_builtin(then, prototype, "then"))) {
        return Err(missing("Promise.prototype.then"));
    }
    if !FUNCTION_BIND.with(|bind| FUNCTION_PROTOTYPE.with(|prototype| holds_builtin(bind, prototype, "bind"))) {
        return Err(missing("Function.prototype.bind"));
    }
    Ok(())
}

/// A continuation bound to its arguments by `bind` (a call of [`bind_1`] or [`bind_4`] on the
/// `Function.prototype.bind` that [`FUNCTION_BIND`] holds); None if none is held or it threw.
fn bound(bind: impl FnOnce(&Bind) -> Result<js_sys::Function, JsValue>) -> Option<js_sys::Function> {
    FUNCTION_BIND.with(|cached| bind(cached.borrow().as_ref()?.unchecked_ref()).ok())
}

/// `promise.then(on_fulfilled, on_rejected)` with the `then` [`PROMISE_THEN`] holds, whatever `then` the promise
/// has of its own (a plain one, or one of ours); None if it threw or none is held.
fn then(promise: &js_sys::Promise, on_fulfilled: &JsValue, on_rejected: &JsValue) -> Option<js_sys::Promise> {
    PROMISE_THEN
        .with(|then| then.borrow().as_ref()?.call2(promise, on_fulfilled, on_rejected).ok())
        .and_then(|p| p.dyn_into().ok())
}

/// The options of the calls whose bodies are on their way, by a number that travels with the continuation:
/// each is taken once, by whichever continuation runs. A number that is not waiting (a continuation called
/// again, or by code that got hold of it) is a typed error, never another call's options or freed memory.
#[derive(Default)]
struct Waiting {
    next: u32,
    options: BTreeMap<u32, ReturnOptions>,
}

impl Waiting {
    fn put(&mut self, options: ReturnOptions) -> u32 {
        while self.options.contains_key(&self.next) {
            self.next = self.next.wrapping_add(1);
        }
        let id = self.next;
        self.next = self.next.wrapping_add(1);
        self.options.insert(id, options);
        id
    }
}

#[wasm_bindgen]
extern "C" {
    /// `Promise.prototype`, read from the binding itself (non-writable): no call to `Object.getPrototypeOf` or
    /// `Promise.resolve`, which data merged into an object's `constructor` can overwrite.
    #[wasm_bindgen(thread_local_v2, js_namespace = Promise, js_name = prototype)]
    static PROMISE_PROTOTYPE: JsValue;

    /// `Function.prototype`, read from the binding itself, as [`PROMISE_PROTOTYPE`].
    #[wasm_bindgen(thread_local_v2, js_namespace = Function, js_name = prototype)]
    static FUNCTION_PROTOTYPE: JsValue;
}

type AfterBody = Closure<dyn Fn(JsValue, JsValue, JsValue, u32, JsValue) -> JsValue>;
type BodyRefused = Closure<dyn Fn(u32, JsValue) -> JsValue>;

thread_local! {
    static WAITING: RefCell<Waiting> = RefCell::default();
    /// `Promise.prototype.then`, read at the start of the first call that finds a function there, before any code
    /// of the caller's (a getter, `text()`) has run in it, and kept: a `then` replaced later does not change how
    /// bodies are chained ([`chaining_builtins`]).
    static PROMISE_THEN: RefCell<Option<js_sys::Function>> = RefCell::default();
    /// `Function.prototype.bind`, read and kept the same way: data merged into `{}.constructor.constructor`
    /// reaches `Function.prototype`, and the continuations are bound with it.
    static FUNCTION_BIND: RefCell<Option<js_sys::Function>> = RefCell::default();
    static CONSTRUCTOR: JsValue = JsValue::from_str("constructor");
    static CONTENT_LENGTH: JsValue = JsValue::from_str("content-length");
    static CONTENT_TYPE: JsValue = JsValue::from_str("content-type");
    /// `text()`'s continuation: (request, method, url, the options' number, body) -> the result, or a
    /// promise rejected with the error.
    static AFTER_BODY: AfterBody = Closure::new(|request: JsValue, method: JsValue, url: JsValue, waiting: u32, body: JsValue| {
        let Some(options) = take_waiting(waiting) else { return rejected(&unreadable_body()).into() };
        let line = RequestLine { method: method.as_string().unwrap_or_default(), url };
        // Measured before it is copied into wasm memory: a Content-Length that understates the body (a Request
        // built by the worker's own code) must not bring more than the limit in. UTF-16 units never outnumber
        // UTF-8 bytes, so a longer string is over the limit in bytes too.
        let result = match js_string_length(&body) {
            Some(length) if length > MAX_FORM_LEN => Err(to_js_error(too_large_body(MAX_FORM_LEN))),
            Some(_) => parse_fetch_request(request.unchecked_ref(), line, &options, body.as_string().unwrap_or_default()),
            None => Err(unreadable_body()),
        };
        result.unwrap_or_else(|error| rejected(&error).into())
    });
    /// `text()` refused (the client went away, the body was already read): the typed error.
    /// It takes the options too, so that they are freed at once.
    static UNREADABLE_BODY: BodyRefused = Closure::new(|waiting: u32, _| {
        take_waiting(waiting);
        rejected(&unreadable_body()).into()
    });
}

/// `parseReturn` for a Fetch `Request` (workers): reads method, URL, content type and body, refusing bodies
/// over 256 KiB before reading them when Content-Length says so. Every error rejects the promise; nothing
/// throws.
#[wasm_bindgen(js_name = parseReturnRequest, unchecked_return_type = "Promise<ReturnResult>")]
pub fn parse_return_request(
    #[wasm_bindgen(unchecked_param_type = "Request")] request: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "ReturnOptions")] options: Option<JsValue>,
) -> js_sys::Promise {
    // Before any code of the caller's runs in this call (see PROMISE_THEN).
    if let Err(error) = chaining_builtins() {
        return rejected(&to_js_error(error));
    }
    // Read now, not when the body has come: the caller may change its object meanwhile, and a mistake in the
    // options is reported before the body is read.
    let options = match return_options(options.unwrap_or(JsValue::UNDEFINED)) {
        Ok(options) => options,
        Err(error) => return rejected(&error),
    };
    let request: FetchRequest = request.unchecked_into();
    let (line, source) = match start_reading(&request) {
        Ok(started) => started,
        Err(error) => return rejected(&error),
    };
    match source {
        BodySource::Empty => settled(parse_fetch_request(&request, line, &options, String::new())),
        // A worker's hot path: one `text()` and one continuation, chained as JS chains it. The continuation
        // is made once, not per request; what it needs travels as its bound arguments, the options by their
        // number in [`Waiting`]. (An async fn here costs a future, its executor and two closures per request:
        // about a fifth of the time of the whole call in workerd.)
        BodySource::Whole(text) => AFTER_BODY.with(|after_body| {
            let method = JsValue::from(line.method);
            let id = WAITING.with(|w| w.borrow_mut().put(options));
            let waiting = JsValue::from(id);
            let null = JsValue::NULL;
            let on_body = bound(|bind| bind.bind_4(after_body.as_ref(), &null, &request, &method, &line.url, &waiting));
            let on_refused =
                UNREADABLE_BODY.with(|refused| bound(|bind| bind.bind_1(refused.as_ref(), &null, &waiting)));
            let chained = match (on_body, on_refused) {
                (Some(on_body), Some(on_refused)) => then(&text, &on_body, &on_refused),
                _ => None,
            };
            chained.unwrap_or_else(|| {
                // Neither continuation will run: the options leave the table here.
                take_waiting(id);
                rejected(&unreadable_body())
            })
        }),
        BodySource::Chunked => wasm_bindgen_futures::future_to_promise(async move {
            let body = read_body_capped(&request, MAX_FORM_LEN).await?;
            parse_fetch_request(&request, line, &options, body)
        }),
    }
}

/// The options waiting under `id`, taken out of [`WAITING`].
fn take_waiting(id: u32) -> Option<ReturnOptions> {
    WAITING.with(|w| w.borrow_mut().options.remove(&id))
}

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
    /// limit before reading, so one `text()` is as safe as the chunked read. (Also a Request-like's text:
    /// already in memory, measured before it is copied.)
    Whole(js_sys::Promise),
    /// No Content-Length: read chunk by chunk, stopping at the limit.
    Chunked,
}

/// Checks that `request` is a Fetch Request and that a declared body fits, and starts reading it.
fn start_reading(request: &FetchRequest) -> JsResult<(RequestLine, BodySource)> {
    let method = request.method().ok().filter(JsValue::is_string);
    let url = request.url().ok().filter(JsValue::is_string);
    let (Some(method), Some(url)) = (method, url) else {
        return Err(to_js_error(ThreeDsError::invalid("request", "a Fetch Request")));
    };
    // Measured before they are copied into wasm memory, which never shrinks (a Request the worker's own code
    // built can hold anything). UTF-16 units never outnumber UTF-8 bytes.
    if js_string_length(&url).is_some_and(|length| length > MAX_URL_LEN) {
        let message = format!("url is over {MAX_URL_LEN} characters; at most {MAX_URL_LEN} bytes are accepted");
        return Err(to_js_error(ThreeDsError::new(ErrorCode::TooLarge, message)));
    }
    if js_string_length(&method).is_some_and(|length| length > MAX_METHOD_LEN) {
        return Err(to_js_error(ThreeDsError::invalid("method", "GET or POST")));
    }
    let line = RequestLine { method: method.as_string().unwrap_or_default(), url };
    let source = body_source(request, &line.method)?;
    Ok((line, source))
}

fn body_source(request: &FetchRequest, method: &str) -> JsResult<BodySource> {
    // A length of more digits than a usize holds is over the limit too, not a length to ignore.
    let declared_length = CONTENT_LENGTH.with(|name| header(request, name))?.and_then(|l| {
        let digits = l.trim();
        (!digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()))
            .then(|| digits.parse::<usize>().unwrap_or(usize::MAX))
    });
    if declared_length.is_some_and(|l| l > MAX_FORM_LEN) {
        return Err(to_js_error(too_large_body(MAX_FORM_LEN)));
    }
    if method.eq_ignore_ascii_case("GET") || method.eq_ignore_ascii_case("HEAD") {
        return Ok(BodySource::Empty);
    }
    if declared_length.is_none() {
        match request.body() {
            // An object with no `body` member at all is a Request-like of a framework's making, and its
            // `text()` is all it has to give (read as empty, its return would be some other provider's, or
            // untrusted). What that gives is measured before it is copied into wasm ([`AFTER_BODY`]).
            Ok(body) if body.is_undefined() => {}
            // A real Request's body: null (none) or a stream, read chunk by chunk up to the limit.
            _ => return Ok(BodySource::Chunked),
        }
    }
    request.text().map(|text| BodySource::Whole(body_promise(text))).map_err(|_| unreadable_body())
}

/// A promise of `result`, made with the Promise constructor (see [`rejected`]).
fn settled(result: JsResult<JsValue>) -> js_sys::Promise {
    match result {
        Ok(value) => promise_of(&value),
        Err(error) => rejected(&error),
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
        content_type: CONTENT_TYPE.with(|name| header(request, name))?,
    };
    to_js(&providers::parse_return(&request, options).map_err(to_js_error)?)
}

/// A header of a Fetch Request, through its `headers.get`; None when it cannot be read. A value over
/// [`MAX_HEADER_LEN`] is refused before it is copied into wasm memory.
fn header(request: &FetchRequest, name: &JsValue) -> JsResult<Option<String>> {
    let Some(value) = request.headers().ok().and_then(|headers| headers.get(name).ok()) else { return Ok(None) };
    if js_string_length(&value).is_some_and(|length| length > MAX_HEADER_LEN) {
        let name = name.as_string().unwrap_or_default();
        let message = format!("the request's {name} header is over {MAX_HEADER_LEN} characters");
        return Err(to_js_error(ThreeDsError::new(ErrorCode::TooLarge, message)));
    }
    Ok(value.as_string())
}

/// The longest method read: GET, POST and HEAD are all a return can be.
const MAX_METHOD_LEN: usize = 16;

/// The longest header value read: no content type or length of a return comes near it.
const MAX_HEADER_LEN: usize = 1024;

fn unreadable_body() -> JsValue {
    to_js_error(ThreeDsError::invalid("request", "a Fetch Request with a readable body"))
}

fn too_large_body(limit: usize) -> ThreeDsError {
    ThreeDsError::new(ErrorCode::TooLarge, format!("the request body is over {limit} bytes"))
}

/// Reads a Fetch Request's body chunk by chunk, cancelling it as soon as it passes `limit` bytes: a chunked
/// body with no Content-Length is never buffered whole. Decoded as `Request.text()` does (UTF-8, lossy).
/// Every call on the caller's objects is caught, and every promise they give is adopted by one of this realm
/// ([`promise_of`]): a hostile stream is a typed rejection, never an exception thrown through the module.
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
        // A promise of our own to wait on (JsFuture calls its `then`).
        let promise = promise_of(&read.call0(&reader).map_err(|_| unreadable_body())?);
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
