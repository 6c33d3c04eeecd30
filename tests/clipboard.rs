//! `keyward copy` on a real X server (Xvfb) and the real X clipboard, read with `xclip`:
//! the key is there, marked secret for clipboard managers, and cleared after the timeout —
//! unless the user copied something else meanwhile.

use keyward_e2e::{TestVault, require_tool};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

const KEY: &str = "sk-proj-clipboard-test-0123456789abcdef";

/// An Xvfb server on a free display; killed on drop.
struct Xvfb {
    child: Child,
    display: String,
}

impl Xvfb {
    fn start() -> Xvfb {
        require_tool("Xvfb");
        // Tests in this binary run in parallel: each start takes its own display numbers.
        static NEXT: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
        let base = 120 + std::process::id() % 400;
        for _ in 0..40 {
            let n = base + NEXT.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            if std::path::Path::new(&format!("/tmp/.X{n}-lock")).exists() {
                continue;
            }
            let display = format!(":{n}");
            let mut child = Command::new("Xvfb")
                .args([&display, "-screen", "0", "640x480x24", "-nolisten", "tcp"])
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .expect("start Xvfb");
            let socket = format!("/tmp/.X11-unix/X{n}");
            let deadline = Instant::now() + Duration::from_secs(10);
            while Instant::now() < deadline {
                if std::path::Path::new(&socket).exists() {
                    return Xvfb { child, display };
                }
                if child.try_wait().unwrap().is_some() {
                    break; // display taken meanwhile: try the next one
                }
                std::thread::sleep(Duration::from_millis(50));
            }
            let _ = child.kill();
            let _ = child.wait();
        }
        panic!("could not start Xvfb");
    }

    fn xclip(&self, args: &[&str]) -> Output {
        Command::new("xclip").args(args).env("DISPLAY", &self.display).output().expect("xclip")
    }

    /// The clipboard's text, or None when it holds nothing.
    fn clipboard(&self) -> Option<String> {
        let out = self.xclip(&["-o", "-selection", "clipboard"]);
        out.status.success().then(|| String::from_utf8_lossy(&out.stdout).into_owned())
    }

    fn targets(&self) -> String {
        String::from_utf8_lossy(&self.xclip(&["-o", "-selection", "clipboard", "-t", "TARGETS"]).stdout).into_owned()
    }

    fn wait_for_clipboard(&self, expected: &str) {
        let deadline = Instant::now() + Duration::from_secs(10);
        while self.clipboard().as_deref() != Some(expected) {
            assert!(Instant::now() < deadline, "clipboard never held the expected text");
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Xvfb {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// An X server, a vault holding KEY as "k", and `keyward copy k` running with the key on the clipboard.
fn copied_with_clear_after(clear_after: &str) -> (Xvfb, TestVault, Child) {
    require_tool("xclip");
    let x = Xvfb::start();
    let v = TestVault::new();
    v.ok(&["add", "k"], Some(KEY));
    let child = v
        .command(&["copy", "k", "--clear-after", clear_after])
        .env("DISPLAY", &x.display)
        .env_remove("WAYLAND_DISPLAY")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    x.wait_for_clipboard(KEY);
    (x, v, child)
}

#[test]
fn copy_puts_the_key_on_the_clipboard_marked_secret_and_clears_it() {
    let (x, _vault, child) = copied_with_clear_after("3");
    assert!(x.targets().contains("x-kde-passwordManagerHint"), "targets: {}", x.targets());
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("Cleared the clipboard"), "{stdout}");
    assert!(!stdout.contains(KEY));
    assert_ne!(x.clipboard().as_deref(), Some(KEY), "the key is still on the clipboard");
}

#[test]
fn copy_leaves_what_the_user_copied_since() {
    let (x, _vault, child) = copied_with_clear_after("3");
    // The user copies something else (xclip keeps serving it in the background).
    let mut user = Command::new("xclip")
        .args(["-selection", "clipboard", "-i"])
        .env("DISPLAY", &x.display)
        .stdin(Stdio::piped())
        .spawn()
        .unwrap();
    {
        use std::io::Write;
        user.stdin.take().unwrap().write_all(b"my own text").unwrap();
    }
    user.wait().unwrap();
    x.wait_for_clipboard("my own text");
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).contains("left it as it is"));
    assert_eq!(x.clipboard().as_deref(), Some("my own text"));
}
