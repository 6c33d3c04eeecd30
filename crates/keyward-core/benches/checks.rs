//! Criterion benchmark of one key check against a local server that answers at once: what
//! Keyward adds to a provider's own latency (request building, HTTP, parsing, wording).

use criterion::{Criterion, criterion_group, criterion_main};
use fake_providers::FakeProviders;
use keyward_core::Secret;
use keyward_core::check::{CheckJob, CheckOptions, Checker};

fn one_check(c: &mut Criterion) {
    let server = FakeProviders::start();
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let checker = Checker::new(CheckOptions::default()).unwrap();
    let mut group = c.benchmark_group("check_overhead");
    for provider in ["openai", "anthropic", "gemini"] {
        let job = CheckJob {
            entry_id: "id".into(),
            name: "bench".into(),
            provider: provider.into(),
            secret: Secret::from("sk-bench-key"),
            base_url: Some(server.base_url(provider)),
            organization: None,
            project: None,
        };
        group.bench_function(provider, |b| b.iter(|| runtime.block_on(checker.check(&job))));
    }
    group.finish();
}

criterion_group!(benches, one_check);
criterion_main!(benches);
