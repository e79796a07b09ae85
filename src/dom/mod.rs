//! The one module that touches the DOM: `window`, `document`, iframes, forms and `postMessage`. Everything
//! else in the crate runs without a window (Node, workers, workerd).

pub mod browser_info;
pub mod challenge;
mod elements;
mod flow;
pub mod method;
mod names;
pub mod navigate;
pub mod notify;
mod permissions;
mod settle;

/// The responder (full build) checks its page's message as the merchant page will read it.
#[cfg(feature = "full")]
pub(crate) use flow::read_posted_result;
pub use flow::RealSignal;
