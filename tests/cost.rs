//! The cost test: every core entry point that takes caller data, fed worst-case shapes at its size limit
//! (tests/cost/shapes.rs), may allocate and hold at most a small multiple of its input. Work is counted by a
//! counting allocator, never by the clock: the machines are shared and noisy. Times are printed by
//! `cargo bench --bench cost` instead.
#![cfg(not(target_arch = "wasm32"))]

#[macro_use]
#[path = "support/json.rs"]
mod json_syntax;

#[path = "cost/shapes.rs"]
mod shapes;

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering::Relaxed};

/// Counts every byte allocated (the work) and the most bytes live at once (the peak).
struct Counting;

static ALLOCATED: AtomicUsize = AtomicUsize::new(0);
static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

fn grew(bytes: usize) {
    ALLOCATED.fetch_add(bytes, Relaxed);
    let live = LIVE.fetch_add(bytes, Relaxed) + bytes;
    PEAK.fetch_max(live, Relaxed);
}

// SAFETY: every call is forwarded unchanged to the system allocator; the counters only observe.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        grew(layout.size());
        System.alloc(layout)
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        LIVE.fetch_sub(layout.size(), Relaxed);
        System.dealloc(ptr, layout)
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        LIVE.fetch_sub(layout.size(), Relaxed);
        grew(new_size);
        System.realloc(ptr, layout, new_size)
    }
}

#[global_allocator]
static COUNTING: Counting = Counting;

/// What an entry point may cost for an input of `size` bytes: a small multiple of it, plus a constant for
/// fixed tables and buffers. The worst shapes are JSON payloads of tiny values (`[{},{},...]`: each value is
/// a few dozen bytes as a JSON value for 4 bytes of base64) and the inspector, which keeps both the decoded payload and
/// its description.
const WORK_PER_INPUT_BYTE: usize = 40;
const PEAK_PER_INPUT_BYTE: usize = 20;
const CONSTANT: usize = 256 * 1024;

/// How long one shape may run before the test calls it a hang: a detector with a margin of thousands (the
/// slowest shape takes milliseconds), so that a quadratic regression fails naming its shape instead of
/// running for hours; speed itself is measured by `cargo bench --bench cost`.
const HANG: std::time::Duration = std::time::Duration::from_secs(120);

// One test function: the counters are process-wide, and other tests running beside it would count too.
#[test]
fn every_entry_point_costs_a_small_multiple_of_its_input() {
    let (started, watched) = std::sync::mpsc::channel::<Option<String>>();
    let watchdog = std::thread::spawn(move || {
        let mut current = String::new();
        loop {
            match watched.recv_timeout(HANG) {
                Ok(Some(name)) => current = name,
                Ok(None) | Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => return,
                Err(std::sync::mpsc::RecvTimeoutError::Timeout) => {
                    eprintln!("cost test: {current} ran for over {} s: a hang (quadratic work?)", HANG.as_secs());
                    std::process::exit(1);
                }
            }
        }
    });
    let mut over = Vec::new();
    let mut worst = (0.0f64, 0.0f64);
    for shape in shapes::all() {
        let _ = started.send(Some(shape.name.clone()));
        let before = (ALLOCATED.load(Relaxed), LIVE.load(Relaxed));
        PEAK.store(before.1, Relaxed);
        (shape.run)();
        let work = ALLOCATED.load(Relaxed) - before.0;
        let peak = PEAK.load(Relaxed) - before.1;
        let (work_ratio, peak_ratio) = (work as f64 / shape.size as f64, peak as f64 / shape.size as f64);
        worst = (worst.0.max(work_ratio), worst.1.max(peak_ratio));
        println!(
            "{:>8} B in  {:>10} B allocated ({work_ratio:>5.1}x)  {:>9} B peak ({peak_ratio:>4.1}x)  {}",
            shape.size, work, peak, shape.name
        );
        if work > WORK_PER_INPUT_BYTE * shape.size + CONSTANT || peak > PEAK_PER_INPUT_BYTE * shape.size + CONSTANT {
            over.push(format!("{}: {work} B allocated, {peak} B peak for {} B of input", shape.name, shape.size));
        }
    }
    let _ = started.send(None);
    let _ = watchdog.join();
    println!("worst: {:.1}x allocated, {:.1}x peak", worst.0, worst.1);
    assert!(over.is_empty(), "over budget:\n{}", over.join("\n"));
}
