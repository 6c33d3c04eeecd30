//! Team vaults through the real `keyward` CLI, with identities made by `age-keygen` and the
//! files checked with stock `age`.

use keyward_e2e::members::{as_member, keygen, member_line, ok, stock_age_decrypt};
use keyward_e2e::{PASSPHRASE, TestVault, age_with_passphrase, git, keyward_bin, require_tool, run_with_stdin};
use std::process::Command;

const KEY: &str = "sk-proj-TeamKey0123456789abcdefghijklmnop";

#[test]
fn three_members_share_a_vault_and_a_removed_one_is_locked_out() {
    let dir = tempfile::tempdir().unwrap();
    let (home, vault) = (dir.path(), dir.path().join("team.age"));
    let (ann, _) = keygen(home, "ann");
    let (bob, _) = keygen(home, "bob");
    let (cat, _) = keygen(home, "cat");
    // What each shares to be added: `keyward identity` prints their public and signing keys.
    let (bob_public, cat_line) = (member_line(home, &bob), member_line(home, &cat));
    assert!(bob_public.starts_with("age1") && bob_public.contains(" ed25519:"), "{bob_public}");
    std::fs::write(home.join("cat.pub"), format!("# cat's key\n{cat_line}\n")).unwrap();

    let out = ok(as_member(&vault, home, &ann, &["init", "--team", "--name", "ann"], None));
    assert!(out.contains("with you (ann) as its first member"), "{out}");
    ok(as_member(&vault, home, &ann, &["member", "add", "bob", &bob_public], None));
    let cat_file = home.join("cat.pub");
    let out = ok(as_member(&vault, home, &ann, &["member", "add", "cat", "--file", cat_file.to_str().unwrap()], None));
    assert!(out.contains("encrypted to 3 member(s): ann, bob, cat"), "{out}");
    ok(as_member(&vault, home, &ann, &["add", "openai", "--provider", "openai"], Some(KEY)));

    // Each member opens it with Keyward and with stock age.
    for id in [&ann, &bob, &cat] {
        assert_eq!(ok(as_member(&vault, home, id, &["get", "openai"], None)).trim(), KEY);
        let plain = stock_age_decrypt(&vault, id);
        assert!(plain.status.success(), "{}", String::from_utf8_lossy(&plain.stderr));
        let json: serde_json::Value = serde_json::from_slice(&plain.stdout).unwrap();
        assert_eq!(json["members"].as_array().unwrap().len(), 3);
        assert_eq!(json["entries"][0]["secret"], KEY);
    }
    // Who added whom, and when.
    let list: serde_json::Value =
        serde_json::from_str(&ok(as_member(&vault, home, &bob, &["member", "list", "--json"], None))).unwrap();
    let members = list["members"].as_array().unwrap();
    assert_eq!(members.iter().map(|m| m["name"].as_str().unwrap()).collect::<Vec<_>>(), ["ann", "bob", "cat"]);
    assert!(members.iter().all(|m| m["added_by"] == "ann" && m["added_at"].as_str().unwrap().ends_with("UTC")));
    // Bob's edits are recorded under his member name.
    ok(as_member(&vault, home, &bob, &["edit", "openai", "--note", "shared"], None));
    let shown = ok(as_member(&vault, home, &cat, &["show", "openai"], None));
    assert!(shown.contains("by bob"), "{shown}");

    // Cat removes Bob: the keys he could read are listed; his identity no longer opens the file.
    let out = ok(as_member(&vault, home, &cat, &["member", "rm", "bob"], None));
    assert!(out.contains("bob could read these 1 key(s) and may have kept copies"), "{out}");
    assert!(out.contains("  openai"), "{out}");
    assert!(!stock_age_decrypt(&vault, &bob).status.success(), "bob's identity still opens the vault");
    let refused = as_member(&vault, home, &bob, &["list"], None);
    assert!(String::from_utf8_lossy(&refused.stderr).contains("None of your identities can open this vault"));
    assert!(stock_age_decrypt(&vault, &ann).status.success() && stock_age_decrypt(&vault, &cat).status.success());
    let listed = ok(as_member(&vault, home, &ann, &["list"], None));
    assert!(listed.contains("Rotate (exposed to a former member): openai"), "{listed}");

    // Replacing the key clears it from the list to rotate.
    ok(as_member(&vault, home, &ann, &["edit", "openai", "--secret-stdin"], Some("sk-proj-RotatedKey0123456789")));
    let list = ok(as_member(&vault, home, &ann, &["member", "list"], None));
    assert!(list.contains("bob (former member)") && !list.contains("Keys to rotate"), "{list}");
    // The last member cannot be removed; an unknown one is named.
    ok(as_member(&vault, home, &ann, &["member", "rm", "cat"], None));
    let last = as_member(&vault, home, &ann, &["member", "rm", "ann"], None);
    assert!(String::from_utf8_lossy(&last.stderr).contains("is the last member"));
    let bad = as_member(&vault, home, &ann, &["member", "add", "dan", "age1notakey"], None);
    assert!(String::from_utf8_lossy(&bad.stderr).contains("not a public key Keyward can use"));
}

#[test]
fn a_personal_vault_becomes_a_team_vault_opened_with_a_passphrase_protected_identity() {
    let v = TestVault::new();
    v.ok(&["add", "first", "--provider", "groq"], Some("gsk_first0123456789"));
    v.ok(&["add", "second", "--provider", "xai"], Some("xai-second0123456789"));
    let (bob, bob_public) = keygen(v.dir.path(), "bob");

    // `identity` creates my identity under my passphrase and prints my public key.
    let mine = v.ok(&["identity", "--json"], None);
    let mine: serde_json::Value = serde_json::from_str(&mine).unwrap();
    let my_public = mine["public_key"].as_str().unwrap().to_string();
    assert!(my_public.starts_with("age1") && mine["created"] == true);
    let again: serde_json::Value = serde_json::from_str(&v.ok(&["identity", "--json"], None)).unwrap();
    assert_eq!(again["public_key"], my_public.as_str());

    let out = v.ok(&["member", "add", "bob", &bob_public, "--me", "me"], None);
    assert!(out.contains("is now a team vault with you (me) as its first member"), "{out}");
    assert_eq!(v.names(), ["first", "second"], "entries were lost");
    // It opens with my identity (unlocked by my passphrase) and with Bob's, in stock age too.
    assert!(stock_age_decrypt(&v.path, &bob).status.success());
    let identity_file = v.dir.path().join("data/keyward/identity.age");
    let plain_identity = v.dir.path().join("me.txt");
    age_with_passphrase(&["-d", "-o", plain_identity.to_str().unwrap(), identity_file.to_str().unwrap()], PASSPHRASE);
    let plain = stock_age_decrypt(&v.path, &plain_identity);
    assert!(plain.status.success(), "{}", String::from_utf8_lossy(&plain.stderr));
    // A wrong passphrase for the identity is said plainly.
    let wrong = v.command(&["list"]).env("KEYWARD_PASSPHRASE", "not it").output().unwrap();
    assert!(String::from_utf8_lossy(&wrong.stderr).contains("passphrase is wrong"), "{wrong:?}");

    // And back to a personal vault, once the others are removed.
    assert!(v.fails(&["make-personal"], None).contains("Remove the other 1 member(s) first"));
    v.ok(&["member", "rm", "bob"], None);
    let back =
        v.command(&["make-personal"]).env("KEYWARD_NEW_PASSPHRASE", "a new personal passphrase").output().unwrap();
    assert!(back.status.success(), "{}", String::from_utf8_lossy(&back.stderr));
    let list = v.command(&["list"]).env("KEYWARD_PASSPHRASE", "a new personal passphrase").output().unwrap();
    let listed = String::from_utf8_lossy(&list.stdout);
    assert!(listed.contains("first") && listed.contains("second"), "{listed}");
    assert!(listed.contains("Rotate (exposed to a former member): first, second"), "{listed}");
}

#[test]
fn two_git_branches_that_both_edit_the_vault_merge_through_the_merge_driver() {
    let dir = tempfile::tempdir().unwrap();
    let (home, repo) = (dir.path(), dir.path().join("repo"));
    std::fs::create_dir(&repo).unwrap();
    let (ann, _) = keygen(home, "ann");
    let (bob, _) = keygen(home, "bob");
    let bob_public = member_line(home, &bob);
    let vault = repo.join("keys.age");
    git(&repo, &["init", "-q"]);
    // The two lines the README gives.
    std::fs::write(repo.join(".gitattributes"), "*.age merge=keyward\n").unwrap();
    std::fs::write(repo.join(".gitignore"), "*.age.backup-*\n.*.age.lock\n").unwrap();
    let driver = format!("{} merge-driver %O %A %B", keyward_bin().display());
    git(&repo, &["config", "merge.keyward.driver", &driver]);

    ok(as_member(&vault, home, &ann, &["init", "--team", "--name", "ann"], None));
    ok(as_member(&vault, home, &ann, &["member", "add", "bob", &bob_public], None));
    for (name, key) in [("shared", "sk-proj-Shared0123456789"), ("old", "sk-proj-Old0123456789")] {
        ok(as_member(&vault, home, &ann, &["add", name, "--provider", "openai"], Some(key)));
    }
    git(&repo, &["add", "-A"]);
    git(&repo, &["commit", "-qm", "vault"]);

    // Bob's branch: a new key, and the shared key edited.
    git(&repo, &["checkout", "-qb", "bob"]);
    ok(as_member(&vault, home, &bob, &["add", "from-bob", "--provider", "groq"], Some("gsk_FromBob0123456789")));
    ok(as_member(&vault, home, &bob, &["edit", "shared", "--env", "production"], None));
    git(&repo, &["commit", "-qam", "bob's edits"]);
    // Ann's main: another new key, and one deleted.
    git(&repo, &["checkout", "-q", "main"]);
    ok(as_member(&vault, home, &ann, &["add", "from-ann", "--provider", "xai"], Some("xai-FromAnn0123456789")));
    ok(as_member(&vault, home, &ann, &["rm", "old"], None));
    git(&repo, &["commit", "-qam", "ann's edits"]);

    // The merge goes through the driver, with KEYWARD_IDENTITY_FILE for the identity.
    let out = Command::new("git")
        .current_dir(&repo)
        .args(["-c", "user.name=Test", "-c", "user.email=test@example.invalid", "merge", "--no-edit", "bob"])
        .env("KEYWARD_IDENTITY_FILE", &ann)
        .env("HOME", home)
        .output()
        .unwrap();
    let said = String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "git merge failed: {said}");
    assert!(said.contains("keyward: merged the vault"), "{said}");
    let list: serde_json::Value =
        serde_json::from_str(&ok(as_member(&vault, home, &bob, &["list", "--json"], None))).unwrap();
    let mut names: Vec<(&str, &str)> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["name"].as_str().unwrap(), e["environment"].as_str().unwrap_or("")))
        .collect();
    names.sort();
    assert_eq!(names, [("from-ann", ""), ("from-bob", ""), ("shared", "production")]);
    // Still encrypted to both members, readable by stock age.
    assert!(stock_age_decrypt(&vault, &bob).status.success());
    assert!(git(&repo, &["status", "--porcelain"]).trim().is_empty(), "the merge left changes behind");
}

#[test]
fn conflict_copies_from_a_sync_tool_are_merged_by_one_command() {
    let v = TestVault::new();
    v.ok(&["add", "a", "--provider", "groq"], Some("gsk_a0123456789"));
    // Another device's version, saved by Syncthing as a conflict copy: "b" added.
    let copy = v.dir.path().join("vault.sync-conflict-20260102-101010-ABCDEFG.age");
    std::fs::copy(&v.path, &copy).unwrap();
    let mut other = Command::new(keyward_bin());
    other
        .args(["add", "b", "--provider", "groq"])
        .env("KEYWARD_VAULT", &copy)
        .env("KEYWARD_PASSPHRASE", PASSPHRASE)
        .env("HOME", v.dir.path())
        .env("XDG_DATA_HOME", v.dir.path().join("data"));
    ok(run_with_stdin(other, Some("gsk_b0123456789")));
    v.ok(&["add", "c", "--provider", "groq"], Some("gsk_c0123456789"));
    let listed = v.run(&["list"], None);
    assert!(String::from_utf8_lossy(&listed.stderr).contains("1 conflict copy(ies)"));
    let out = v.ok(&["merge"], None);
    assert!(
        out.contains("1 added, 0 changed, 0 deleted") && out.contains("+ b") && out.contains("the copy was deleted"),
        "{out}"
    );
    assert!(!copy.exists());
    let mut names = v.names();
    names.sort();
    assert_eq!(names, ["a", "b", "c"]);
    assert!(v.ok(&["merge"], None).contains("There are no conflict copies"));
}

/// Members with SSH keys (ssh-keygen, unencrypted): an ed25519 and an RSA member each open the
/// vault with their `~/.ssh` key, in Keyward and in stock age.
#[test]
fn members_with_ssh_keys_open_the_vault() {
    require_tool("ssh-keygen");
    let dir = tempfile::tempdir().unwrap();
    let (home, vault) = (dir.path(), dir.path().join("team.age"));
    let (ann, _) = keygen(home, "ann");
    ok(as_member(&vault, home, &ann, &["init", "--team", "--name", "ann"], None));
    let mut ssh_members = Vec::new();
    for (name, kind) in [("eve", "ed25519"), ("rob", "rsa")] {
        let key = home.join(format!("id_{name}"));
        let made =
            Command::new("ssh-keygen").args(["-q", "-t", kind, "-N", "", "-C", name, "-f"]).arg(&key).output().unwrap();
        assert!(made.status.success(), "{}", String::from_utf8_lossy(&made.stderr));
        let public = std::fs::read_to_string(key.with_extension("pub")).unwrap();
        ok(as_member(&vault, home, &ann, &["member", "add", name, public.trim()], None));
        ssh_members.push(key);
    }
    ok(as_member(&vault, home, &ann, &["add", "openai", "--provider", "openai"], Some(KEY)));
    for key in &ssh_members {
        assert_eq!(ok(as_member(&vault, home, key, &["get", "openai"], None)).trim(), KEY);
        let plain = stock_age_decrypt(&vault, key);
        assert!(plain.status.success(), "{}", String::from_utf8_lossy(&plain.stderr));
        assert!(String::from_utf8_lossy(&plain.stdout).contains(KEY));
    }
}
