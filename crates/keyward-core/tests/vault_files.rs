//! A vault on disk: bad files give their typed error and are left byte-identical; saving
//! merges changes made by others; unknown fields survive a save.

use keyward_core::crypto::{self, Unlock};
use keyward_core::document::{Change, EntryFields};
use keyward_core::{Secret, SecretString, Vault, VaultError};
use std::fs;
use std::path::{Path, PathBuf};

const WF: u8 = 10;

fn pass(p: &str) -> Unlock {
    Unlock::Passphrase(SecretString::from(p.to_string()))
}

fn change() -> Change<'static> {
    Change { now: chrono::Utc::now(), actor: "test" }
}

fn new_vault(dir: &Path, keys: &[(&str, &str)]) -> PathBuf {
    let path = dir.join("vault.age");
    let mut v = Vault::create(&path, SecretString::from("pw".to_string()), WF).unwrap();
    for (name, value) in keys {
        v.document_mut().add(name, Secret::from(*value), EntryFields::default(), &change()).unwrap();
    }
    v.save().unwrap();
    path
}

/// Opens a damaged file, expects `check` to accept the error, and that the file is untouched.
fn assert_refused(path: &Path, bytes: &[u8], check: impl Fn(&VaultError) -> bool) {
    fs::write(path, bytes).unwrap();
    let err = Vault::open(path, pass("pw")).unwrap_err();
    assert!(check(&err), "unexpected error: {err:?}");
    let message = err.to_string();
    assert!(!message.contains("sk-secret"), "error mentions a secret: {message}");
    assert_eq!(fs::read(path).unwrap(), bytes, "the file was changed");
}

#[test]
fn bad_files_give_typed_errors_and_stay_byte_identical() {
    let dir = tempfile::tempdir().unwrap();
    let path = new_vault(dir.path(), &[("k", "sk-secret-value-1234567890")]);
    let good = fs::read(&path).unwrap();

    assert_refused(&path, &good[..good.len() - 20], |e| matches!(e, VaultError::Damaged { .. }));
    assert_refused(&path, &good[..60], |e| matches!(e, VaultError::Damaged { .. }));
    assert_refused(&path, b"", |e| matches!(e, VaultError::Damaged { .. }));
    assert_refused(&path, b"OPENAI_API_KEY=sk-123\n", |e| matches!(e, VaultError::NotAgeFile { .. }));
    assert_refused(&path, &[0u8, 159, 146, 150, 1, 2, 3], |e| matches!(e, VaultError::NotAgeFile { .. }));

    // A bit flipped anywhere: in every byte of the header, and across the payload.
    let header_len = good.windows(4).position(|w| w == b"\n---").unwrap() + 48;
    let positions = (0..header_len).chain((header_len..good.len()).step_by(7));
    for at in positions {
        let mut flipped = good.clone();
        flipped[at] ^= 1 << (at % 8);
        assert_refused(&path, &flipped, |e| match e {
            VaultError::Damaged { .. } | VaultError::WrongPassphrase => true,
            // Flips in the magic line make it another (or no) age format.
            VaultError::NotAgeFile { .. } | VaultError::NotAVault { .. } => at < 22,
            _ => false,
        });
    }

    // Valid age, but not a vault; and a vault from a newer Keyward.
    let pw = SecretString::from("pw".to_string());
    let not_vault = crypto::encrypt_with_passphrase(b"{\"hello\":1}", &pw, WF);
    assert_refused(&path, &not_vault, |e| matches!(e, VaultError::NotAVault { .. }));
    let not_json = crypto::encrypt_with_passphrase(b"plain text", &pw, WF);
    assert_refused(&path, &not_json, |e| matches!(e, VaultError::NotAVault { .. }));
    // A value of the wrong type is reported by position, never quoted (it could be a key).
    let misplaced = br#"{"format":"keyward-vault","version":1,"vault_id":"v","created_at":"2026-01-01T00:00:00Z",
        "entries":[{"id":"i","name":"n","provider":"openai","secret":"x","env_var":"X","created_at":"2026-01-01T00:00:00Z",
        "updated_at":"2026-01-01T00:00:00Z","tags":"sk-secret-in-the-wrong-field"}]}"#;
    let misplaced = crypto::encrypt_with_passphrase(misplaced, &pw, WF);
    assert_refused(&path, &misplaced, |e| matches!(e, VaultError::Damaged { reason, .. } if reason.contains("line 3")));
    let newer = crypto::encrypt_with_passphrase(br#"{"format":"keyward-vault","version":7,"entries":"?"}"#, &pw, WF);
    assert_refused(&path, &newer, |e| matches!(e, VaultError::NewerVersion { found: 7, supported: 2 }));

    // Wrong passphrase.
    fs::write(&path, &good).unwrap();
    let err = Vault::open(&path, pass("not it")).unwrap_err();
    assert!(matches!(err, VaultError::WrongPassphrase));
    assert_eq!(fs::read(&path).unwrap(), good);
}

#[test]
fn saving_over_a_file_that_became_unreadable_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = new_vault(dir.path(), &[("k", "v1")]);
    let mut vault = Vault::open(&path, pass("pw")).unwrap();
    vault.document_mut().add("k2", Secret::from("v2"), EntryFields::default(), &change()).unwrap();
    fs::write(&path, b"garbage written by someone else").unwrap();
    assert!(matches!(vault.save(), Err(VaultError::NotAgeFile { .. })));
    assert_eq!(fs::read(&path).unwrap(), b"garbage written by someone else");
}

#[test]
fn save_merges_what_another_process_wrote_meanwhile() {
    let dir = tempfile::tempdir().unwrap();
    let path = new_vault(dir.path(), &[("shared", "sk-0")]);
    let mut mine = Vault::open(&path, pass("pw")).unwrap();
    let mut theirs = Vault::open(&path, pass("pw")).unwrap();

    mine.document_mut().add("mine", Secret::from("sk-mine"), EntryFields::default(), &change()).unwrap();
    theirs.document_mut().add("theirs", Secret::from("sk-theirs"), EntryFields::default(), &change()).unwrap();
    theirs.document_mut().edit("shared", None, Some(Secret::from("sk-1")), EntryFields::default(), &change()).unwrap();
    assert!(!theirs.save().unwrap().merged);
    let report = mine.save().unwrap();
    assert!(report.merged);

    let reopened = Vault::open(&path, pass("pw")).unwrap();
    let doc = reopened.document();
    let names: Vec<&str> = doc.entries.iter().map(|e| e.name.as_str()).collect();
    assert_eq!(names, ["shared", "mine", "theirs"]);
    assert_eq!(doc.get("shared").unwrap().secret.expose(), "sk-1");
    assert_eq!(doc.get("shared").unwrap().history[0].secret.expose(), "sk-0");
}

#[test]
fn both_adding_the_same_name_keeps_both_keys() {
    let dir = tempfile::tempdir().unwrap();
    let path = new_vault(dir.path(), &[]);
    let mut a = Vault::open(&path, pass("pw")).unwrap();
    let mut b = Vault::open(&path, pass("pw")).unwrap();
    a.document_mut().add("prod", Secret::from("sk-a"), EntryFields::default(), &change()).unwrap();
    b.document_mut().add("prod", Secret::from("sk-b"), EntryFields::default(), &change()).unwrap();
    a.save().unwrap();
    let report = b.save().unwrap();
    assert_eq!(report.renamed, [("prod".to_string(), "prod (2)".to_string())]);
    let doc = Vault::open(&path, pass("pw")).unwrap().document().clone();
    assert_eq!(doc.get("prod").unwrap().secret.expose(), "sk-a");
    assert_eq!(doc.get("prod (2)").unwrap().secret.expose(), "sk-b");
}

#[test]
fn a_different_vault_at_the_same_path_is_not_merged_or_overwritten() {
    let dir = tempfile::tempdir().unwrap();
    let path = new_vault(dir.path(), &[("k", "v")]);
    let mut vault = Vault::open(&path, pass("pw")).unwrap();
    fs::remove_file(&path).unwrap();
    new_vault(dir.path(), &[("other", "x")]);
    let before = fs::read(&path).unwrap();
    vault.document_mut().add("k2", Secret::from("v2"), EntryFields::default(), &change()).unwrap();
    assert!(matches!(vault.save(), Err(VaultError::DifferentVault { .. })));
    assert_eq!(fs::read(&path).unwrap(), before);
}

#[test]
fn unknown_fields_from_a_newer_keyward_survive_a_save() {
    let dir = tempfile::tempdir().unwrap();
    let path = new_vault(dir.path(), &[("k", "v")]);
    let plaintext = crypto::decrypt(&fs::read(&path).unwrap(), &pass("pw"), &path).unwrap();
    let mut json: serde_json::Value = serde_json::from_slice(&plaintext).unwrap();
    json["sync"] = serde_json::json!({"peer": "laptop"});
    json["entries"][0]["usage"] = serde_json::json!([1, 2, 3]);
    let pw = SecretString::from("pw".to_string());
    fs::write(&path, crypto::encrypt_with_passphrase(&serde_json::to_vec(&json).unwrap(), &pw, WF)).unwrap();

    let mut vault = Vault::open(&path, pass("pw")).unwrap();
    vault.document_mut().add("k2", Secret::from("v2"), EntryFields::default(), &change()).unwrap();
    vault.save().unwrap();
    let saved: serde_json::Value =
        serde_json::from_slice(&crypto::decrypt(&fs::read(&path).unwrap(), &pass("pw"), &path).unwrap()).unwrap();
    assert_eq!(saved["sync"], json["sync"]);
    assert_eq!(saved["entries"][0]["usage"], json["entries"][0]["usage"]);
}

#[test]
fn passphrase_change_reencrypts_and_keeps_entries() {
    let dir = tempfile::tempdir().unwrap();
    let path = new_vault(dir.path(), &[("k", "v")]);
    let mut vault = Vault::open(&path, pass("pw")).unwrap();
    let report = vault.change_passphrase(SecretString::from("new pw".to_string())).unwrap();
    assert!(matches!(Vault::open(&path, pass("pw")), Err(VaultError::WrongPassphrase)));
    // No backup readable with the old passphrase is left behind.
    assert!(report.backups_removed >= 1);
    assert!(
        (1..=keyward_core::atomic_file::BACKUPS).all(|n| !keyward_core::atomic_file::backup_path(&path, n).exists())
    );
    let reopened = Vault::open(&path, pass("new pw")).unwrap();
    assert_eq!(reopened.document().get("k").unwrap().secret.expose(), "v");
}

#[test]
fn a_hostile_work_factor_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("v.age");
    // A file asking for an absurd work factor: refused before any scrypt work is done.
    let ct = crypto::encrypt_with_passphrase(b"{}", &SecretString::from("pw".to_string()), WF);
    let needle = format!(" {WF}\n").into_bytes();
    let at = ct.windows(needle.len()).position(|w| w == needle).unwrap();
    let mut forged = ct[..at].to_vec();
    forged.extend_from_slice(b" 40\n");
    forged.extend_from_slice(&ct[at + needle.len()..]);
    fs::write(&path, &forged).unwrap();
    let err = Vault::open(&path, pass("pw")).unwrap_err();
    assert!(matches!(err, VaultError::WorkFactorTooHigh { found: 40, limit: 22 }), "{err:?}");
    assert_eq!(fs::read(&path).unwrap(), forged);
}

#[cfg(unix)]
#[test]
fn a_symlinked_vault_stays_a_link_and_its_target_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let synced = dir.path().join("sync");
    fs::create_dir(&synced).unwrap();
    let real = new_vault(&synced, &[("k", "v")]);
    let link = dir.path().join("vault-link.age");
    std::os::unix::fs::symlink(&real, &link).unwrap();

    let mut vault = Vault::open(&link, pass("pw")).unwrap();
    vault.document_mut().add("k2", Secret::from("v2"), EntryFields::default(), &change()).unwrap();
    vault.save().unwrap();
    assert!(fs::symlink_metadata(&link).unwrap().file_type().is_symlink());
    assert_eq!(Vault::open(&real, pass("pw")).unwrap().document().entries.len(), 2);
    assert!(keyward_core::atomic_file::backup_path(&real, 1).exists());
}

#[test]
fn refresh_merges_what_another_program_wrote() {
    let dir = tempfile::tempdir().unwrap();
    let path = new_vault(dir.path(), &[("k", "v")]);
    let mut app = Vault::open(&path, pass("pw")).unwrap();
    assert!(!app.refresh().unwrap(), "nothing changed yet");
    let mut cli = Vault::open(&path, pass("pw")).unwrap();
    cli.document_mut().add("from-cli", Secret::from("v2"), EntryFields::default(), &change()).unwrap();
    cli.save().unwrap();
    assert!(app.refresh().unwrap());
    assert!(app.document().get("from-cli").is_ok());
    assert!(!app.refresh().unwrap());
    // A later save by the app keeps both.
    app.document_mut().add("from-app", Secret::from("v3"), EntryFields::default(), &change()).unwrap();
    app.save().unwrap();
    let doc = Vault::open(&path, pass("pw")).unwrap().document().clone();
    assert!(doc.get("from-cli").is_ok() && doc.get("from-app").is_ok());
}
