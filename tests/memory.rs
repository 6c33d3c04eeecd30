//! After locking, the app's main process holds no secret: the real app under Xvfb unlocks a
//! vault of known keys, lists, copies, checks (against the fake providers on 127.0.0.1) and
//! reveals them, locks, and then every readable page of the
//! process is read through /proc/PID/mem (what `gcore` would dump), where none of the keys nor
//! the passphrase may be found, as UTF-8 or UTF-16.
//!
//! Without the wiping allocator (src-tauri/src/main.rs) this fails: the HTTP request heads of
//! the checks and the vault's JSON stay in freed memory.

use fake_providers::FakeProviders;
use keyward_e2e::webdriver::*;
use keyward_e2e::x11::Xvfb;
use keyward_e2e::{PASSPHRASE, TestVault, require_tool};

/// Distinct keys, long enough that finding one by chance is impossible.
const KEYS: [(&str, &str, &str); 3] = [
    ("openai-memory", "openai", "sk-proj-MemoryTestOpenAI7c1f9a2be4d85036a9f1c2e7b4d0"),
    ("anthropic-memory", "anthropic", "sk-ant-api03-MemoryTestAnthropic5e8d2c9b1a7f40e3d6c"),
    ("groq-memory", "groq", "gsk_MemoryTestGroq3b9e7d1c5a2f8046e1d9c3b7a5f2e"),
];

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn after_locking_the_main_process_holds_none_of_the_keys() {
    require_tool("xclip");
    let x = Xvfb::start();
    let providers = FakeProviders::start();
    let v = TestVault::new();
    for (name, provider, key) in KEYS {
        v.ok(&["add", name, "--provider", provider, "--base-url", &providers.base_url(provider)], Some(key));
    }
    let driver = Driver::start(&x.display, v.dir.path(), &v.path);
    let c = connect(&driver).await;

    // Unlock, list, copy one key, check them all.
    // Typed without reading the field back: WebDriver would copy the passphrase into the main process.
    find(&c, "#passphrase").await.send_keys(PASSPHRASE).await.unwrap();
    find(&c, "#submit").await.click().await.unwrap();
    for (name, _, _) in KEYS {
        find(&c, &format!("li[data-name='{name}']")).await;
    }
    // A key revealed in the window passes through the main process too.
    // (Shown, then hidden. The page's text is not read here: WebDriver would copy it into the
    // main process itself.)
    find(&c, "button[aria-label='Reveal anthropic-memory']").await.click().await.unwrap();
    find(&c, "button[aria-label='Hide anthropic-memory']").await.click().await.unwrap();
    find(&c, "button[aria-label='Reveal anthropic-memory']").await;
    find(&c, "button[aria-label='Copy openai-memory']").await.click().await.unwrap();
    x.wait_for_clipboard(KEYS[0].2);
    find(&c, "#check-all").await.click().await.unwrap();
    find(&c, "#cancel-checks").await;
    wait_gone(&c, "#cancel-checks").await;
    for (_, _, key) in KEYS {
        assert!(
            providers.requests().iter().any(|r| r.headers.iter().any(|(_, value)| value.contains(key))),
            "a key was not checked"
        );
    }

    // The search works: while unlocked, the keys are in memory and are found.
    let pid = app_pid(&v.path);
    let plain: Vec<&[u8]> = KEYS.iter().map(|(_, _, key)| key.as_bytes()).collect();
    let (unlocked, _) = find_in_memory(pid, &plain);
    for (i, (name, _, _)) in KEYS.iter().enumerate() {
        assert!(unlocked.iter().any(|(n, _)| *n == i), "{name}'s key was not found while unlocked");
    }

    // Lock.
    find(&c, "#lock").await.click().await.unwrap();
    wait_for_text(&c, "Unlock Keyward").await;
    assert_eq!(invoke(&c, "list_entries").await, "error: The vault is locked.");

    // Dump the app's main process and look for every key.
    // Each secret as UTF-8 (Rust, C) and as UTF-16 (WebKit's strings).
    let mut secrets: Vec<(&str, &str)> = KEYS.iter().map(|(name, _, key)| (*name, *key)).collect();
    secrets.push(("the passphrase", PASSPHRASE));
    let mut needles: Vec<(&str, Vec<u8>)> = Vec::new();
    for (label, secret) in &secrets {
        needles.push((label, secret.as_bytes().to_vec()));
        needles.push((label, secret.encode_utf16().flat_map(u16::to_le_bytes).collect()));
    }
    let patterns: Vec<&[u8]> = needles.iter().map(|(_, n)| n.as_slice()).collect();
    // WebKit's own allocator (which carries a revealed key and the typed passphrase between the
    // window and Rust) returns its freed pages when its scavenger runs, usually about 1 s after
    // locking: read again every half second until a read finds nothing, for up to 30 s. What
    // Rust frees is wiped at once. Known to fail about 1 run in 10: a revealed key's copy can
    // stay in memory no wiping covers (docs/security.md, "Open defect"); not hidden here.
    let locked = std::time::Instant::now();
    let (mut found, mut scanned) = find_in_memory(pid, &patterns);
    while !found.is_empty() && locked.elapsed() < std::time::Duration::from_secs(30) {
        tokio::time::sleep(std::time::Duration::from_millis(500)).await;
        (found, scanned) = find_in_memory(pid, &patterns);
    }
    eprintln!("read {} MB of the app's memory; clean after {:?}", scanned >> 20, locked.elapsed());
    let found: Vec<String> = found.iter().map(|(i, place)| format!("{} in {place}", needles[*i].0)).collect();
    assert!(found.is_empty(), "after locking, the app's memory ({} MB read) still holds: {found:#?}", scanned >> 20);
    c.close().await.unwrap();
    let mut logged: Vec<&str> = KEYS.iter().map(|(_, _, key)| *key).collect();
    logged.push(PASSPHRASE);
    driver.assert_output_free_of(&logged);
}

/// Where each needle lies in the process's memory: every page the process has in RAM (read
/// through `/proc/PID/pagemap` and `/proc/PID/mem`, with the process stopped), as
/// `(needle index, mapping and address)` for each copy; and how many bytes were read.
fn find_in_memory(pid: u32, needles: &[&[u8]]) -> (Vec<(usize, String)>, usize) {
    use std::os::unix::fs::FileExt;
    const PAGE: u64 = 4096;
    let maps = std::fs::read_to_string(format!("/proc/{pid}/maps")).unwrap();
    let mem = std::fs::File::open(format!("/proc/{pid}/mem")).unwrap();
    let pagemap = std::fs::File::open(format!("/proc/{pid}/pagemap")).unwrap();
    let _stopped = Stopped::new(pid);
    let (mut found, mut scanned) = (Vec::new(), 0);
    for line in maps.lines() {
        let fields: Vec<&str> = line.split_whitespace().collect();
        let (range, perms, name) = (fields[0], fields[1], fields.get(5).copied().unwrap_or("[anonymous]"));
        if !perms.starts_with('r') || name.starts_with("[vvar") || name == "[vsyscall]" {
            continue;
        }
        let (start, end) = range.split_once('-').unwrap();
        let (start, end) = (u64::from_str_radix(start, 16).unwrap(), u64::from_str_radix(end, 16).unwrap());
        // Which pages are in RAM (bit 63 of each 8-byte entry): WebKit reserves tens of GB it
        // never touches, and those pages hold nothing.
        let mut entries = vec![0u8; ((end - start) / PAGE * 8) as usize];
        pagemap.read_exact_at(&mut entries, start / PAGE * 8).unwrap();
        let present: Vec<bool> = entries.chunks(8).map(|e| e[7] & 0x80 != 0).collect();
        // Runs of pages in RAM, read in one piece so that a copy across pages is found.
        let mut page = 0;
        while page < present.len() {
            if !present[page] {
                page += 1;
                continue;
            }
            let first = page;
            while page < present.len() && present[page] {
                page += 1;
            }
            let at = start + first as u64 * PAGE;
            let mut buf = vec![0u8; (page - first) * PAGE as usize];
            if mem.read_exact_at(&mut buf, at).is_err() {
                continue; // device memory and the like
            }
            scanned += buf.len();
            for (i, needle) in needles.iter().enumerate() {
                for hit in memchr::memmem::find_iter(&buf, needle) {
                    found.push((i, format!("{name} at {:#x}", at + hit as u64)));
                }
            }
        }
    }
    (found, scanned)
}

/// SIGSTOP while alive, SIGCONT when dropped: memory is read as one consistent snapshot.
struct Stopped(u32);

impl Stopped {
    fn new(pid: u32) -> Stopped {
        assert!(std::process::Command::new("kill").args(["-STOP", &pid.to_string()]).status().unwrap().success());
        Stopped(pid)
    }
}

impl Drop for Stopped {
    fn drop(&mut self) {
        let _ = std::process::Command::new("kill").args(["-CONT", &self.0.to_string()]).status();
    }
}
