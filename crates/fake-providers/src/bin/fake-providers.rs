//! Runs the fake providers as a process (for whole-app benchmarks and manual tries):
//! `fake-providers [LATENCY_MS]` prints `http://127.0.0.1:PORT` and serves until killed.

fn main() {
    let latency: u64 = std::env::args().nth(1).and_then(|a| a.parse().ok()).unwrap_or(0);
    let server = fake_providers::FakeProviders::start();
    server.set_latency(std::time::Duration::from_millis(latency));
    println!("http://{}", server.addr());
    loop {
        std::thread::park();
    }
}
