//! Crash safety: `keyward add` processes are killed with SIGKILL at random moments. After every
//! round the vault still opens and holds every key whose `add` had reported success, and no
//! half-written file is ever in the vault's place.

use keyward_e2e::TestVault;
use std::process::Stdio;
use std::time::Instant;

const ROUNDS: usize = 60;

#[test]
fn sigkill_at_random_moments_never_loses_a_saved_key() {
    let v = TestVault::new();
    let seed = std::env::var("CRASH_SEED").ok().and_then(|s| s.parse().ok()).unwrap_or_else(|| fastrand::u64(..));
    println!("seed {seed} (set CRASH_SEED to replay)");
    let mut rng = fastrand::Rng::with_seed(seed);

    // How long one add takes here, so that kills land before, during and after the write.
    let start = Instant::now();
    v.ok(&["add", "warm-up"], Some("sk-warm-up"));
    let typical = start.elapsed();
    let mut saved = vec!["warm-up".to_string()];
    let (mut killed, mut finished) = (0, 0);

    for round in 0..ROUNDS {
        let name = format!("key-{round}");
        let mut child = v
            .command(&["add", &name])
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        {
            use std::io::Write;
            let mut stdin = child.stdin.take().unwrap();
            stdin.write_all(format!("sk-value-{round}").as_bytes()).unwrap();
        }
        let delay = typical.mul_f64(rng.f64() * 1.5);
        std::thread::sleep(delay);
        let _ = child.kill(); // SIGKILL; harmless if it already exited
        let status = child.wait().unwrap();
        if status.success() {
            saved.push(name);
            finished += 1;
        } else {
            killed += 1;
        }

        // The vault opens and keeps everything that was reported saved.
        let names = v.names();
        for s in &saved {
            assert!(names.contains(s), "round {round} (seed {seed}): {s} was lost; vault has {names:?}");
        }
    }
    println!("{killed} killed, {finished} finished, typical add {typical:?}");
    assert!(killed >= ROUNDS / 10, "too few adds were interrupted ({killed}); the test did not test much");

    // The next successful write cleans up temp files left by killed writers (one is planted, in
    // case no kill landed inside a write).
    std::fs::write(v.dir.path().join(".vault.age.tmp-1-planted"), b"half a vault").unwrap();
    v.ok(&["add", "after"], Some("sk-after"));
    let leftovers: Vec<String> = std::fs::read_dir(v.dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains(".tmp-"))
        .collect();
    assert!(leftovers.is_empty(), "temp files left: {leftovers:?}");
}
