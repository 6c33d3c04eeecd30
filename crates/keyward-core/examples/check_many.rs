//! Whole-run figure for many key checks: 200 keys against a local fake provider that answers
//! after 100 ms, with the default concurrency. Prints wall time, the ideal for that concurrency
//! and the ratio. Run: `cargo run --release -p keyward-core --example check_many`
//! (scripts/bench-checks.sh also measures peak memory of the real CLI doing the same).

use fake_providers::FakeProviders;
use keyward_core::Secret;
use keyward_core::check::{Cancel, CheckJob, CheckOptions, Checker};
use std::time::{Duration, Instant};

fn main() {
    let keys: usize = std::env::args().nth(1).and_then(|a| a.parse().ok()).unwrap_or(200);
    let latency = Duration::from_millis(100);
    let server = FakeProviders::start();
    server.set_latency(latency);
    let options = CheckOptions::default();
    let per_host = options.per_host;
    let checker = Checker::new(options).unwrap();
    let jobs: Vec<CheckJob> = (0..keys)
        .map(|i| CheckJob {
            entry_id: i.to_string(),
            name: format!("key-{i}"),
            provider: "openai".into(),
            secret: Secret::new(format!("sk-proj-bench-{i}")),
            base_url: Some(server.base_url("openai")),
            organization: None,
            project: None,
        })
        .collect();
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let started = Instant::now();
    let reports = runtime.block_on(checker.check_many(jobs, &Cancel::default(), |_| {}));
    let wall = started.elapsed();
    // All keys share one host here, so the per-host bound is the concurrency that applies.
    let ideal = latency * u32::try_from(keys.div_ceil(per_host)).unwrap();
    println!(
        "{} keys, {} checked, concurrency {per_host} (per host): wall {:.2} s, ideal {:.2} s, ratio {:.3}",
        keys,
        reports.len(),
        wall.as_secs_f64(),
        ideal.as_secs_f64(),
        wall.as_secs_f64() / ideal.as_secs_f64()
    );
}
