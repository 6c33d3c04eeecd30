//! A private X server (Xvfb) for tests, and the X clipboard read with `xclip`.

use crate::require_tool;
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

/// An Xvfb server on a free display; killed on drop.
pub struct Xvfb {
    child: Child,
    pub display: String,
}

impl Xvfb {
    pub fn start() -> Xvfb {
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

    pub fn xclip(&self, args: &[&str]) -> Output {
        Command::new("xclip").args(args).env("DISPLAY", &self.display).output().expect("xclip")
    }

    /// The clipboard's text, or None when it holds nothing.
    pub fn clipboard(&self) -> Option<String> {
        let out = self.xclip(&["-o", "-selection", "clipboard"]);
        out.status.success().then(|| String::from_utf8_lossy(&out.stdout).into_owned())
    }

    pub fn targets(&self) -> String {
        String::from_utf8_lossy(&self.xclip(&["-o", "-selection", "clipboard", "-t", "TARGETS"]).stdout).into_owned()
    }

    pub fn wait_for_clipboard(&self, expected: &str) {
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
