//! Issue 11: a teammate, a former teammate or anyone who can write the shared folder builds a
//! hostile team vault by hand, with stock `age` and plain JSON, as an attacker would (never
//! with Keyward's own writer). Each test proves the attack is refused and explained, and that
//! nothing ran and nothing was sent.

use keyward_e2e::members::{as_member, keygen, ok, read_json, stock_age_encrypt};
use std::path::Path;
use std::process::Command;

const KEY: &str = "sk-proj-TeamKey0123456789abcdefghijklmnop";

/// Ann's team vault with Bob as a member and one key, `deploy`: (vault, ann, bob, bob's and ann's public keys).
struct Team {
    dir: tempfile::TempDir,
    ann: std::path::PathBuf,
    bob: std::path::PathBuf,
    ann_public: String,
    bob_public: String,
}

impl Team {
    fn new() -> Team {
        let dir = tempfile::tempdir().unwrap();
        let (ann, ann_public) = keygen(dir.path(), "ann");
        let (bob, bob_public) = keygen(dir.path(), "bob");
        let team = Team { dir, ann, bob, ann_public, bob_public };
        team.ann_ok(&["init", "--team", "--name", "ann"], None);
        team.ann_ok(&["member", "add", "bob", &team.bob_public], None);
        team.ann_ok(&["add", "deploy", "--provider", "openai"], Some(KEY));
        team
    }
    fn vault(&self) -> std::path::PathBuf {
        self.dir.path().join("team.age")
    }
    fn home(&self) -> &Path {
        self.dir.path()
    }
    fn ann(&self, args: &[&str], stdin: Option<&str>) -> std::process::Output {
        as_member(&self.vault(), self.home(), &self.ann, args, stdin)
    }
    fn ann_ok(&self, args: &[&str], stdin: Option<&str>) -> String {
        ok(self.ann(args, stdin))
    }
    /// Bob rewrites the vault's JSON with stock age, encrypted to both members.
    fn bob_rewrites(&self, change: impl FnOnce(&mut serde_json::Value)) {
        let mut json = read_json(&self.vault(), &self.bob);
        change(&mut json);
        stock_age_encrypt(&json, &[&self.ann_public, &self.bob_public], &self.vault());
    }
}

/// Attack 2: a member sets a key's variable to BASH_ENV (and its value to his script); a
/// teammate's `keyward run --env deploy -- bash …` would run his script.
#[test]
fn a_variable_that_loads_code_is_never_taken_from_the_vault() {
    let team = Team::new();
    let marker = team.home().join("ran");
    let script = team.home().join("evil.sh");
    std::fs::write(&script, format!("touch '{}'\n", marker.display())).unwrap();
    for var in ["BASH_ENV", "LD_PRELOAD", "NODE_OPTIONS", "PYTHONSTARTUP", "PATH"] {
        team.bob_rewrites(|json| {
            json["entries"][0]["env_var"] = var.into();
            json["entries"][0]["secret"] = script.display().to_string().into();
        });
        let out = team.ann(&["run", "--env", "deploy", "--", "bash", "-c", "true"], None);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success(), "{var}: keyward run started the program");
        assert!(stderr.contains(&format!("would set {var}, which can make a program run other code")), "{stderr}");
        assert!(stderr.contains(&format!("--env {var}=deploy")), "{stderr}");
        assert!(!marker.exists(), "{var}: the teammate's script ran");
    }
    // Spelled out by the user on this computer, it is their choice (and the test can tell).
    let out = team.ann(&["run", "--env", "BASH_ENV=deploy", "--", "bash", "-c", "true"], None);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(marker.exists(), "the explicit mapping should have set BASH_ENV");
}

/// Attack 7: a value a member chose must not run a command when Ann `source`s her export.
#[test]
fn sourcing_an_exported_env_file_runs_nothing_a_member_wrote() {
    let team = Team::new();
    let marker = team.home().join("ran");
    let hostile = format!("sk-proj-x$(touch '{m}')`touch '{m}'`", m = marker.display());
    team.bob_rewrites(|json| json["entries"][0]["secret"] = hostile.clone().into());
    let exported = team.ann_ok(&["export", "--format", "dotenv", "deploy"], None);
    let file = team.home().join("keys.env");
    std::fs::write(&file, exported).unwrap();
    let out = Command::new("bash")
        .args(["-c", "set -a; source \"$1\"; printf %s \"$OPENAI_API_KEY\"", "bash"])
        .arg(&file)
        .output()
        .unwrap();
    assert!(out.status.success());
    assert!(!marker.exists(), "sourcing the export ran the member's command");
    assert_eq!(String::from_utf8_lossy(&out.stdout), hostile, "the value comes back exactly");
}
