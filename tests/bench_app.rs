//! Helpers of scripts/bench-app.sh, which measures the real app:
//!
//! - `bench-app make-vault PATH KEYS`: a realistic vault (keyward-core's sample) with the
//!   passphrase in $BENCH_PASSPHRASE, at the default work factor.
//! - `bench-app search PATH`: unlocks PATH in the release app (WebDriver, under its own Xvfb),
//!   types search words one key at a time like a person, and prints the time from each
//!   keystroke to the filtered list painted: measured in the page, from the keydown event's time
//!   stamp to the first task after the next frame (which runs once the frame was painted).

use keyward_core::{SecretString, Vault};
use keyward_e2e::webdriver::{Driver, connect, find, wait_for_text};
use keyward_e2e::x11::Xvfb;
use std::time::Duration;

fn passphrase() -> String {
    std::env::var("BENCH_PASSPHRASE").unwrap_or_else(|_| "bench passphrase".into())
}

fn make_vault(path: &str, keys: usize) {
    let mut vault = Vault::create(
        std::path::Path::new(path),
        SecretString::from(passphrase()),
        keyward_core::document::DEFAULT_WORK_FACTOR,
    )
    .expect("create the vault");
    vault.document_mut().entries = keyward_core::sample::document(keys).entries;
    vault.save().expect("save the vault");
}

/// Records, in the page, keystroke → painted times of the search field.
const RECORDER: &str = "window.__times = [];\
    document.querySelector('#search').addEventListener('keydown', (e) => {\
      if (e.key.length !== 1 && e.key !== 'Backspace') return;\
      const t0 = e.timeStamp;\
      requestAnimationFrame(() => setTimeout(() => window.__times.push(performance.now() - t0), 0));\
    }, true);";

async fn search(path: &str) {
    let x = Xvfb::start();
    let home = tempfile::tempdir().unwrap();
    let driver = Driver::start(&x.display, home.path(), std::path::Path::new(path));
    let c = connect(&driver).await;
    find(&c, "#passphrase").await.send_keys(&passphrase()).await.unwrap();
    find(&c, "#submit").await.click().await.unwrap();
    let keys = Vault::open(std::path::Path::new(path), keyward_core::Unlock::Passphrase(passphrase().into()))
        .expect("open the vault")
        .document()
        .entries
        .len();
    wait_for_text(&c, &format!("{keys} keys")).await;
    c.execute(RECORDER, vec![]).await.unwrap();
    let field = find(&c, "#search").await;
    // Words a person would type: a provider, a number, an environment and tag, then no match;
    // each word is erased key by key (Backspace) before the next.
    for word in ["anthropic", "4711", "staging team-3", "nothing-matches"] {
        for key in word.chars().map(String::from).chain(std::iter::repeat_n("\u{E003}".to_string(), word.len())) {
            field.send_keys(&key).await.unwrap();
            tokio::time::sleep(Duration::from_millis(120)).await;
        }
    }
    tokio::time::sleep(Duration::from_millis(300)).await;
    let times = c.execute("return window.__times", vec![]).await.unwrap();
    let mut times: Vec<f64> = times.as_array().unwrap().iter().filter_map(|t| t.as_f64()).collect();
    times.sort_by(f64::total_cmp);
    let at = |q: f64| times[((times.len() - 1) as f64 * q).round() as usize];
    println!(
        "search with {keys} keys: {} keystrokes, keystroke to painted median {:.1} ms, p90 {:.1} ms, max {:.1} ms",
        times.len(),
        at(0.5),
        at(0.9),
        at(1.0)
    );
    c.close().await.unwrap();
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.iter().map(String::as_str).collect::<Vec<_>>()[..] {
        ["make-vault", path, keys] => make_vault(path, keys.parse().expect("a number of keys")),
        ["search", path] => search(path).await,
        _ => {
            eprintln!("usage: bench-app make-vault PATH KEYS | bench-app search PATH");
            std::process::exit(2);
        }
    }
}
