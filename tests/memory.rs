//! After locking, the app's main process holds no secret: the real app under Xvfb unlocks a
//! vault of known keys, lists, copies, checks (against the fake providers on 127.0.0.1) and
//! reveals them, locks, and then every readable page of the
//! process is read through /proc/PID/mem (what `gcore` would dump), where none of the keys nor
//! the passphrase may be found, as UTF-8 or UTF-16.
//!
//! Without the app's wiping `free` (src-tauri/src/wipe_on_free.rs) this fails: the HTTP request
//! heads of the checks and the vault's JSON stay in freed memory; and without WebKit told to use
//! that `free` too, a revealed key stayed in WebKit's freed IPC buffers in about 1 run in 10.

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
/// A key typed into the Add dialog (keystrokes pass through WebKit's side of the window).
const TYPED: &str = "xai-MemoryTestTypedXai8d2f6a1c9e3b7054d8a2f1c6e9b3";

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
    click(&c, "#submit").await;
    for (name, _, _) in KEYS {
        find(&c, &format!("li[data-name='{name}']")).await;
    }
    // A key typed into the Add dialog and saved. Its length is read back, never its text.
    click(&c, "#add").await;
    type_secret(&c, "#new-secret", TYPED).await;
    let name = find(&c, "#new-name").await;
    name.clear().await.unwrap();
    name.send_keys("typed-memory").await.unwrap();
    type_text(&c, "#new-base-url", &providers.base_url("xai")).await;
    click(&c, "#save").await;
    find(&c, "li[data-name='typed-memory']").await;

    // A key revealed in the window passes through the main process too.
    // (Shown, then hidden. The page's text is not read here: WebDriver would copy it into the
    // main process itself.)
    open_key(&c, "anthropic-memory").await;
    click(&c, "button[aria-label='Reveal anthropic-memory']").await;
    click(&c, "button[aria-label='Hide anthropic-memory']").await;
    find(&c, "button[aria-label='Reveal anthropic-memory']").await;
    click(&c, "button[aria-label='Copy openai-memory']").await;
    x.wait_for_clipboard(KEYS[0].2);
    click(&c, "#check-all").await;
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
    click(&c, "#lock").await;
    wait_for_text(&c, "Unlock Keyward").await;
    assert_eq!(invoke(&c, "list_entries").await, "error: locked: The vault is locked.");

    // WebKit in the app's process allocates with the system's malloc, whose `free` is the app's
    // wiping one: the app started itself again with `Malloc=1` (wipe_on_free.rs).
    let environ = std::fs::read(format!("/proc/{pid}/environ")).unwrap();
    assert!(
        environ.split(|b| *b == 0).any(|var| var == b"Malloc=1"),
        "the app runs with WebKit's own allocator, whose freed blocks are not wiped"
    );

    // Dump the app's main process and look for every key.
    // Each secret as UTF-8 (Rust, C) and as UTF-16 (WebKit's strings).
    let mut secrets: Vec<(&str, &str)> = KEYS.iter().map(|(name, _, key)| (*name, *key)).collect();
    secrets.push(("the typed key", TYPED));
    secrets.push(("the passphrase", PASSPHRASE));
    let mut needles: Vec<(String, Vec<u8>)> = Vec::new();
    for (label, secret) in &secrets {
        needles.push((format!("{label} (UTF-8)"), secret.as_bytes().to_vec()));
        needles.push((format!("{label} (UTF-16)"), secret.encode_utf16().flat_map(u16::to_le_bytes).collect()));
    }
    let patterns: Vec<&[u8]> = needles.iter().map(|(_, n)| n.as_slice()).collect();
    // Every block the app frees is wiped at once (src-tauri/src/wipe_on_free.rs), WebKit's too;
    // what is still in use when the lock returns (the clipboard's copy, being cleared) is let go
    // within about 0.3 s: read again every half second until a read finds nothing, for up to
    // 10 s. (Before WebKit used the wiping `free`, a revealed key stayed in its freed IPC
    // buffers for 30 s or more in about 1 run in 10.)
    let locked = std::time::Instant::now();
    let (mut found, mut scanned) = find_in_memory(pid, &patterns);
    while !found.is_empty() && locked.elapsed() < std::time::Duration::from_secs(10) {
        tokio::time::sleep(std::time::Duration::from_millis(500)).await;
        (found, scanned) = find_in_memory(pid, &patterns);
    }
    eprintln!("read {} MB of the app's memory; clean after {:?}", scanned >> 20, locked.elapsed());
    let found: Vec<String> = found.iter().map(|(i, place)| format!("{} in {place}", needles[*i].0)).collect();
    assert!(found.is_empty(), "after locking, the app's memory ({} MB read) still holds: {found:#?}", scanned >> 20);
    c.close().await.unwrap();
    let mut logged: Vec<&str> = KEYS.iter().map(|(_, _, key)| *key).collect();
    logged.extend([TYPED, PASSPHRASE]);
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
                    found.push((i, format!("{name} at {:#x} (mapping {range} {perms})", at + hit as u64)));
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

/// The wiping `free` does not hide a double free: glibc still stops the program. (Wiping a block
/// already in glibc's cache would erase the mark glibc recognises it by, and glibc would hand the
/// block out twice.) A library loaded into the real app frees one block twice before `main`.
#[test]
fn a_block_freed_twice_still_stops_the_app() {
    require_tool("cc");
    let dir = tempfile::tempdir().unwrap();
    let source = dir.path().join("twice.c");
    std::fs::write(
        &source,
        "#include <stdlib.h>\n#include <stdio.h>\n\
         __attribute__((constructor)) static void twice(void) {\n\
           void *p = malloc(40); free(p);\n\
           if (getenv(\"FREE_TWICE\")) free(p);\n\
           fprintf(stderr, \"freed\\n\"); exit(0);\n}\n",
    )
    .unwrap();
    let lib = dir.path().join("twice.so");
    let built =
        std::process::Command::new("cc").arg("-shared").arg("-fPIC").arg("-o").arg(&lib).arg(&source).status().unwrap();
    assert!(built.success());
    let run = |twice: bool| {
        let mut app = std::process::Command::new(keyward_e2e::app_bin());
        // As after the app's own restart, so that it does not exec itself first.
        app.env("LD_PRELOAD", &lib).env("Malloc", "1").env("KEYWARD_RESTARTED_FOR_WIPING", "1").env_remove("DISPLAY");
        if twice {
            app.env("FREE_TWICE", "1");
        }
        app.output().unwrap()
    };
    let once = run(false);
    assert!(once.status.success() && String::from_utf8_lossy(&once.stderr).contains("freed"), "{once:?}");
    let twice = run(true);
    let stderr = String::from_utf8_lossy(&twice.stderr);
    assert!(
        !twice.status.success() && stderr.contains("double free detected"),
        "a double free went unnoticed: {stderr}"
    );
}
