//! Names for the flows' frames. A form POST finds its target frame by name, and the browser hands it to the
//! first browsing context with that name, whoever owns it: a frame of another origin on the page (an ad, a
//! widget) may give its own window any name it likes. A name it cannot guess is the only thing that keeps the
//! `threeDSMethodData` and `creq` POSTs out of it, so the name carries 128 bits from the platform's CSPRNG and
//! there is no fallback to anything guessable.

use js_sys::{Reflect, Uint8Array};
use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::{JsCast, JsValue};

use crate::core::error::{ErrorCode, Result, ThreeDsError};

#[wasm_bindgen]
extern "C" {
    /// The global `crypto` (Window or worker), bound here so that nothing needs web-sys's `Window` for it.
    type Crypto;

    #[wasm_bindgen(catch, method, js_name = getRandomValues)]
    fn get_random_values(this: &Crypto, array: &Uint8Array) -> core::result::Result<JsValue, JsValue>;
}

/// `threeds-kit-<kind>-` and 32 hex digits of `crypto.getRandomValues`; `unsupported_environment` naming
/// `function` where the runtime has no `crypto.getRandomValues`.
pub fn frame_name(kind: &str, function: &str) -> Result<String> {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let unavailable = || {
        ThreeDsError::new(
            ErrorCode::UnsupportedEnvironment,
            format!("{function} needs crypto.getRandomValues to give its frame a name no other frame can take"),
        )
    };
    let crypto =
        Reflect::get(&js_sys::global(), &"crypto".into()).ok().filter(JsValue::is_object).ok_or_else(unavailable)?;
    let bytes = Uint8Array::new_with_length(16);
    crypto.unchecked_into::<Crypto>().get_random_values(&bytes).map_err(|_| unavailable())?;
    let mut name = format!("threeds-kit-{kind}-");
    for byte in bytes.to_vec() {
        name.push(char::from(HEX[usize::from(byte >> 4)]));
        name.push(char::from(HEX[usize::from(byte & 0xf)]));
    }
    Ok(name)
}
