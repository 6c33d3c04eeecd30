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
    /// Starts Xvfb on a display it picks itself (`-displayfd`): no race with other tests or
    /// other X servers on the machine; returns once the server accepts connections.
    /// `-noreset`: by default an X server resets whenever its last client disconnects, and a
    /// client that connects during the reset is dropped ("Failed to initialize GTK" for the app,
    /// "Can't open display" for xclip). A desktop session always has a client connected; a test
    /// that starts programs one after another does not (measured: 1 start in 12 failed).
    pub fn start() -> Xvfb {
        require_tool("Xvfb");
        let mut child = Command::new("Xvfb")
            .args(["-displayfd", "1", "-screen", "0", "1100x760x24", "-nolisten", "tcp", "-noreset"])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("start Xvfb");
        let mut line = String::new();
        let stdout = child.stdout.take().expect("Xvfb's stdout");
        std::io::BufRead::read_line(&mut std::io::BufReader::new(stdout), &mut line).expect("Xvfb's display number");
        let n: u32 = line.trim().parse().unwrap_or_else(|_| panic!("Xvfb did not start (said {line:?})"));
        let x = Xvfb { child, display: format!(":{n}") };
        x.wait_until_accepting();
        x
    }

    /// Waits until an X client can connect (seen rarely: the display number arrives before the
    /// socket takes clients, and the first client fails with "Can't open display").
    fn wait_until_accepting(&self) {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let out =
                Command::new("xclip").args(["-o", "-selection", "clipboard"]).env("DISPLAY", &self.display).output();
            match out {
                Ok(out) if String::from_utf8_lossy(&out.stderr).contains("Can't open display") => {}
                // xclip missing: the tests that need it say so themselves.
                _ => return,
            }
            assert!(Instant::now() < deadline, "Xvfb on {} never accepted a client", self.display);
            std::thread::sleep(Duration::from_millis(50));
        }
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

    /// The user copies `text` (xclip keeps serving it in the background), as another program.
    pub fn copy_as_user(&self, text: &str) {
        let mut xclip = Command::new("xclip")
            .args(["-selection", "clipboard", "-i"])
            .env("DISPLAY", &self.display)
            .stdin(Stdio::piped())
            .spawn()
            .expect("xclip");
        {
            use std::io::Write;
            xclip.stdin.take().expect("stdin").write_all(text.as_bytes()).expect("write to xclip");
        }
        xclip.wait().expect("xclip");
        self.wait_for_clipboard(text);
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
        // SIGTERM lets Xvfb remove its lock file and socket, so the next server starts clean.
        let _ = Command::new("kill").args(["-TERM", &self.child.id().to_string()]).status();
        let _ = self.child.wait();
    }
}
