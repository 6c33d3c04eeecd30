//! Merging other copies of a vault: a file given by name, and sync tools' conflict copies.

use keyward_core::{Change, EntryFields, Secret, SecretString, Unlock, Vault, VaultError, vault};
use std::path::Path;

fn pass() -> SecretString {
    SecretString::from("copies passphrase".to_string())
}

fn change() -> Change<'static> {
    Change { now: chrono::Utc::now(), actor: "test" }
}

fn add(v: &mut Vault, name: &str) {
    v.document_mut().add(name, Secret::new(format!("sk-{name}")), EntryFields::default(), &change()).unwrap();
}

fn names(path: &Path) -> Vec<String> {
    let v = Vault::open(path, Unlock::Passphrase(pass())).unwrap();
    v.document().entries.iter().map(|e| e.name.clone()).collect()
}

#[test]
fn conflict_copies_are_merged_in_and_removed_and_foreign_ones_left() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("vault.age");
    let mut v = Vault::create(&path, pass(), 10).unwrap();
    add(&mut v, "a");
    add(&mut v, "b");
    v.save().unwrap();
    // Another device's version: "d" added and "a" deleted; written by the sync tool beside ours.
    let mut theirs = v.document().clone();
    theirs.add("d", Secret::from("sk-d"), EntryFields::default(), &change()).unwrap();
    theirs.remove("a", &change()).unwrap();
    let copy = dir.path().join("vault (conflicted copy 2026-01-02 101010).age");
    std::fs::write(&copy, vault::encrypt(&theirs, &Unlock::Passphrase(pass())).unwrap()).unwrap();
    // Meanwhile we added "c".
    add(&mut v, "c");
    v.save().unwrap();
    // A conflict copy of some other vault is refused and left alone.
    let foreign = dir.path().join("vault.sync-conflict-20260102-101010-ABCDEFG.age");
    Vault::create(&foreign, pass(), 10).unwrap();

    let results = v.merge_conflict_copies();
    assert_eq!(results.len(), 2);
    let (merged_path, merged) = &results[0];
    assert_eq!(merged_path, &copy);
    let summary = merged.as_ref().unwrap();
    assert_eq!((summary.added.clone(), summary.removed.clone()), (vec!["d".to_string()], vec!["a".to_string()]));
    assert!(!copy.exists(), "the merged copy was not removed");
    assert!(matches!(results[1].1, Err(VaultError::DifferentVault { .. })));
    assert!(foreign.exists(), "a copy that could not be merged was removed");
    let mut merged_names = names(&path);
    merged_names.sort();
    assert_eq!(merged_names, ["b", "c", "d"]);
}

#[test]
fn merge_file_takes_another_copy_and_leaves_it_unchanged() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("vault.age");
    let mut v = Vault::create(&path, pass(), 10).unwrap();
    add(&mut v, "a");
    v.save().unwrap();
    let other = dir.path().join("elsewhere.age");
    std::fs::copy(&path, &other).unwrap();
    let mut o = Vault::open(&other, Unlock::Passphrase(pass())).unwrap();
    add(&mut o, "from-other");
    o.save().unwrap();
    let before = std::fs::read(&other).unwrap();
    add(&mut v, "from-here");
    v.save().unwrap();
    let summary = v.merge_file(&other).unwrap();
    assert_eq!(summary.added, ["from-other"]);
    assert_eq!(summary.counts(), "1 added, 0 changed, 0 deleted");
    assert_eq!(std::fs::read(&other).unwrap(), before);
    assert_eq!(names(&path), ["a", "from-other", "from-here"]);
    // Merging again changes nothing.
    assert!(v.merge_file(&other).unwrap().is_empty());
}
