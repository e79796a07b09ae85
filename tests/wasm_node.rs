//! The shared wasm suite in Node.
#![cfg(target_arch = "wasm32")]

mod common;
