//! The 3DS Method: a hidden iframe, a form POST of `threeDSMethodData` into it, and the 10-second rule.

use web_sys::{AbortSignal, Element};

use crate::core::json::{ToJson, Value};

use super::elements::{append, form, iframe, parent, submit_and_remove, window_and_document};
use super::flow::{aborted_error, already_aborted, frame_lost_error, Ending, Expectation, FlowGuard};
use super::names::frame_name;
use super::settle::channel;
use crate::core::error::Result;
use crate::core::flow::{method_verdict, MethodRequest};

/// How the method ended: compInd for the AReq, and how long it took.
#[derive(Debug)]
pub struct MethodOutcome {
    /// "Y" notified in time, "N" not within the time limit, "U" no method URL.
    pub comp_ind: &'static str,
    /// Milliseconds from the POST to the end.
    pub elapsed_ms: u32,
}

/// Runs the 3DS Method. Settles exactly once; the iframe, form and listeners are gone when it returns.
pub async fn run(
    request: MethodRequest,
    container: Option<Element>,
    signal: Option<AbortSignal>,
) -> Result<MethodOutcome> {
    if already_aborted(&signal) {
        return Err(aborted_error("runMethod"));
    }
    let run = match request {
        MethodRequest::NoMethodUrl => return Ok(MethodOutcome { comp_ind: "U", elapsed_ms: 0 }),
        MethodRequest::Run(run) => run,
    };
    let (window, document) = window_and_document("runMethod")?;
    let parent = parent(container, &document, "runMethod")?;
    let name = frame_name("method", "runMethod")?;
    let mut guard = FlowGuard::new(window);
    // Hidden but rendered: some ACS fingerprinting scripts measure their frame.
    let style = [
        ("position", "absolute"),
        ("left", "-10000px"),
        ("width", "1px"),
        ("height", "1px"),
        ("border", "0"),
        ("visibility", "hidden"),
    ];
    // No `allow`: the method page only looks at the device. Left to the browser's defaults, a frame of another
    // origin gets neither payment nor WebAuthn, so a hidden fingerprinting page cannot start either.
    let frame = iframe(&document, &name, "3-D Secure device check", None, &style)?;
    let _ = frame.set_attribute("aria-hidden", "true");
    let _ = frame.set_attribute("tabindex", "-1");
    append(&parent, &frame)?;
    guard.own(frame.clone().into());
    let form = form(&document, "POST", &run.method_url, &name, &[("threeDSMethodData", &run.method_data)])?;
    append(&parent, &form)?;
    guard.own(form.clone().into());

    let (settle, settled) = channel();
    let expectation = Expectation {
        origin: run.notification_origin,
        three_ds_server_trans_id: run.three_ds_server_trans_id,
        verdict: method_verdict,
    };
    guard.race(&frame, expectation, run.timeout_ms, signal.clone(), settle)?;
    // The page may have aborted while the flow was being built (an iframe's load event fires as it is
    // inserted), before the abort listener was there: no POST then.
    if already_aborted(&signal) {
        return Err(aborted_error("runMethod"));
    }
    let start = js_sys::Date::now();
    submit_and_remove(&form, "method")?;
    let ending = settled.await;
    // Date.now() counts whole milliseconds; the cast saturates (a clock set back reads 0).
    let elapsed_ms = (js_sys::Date::now() - start) as u32;
    drop(guard);
    match ending {
        Ending::Notified(_) => Ok(MethodOutcome { comp_ind: "Y", elapsed_ms }),
        Ending::TimedOut => Ok(MethodOutcome { comp_ind: "N", elapsed_ms }),
        Ending::Aborted => Err(aborted_error("runMethod")),
        Ending::FrameLost => Err(frame_lost_error("runMethod")),
    }
}

impl ToJson for MethodOutcome {
    fn to_json(&self) -> Value {
        Value::object([("compInd", self.comp_ind.into()), ("elapsedMs", self.elapsed_ms.into())])
    }
}
