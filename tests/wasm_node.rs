//! The shared wasm suite in Node, and the browser steps' answer where there is no window.
#![cfg(target_arch = "wasm32")]

mod common;
mod windowless;
