//! Issue 11: a teammate, a former teammate or anyone who can write the shared folder builds a
//! hostile team vault by hand, with stock `age` and plain JSON, as an attacker would (never
//! with Keyward's own writer). Each test proves the attack is refused and explained, and that
//! nothing ran and nothing was sent.

use keyward_e2e::members::{as_member, fingerprint, keygen, member_line, ok, read_json, sign_as, stock_age_encrypt};
use std::path::Path;
use std::process::Command;

const KEY: &str = "sk-proj-TeamKey0123456789abcdefghijklmnop";

/// Ann's team vault with Bob and Cat as members and one key, `deploy`.
struct Team {
    dir: tempfile::TempDir,
    ann: std::path::PathBuf,
    bob: std::path::PathBuf,
    cat: std::path::PathBuf,
    ann_public: String,
    bob_public: String,
}

impl Team {
    fn new() -> Team {
        let dir = tempfile::tempdir().unwrap();
        let (ann, ann_public) = keygen(dir.path(), "ann");
        let (bob, bob_public) = keygen(dir.path(), "bob");
        let (cat, _) = keygen(dir.path(), "cat");
        let team = Team { dir, ann, bob, cat, ann_public, bob_public };
        team.ann_ok(&["init", "--team", "--name", "ann"], None);
        team.ann_ok(&["member", "add", "bob", &member_line(team.home(), &team.bob)], None);
        team.ann_ok(&["member", "add", "cat", &member_line(team.home(), &team.cat)], None);
        team.ann_ok(&["add", "deploy", "--provider", "openai"], Some(KEY));
        team
    }
    fn stderr_of(out: &std::process::Output) -> String {
        String::from_utf8_lossy(&out.stderr).into_owned()
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
    /// Bob changes the first key as a member may, and signs his version with his own key.
    fn bob_edits_first_key(&self, change: impl FnOnce(&mut serde_json::Value)) {
        self.bob_rewrites(|json| {
            let vault_id = json["vault_id"].as_str().unwrap().to_string();
            let entry = &mut json["entries"][0];
            change(entry);
            entry["updated_by"] = "bob".into();
            sign_as(&self.bob, "entry", &vault_id, entry, &["history", "last_check"]);
        });
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
        team.bob_edits_first_key(|entry| {
            entry["env_var"] = var.into();
            entry["secret"] = script.display().to_string().into();
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
    team.bob_edits_first_key(|entry| entry["secret"] = hostile.clone().into());
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
    // Compared without printing the key.
    assert!(String::from_utf8_lossy(&out.stdout) == hostile, "the value does not come back exactly");
}

/// Attack 8: a member writes a change under another member's name; the name shown is the
/// signer's, beside the claim, in `show` (text and JSON).
#[test]
fn a_change_under_another_members_name_is_shown_with_its_signer() {
    let team = Team::new();
    team.bob_rewrites(|json| {
        let vault_id = json["vault_id"].as_str().unwrap().to_string();
        let entry = &mut json["entries"][0];
        entry["notes"] = "rotated by ann, trust me".into();
        entry["updated_by"] = "ann".into();
        sign_as(&team.bob, "entry", &vault_id, entry, &["history", "last_check"]);
    });
    let shown: serde_json::Value = serde_json::from_str(&team.ann_ok(&["show", "deploy", "--json"], None)).unwrap();
    assert_eq!(shown["updated_by"], "ann, signed by bob");
    assert!(team.ann_ok(&["show", "deploy"], None).contains("by ann, signed by bob"));
    // Ann's own change names her alone.
    team.ann_ok(&["edit", "deploy", "--note", "checked"], None);
    let shown: serde_json::Value = serde_json::from_str(&team.ann_ok(&["show", "deploy", "--json"], None)).unwrap();
    assert_eq!(shown["updated_by"], "ann");
}

/// A membership operation as Bob's own tools would make one: parents, action, time, signed by
/// `signer` (an identity file), optionally claiming to be by someone else's fingerprint.
fn membership_op(
    signer: &Path,
    vault_id: &str,
    parents: Vec<String>,
    action: serde_json::Value,
    claimed_by: Option<&str>,
) -> serde_json::Value {
    let mut op = action;
    op["parents"] = parents.into();
    op["at"] = keyward_e2e::members::now_rfc3339().into();
    sign_as(signer, "membership", vault_id, &mut op, &[]);
    if let Some(fingerprint) = claimed_by {
        op["signed"]["by"] = fingerprint.into();
    }
    op
}

fn op_hash(op: &serde_json::Value) -> String {
    serde_json::from_value::<keyward_core::member_log::MemberOp>(op.clone()).unwrap().hash()
}

fn member_key(line: &str, name: &str) -> serde_json::Value {
    let key = keyward_core::members::parse_member_line(line).unwrap();
    serde_json::json!({ "name": name, "public_key": key.public_key, "signing_key": key.signing_key })
}

/// Attack 1: a removed member writes a conflict copy that makes him a member again (a members
/// list edited by hand, an addition he signs himself as if he had not seen his removal, and one
/// that claims to be by Cat), encrypted to Ann's public key alone.
#[test]
fn a_removed_member_cannot_make_himself_a_member_again() {
    let team = Team::new();
    let before_removal = read_json(&team.vault(), &team.bob);
    team.ann_ok(&["member", "rm", "bob"], None);
    team.ann_ok(&["add", "after-bob", "--provider", "groq"], Some("gsk_addedAfterBobLeft0123456789"));
    let vault_bytes = std::fs::read(team.vault()).unwrap();

    let vault_id = before_removal["vault_id"].as_str().unwrap().to_string();
    let old_head = op_hash(before_removal["membership"].as_array().unwrap().last().unwrap());
    let bob_line = member_line(team.home(), &team.bob);
    let add_bob = serde_json::json!({ "action": "add", "member": member_key(&bob_line, "bob") });
    let cat_fp = fingerprint(team.home(), &team.cat);
    let mut hostile = before_removal.clone();
    let log = hostile["membership"].as_array_mut().unwrap();
    log.push(membership_op(&team.bob, &vault_id, vec![old_head.clone()], add_bob.clone(), None));
    log.push(membership_op(&team.bob, &vault_id, vec![old_head], add_bob, Some(&cat_fp)));
    // The readable list, too: Bob active, "added by" Cat.
    for m in hostile["members"].as_array_mut().unwrap() {
        if m["name"] == "bob" {
            m["added_by"] = "cat".into();
            m.as_object_mut().unwrap().remove("removed_at");
        }
    }
    let copy = team.home().join("team.sync-conflict-20260101-000000-BOB.age");
    stock_age_encrypt(&hostile, &[&team.ann_public], &copy);

    let out = team.ann(&["merge"], None);
    assert!(out.status.success(), "{}", Team::stderr_of(&out));
    let said = Team::stderr_of(&out) + &String::from_utf8_lossy(&out.stdout);
    assert!(said.contains("A membership change (adding \"bob\")"), "{said}");
    assert!(said.contains("its author was removed from the team at the same time"), "{said}");
    assert!(said.contains("its signature does not match"), "{said}");
    assert!(said.contains("the copy was kept"), "{said}");
    assert!(copy.exists(), "the conflict copy carrying the refused changes was deleted");
    assert_eq!(std::fs::read(team.vault()).unwrap(), vault_bytes, "the vault changed");

    // The next save is still not encrypted to Bob, and the list says he is a former member.
    team.ann_ok(&["add", "later", "--provider", "groq"], Some("gsk_laterKey0123456789abcdef"));
    assert!(!keyward_e2e::members::stock_age_decrypt(&team.vault(), &team.bob).status.success());
    let list = team.ann_ok(&["member", "list"], None);
    assert!(list.contains("bob (former member)"), "{list}");

    // Or he puts back a copy from before his removal (every signature in it is good): this
    // device remembers the removal, says the file is older, and still does not encrypt to him.
    stock_age_encrypt(&before_removal, &[&team.ann_public, &team.bob_public], &team.vault());
    let out = team.ann(&["add", "after-rollback", "--provider", "groq"], Some("gsk_afterRollback0123456789"));
    assert!(out.status.success(), "{}", Team::stderr_of(&out));
    assert!(
        Team::stderr_of(&out).contains("does not hold membership changes this device saw before"),
        "{}",
        Team::stderr_of(&out)
    );
    assert!(
        !keyward_e2e::members::stock_age_decrypt(&team.vault(), &team.bob).status.success(),
        "encrypted to Bob again"
    );
    assert!(team.ann_ok(&["member", "list"], None).contains("bob (former member)"));
}

/// Attack 3: a member points a shared key at his own server. It is not sent there until Ann
/// confirms it on her device, and that survives his removal and the rotation.
#[test]
fn a_key_is_not_sent_to_a_base_url_another_member_set_until_confirmed() {
    let team = Team::new();
    let attacker = fake_providers::FakeProviders::start_on("127.0.0.2");
    let url = attacker.base_url("openai");
    team.bob_edits_first_key(|entry| entry["base_url"] = url.clone().into());

    let out = team.ann(&["test", "deploy"], None);
    let stderr = Team::stderr_of(&out);
    assert!(stderr.contains("is to be sent to 127.0.0.2"), "{stderr}");
    assert!(stderr.contains("bob ("), "who set it is named: {stderr}");
    assert!(stderr.contains("keyward trust deploy"), "{stderr}");
    // Removed, and the key rotated as Keyward asks: still not sent.
    team.ann_ok(&["member", "rm", "bob"], None);
    let rotated = team.ann_ok(&["edit", "deploy", "--secret-stdin"], Some("sk-proj-RotatedAfterBobLeft0123456789"));
    assert!(rotated.contains("The new key is still sent to 127.0.0.2"), "the rotation does not say where: {rotated}");
    let out = team.ann(&["test", "deploy"], None);
    assert!(Team::stderr_of(&out).contains("is to be sent to 127.0.0.2"), "{}", Team::stderr_of(&out));
    assert!(attacker.requests().is_empty(), "the key was sent to the address Bob chose");

    // Confirmed on this device: now it is (which shows the test would see a leak).
    team.ann_ok(&["trust", "deploy", "--yes"], None);
    team.ann(&["test", "deploy"], None);
    assert_eq!(attacker.requests().len(), 1);
    // A base URL Ann sets herself needs no confirmation.
    let mine = fake_providers::FakeProviders::start();
    team.ann_ok(&["edit", "deploy", "--base-url", &mine.base_url("openai")], None);
    let out = team.ann(&["test", "deploy"], None);
    assert!(!Team::stderr_of(&out).contains("is to be sent to"), "{}", Team::stderr_of(&out));
    assert_eq!(mine.requests().len(), 1);
}

/// Attack 4: changes dated in the far future (to win every merge, empty the keys to rotate,
/// or delete every key for everyone) are refused; the vault still opens and keeps its keys.
#[test]
fn changes_dated_in_the_future_are_refused() {
    let team = Team::new();
    team.bob_rewrites(|json| {
        let vault_id = json["vault_id"].as_str().unwrap().to_string();
        let id = json["entries"][0]["id"].clone();
        let mut tombstone =
            serde_json::json!({ "id": id, "deleted_at": "9999-12-31T23:59:59.999999999Z", "deleted_by": "bob" });
        sign_as(&team.bob, "tombstone", &vault_id, &mut tombstone, &[]);
        json["tombstones"] = serde_json::json!([tombstone]);
        let mut late = json["entries"][0].clone();
        late["id"] = "0b0b0b0b-0000-4000-8000-000000000000".into();
        late["name"] = "far-future".into();
        late["updated_at"] = "9999-12-31T23:59:59.999999999Z".into();
        sign_as(&team.bob, "entry", &vault_id, &mut late, &["history", "last_check"]);
        json["entries"].as_array_mut().unwrap().push(late);
    });
    let out = team.ann(&["list", "--json"], None);
    assert!(out.status.success(), "{}", Team::stderr_of(&out));
    let stderr = Team::stderr_of(&out);
    assert!(stderr.contains("A deletion of a key was not applied: it is dated in the future (9999-12-31)"), "{stderr}");
    assert!(
        stderr.contains("A change to the key \"far-future\" was not applied: it is dated in the future"),
        "{stderr}"
    );
    let names: Vec<String> = serde_json::from_slice::<Vec<serde_json::Value>>(&out.stdout)
        .unwrap()
        .iter()
        .map(|e| e["name"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(names, ["deploy"]);
    // Editing and saving works, and writes a file Keyward reads again.
    team.ann_ok(&["edit", "deploy", "--note", "still here"], None);
    assert!(team.ann_ok(&["show", "deploy"], None).contains("still here"));
}

/// Attack 5: a look-alike name (Cyrillic "а") for a second key of the same person.
#[test]
fn a_member_name_that_looks_like_another_is_refused_or_flagged() {
    let team = Team::new();
    let (eve, _) = keygen(team.home(), "eve");
    let eve_line = member_line(team.home(), &eve);
    let out = team.ann(&["member", "add", "\u{430}nn", &eve_line], None);
    let stderr = Team::stderr_of(&out);
    assert!(!out.status.success());
    assert!(stderr.contains("looks like the name of the member \"ann\""), "{stderr}");
    for name in ["ANN", "ann\u{200B}"] {
        assert!(!team.ann(&["member", "add", name, &eve_line], None).status.success(), "{name}");
    }
    // Bob, a member, adds the look-alike with his own tools: it counts (he may add people),
    // but everyone is told, with both fingerprints.
    team.bob_rewrites(|json| {
        let vault_id = json["vault_id"].as_str().unwrap().to_string();
        let head = op_hash(json["membership"].as_array().unwrap().last().unwrap());
        let add = serde_json::json!({ "action": "add", "member": member_key(&eve_line, "\u{430}nn") });
        let op = membership_op(&team.bob, &vault_id, vec![head], add, None);
        json["membership"].as_array_mut().unwrap().push(op);
    });
    let out = team.ann(&["member", "list"], None);
    let stderr = Team::stderr_of(&out);
    assert!(stderr.contains("Two members have names that look alike"), "{stderr}");
    assert!(stderr.contains(&fingerprint(team.home(), &eve)), "{stderr}");
}

/// Attack 6: a personal vault swapped for a "team" file encrypted to its owner's public key
/// would open with the usual passphrase; it is refused until the owner confirms.
#[test]
fn a_personal_vault_replaced_by_a_team_file_is_not_opened_without_confirmation() {
    let v = keyward_e2e::TestVault::new();
    v.ok(&["add", "mine", "--provider", "groq"], Some("gsk_personalKey0123456789"));
    let owner: serde_json::Value = serde_json::from_str(&v.ok(&["identity", "--json"], None)).unwrap();
    let owner_key = owner["public_key"].as_str().unwrap().to_string();
    let (_, eve_public) = keygen(v.dir.path(), "eve");
    // The attacker knows the vault's id (from an old copy) and the owner's public key.
    let plain = v.dir.path().join("plain.json");
    keyward_e2e::age_with_passphrase(
        &["-d", "-o", plain.to_str().unwrap(), v.path.to_str().unwrap()],
        keyward_e2e::PASSPHRASE,
    );
    let vault_id =
        serde_json::from_slice::<serde_json::Value>(&std::fs::read(&plain).unwrap()).unwrap()["vault_id"].clone();
    let forged = |id: serde_json::Value| {
        serde_json::json!({
            "format": "keyward-vault", "version": 1, "vault_id": id,
            "created_at": "2026-01-01T00:00:00Z", "settings": { "scrypt_work_factor": 18 },
            "members": [
                { "name": "me", "public_key": owner_key, "added_at": "2026-01-01T00:00:00Z", "added_by": "me" },
                { "name": "backup", "public_key": eve_public, "added_at": "2026-01-01T00:00:00Z", "added_by": "me" }
            ],
            "entries": []
        })
    };
    for (id, said) in [
        (vault_id, "was a personal vault on this device and is now a team vault, encrypted to me, backup"),
        (
            "11111111-2222-4333-8444-555555555555".into(),
            "holds a different vault than the one this device opened there before",
        ),
    ] {
        stock_age_encrypt(&forged(id), &[&owner_key], &v.path);
        let bytes = std::fs::read(&v.path).unwrap();
        for args in [&["list"][..], &["add", "new-key"]] {
            let out = v.run(args, Some("gsk_wouldBeReadByEve0123456789"));
            let stderr = String::from_utf8_lossy(&out.stderr);
            assert_eq!(out.status.code(), Some(1), "{args:?}: {stderr}");
            assert!(stderr.contains(said), "{stderr}");
            assert!(stderr.contains("--accept-change"), "{stderr}");
            assert_eq!(std::fs::read(&v.path).unwrap(), bytes, "{args:?} wrote to the file");
        }
    }
    // The owner meant it: accepted once, it opens, and from then on without asking.
    v.ok(&["--accept-change", "list"], None);
    v.ok(&["list"], None);
}

/// An existing team vault from before signed changes is signed by the first member who saves
/// it, and everyone is told once that its earlier history could not be verified.
#[test]
fn an_unsigned_team_vault_is_upgraded_on_the_first_save_and_says_so_once() {
    let dir = tempfile::tempdir().unwrap();
    let home = dir.path();
    let vault = home.join("old.age");
    let (ann, ann_public) = keygen(home, "ann");
    let (bob, bob_public) = keygen(home, "bob");
    let old = serde_json::json!({
        "format": "keyward-vault", "version": 1, "vault_id": "22222222-2222-4333-8444-555555555555",
        "created_at": "2026-01-01T00:00:00Z", "settings": { "scrypt_work_factor": 18 },
        "members": [
            { "name": "ann", "public_key": ann_public, "added_at": "2026-01-01T00:00:00Z", "added_by": "ann" },
            { "name": "bob", "public_key": bob_public, "added_at": "2026-01-01T00:00:00Z", "added_by": "ann" }
        ],
        "entries": [{
            "id": "33333333-2222-4333-8444-555555555555", "name": "old-key", "provider": "groq",
            "secret": "gsk_oldUnsignedKey0123456789", "env_var": "GROQ_API_KEY",
            "created_at": "2026-01-01T00:00:00Z", "updated_at": "2026-01-01T00:00:00Z", "updated_by": "ann"
        }]
    });
    stock_age_encrypt(&old, &[&ann_public, &bob_public], &vault);
    let out = as_member(&vault, home, &ann, &["add", "new-key", "--provider", "groq"], Some("gsk_newKey0123456789abc"));
    assert!(out.status.success(), "{}", Team::stderr_of(&out));
    assert!(Team::stderr_of(&out).contains("could not be verified"), "{}", Team::stderr_of(&out));
    let json = read_json(&vault, &bob);
    assert_eq!(json["version"], 2);
    assert_eq!(json["membership"][0]["action"], "root");
    assert!(json["entries"].as_array().unwrap().iter().all(|e| e["signed"]["sig"].is_string()));
    let again = as_member(&vault, home, &ann, &["list"], None);
    assert!(!Team::stderr_of(&again).contains("could not be verified"), "said twice");
    // Bob was in the old list without a signing key: he reads, but his writes are refused
    // with what to do, and the file is untouched.
    let bytes = std::fs::read(&vault).unwrap();
    assert!(ok(as_member(&vault, home, &bob, &["list"], None)).contains("new-key"));
    let out = as_member(&vault, home, &bob, &["rm", "old-key"], None);
    assert!(!out.status.success());
    assert!(
        Team::stderr_of(&out).contains("You can read this team vault but not change it"),
        "{}",
        Team::stderr_of(&out)
    );
    assert_eq!(std::fs::read(&vault).unwrap(), bytes);
    // Ann adds him again with his line: now he writes.
    ok(as_member(&vault, home, &ann, &["member", "add", "bob", &member_line(home, &bob)], None));
    ok(as_member(&vault, home, &bob, &["rm", "old-key"], None));
}

/// The identity's passphrase can be changed; every team vault still opens with the new one.
#[test]
fn the_identity_passphrase_can_be_changed() {
    let v = keyward_e2e::TestVault::new();
    let (bob, _) = keygen(v.dir.path(), "bob");
    let bob_line = member_line(v.dir.path(), &bob);
    v.ok(&["member", "add", "bob", &bob_line, "--me", "me"], None);
    let out = v.command(&["passwd"]).env("KEYWARD_NEW_PASSPHRASE", "a brand new identity passphrase").output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stdout).contains("The passphrase of your identity"));
    let old = v.run(&["list"], None);
    assert!(String::from_utf8_lossy(&old.stderr).contains("passphrase is wrong"));
    let new = v.command(&["list"]).env("KEYWARD_PASSPHRASE", "a brand new identity passphrase").output().unwrap();
    assert!(new.status.success(), "{}", String::from_utf8_lossy(&new.stderr));
}
