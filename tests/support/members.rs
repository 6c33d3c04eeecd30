//! Team members as the tests play them: identities made by `age-keygen`, the `keyward` CLI run
//! as one member, and stock `age` reading and writing vault files (as a hostile member would).

use crate::{keyward_bin, require_tool, run_with_stdin};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

/// An identity made by `age-keygen`: (identity file, public key).
pub fn keygen(dir: &Path, name: &str) -> (PathBuf, String) {
    require_tool("age-keygen");
    let file = dir.join(format!("{name}.txt"));
    let out = Command::new("age-keygen").arg("-o").arg(&file).output().unwrap();
    assert!(out.status.success());
    let public = Command::new("age-keygen").arg("-y").arg(&file).output().unwrap();
    (file, String::from_utf8(public.stdout).unwrap().trim().to_string())
}

/// `keyward ARGS` on `vault` as the holder of `identity`, with `home` as HOME (its device data
/// in `home/data`).
pub fn as_member(vault: &Path, home: &Path, identity: &Path, args: &[&str], stdin: Option<&str>) -> Output {
    let mut cmd = Command::new(keyward_bin());
    cmd.args(args)
        .env("KEYWARD_VAULT", vault)
        .env("KEYWARD_IDENTITY_FILE", identity)
        .env("HOME", home)
        .env("XDG_DATA_HOME", home.join("data"))
        .env_remove("KEYWARD_PASSPHRASE");
    run_with_stdin(cmd, stdin)
}

/// The standard output of a command that must have succeeded.
pub fn ok(out: Output) -> String {
    assert!(out.status.success(), "failed: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

/// `age -d -i IDENTITY VAULT`.
pub fn stock_age_decrypt(vault: &Path, identity: &Path) -> Output {
    require_tool("age");
    Command::new("age").arg("-d").arg("-i").arg(identity).arg(vault).output().unwrap()
}

/// The vault's JSON as stock age decrypts it with `identity`.
pub fn read_json(vault: &Path, identity: &Path) -> serde_json::Value {
    let plain = stock_age_decrypt(vault, identity);
    assert!(plain.status.success(), "{}", String::from_utf8_lossy(&plain.stderr));
    serde_json::from_slice(&plain.stdout).unwrap()
}

/// Writes `json` to `to`, encrypted by stock age to `recipients` (public keys): what anyone
/// who holds those public keys can do, without Keyward.
pub fn stock_age_encrypt(json: &serde_json::Value, recipients: &[&str], to: &Path) {
    require_tool("age");
    let mut cmd = Command::new("age");
    for r in recipients {
        cmd.arg("-r").arg(r);
    }
    let mut child = cmd.arg("-o").arg(to).stdin(Stdio::piped()).spawn().unwrap();
    child.stdin.take().unwrap().write_all(&serde_json::to_vec_pretty(json).unwrap()).unwrap();
    assert!(child.wait().unwrap().success());
}

/// The line a member shares to be added (`keyward identity` run as the holder of `identity`).
pub fn member_line(home: &Path, identity: &Path) -> String {
    let out = as_member(&home.join("no-vault-here.age"), home, identity, &["identity"], None);
    ok(out).trim().to_string()
}

/// Signs an item of a team vault's JSON the way a member's Keyward does, with the signing key
/// of the age identity in `identity` (a hostile member signs their own changes).
pub fn sign_as(identity: &Path, kind: &str, vault_id: &str, item: &mut serde_json::Value, leave_out: &[&str]) {
    let text = std::fs::read_to_string(identity).unwrap();
    let signer = keyward_core::signing::Signer::from_identity_text(&text).expect("an age identity");
    let mut signed_part = item.clone();
    let map = signed_part.as_object_mut().unwrap();
    for field in leave_out.iter().chain(&["signed"]) {
        map.remove(*field);
    }
    let signed = signer.sign(kind, vault_id, &signed_part);
    item["signed"] = serde_json::json!({ "by": signed.by, "sig": signed.sig });
}

/// The fingerprint others see for the holder of `identity` (`keyward identity --json`).
pub fn fingerprint(home: &Path, identity: &Path) -> String {
    let out = ok(as_member(&home.join("none.age"), home, identity, &["identity", "--json"], None));
    serde_json::from_str::<serde_json::Value>(&out).unwrap()["fingerprint"].as_str().unwrap().to_string()
}

/// Now, as an RFC 3339 time (what a member's tools stamp a change with).
pub fn now_rfc3339() -> String {
    let out = Command::new("date").args(["-u", "+%Y-%m-%dT%H:%M:%S.%NZ"]).output().unwrap();
    String::from_utf8(out.stdout).unwrap().trim().to_string()
}
