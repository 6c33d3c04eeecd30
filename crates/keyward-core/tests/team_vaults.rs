//! Team vaults on disk: encrypted to every member, opened by each with their own identity,
//! membership changes re-encrypt, and a personal vault becomes a team vault with every entry.

use keyward_core::identity::{self, Identity};
use keyward_core::{Change, EntryFields, Secret, SecretString, Unlock, Vault, VaultError};

fn person() -> (Identity, String) {
    let secret = age::x25519::Identity::generate();
    use age::secrecy::ExposeSecret;
    let text = secret.to_string().expose_secret().to_string();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("key.txt");
    std::fs::write(&file, &text).unwrap();
    (identity::from_plain_file(&file).unwrap(), text)
}

fn unlock(text: &str) -> Unlock {
    keyward_core::crypto::parse_identity_file(text).unwrap()
}

fn change(actor: &str) -> Change<'_> {
    Change { now: chrono::Utc::now(), actor }
}

#[test]
fn three_members_open_it_and_a_removed_one_no_longer_can() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("team.age");
    let ((ann, ann_key), (bob, bob_key), (cat, cat_key)) = (person(), person(), person());
    let (bob_public, cat_public) = (bob.member_line(), cat.member_line());
    let mut vault = Vault::create_team(&path, "ann", ann).unwrap();
    vault.document_mut().add_member("bob", &bob_public, &change("ann")).unwrap();
    vault.document_mut().add_member("cat", &cat_public, &change("ann")).unwrap();
    vault.document_mut().add("openai", Secret::from("sk-proj-team"), EntryFields::default(), &change("ann")).unwrap();
    vault.save().unwrap();
    drop(vault);
    for key in [&ann_key, &bob_key, &cat_key] {
        let opened = Vault::open(&path, unlock(key)).unwrap();
        assert_eq!(opened.document().get("openai").unwrap().secret.expose(), "sk-proj-team");
    }
    let err = Vault::open(&path, Unlock::Passphrase(SecretString::from("x".to_string()))).unwrap_err();
    assert!(err.to_string().contains("open it with your identity"), "{err}");

    let mut vault = Vault::open(&path, unlock(&cat_key)).unwrap();
    let to_rotate = vault.document_mut().remove_member("bob", &change("cat")).unwrap();
    assert_eq!(to_rotate, ["openai"]);
    vault.save().unwrap();
    assert!(matches!(Vault::open(&path, unlock(&bob_key)), Err(VaultError::NoMatchingIdentity)));
    let ann_view = Vault::open(&path, unlock(&ann_key)).unwrap();
    let exposed = ann_view.document().exposed();
    assert_eq!(exposed.len(), 1);
    assert_eq!(exposed[0].former_members, ["bob"]);
}

#[test]
fn a_personal_vault_becomes_a_team_vault_with_every_entry() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("vault.age");
    let pass = || SecretString::from("personal passphrase".to_string());
    let mut vault = Vault::create(&path, pass(), 10).unwrap();
    for name in ["a", "b", "c"] {
        vault
            .document_mut()
            .add(name, Secret::new(format!("sk-{name}")), EntryFields::default(), &change("me"))
            .unwrap();
    }
    vault.save().unwrap();
    let (me, my_key) = person();
    vault.make_team("me", me).unwrap();
    assert!(vault.make_team("me", person().0).is_err(), "already a team vault");
    // Still usable in this session (saves go to the members).
    vault.document_mut().add("d", Secret::from("sk-d"), EntryFields::default(), &change("me")).unwrap();
    vault.save().unwrap();
    drop(vault);
    let err = Vault::open(&path, Unlock::Passphrase(pass())).unwrap_err();
    assert!(err.to_string().contains("open it with your identity"), "{err}");
    let mut opened = Vault::open(&path, unlock(&my_key)).unwrap();
    let names: Vec<&str> = opened.document().entries.iter().map(|e| e.name.as_str()).collect();
    assert_eq!(names, ["a", "b", "c", "d"]);

    // And back: a personal vault again, under a new passphrase, with every entry and nothing to rotate.
    let (bob, _) = person();
    opened.document_mut().add_member("bob", &bob.member_line(), &change("me")).unwrap();
    let err = opened.make_personal(pass()).unwrap_err();
    assert_eq!(err.to_string(), "Remove the other 1 member(s) first (they may have kept copies of the keys).");
    opened.document_mut().remove_member("bob", &change("me")).unwrap();
    // The team document says 10 (this test vault was made with it, as a member could set it):
    // the new passphrase gets this device's work factor all the same.
    assert_eq!(opened.document().settings.scrypt_work_factor, 10);
    opened.make_personal(SecretString::from("new passphrase".to_string())).unwrap();
    drop(opened);
    let header = String::from_utf8_lossy(&std::fs::read(&path).unwrap()[..200]).into_owned();
    let stanza = header.lines().find(|l| l.starts_with("-> scrypt ")).unwrap();
    assert!(stanza.ends_with(" 18"), "{stanza}");
    let personal = Vault::open(&path, Unlock::Passphrase(SecretString::from("new passphrase".to_string()))).unwrap();
    assert_eq!(personal.document().entries.len(), 4);
    assert!(!personal.document().is_team());
    let exposed: Vec<_> = personal.document().exposed().iter().map(|x| x.former_members.clone()).collect();
    assert!(exposed.iter().all(|who| who == &vec!["bob"]), "{exposed:?}");
    for n in 1..=keyward_core::atomic_file::BACKUPS {
        let backup = keyward_core::atomic_file::backup_path(&path, n);
        if let Ok(bytes) = std::fs::read(&backup) {
            assert!(
                !keyward_core::crypto::is_passphrase_encrypted(&bytes),
                "{} opens with the passphrase",
                backup.display()
            );
        }
    }
}

#[test]
fn two_members_saving_at_once_merge_and_membership_changes_survive() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("team.age");
    let ((ann, ann_key), (bob, bob_key), (cat, _)) = (person(), person(), person());
    let mut vault = Vault::create_team(&path, "ann", ann).unwrap();
    vault.document_mut().add_member("bob", &bob.member_line(), &change("ann")).unwrap();
    vault.save().unwrap();
    let mut ann_copy = Vault::open(&path, unlock(&ann_key)).unwrap();
    let mut bob_copy = Vault::open(&path, unlock(&bob_key)).unwrap();
    ann_copy.document_mut().add("from-ann", Secret::from("sk-ann"), EntryFields::default(), &change("ann")).unwrap();
    ann_copy.document_mut().add_member("cat", &cat.member_line(), &change("ann")).unwrap();
    ann_copy.save().unwrap();
    bob_copy.document_mut().add("from-bob", Secret::from("sk-bob"), EntryFields::default(), &change("bob")).unwrap();
    let report = bob_copy.save().unwrap();
    assert!(report.merged);
    let doc = Vault::open(&path, unlock(&ann_key)).unwrap().document().clone();
    assert!(doc.get("from-ann").is_ok() && doc.get("from-bob").is_ok());
    assert_eq!(doc.active_members().map(|m| m.name.as_str()).collect::<Vec<_>>(), ["ann", "bob", "cat"]);
}
