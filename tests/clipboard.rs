//! `keyward copy` on a real X server (Xvfb) and the real X clipboard, read with `xclip`:
//! the key is there, marked secret for clipboard managers, and cleared after the timeout —
//! unless the user copied something else meanwhile.

use keyward_e2e::x11::Xvfb;
use keyward_e2e::{TestVault, require_tool};
use std::process::{Child, Stdio};

const KEY: &str = "sk-proj-clipboard-test-0123456789abcdef";

/// An X server, a vault holding KEY as "k", and `keyward copy k` running with the key on the clipboard.
fn copied_with_clear_after(clear_after: &str) -> (Xvfb, TestVault, Child) {
    require_tool("xclip");
    let x = Xvfb::start();
    let v = TestVault::new();
    v.ok(&["add", "k"], Some(KEY));
    let mut child = v
        .command(&["copy", "k", "--clear-after", clear_after])
        .env("DISPLAY", &x.display)
        .env_remove("WAYLAND_DISPLAY")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while x.clipboard().as_deref() != Some(KEY) {
        if let Some(status) = child.try_wait().unwrap() {
            let out = child.wait_with_output().unwrap();
            panic!(
                "keyward copy ended ({status}) before the key was seen on the clipboard: {} {}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            );
        }
        assert!(std::time::Instant::now() < deadline, "the clipboard never held the key");
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    (x, v, child)
}

#[test]
fn copy_puts_the_key_on_the_clipboard_marked_secret_and_clears_it() {
    let (x, _vault, child) = copied_with_clear_after("5");
    assert!(x.targets().contains("x-kde-passwordManagerHint"), "targets: {}", x.targets());
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("Cleared the clipboard"), "{stdout}");
    assert!(!stdout.contains(KEY));
    assert_ne!(x.clipboard().as_deref(), Some(KEY), "the key is still on the clipboard");
}

/// Told to quit while waiting (Ctrl-C, or SIGTERM at logout), `copy` clears the key first
/// instead of dying with it on the clipboard, and exits normally.
#[test]
fn copy_clears_the_key_when_told_to_quit() {
    for signal in ["-TERM", "-INT", "-HUP"] {
        let (x, _vault, child) = copied_with_clear_after("600");
        let started = std::time::Instant::now();
        assert!(std::process::Command::new("kill").args([signal, &child.id().to_string()]).status().unwrap().success());
        let out = child.wait_with_output().unwrap();
        assert!(out.status.success(), "{signal}: {} {}", out.status, String::from_utf8_lossy(&out.stderr));
        assert!(started.elapsed() < std::time::Duration::from_secs(60), "{signal}: waited for the timeout");
        assert!(String::from_utf8_lossy(&out.stdout).contains("Cleared the clipboard"), "{signal}");
        assert_ne!(x.clipboard().as_deref(), Some(KEY), "{signal}: the key is still on the clipboard");
    }
}

#[test]
fn copy_leaves_what_the_user_copied_since() {
    let (x, _vault, child) = copied_with_clear_after("5");
    x.copy_as_user("my own text");
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).contains("left it as it is"));
    assert_eq!(x.clipboard().as_deref(), Some("my own text"));
}

/// A clipboard manager that keeps a history (Parcellite, run for real): `keyward copy` warns
/// once, in plain words, and not again on the next copy.
#[test]
fn a_history_keeping_clipboard_manager_is_warned_about_once() {
    require_tool("parcellite");
    let x = Xvfb::start();
    let v = TestVault::new();
    v.ok(&["add", "k"], Some(KEY));
    let mut manager = std::process::Command::new("parcellite")
        .arg("-n") // no tray icon: there is no panel under Xvfb
        .env("DISPLAY", &x.display)
        .env("HOME", v.dir.path())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    std::thread::sleep(std::time::Duration::from_millis(500));
    let copy = || {
        let out = v.command(&["copy", "k", "--clear-after", "1"]).env("DISPLAY", &x.display).output().unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8_lossy(&out.stderr).into_owned()
    };
    let first = copy();
    let second = copy();
    let _ = manager.kill();
    let _ = manager.wait();
    assert!(first.contains("Parcellite keeps a history of what you copy"), "{first}");
    assert!(first.contains("--clear-after"), "{first}");
    assert!(!second.contains("keeps a history"), "warned twice: {second}");
}
