//! Damaged and foreign files through the CLI: one plain line, exit code 1, and the file is
//! byte-identical afterwards, whatever command was tried.

use keyward_e2e::TestVault;
use std::fs;

fn assert_refused(v: &TestVault, bytes: &[u8], expected: &str) {
    fs::write(&v.path, bytes).unwrap();
    for args in [&["list"][..], &["add", "new"], &["rm", "k"], &["passwd"]] {
        let mut cmd = v.command(args);
        cmd.env("KEYWARD_NEW_PASSPHRASE", "another passphrase");
        let out = keyward_e2e::run_with_stdin(cmd, Some("sk-proj-new"));
        assert_eq!(out.status.code(), Some(1), "{args:?} on {expected}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(err.trim_end().lines().count(), 1, "{err}");
        assert!(err.contains(expected), "{args:?}: expected {expected:?}, got {err}");
        assert!(!err.contains("sk-proj"), "{err}");
        assert_eq!(fs::read(&v.path).unwrap(), bytes, "{args:?} changed the file");
    }
}

#[test]
fn damaged_foreign_and_newer_files_are_refused_and_untouched() {
    let v = TestVault::new();
    v.ok(&["add", "k"], Some("sk-proj-secret-value-abcdefghijkl"));
    let good = fs::read(&v.path).unwrap();

    assert_refused(&v, &good[..good.len() / 2], "damaged");
    assert_refused(&v, b"", "damaged");
    let mut flipped = good.clone();
    let last = flipped.len() - 10;
    flipped[last] ^= 0x40;
    assert_refused(&v, &flipped, "damaged");
    assert_refused(&v, b"OPENAI_API_KEY=sk-proj-abc\n", "not a Keyward vault");

    let unlock =
        keyward_core::Unlock::Passphrase(keyward_core::SecretString::from(keyward_e2e::PASSPHRASE.to_string()));
    let plain = keyward_core::crypto::decrypt(&good, &unlock, &v.path).unwrap();
    let mut json: serde_json::Value = serde_json::from_slice(&plain).unwrap();
    json["version"] = serde_json::json!(2);
    let pw = keyward_core::SecretString::from(keyward_e2e::PASSPHRASE.to_string());
    let newer = keyward_core::crypto::encrypt_with_passphrase(&serde_json::to_vec(&json).unwrap(), &pw, 10);
    assert_refused(&v, &newer, "newer Keyward");

    fs::write(&v.path, &good).unwrap();
    assert_eq!(v.names(), ["k"]);
}
