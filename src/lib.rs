//! threeds-kit: the browser and edge half of EMV 3-D Secure 2, for any provider.
//!
//! [`core`] is pure Rust (codecs, checks, interpretation) and tests on the host; `boundary` is the one module
//! of `#[wasm_bindgen]` exports that the npm package exposes.
//!
//! ```
//! use threeds_kit::core::method::{MethodData, MethodNotification};
//!
//! let data = MethodData {
//!     three_ds_server_trans_id: "cc78c193-eaec-494f-9cf0-eb5fa3940b13".into(),
//!     notification_url: "https://merchant.example/3ds/method".into(),
//! };
//! let form_value = data.encode(); // base64url, no padding
//! assert_eq!(MethodNotification::decode(&form_value)?.three_ds_server_trans_id, data.three_ds_server_trans_id);
//! # Ok::<(), threeds_kit::core::error::ThreeDsError>(())
//! ```
#![deny(missing_docs)]

/// The browser build's allocator. A checkout page makes a few dozen small allocations per flow, so a free
/// list (sorted, coalescing) is plenty and costs about 5 KB less wasm than dlmalloc. The full build keeps
/// dlmalloc: edge workers parse bodies of up to 256 KiB, where a free list's O(n) search would show.
/// wasm32-unknown-unknown has one thread, which is what makes `AssumeSingleThreaded` sound here.
#[cfg(all(target_arch = "wasm32", not(feature = "full")))]
#[global_allocator]
static ALLOCATOR: lol_alloc::AssumeSingleThreaded<lol_alloc::FreeListAllocator> =
    // SAFETY: wasm32-unknown-unknown without the atomics feature runs on one thread.
    unsafe { lol_alloc::AssumeSingleThreaded::new(lol_alloc::FreeListAllocator::new()) };

pub mod boundary;
pub mod core;
pub mod dom;
