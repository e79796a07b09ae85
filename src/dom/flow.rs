//! What both browser flows share: a guard that owns the flow's elements and listeners and removes them
//! all when dropped (whatever ended the flow), and the three event sources that race to settle it.

use js_sys::{Reflect, JSON};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{
    AbortSignal, Element, Event, HtmlIFrameElement, MessageEvent, MutationObserver, MutationObserverInit, ShadowRoot,
    Window,
};

use super::elements::remove;
use super::settle::Settle;
use crate::core::error::{ErrorCode, Result, ThreeDsError};
use crate::core::flow::Verdict;
use crate::core::json;
use crate::core::notification::{Envelope, NotificationResult, MAX_ENVELOPE_JSON, PROTOCOL};

/// How a flow ended.
pub enum Ending {
    /// A verified notification message.
    Notified(NotificationResult),
    /// The time limit passed first.
    TimedOut,
    /// The caller's AbortSignal fired first.
    Aborted,
    /// The page removed or moved the flow's iframe, which ends the page in it: nothing can notify the flow.
    FrameLost,
}

/// What a flow waits for: a message from `origin`, from the window of `frame`, that `verdict` accepts.
pub struct Expectation {
    /// The notification URL's origin.
    pub origin: String,
    /// The transaction the message must name.
    pub three_ds_server_trans_id: String,
    /// The flow's rule for results.
    pub verdict: fn(NotificationResult, &str) -> Verdict,
}

type MessageListener = Closure<dyn FnMut(MessageEvent)>;
type AbortListener = Closure<dyn FnMut(Event)>;
type FrameWatch = Closure<dyn FnMut()>;

/// Owns one flow's elements and listeners; dropping it removes every one of them.
pub struct FlowGuard {
    window: Window,
    elements: Vec<Element>,
    message: Option<MessageListener>,
    abort: Option<(AbortSignal, AbortListener)>,
    frame_watch: Option<(MutationObserver, FrameWatch)>,
    timer: Option<Timer>,
}

impl FlowGuard {
    /// A guard for a flow in `window`.
    pub fn new(window: Window) -> Self {
        FlowGuard { window, elements: Vec::new(), message: None, abort: None, frame_watch: None, timer: None }
    }

    /// Removes `element` from the page when the flow ends.
    pub fn own(&mut self, element: Element) {
        self.elements.push(element);
    }

    /// Starts the sources that race to settle the flow: the message listener (for `frame`'s window only), the
    /// timer, the abort signal, and a watch on the frame (a customer closing a modal removes it, a framework
    /// re-rendering may move it, which reloads it empty: either way the flow ends at once, not at its time
    /// limit, ten minutes away for a challenge).
    pub fn race(
        &mut self,
        frame: &HtmlIFrameElement,
        expectation: Expectation,
        timeout_ms: u32,
        signal: Option<AbortSignal>,
        settle: Settle<Ending>,
    ) -> Result<()> {
        let frame_window: JsValue = frame
            .content_window()
            .ok_or_else(|| {
                ThreeDsError::new(
                    ErrorCode::UnsupportedEnvironment,
                    "the iframe has no window (is the container in the document?)",
                )
            })?
            .into();
        let watched = frame.clone();
        let watched_window = frame_window.clone();
        let on_change = settle.clone();
        let watch = FrameWatch::new(move || {
            if !watched.is_connected() || watched.content_window().map(JsValue::from).as_ref() != Some(&watched_window)
            {
                on_change.settle(Ending::FrameLost);
            }
        });
        let observer = MutationObserver::new(watch.as_ref().unchecked_ref())
            .map_err(|_| ThreeDsError::new(ErrorCode::UnsupportedEnvironment, "the page refused a MutationObserver"))?;
        let options = MutationObserverInit::new();
        options.set_child_list(true);
        options.set_subtree(true);
        // The document does not see into shadow trees: each shadow root the frame is in is watched too (a
        // checkout component with its own shadow DOM), up to the document.
        let mut root = frame.get_root_node();
        loop {
            let _ = observer.observe_with_options(&root, &options);
            match root.dyn_ref::<ShadowRoot>() {
                Some(shadow) => root = shadow.host().get_root_node(),
                None => break,
            }
        }
        self.frame_watch = Some((observer, watch));

        let on_message = settle.clone();
        let listener = MessageListener::new(move |event: MessageEvent| {
            // Only our notification page, in our iframe, for our transaction; anything else is left alone
            // for whoever else listens (no stopPropagation, no preventDefault).
            if event.origin() != expectation.origin {
                return;
            }
            if event.source().map(JsValue::from).as_ref() != Some(&frame_window) {
                return;
            }
            let Some(result) = read_envelope(&event.data()) else { return };
            if let Verdict::Settle(result) = (expectation.verdict)(result, &expectation.three_ds_server_trans_id) {
                on_message.settle(Ending::Notified(result));
            }
        });
        self.window
            .add_event_listener_with_callback("message", listener.as_ref().unchecked_ref())
            .map_err(|_| ThreeDsError::new(ErrorCode::UnsupportedEnvironment, "the page refused a message listener"))?;
        self.message = Some(listener);

        if let Some(signal) = signal {
            let on_abort = settle.clone();
            let listener = AbortListener::new(move |_: Event| {
                on_abort.settle(Ending::Aborted);
            });
            let _ = signal.unchecked_ref::<RealSignal>().add_listener("abort", listener.as_ref().unchecked_ref());
            self.abort = Some((signal, listener));
        }

        self.timer = Some(Timer::start(&self.window, timeout_ms, move || {
            settle.settle(Ending::TimedOut);
        })?);
        Ok(())
    }
}

impl Drop for FlowGuard {
    fn drop(&mut self) {
        self.timer.take();
        if let Some((observer, _)) = self.frame_watch.take() {
            observer.disconnect();
        }
        if let Some(listener) = self.message.take() {
            let _ = self.window.remove_event_listener_with_callback("message", listener.as_ref().unchecked_ref());
        }
        if let Some((signal, listener)) = self.abort.take() {
            let _ = signal.unchecked_ref::<RealSignal>().remove_listener("abort", listener.as_ref().unchecked_ref());
        }
        for element in self.elements.drain(..) {
            remove(&element);
        }
    }
}

/// A `setTimeout` that is cleared when dropped.
struct Timer {
    window: Window,
    handle: i32,
    _callback: Closure<dyn FnMut()>,
}

impl Timer {
    fn start(window: &Window, ms: u32, callback: impl FnOnce() + 'static) -> Result<Self> {
        let callback = Closure::once(callback);
        // `ms` is at most a day (core::flow), well inside setTimeout's i32.
        let handle = window
            .set_timeout_with_callback_and_timeout_and_arguments_0(callback.as_ref().unchecked_ref(), ms as i32)
            .map_err(|_| ThreeDsError::new(ErrorCode::UnsupportedEnvironment, "the page refused a timer"))?;
        Ok(Timer { window: window.clone(), handle, _callback: callback })
    }
}

impl Drop for Timer {
    fn drop(&mut self) {
        self.window.clear_timeout_with_handle(self.handle);
    }
}

/// Reads a posted message as one of ours, or None. Cheap checks first, so that other libraries'
/// messages cost almost nothing; then a JSON round trip, which also refuses cyclic or exotic data
/// without recursing through it.
fn read_envelope(data: &JsValue) -> Option<NotificationResult> {
    if !data.is_object() {
        return None;
    }
    if Reflect::get(data, &"protocol".into()).ok()?.as_string()? != PROTOCOL {
        return None;
    }
    read_posted_result(data).ok()
}

/// The result of a message of ours (its `protocol` checked), read as the merchant page reads it, or the error
/// it is refused with. The notification responder runs the page's message through this too, in the same
/// engine's JSON, so that what the page posts is never a message the merchant page ignores.
pub(crate) fn read_posted_result(data: &JsValue) -> Result<NotificationResult> {
    let unreadable = || ThreeDsError::new(ErrorCode::InvalidJson, "the posted result is not plain JSON data");
    let json = JSON::stringify(data).map_err(|_| unreadable())?;
    if json.length() as usize > MAX_ENVELOPE_JSON {
        return Err(ThreeDsError::new(
            ErrorCode::TooLarge,
            format!("the posted result is over {MAX_ENVELOPE_JSON} characters as JSON"),
        ));
    }
    // The envelope wraps a CRes that may itself nest to the payload limit.
    let value =
        json::parse_nested(&String::from(json), json::MAX_DEPTH + json::WRAPPING_DEPTH).map_err(|_| unreadable())?;
    Envelope::read_result(&value)
}

#[wasm_bindgen]
extern "C" {
    // The signal's getter and listener methods of its classes themselves (`final`: taken from the prototype and
    // called on the signal), catching: a signal whose own `aborted` or `addEventListener` the page replaced
    // neither lies to a flow nor throws inside it, where the exception would stall the flows queued behind it.
    /// An AbortSignal, read through its class's own members.
    #[wasm_bindgen(js_name = AbortSignal)]
    pub type RealSignal;
    /// `AbortSignal.prototype.aborted`'s getter, called on the signal; throws for anything but a real signal.
    #[wasm_bindgen(method, getter, final, catch)]
    pub fn aborted(this: &RealSignal) -> core::result::Result<bool, JsValue>;
    #[wasm_bindgen(method, final, catch, js_class = "EventTarget", js_name = addEventListener)]
    fn add_listener(this: &RealSignal, kind: &str, listener: &js_sys::Function) -> core::result::Result<(), JsValue>;
    #[wasm_bindgen(method, final, catch, js_class = "EventTarget", js_name = removeEventListener)]
    fn remove_listener(this: &RealSignal, kind: &str, listener: &js_sys::Function)
        -> core::result::Result<(), JsValue>;
}

/// An AbortSignal that has already fired. The signal is a real one (checked where options are read).
pub fn already_aborted(signal: &Option<AbortSignal>) -> bool {
    signal.as_ref().is_some_and(|signal| signal.unchecked_ref::<RealSignal>().aborted().unwrap_or(true))
}

/// The error for an aborted flow.
pub fn aborted_error(function: &str) -> ThreeDsError {
    ThreeDsError::new(ErrorCode::Aborted, format!("{function} was aborted by its signal"))
}

/// The error for a flow whose iframe the page removed or moved.
pub fn frame_lost_error(function: &str) -> ThreeDsError {
    ThreeDsError::new(
        ErrorCode::Aborted,
        format!("{function} was aborted: the page removed or moved its iframe, which ends the page in it"),
    )
}
