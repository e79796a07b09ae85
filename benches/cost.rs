//! Prints what the worst-case inputs of tests/cost/shapes.rs cost in time (the cost test asserts memory; time
//! is only ever printed, never asserted). `make bench` runs it; so does `cargo bench --bench cost`.

#[macro_use]
#[path = "../tests/support/json.rs"]
mod json_syntax;

#[path = "../tests/cost/shapes.rs"]
mod shapes;

use std::time::Instant;

fn main() {
    let mut rows: Vec<(f64, usize, String)> = shapes::all()
        .into_iter()
        .map(|shape| {
            let mut times: Vec<f64> = (0..5)
                .map(|_| {
                    let start = Instant::now();
                    (shape.run)();
                    start.elapsed().as_secs_f64() * 1000.0
                })
                .collect();
            times.sort_by(f64::total_cmp);
            (times[2], shape.size, shape.name)
        })
        .collect();
    rows.sort_by(|a, b| b.0.total_cmp(&a.0));
    println!("worst-case inputs at their size limits, median of 5 (ms), slowest first:");
    for (ms, size, name) in &rows {
        println!("{ms:>8.3} ms  {size:>7} B  {name}");
    }
}
