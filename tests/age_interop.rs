//! Interop with Debian's stock `age`: no lock-in. A Keyward vault (at the default work factor)
//! opens with `age -d` (driven by `expect`, since age reads passphrases from the terminal only),
//! a vault that stock `age -p` encrypted opens in Keyward, and identities from `age-keygen` work
//! with the building blocks of team vaults.

use keyward_core::crypto::{self, Unlock};
use keyward_e2e::age_with_passphrase;
use keyward_e2e::{PASSPHRASE, TestVault, require_tool};
use std::fs;
use std::path::Path;
use std::process::Command;

#[test]
fn stock_age_decrypts_a_keyward_vault() {
    let v = TestVault::uninitialised();
    // The default work factor (18), exactly what users get.
    v.ok(&["init"], None);
    v.ok(&["add", "openai-prod", "--env", "production"], Some("sk-proj-interop-0123456789abcdefghij"));
    v.ok(&["add", "groq"], Some("gsk_interop_abcdef"));

    // The header says scrypt at work factor 2^18.
    let file = fs::read(&v.path).unwrap();
    let header = String::from_utf8_lossy(&file[..file.len().min(200)]).into_owned();
    let stanza = header.lines().find(|l| l.starts_with("-> scrypt ")).unwrap_or_else(|| panic!("{header}"));
    assert!(stanza.ends_with(" 18"), "{stanza}");

    // A wrong passphrase: stock age refuses and writes nothing.
    let out = v.dir.path().join("plain.json");
    let wrong = keyward_e2e::age_with_passphrase_status(
        &["-d", "-o", out.to_str().unwrap(), v.path.to_str().unwrap()],
        "not the passphrase",
    );
    assert!(!wrong.success() && !out.exists(), "stock age opened the vault with a wrong passphrase");

    age_with_passphrase(&["-d", "-o", out.to_str().unwrap(), v.path.to_str().unwrap()], PASSPHRASE);
    let json: serde_json::Value = serde_json::from_slice(&fs::read(&out).unwrap()).unwrap();
    assert_eq!(json["format"], "keyward-vault");
    assert_eq!(json["version"], 1);
    let entries = json["entries"].as_array().unwrap();
    assert_eq!(entries.len(), 2);
    assert_eq!(entries[0]["name"], "openai-prod");
    assert_eq!(entries[0]["secret"], "sk-proj-interop-0123456789abcdefghij");
    assert_eq!(entries[0]["environment"], "production");
    assert_eq!(entries[1]["provider"], "groq");
}

#[test]
fn keyward_opens_a_vault_that_stock_age_encrypted() {
    let v = TestVault::new();
    v.ok(&["add", "k"], Some("xai-before"));
    // Decrypt with the core, edit the JSON by hand, re-encrypt with stock `age -p`.
    let unlock = Unlock::Passphrase(keyward_core::SecretString::from(PASSPHRASE.to_string()));
    let plain = crypto::decrypt(&fs::read(&v.path).unwrap(), &unlock, &v.path).unwrap();
    let plain_path = v.dir.path().join("edited.json");
    fs::write(&plain_path, &plain[..]).unwrap();
    let reencrypted = v.dir.path().join("by-age.age");
    age_with_passphrase(&["-p", "-o", reencrypted.to_str().unwrap(), plain_path.to_str().unwrap()], PASSPHRASE);
    fs::rename(&reencrypted, &v.path).unwrap();
    assert_eq!(v.ok(&["get", "k"], None).trim(), "xai-before");
    // And Keyward can keep writing it.
    v.ok(&["add", "k2"], Some("xai-after"));
    assert_eq!(v.names(), ["k", "k2"]);
}

#[test]
fn age_keygen_identities_work_with_the_team_building_blocks() {
    require_tool("age-keygen");
    let dir = tempfile::tempdir().unwrap();
    let members: Vec<(String, String)> = (0..3)
        .map(|i| {
            let key_file = dir.path().join(format!("member{i}.txt"));
            let status = Command::new("age-keygen").arg("-o").arg(&key_file).output().unwrap();
            assert!(status.status.success());
            let identity = fs::read_to_string(&key_file).unwrap();
            let public = identity.lines().find_map(|l| l.strip_prefix("# public key: ")).unwrap().to_string();
            (key_file.to_string_lossy().into_owned(), public)
        })
        .collect();

    // Keyward encrypts to all three; stock age opens it with each identity.
    let recipients: Vec<crypto::Recipient> = members.iter().map(|(_, p)| crypto::parse_recipient(p).unwrap()).collect();
    let vault = dir.path().join("team.age");
    fs::write(&vault, crypto::encrypt_to_recipients(br#"{"team":true}"#, &recipients).unwrap()).unwrap();
    for (key_file, _) in &members {
        let out = Command::new("age").args(["-d", "-i", key_file]).arg(&vault).output().unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        assert_eq!(out.stdout, br#"{"team":true}"#);
    }

    // Stock age encrypts to a member; Keyward opens it with the age-keygen identity file.
    let by_age = dir.path().join("by-age.age");
    let status = Command::new("age")
        .args(["-r", &members[1].1, "-o", by_age.to_str().unwrap()])
        .arg(write(dir.path(), "plain.txt", b"from stock age"))
        .status()
        .unwrap();
    assert!(status.success());
    let unlock = crypto::parse_identity_file(&fs::read_to_string(&members[1].0).unwrap()).unwrap();
    let plain = crypto::decrypt(&fs::read(&by_age).unwrap(), &unlock, &by_age).unwrap();
    assert_eq!(&plain[..], b"from stock age");
    let outsider = crypto::parse_identity_file(&fs::read_to_string(&members[0].0).unwrap()).unwrap();
    assert!(crypto::decrypt(&fs::read(&by_age).unwrap(), &outsider, &by_age).is_err());
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> std::path::PathBuf {
    let p = dir.join(name);
    fs::write(&p, bytes).unwrap();
    p
}
