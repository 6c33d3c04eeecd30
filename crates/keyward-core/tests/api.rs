//! The one API both clients call (keyward_core::api), without a window or a terminal: every
//! rule that used to live in a client is tested here once.

use fake_providers::FakeProviders;
use keyward_core::api::{self, Credentials, EditEntry, NewEntry, Rename, Session, Which};
use keyward_core::check::Cancel;
use keyward_core::device::Device;
use keyward_core::{ErrorKind, Secret, SecretString};
use std::sync::Mutex;

const PASSPHRASE: &str = "velvet orbit pancake lantern";
const OPENAI: &str = "sk-proj-abcdefghijklmnopqrstuvwxyz0123456789";
const ANTHROPIC: &str = "sk-ant-api03-abcdefghijklmnopqrstuvwxyz0123456789";

fn new_session(dir: &tempfile::TempDir) -> Session {
    let device = Device::at(dir.path(), "ann");
    let mut s = Session::new(device, dir.path().join("vault.age"));
    s.create(SecretString::from(PASSPHRASE), 10).unwrap();
    s
}

fn add(s: &mut Session, name: &str, key: &str) -> String {
    s.add(NewEntry { name: name.into(), secret: Secret::from(key), ..Default::default() }).unwrap().0.id
}

fn pass(p: &str) -> Credentials<'static> {
    Credentials {
        passphrase: Some(SecretString::from(p.to_string())),
        identity_file: None,
        remembered: false,
        ask: Box::leak(Box::new(Credentials::nobody_to_ask)),
    }
}

#[test]
fn a_personal_vault_records_user_at_host_and_unlocks_again() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = new_session(&dir);
    let id = add(&mut s, "prod", OPENAI);
    assert_eq!(s.summary(&id).unwrap().updated_by, "ann@test");
    s.lock();
    assert_eq!(s.list().unwrap_err().kind(), ErrorKind::Locked);
    let wrong = s.unlock(&mut pass("not it at all, really"), &mut |_| false).unwrap_err();
    assert_eq!(wrong.kind(), ErrorKind::WrongPassphrase);
    s.unlock(&mut pass(PASSPHRASE), &mut |_| false).unwrap();
    assert_eq!(s.list().unwrap().len(), 1);
    assert!(!s.status().fresh_start);
}

#[test]
fn a_passphrase_needed_and_none_given_is_its_own_kind() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = new_session(&dir);
    s.lock();
    let mut nobody = Credentials::nobody_to_ask;
    let mut how = Credentials { passphrase: None, identity_file: None, remembered: false, ask: &mut nobody };
    assert_eq!(s.unlock(&mut how, &mut |_| false).unwrap_err().kind(), ErrorKind::PassphraseNeeded);
}

#[test]
fn trivially_guessable_master_passphrases_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = Session::new(Device::at(dir.path(), "ann"), dir.path().join("v.age"));
    for weak in ["a", "aaaaaaaaaaaaaaaaaaaa"] {
        let err = s.create(SecretString::from(weak), 10).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Invalid);
        assert!(err.to_string().contains("too easy to guess"), "{err}");
    }
    assert!(!dir.path().join("v.age").exists());
    s.create(SecretString::from(PASSPHRASE), 10).unwrap();
    let err = s.change_passphrase(Some(SecretString::from(PASSPHRASE)), SecretString::from("aaaaaaaaaa")).unwrap_err();
    assert!(err.to_string().contains("too easy to guess"), "{err}");
    // The new passphrase works, the old one does not.
    let new = "quiet harbor tulip engine seventy";
    s.change_passphrase(Some(SecretString::from(PASSPHRASE)), SecretString::from(new)).unwrap();
    s.lock();
    assert_eq!(s.unlock(&mut pass(PASSPHRASE), &mut |_| false).unwrap_err().kind(), ErrorKind::WrongPassphrase);
    s.unlock(&mut pass(new), &mut |_| false).unwrap();
}

#[test]
fn every_detail_can_be_edited_after_adding_and_a_failed_edit_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = new_session(&dir);
    let id = add(&mut s, "prod", OPENAI);
    add(&mut s, "dev", ANTHROPIC);
    let edit = EditEntry {
        provider: Some("openrouter".into()),
        env_var: Some("MY_KEY".into()),
        expires_on: Some("2027-03-01".into()),
        rotation_days: Some(30),
        environment: Some("production".into()),
        ..Default::default()
    };
    let (e, _) = s.edit(&id, edit).unwrap();
    assert_eq!((e.provider.as_str(), e.env_var.as_str()), ("openrouter", "MY_KEY"));
    assert_eq!(e.expires_on.unwrap().to_string(), "2027-03-01");
    assert_eq!(e.rotation_days, Some(30));
    let before = s.list().unwrap();
    let clash = s.edit(&id, EditEntry { name: Some("dev".into()), notes: Some("x".into()), ..Default::default() });
    assert_eq!(clash.unwrap_err().kind(), ErrorKind::DuplicateName);
    let bad_date = s.edit(&id, EditEntry { expires_on: Some("next week".into()), ..Default::default() });
    assert!(bad_date.unwrap_err().to_string().contains("YYYY-MM-DD"));
    assert_eq!(format!("{:?}", s.list().unwrap()), format!("{before:?}"));
    let (e, _) = s.edit(&id, EditEntry { expires_on: Some(String::new()), ..Default::default() }).unwrap();
    assert_eq!(e.expires_on, None);
}

#[test]
fn replacing_with_another_providers_key_is_questioned_and_drops_the_old_verdict() {
    let dir = tempfile::tempdir().unwrap();
    let server = FakeProviders::start();
    let mut s = new_session(&dir);
    let id = add(&mut s, "prod", "sk-proj-abcdefghijklmnop:invalid");
    s.edit(&id, EditEntry { base_url: Some(server.base_url("openai")), ..Default::default() }).unwrap();
    let session = Mutex::new(s);
    let run = api::check(&session, Which::All, false, &Cancel::default(), &mut |_| true, &mut |_| {}).unwrap();
    assert_eq!(run.summary.line, "1 invalid");
    let mut s = session.into_inner().unwrap();
    assert_eq!(s.summary(&id).unwrap().last_check.unwrap().status, "invalid");
    let err = s.replace(&id, Secret::from(ANTHROPIC), false, false).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::OtherProvider);
    assert!(
        err.to_string().starts_with("This looks like a key for Anthropic, but \"prod\" is a key for OpenAI."),
        "{err}"
    );
    assert!(!err.to_string().contains("sk-ant"));
    let (e, _) = s.replace(&id, Secret::from(ANTHROPIC), false, true).unwrap();
    assert_eq!(e.provider, "anthropic");
    assert!(e.last_check.is_none(), "the old value's verdict stayed");
    assert_eq!(e.history.len(), 1);
}

#[test]
fn delete_then_undo_brings_the_key_back_once() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = new_session(&dir);
    let id = add(&mut s, "prod", OPENAI);
    assert_eq!(s.delete(&id).unwrap().0, "prod");
    assert!(s.list().unwrap().is_empty());
    assert_eq!(s.undo_delete().unwrap().0, "prod");
    assert_eq!(s.reveal(&id).unwrap().expose(), OPENAI);
    assert!(s.undo_delete().unwrap_err().to_string().contains("nothing to undo"));
    s.delete(&id).unwrap();
    s.lock();
    s.unlock(&mut pass(PASSPHRASE), &mut |_| false).unwrap();
    assert!(s.undo_delete().is_err(), "an undo survived the lock");
}

#[test]
fn check_all_uses_one_run_reports_failing_keys_first_and_saves_once() {
    let dir = tempfile::tempdir().unwrap();
    let server = FakeProviders::start();
    let mut s = new_session(&dir);
    for (name, key) in [
        ("a", "sk-proj-aaaaaaaaaaaa"),
        ("b", "sk-proj-bbbbbbbbbbbb:invalid"),
        ("c", "sk-proj-cccccccc:rate_limited"),
        ("d", "sk-proj-dddddddddd"),
    ] {
        let id = add(&mut s, name, key);
        s.edit(&id, EditEntry { base_url: Some(server.base_url("openai")), ..Default::default() }).unwrap();
    }
    let session = Mutex::new(s);
    let mut seen = 0;
    let run = api::check(&session, Which::All, false, &Cancel::default(), &mut |_| true, &mut |_| seen += 1).unwrap();
    assert_eq!(seen, 4);
    assert_eq!(run.summary.line, "2 work, 1 invalid, 1 rate-limited");
    let order: Vec<&str> = run.reports.iter().map(|r| r.name.as_str()).collect();
    assert_eq!(order, ["b", "c", "a", "d"]);
    // Saved: a new session on the file sees every verdict.
    let mut again = Session::new(Device::at(dir.path(), "ann"), dir.path().join("vault.age"));
    again.unlock(&mut pass(PASSPHRASE), &mut |_| false).unwrap();
    assert!(again.list().unwrap().iter().all(|e| e.last_check.is_some()));
}

#[test]
fn a_cancelled_check_all_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let server = FakeProviders::start();
    server.set_latency(std::time::Duration::from_secs(30));
    let mut s = new_session(&dir);
    let id = add(&mut s, "slow", "sk-proj-slowslowslowslow");
    s.edit(&id, EditEntry { base_url: Some(server.base_url("openai")), ..Default::default() }).unwrap();
    let session = Mutex::new(s);
    let cancel = Cancel::default();
    let stopper = cancel.clone();
    std::thread::spawn(move || {
        std::thread::sleep(std::time::Duration::from_millis(200));
        stopper.cancel();
    });
    let run = api::check(&session, Which::All, false, &cancel, &mut |_| true, &mut |_| {}).unwrap();
    assert!(run.summary.cancelled && run.reports.is_empty());
    assert_eq!(run.summary.line, "stopped before the rest");
}

#[test]
fn export_writes_chosen_keys_once_each_and_import_renames_a_clash() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = new_session(&dir);
    let prod = add(&mut s, "prod", OPENAI);
    add(&mut s, "dev", "sk-proj-zyxwvutsrqponmlkjihgfedcba9876543210");
    let all = s.export_to_file(&dir.path().join("all.env").display().to_string(), &[]).unwrap_err();
    assert!(all.to_string().starts_with("OPENAI_API_KEY would be written for 2 keys"), "{all}");
    let out = dir.path().join("prod.env");
    assert_eq!(s.export_to_file(&out.display().to_string(), &[prod]).unwrap(), 1);
    let text = std::fs::read_to_string(&out).unwrap();
    assert_eq!(text.matches("OPENAI_API_KEY=").count(), 1);

    // A second project's OPENAI_API_KEY under a name already taken.
    let file = dir.path().join("other.env");
    std::fs::write(&file, "OPENAI_API_KEY=sk-proj-anotherprojectkeyanotherprojectkey\n").unwrap();
    let path = file.display().to_string();
    let name = s.preview_import(&path, false, &[]).unwrap().added[0].name.clone();
    s.add(NewEntry {
        name: name.clone(),
        secret: Secret::from("sk-proj-takenbyanotherkeytakenbyanother"),
        ..Default::default()
    })
    .unwrap();
    let preview = s.preview_import(&path, false, &[]).unwrap();
    assert!(preview.added.is_empty() && preview.skipped[0].name_taken, "{preview:?}");
    let rename = [Rename { line: preview.skipped[0].line, name: "other-project".into() }];
    let (result, saved) = s.import(&path, false, &rename).unwrap();
    assert_eq!(result.added, ["other-project"]);
    assert!(saved.is_some());
}

#[test]
fn errors_never_hold_a_key() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = new_session(&dir);
    let id = add(&mut s, "prod", OPENAI);
    let errors = [
        s.add(NewEntry { name: "prod".into(), secret: Secret::from(OPENAI), ..Default::default() }).unwrap_err(),
        s.replace(&id, Secret::from(ANTHROPIC), false, false).unwrap_err(),
        s.edit("no-such-id", EditEntry::default()).unwrap_err(),
    ];
    for e in errors {
        let json = serde_json::to_string(&e).unwrap();
        assert!(!json.contains("abcdefghij"), "{json}");
        assert!(json.contains("\"kind\"") && json.contains("\"message\""));
    }
}
