//! "Remember on this device" against a real Secret Service: gnome-keyring in a private D-Bus
//! session (dbus-run-session), with a temporary HOME; and the plain sentence when there is none.

use keyward_e2e::{PASSPHRASE, TestVault, keyward_bin, require_tool};
use std::process::Command;

/// Runs `script` (sh) in a new D-Bus session with an unlocked gnome-keyring, with $K the
/// keyward binary and the test vault's environment; returns stdout + stderr.
fn in_keyring_session(v: &TestVault, script: &str) -> String {
    for tool in ["dbus-run-session", "gnome-keyring-daemon", "secret-tool"] {
        require_tool(tool);
    }
    let full = format!(
        "set -e\neval \"$(printf keyring-pw | gnome-keyring-daemon --unlock --components=secrets 2>/dev/null)\"\n{script}"
    );
    let out = Command::new("dbus-run-session")
        .args(["--", "sh", "-c", &full])
        .env("K", keyward_bin())
        .env("KEYWARD_VAULT", &v.path)
        .env("HOME", v.dir.path())
        .env("XDG_DATA_HOME", v.dir.path().join("data"))
        .env_remove("KEYWARD_PASSPHRASE")
        .env_remove("KEYWARD_NEW_PASSPHRASE")
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "the session script failed: {text}");
    text
}

#[test]
fn a_remembered_vault_opens_without_its_passphrase_until_forgotten() {
    let v = TestVault::new();
    v.ok(&["add", "k", "--provider", "groq"], Some("gsk_RememberMe0123456789"));
    let new_passphrase = "a changed passphrase for the keyring test";
    let out = in_keyring_session(
        &v,
        &format!(
            "KEYWARD_PASSPHRASE='{PASSPHRASE}' \"$K\" remember\n\
             echo '--- list without a passphrase'\n\"$K\" list\n\
             echo '--- keyring items'\nsecret-tool search --all service keyward 2>&1 | grep -c '^label = ' || true\n\
             echo '--- passwd'\nKEYWARD_NEW_PASSPHRASE='{new_passphrase}' \"$K\" passwd\n\
             echo '--- list after passwd'\n\"$K\" list\n\
             echo '--- files holding a passphrase'\n(grep -rlF -e '{PASSPHRASE}' -e '{new_passphrase}' \"$HOME\" || true) | grep -v '/keyrings/' || true\n\
             echo '--- forget'\n\"$K\" forget\n\
             echo '--- list after forget'\n\"$K\" list 2>&1 || true\n\
             echo '--- keyring items after forget'\nsecret-tool search --all service keyward 2>&1 | grep -c '^label = ' || true\n"
        ),
    );
    let section = |name: &str| {
        let start = out.find(&format!("--- {name}\n")).unwrap_or_else(|| panic!("no {name} in {out}")) + name.len() + 5;
        out[start..].split("--- ").next().unwrap().to_string()
    };
    assert!(out.contains("is remembered on this device, in the OS keyring"), "{out}");
    assert!(section("list without a passphrase").contains("groq"), "{out}");
    assert_eq!(section("keyring items").trim(), "1", "{out}");
    assert!(section("passwd").contains("The passphrase remembered on this device was updated."), "{out}");
    assert!(section("list after passwd").contains("groq"), "{out}");
    assert_eq!(section("files holding a passphrase").trim(), "", "a passphrase is in a file: {out}");
    assert!(section("forget").contains("Forgot the passphrase"), "{out}");
    assert!(section("list after forget").contains("No passphrase"), "{out}");
    assert_eq!(section("keyring items after forget").lines().next(), Some("0"), "{out}");
}

/// Deleting a remembered vault's file takes its passphrase out of the keyring the next time
/// Keyward runs, once no remembered copy of the same vault uses it. A vault whose folder is gone
/// or left empty (a drive or share not mounted) stays remembered.
#[test]
fn a_deleted_vault_is_forgotten() {
    let v = TestVault::new();
    let out = in_keyring_session(
        &v,
        &format!(
            r#"export KEYWARD_PASSPHRASE='{PASSPHRASE}'
count() {{ secret-tool search --all service keyward 2>&1 | grep -c '^label = ' || true; }}
"$K" remember
mkdir "$HOME/copy" && cp "$KEYWARD_VAULT" "$HOME/copy/vault.age" && touch "$HOME/copy/notes.txt"
"$K" --vault "$HOME/copy/vault.age" remember
for d in usb solo; do
  "$K" --vault "$HOME/$d/v.age" init --work-factor 10
  "$K" --vault "$HOME/$d/v.age" remember
done
echo "--- before"; count
rm "$KEYWARD_VAULT"
"$K" --vault "$HOME/other.age" list >/dev/null 2>&1 || true
echo "--- one copy deleted"; count
rm -f "$HOME/copy/vault.age" "$HOME"/solo/* "$HOME"/solo/.[!.]*
mv "$HOME/usb" "$HOME/unmounted"
"$K" --vault "$HOME/other.age" list >/dev/null 2>&1 || true
echo "--- both copies deleted"; count
"#
        ),
    );
    let count =
        |name: &str| out.split(&format!("--- {name}\n")).nth(1).and_then(|s| s.lines().next()).map(str::to_string);
    assert_eq!(count("before").as_deref(), Some("3"), "{out}");
    assert_eq!(count("one copy deleted").as_deref(), Some("3"), "the copy's passphrase went: {out}");
    assert_eq!(count("both copies deleted").as_deref(), Some("2"), "{out}");
    let index = std::fs::read_to_string(v.dir.path().join("data/keyward/remembered.json")).unwrap();
    assert!(index.contains("usb") && index.contains("solo"), "{index}");
    assert!(!index.contains("copy") && !index.contains(&*v.path.to_string_lossy()), "{index}");
}

#[test]
fn without_a_keyring_remember_says_so_and_the_passphrase_still_works() {
    let v = TestVault::new();
    let out = Command::new(keyward_bin())
        .arg("remember")
        .env("KEYWARD_VAULT", &v.path)
        .env("KEYWARD_PASSPHRASE", PASSPHRASE)
        .env("HOME", v.dir.path())
        .env("XDG_DATA_HOME", v.dir.path().join("data"))
        .env_remove("DBUS_SESSION_BUS_ADDRESS")
        .env("XDG_RUNTIME_DIR", v.dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let said = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        said.trim(),
        "keyward: The OS keyring cannot be used: no OS keyring (Secret Service) is running in this session. The passphrase is needed."
    );
    assert!(!v.dir.path().join("data/keyward/remembered.json").exists(), "remembered without a keyring");
    v.ok(&["list"], None);
}
