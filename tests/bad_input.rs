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
    json["version"] = serde_json::json!(keyward_core::document::FORMAT_VERSION + 1);
    let pw = keyward_core::SecretString::from(keyward_e2e::PASSPHRASE.to_string());
    let newer = keyward_core::crypto::encrypt_with_passphrase(&serde_json::to_vec(&json).unwrap(), &pw, 10);
    assert_refused(&v, &newer, "newer Keyward");

    fs::write(&v.path, &good).unwrap();
    assert_eq!(v.names(), ["k"]);
}

/// A full disk (a real one: a 512 KiB tmpfs): a change fails with one plain sentence, the vault
/// is unchanged and still opens, and no temporary file is left behind.
#[test]
fn a_full_disk_changes_nothing() {
    let v = TestVault::uninitialised();
    let mount = v.dir.path().join("small-disk");
    fs::create_dir(&mount).unwrap();
    let mounted = std::process::Command::new("mount")
        .args(["-t", "tmpfs", "-o", "size=512k", "tmpfs"])
        .arg(&mount)
        .status()
        .unwrap();
    assert!(mounted.success(), "mounting a small tmpfs needs root (make test runs as root in CI)");
    let _unmount = Unmount(mount.clone());
    let vault = TestVault { dir: tempfile::tempdir().unwrap(), path: mount.join("vault.age") };
    vault.ok(&["init", "--work-factor", keyward_e2e::TEST_WORK_FACTOR], None);
    vault.ok(&["add", "k"], Some("sk-proj-before-the-disk-filled-up"));
    let before = fs::read(&vault.path).unwrap();
    let files_before = listing(&mount);

    // Fill the disk.
    let mut filler = fs::File::create(mount.join("filler")).unwrap();
    let block = vec![0u8; 4096];
    while std::io::Write::write_all(&mut filler, &block).is_ok() {}
    drop(filler);

    let err = vault.fails(&["add", "new"], Some("sk-proj-after-the-disk-filled-up"));
    assert!(err.contains("The disk is full; the vault was not changed."), "{err}");
    assert_eq!(fs::read(&vault.path).unwrap(), before);
    let mut files_after = listing(&mount);
    files_after.retain(|f| f != "filler");
    assert_eq!(files_after, files_before, "a file was left behind");
    fs::remove_file(mount.join("filler")).unwrap();
    assert_eq!(vault.names(), ["k"]);
}

fn listing(dir: &std::path::Path) -> Vec<String> {
    let mut names: Vec<String> =
        fs::read_dir(dir).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    names.sort();
    names
}

struct Unmount(std::path::PathBuf);

impl Drop for Unmount {
    fn drop(&mut self) {
        let _ = std::process::Command::new("umount").arg(&self.0).status();
    }
}
