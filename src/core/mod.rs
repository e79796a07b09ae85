//! The pure core: codecs, checks and interpretation. Only std and the integrity checks' hashes; no
//! web-sys, no js-sys, so everything here builds and tests on the host and runs unchanged in a worker or an
//! edge runtime.
//!
//! It reads attacker-controlled bytes, so it holds no unsafe code: safety rests on the compiler, and the fuzz
//! targets run without a sanitizer (Makefile).
#![forbid(unsafe_code)]

pub mod action;
pub mod base64;
pub mod browser_info;
pub mod creq;
pub mod cres;
pub mod error;
pub mod fields;
pub mod flow;
pub mod form;
pub mod html_form;
pub mod html_tokens;
pub mod inspect;
pub mod integrity;
pub mod interpret;
pub mod json;
pub mod method;
pub mod notification;
pub mod outcome;
pub mod payload;
pub mod providers;
pub mod session_data;
pub mod url;
pub mod window;
