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

pub use flow::RealSignal;
