//! Helpers for end-to-end tests: a temporary home with a vault, and the real `keyward` binary.

pub mod members;
pub mod secret_service;
pub mod webdriver;
pub mod x11;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

/// The passphrase of every test vault.
pub const PASSPHRASE: &str = "correct horse battery staple";
/// A low scrypt work factor keeps tests fast; one test uses the default to prove interop.
pub const TEST_WORK_FACTOR: &str = "10";

/// The `keyward` binary built by `cargo test --workspace` (or `$KEYWARD_BIN`).
pub fn keyward_bin() -> PathBuf {
    if let Some(p) = std::env::var_os("KEYWARD_BIN") {
        return PathBuf::from(p);
    }
    // target/debug/deps/<test> → target/debug/keyward
    let exe = std::env::current_exe().expect("test binary path");
    let bin = exe
        .parent()
        .and_then(Path::parent)
        .expect("target dir")
        .join(format!("keyward{}", std::env::consts::EXE_SUFFIX));
    assert!(bin.exists(), "{} is missing: run `cargo build -p keyward-cli` (make test does)", bin.display());
    bin
}

/// A temporary folder with a vault in it, and a `keyward` pointed at both.
pub struct TestVault {
    pub dir: tempfile::TempDir,
    pub path: PathBuf,
}

impl TestVault {
    /// A new, empty vault (created with `keyward init`).
    pub fn new() -> TestVault {
        let vault = Self::uninitialised();
        vault.ok(&["init", "--work-factor", TEST_WORK_FACTOR], None);
        vault
    }

    /// A temporary folder where the vault does not exist yet.
    pub fn uninitialised() -> TestVault {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("vault.age");
        TestVault { dir, path }
    }

    /// `keyward` with this vault, the test passphrase, and a private HOME.
    pub fn command(&self, args: &[&str]) -> Command {
        let mut cmd = Command::new(keyward_bin());
        cmd.args(args)
            .env("KEYWARD_VAULT", &self.path)
            .env("KEYWARD_PASSPHRASE", PASSPHRASE)
            .env("HOME", self.dir.path())
            .env("XDG_DATA_HOME", self.dir.path().join("data"))
            .env("XDG_CONFIG_HOME", self.dir.path().join(".config"))
            .env_remove("KEYWARD_NEW_PASSPHRASE");
        // The git that keyward runs (scan, guard) sees this HOME's config only.
        isolate_git(&mut cmd, &self.dir.path().join(".gitconfig"));
        cmd
    }

    /// Runs `keyward args`, with `stdin` piped in (or an empty stdin).
    pub fn run(&self, args: &[&str], stdin: Option<&str>) -> Output {
        run_with_stdin(self.command(args), stdin)
    }

    /// Runs and asserts success; returns stdout.
    pub fn ok(&self, args: &[&str], stdin: Option<&str>) -> String {
        let out = self.run(args, stdin);
        assert!(
            out.status.success(),
            "keyward {args:?} failed ({}): {}",
            out.status,
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).expect("utf-8 output")
    }

    /// Runs and asserts failure with exit code 1 and one line on stderr; returns that line.
    pub fn fails(&self, args: &[&str], stdin: Option<&str>) -> String {
        let out = self.run(args, stdin);
        assert_eq!(out.status.code(), Some(1), "keyward {args:?}: {}", String::from_utf8_lossy(&out.stdout));
        let err = String::from_utf8(out.stderr).expect("utf-8 stderr");
        assert_eq!(err.trim_end().lines().count(), 1, "not one line: {err}");
        err
    }

    /// `keyward list --json`, parsed.
    pub fn list(&self) -> Vec<serde_json::Value> {
        serde_json::from_str(&self.ok(&["list", "--json"], None)).expect("list --json is JSON")
    }

    /// Names in the vault, in order.
    pub fn names(&self) -> Vec<String> {
        self.list().iter().map(|e| e["name"].as_str().expect("name").to_string()).collect()
    }
}

impl Default for TestVault {
    fn default() -> Self {
        Self::new()
    }
}

/// Runs a command with `stdin` written to it (closed when `None`).
pub fn run_with_stdin(mut cmd: Command, stdin: Option<&str>) -> Output {
    cmd.stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped());
    let mut child = cmd.spawn().expect("spawn");
    let mut pipe = child.stdin.take().expect("stdin");
    if let Some(text) = stdin {
        // A command that does not read its input may exit before we finish writing it.
        match pipe.write_all(text.as_bytes()) {
            Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => panic!("write stdin: {e}"),
            _ => {}
        }
    }
    drop(pipe);
    child.wait_with_output().expect("wait")
}

/// Fails the test with a clear message when a system tool is missing (`make test` installs them).
pub fn require_tool(name: &str) {
    let found = std::env::var_os("PATH")
        .map(|paths| std::env::split_paths(&paths).any(|dir| dir.join(name).is_file()))
        .unwrap_or(false);
    assert!(found, "`{name}` is not installed: run `make test`, which installs it");
}

/// The desktop app built by `make test` (with its UI embedded), or `$KEYWARD_APP_BIN`.
pub fn app_bin() -> PathBuf {
    if let Some(p) = std::env::var_os("KEYWARD_APP_BIN") {
        return PathBuf::from(p);
    }
    let exe = std::env::current_exe().expect("test binary path");
    let bin = exe.parent().and_then(Path::parent).expect("target dir").join("keyward-app");
    assert!(bin.exists(), "{} is missing: run `make test`, which builds it", bin.display());
    bin
}

/// A free TCP port on 127.0.0.1.
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).map(|a| a.port()).expect("a free port")
}

/// Runs `age ARGS` under expect, typing `passphrase` at each passphrase prompt.
pub fn age_with_passphrase(args: &[&str], passphrase: &str) {
    let status = age_with_passphrase_status(args, passphrase);
    assert!(status.success(), "age {args:?} failed: {status}");
}

/// As [`age_with_passphrase`], returning how age exited.
pub fn age_with_passphrase_status(args: &[&str], passphrase: &str) -> std::process::ExitStatus {
    require_tool("age");
    require_tool("expect");
    let quoted: Vec<String> = args.iter().map(|a| format!("{{{a}}}")).collect();
    let script = format!(
        "log_user 0\nset timeout 60\nspawn age {}\nexpect {{\n  -re {{passphrase[^:]*:}} {{ send -- \"$env(AGE_TEST_PASSPHRASE)\\r\"; exp_continue }}\n  eof\n}}\nlassign [wait] pid spawnid os_error value\nexit $value\n",
        quoted.join(" ")
    );
    std::process::Command::new("expect").arg("-c").arg(script).env("AGE_TEST_PASSPHRASE", passphrase).status().unwrap()
}

/// `git` in `repo` as a test author, with `main` as the first branch, and none of the
/// developer's git configuration (global or system: their hooks, signing, templates) nor an
/// outer repository's variables (a test run from a hook).
pub fn git_command(repo: &std::path::Path) -> Command {
    require_tool("git");
    let mut cmd = Command::new("git");
    isolate_git(&mut cmd, std::path::Path::new("/dev/null"));
    cmd.current_dir(repo).args([
        "-c",
        "commit.gpgSign=false",
        "-c",
        "tag.gpgSign=false",
        "-c",
        "user.name=Test",
        "-c",
        "user.email=test@example.invalid",
        "-c",
        "init.defaultBranch=main",
    ]);
    cmd
}

/// Points `cmd`'s git at `global` as its global config (nothing else of the developer's).
pub fn isolate_git(cmd: &mut Command, global: &std::path::Path) {
    cmd.env("GIT_CONFIG_GLOBAL", global).env("GIT_CONFIG_NOSYSTEM", "1");
    for var in ["GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_OBJECT_DIRECTORY", "GIT_COMMON_DIR", "GIT_CONFIG"] {
        cmd.env_remove(var);
    }
}

/// `git args` in `repo` as a test author, with `main` as the first branch; its output (stdout,
/// then stderr). Panics when git fails.
pub fn git(repo: &std::path::Path, args: &[&str]) -> String {
    let out = git_command(repo).args(args).output().unwrap();
    assert!(
        out.status.success(),
        "git {args:?}: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr)
}
