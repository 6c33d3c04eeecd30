//! The `keyward` command, end to end: every command of the vault issue through the real binary.

use keyward_e2e::{TestVault, run_with_stdin};
use std::fs;

const OPENAI: &str = "sk-proj-Abc123def456ghi789jkl012mno345pqr678stu901vwx";
const ANTHROPIC: &str = "sk-ant-api03-zyxwvutsrqponmlkjihgfedcba0987654321";

#[test]
fn init_add_list_show_get() {
    let v = TestVault::new();
    let out = v.ok(&["add", "openai-dev", "--env", "development", "--tag", "web", "--tag", "team"], Some(OPENAI));
    assert!(out.contains("OpenAI"), "{out}");
    v.ok(&["add", "claude", "--note", "for the summariser"], Some(&format!("{ANTHROPIC}\n")));

    let list = v.list();
    assert_eq!(list.len(), 2);
    assert_eq!(list[0]["name"], "openai-dev");
    assert_eq!(list[0]["provider"], "openai");
    assert_eq!(list[0]["environment"], "development");
    assert_eq!(list[0]["env_var"], "OPENAI_API_KEY");
    assert_eq!(list[1]["provider"], "anthropic");
    let human = v.ok(&["list"], None);
    assert!(human.contains("openai-dev") && human.contains("anthropic"), "{human}");

    let show: serde_json::Value = serde_json::from_str(&v.ok(&["show", "openai-dev", "--json"], None)).unwrap();
    assert_eq!(show["masked"], "sk-proj-…1vwx");
    assert_eq!(show["tags"], serde_json::json!(["team", "web"]));

    for output in [v.ok(&["list", "--json"], None), v.ok(&["list"], None), v.ok(&["show", "claude"], None)] {
        assert!(!output.contains(OPENAI) && !output.contains(ANTHROPIC), "a secret was printed: {output}");
    }
    assert_eq!(v.ok(&["get", "claude"], None), format!("{ANTHROPIC}\n"));
}

#[test]
fn add_refuses_duplicates_and_empty_keys_without_changing_the_vault() {
    let v = TestVault::new();
    v.ok(&["add", "k"], Some("gsk_first"));
    let before = fs::read(&v.path).unwrap();
    let err = v.fails(&["add", "k"], Some("gsk_second"));
    assert!(err.contains("already exists"), "{err}");
    let err = v.fails(&["add", "empty"], Some("\n"));
    assert!(err.contains("empty"), "{err}");
    assert_eq!(fs::read(&v.path).unwrap(), before);
    assert_eq!(v.ok(&["get", "k"], None).trim(), "gsk_first");
}

#[test]
fn provider_can_be_given_and_unknown_providers_are_refused() {
    let v = TestVault::new();
    v.ok(&["add", "ds", "--provider", "deepseek", "--base-url", "https://proxy.example/v1"], Some("sk-0123abcd"));
    let show: serde_json::Value = serde_json::from_str(&v.ok(&["show", "ds", "--json"], None)).unwrap();
    assert_eq!(show["provider"], "deepseek");
    assert_eq!(show["env_var"], "DEEPSEEK_API_KEY");
    assert_eq!(show["base_url"], "https://proxy.example/v1");
    let err = v.fails(&["add", "x", "--provider", "nope"], Some("abc"));
    assert!(err.contains("Unknown provider"), "{err}");
}

#[test]
fn edit_renames_replaces_and_keeps_history_then_rm() {
    let v = TestVault::new();
    v.ok(&["add", "old-name"], Some("xai-one"));
    v.ok(&["edit", "old-name", "--name", "new-name", "--env", "production", "--secret-stdin"], Some("xai-two\n"));
    assert_eq!(v.ok(&["get", "new-name"], None).trim(), "xai-two");
    let show: serde_json::Value = serde_json::from_str(&v.ok(&["show", "new-name", "--json"], None)).unwrap();
    assert_eq!(show["history_len"], 1);
    assert_eq!(show["environment"], "production");
    v.ok(&["edit", "new-name", "--env", ""], None);
    let show: serde_json::Value = serde_json::from_str(&v.ok(&["show", "new-name", "--json"], None)).unwrap();
    assert!(show["environment"].is_null());
    // The old value is in the vault file's history.
    let plaintext = decrypt_vault(&v);
    assert!(plaintext.contains("xai-one"));

    v.ok(&["rm", "new-name"], None);
    assert!(v.names().is_empty());
    assert!(v.fails(&["get", "new-name"], None).contains("no key named"));
}

#[test]
fn run_puts_keys_in_the_environment_and_passes_the_exit_code_through() {
    let v = TestVault::new();
    v.ok(&["add", "openai-dev"], Some(OPENAI));
    v.ok(&["add", "claude"], Some(ANTHROPIC));
    let script =
        "echo \"$OPENAI_API_KEY|$MY_KEY|${KEYWARD_PASSPHRASE-unset}|${KEYWARD_NEW_PASSPHRASE-unset}\"; exit 42";
    let mut cmd = v.command(&["run", "--env", "openai-dev", "--env", "MY_KEY=claude", "--", "sh", "-c", script]);
    cmd.env("KEYWARD_NEW_PASSPHRASE", "also secret");
    let out = run_with_stdin(cmd, None);
    assert_eq!(out.status.code(), Some(42));
    // The program gets the keys it was given, and never the master passphrase.
    assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), format!("{OPENAI}|{ANTHROPIC}|unset|unset"));
    assert!(v.fails(&["run", "--env", "missing", "--", "true"], None).contains("missing"));
    assert!(v.fails(&["run", "--env", "openai-dev", "--", "/no/such/program"], None).contains("Could not run"));
    // No --env, or no command, is a usage error.
    assert_eq!(v.run(&["run", "--", "true"], None).status.code(), Some(2));
    assert_eq!(v.run(&["run", "--env", "claude"], None).status.code(), Some(2));
}

#[test]
fn import_reports_added_and_skipped_then_export_round_trips() {
    let v = TestVault::new();
    let env_file = v.dir.path().join("app.env");
    fs::write(
        &env_file,
        format!("# app settings\nexport OPENAI_API_KEY=\"{OPENAI}\"\nDEBUG=true\nANTHROPIC_API_KEY='{ANTHROPIC}' \nBROKEN LINE\n"),
    )
    .unwrap();
    let out = v.ok(&["import", env_file.to_str().unwrap()], None);
    assert!(out.contains("Added 2 key(s)"), "{out}");
    assert!(out.contains("line 3 \"debug\": does not look like an API key"), "{out}");
    assert!(out.contains("line 5: not a KEY=value line"), "{out}");
    assert!(!out.contains(OPENAI), "import output shows a secret");
    // Importing again adds nothing and says why.
    let again = v.ok(&["import", env_file.to_str().unwrap()], None);
    assert!(again.contains("Added 0 key(s)") && again.contains("already in the vault"), "{again}");

    let csv = v.dir.path().join("bitwarden.csv");
    fs::write(
        &csv,
        "folder,favorite,type,name,notes,fields,reprompt,login_uri,login_username,login_password,login_totp\n\
         ,,login,Groq API key,,,0,https://console.groq.com,,gsk_abcdef,\n\
         ,,login,Bank,,,0,https://bank.example,me,hunter2,\n",
    )
    .unwrap();
    let out = v.ok(&["import", csv.to_str().unwrap()], None);
    assert!(out.contains("Bitwarden") && out.contains("+ Groq API key") && out.contains("\"Bank\""), "{out}");

    let out = v.run(&["export", "--format", "dotenv", "openai-api-key", "anthropic-api-key"], None);
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("plaintext"));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains(&format!("OPENAI_API_KEY={OPENAI}\n")), "{text}");
    assert!(text.contains(&format!("ANTHROPIC_API_KEY={ANTHROPIC}\n")), "{text}");
    assert_eq!(v.run(&["export", "--format", "json"], None).status.code(), Some(2));
}

#[test]
fn init_never_overwrites_and_wrong_passphrase_is_one_plain_line() {
    let v = TestVault::new();
    v.ok(&["add", "k"], Some("hf_abc"));
    let before = fs::read(&v.path).unwrap();
    assert!(v.fails(&["init"], None).contains("already exists"));
    let mut cmd = v.command(&["list"]);
    cmd.env("KEYWARD_PASSPHRASE", "wrong");
    let out = run_with_stdin(cmd, None);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("passphrase is wrong"), "{err}");
    assert_eq!(err.trim_end().lines().count(), 1, "{err}");
    assert_eq!(fs::read(&v.path).unwrap(), before);
}

#[test]
fn passwd_changes_the_passphrase() {
    let v = TestVault::new();
    v.ok(&["add", "k"], Some("pplx-abc"));
    let new_file = v.dir.path().join("new-pass");
    fs::write(&new_file, "a much better passphrase\n").unwrap();
    v.ok(&["passwd", "--new-passphrase-file", new_file.to_str().unwrap()], None);
    assert!(v.fails(&["list"], None).contains("passphrase is wrong"));
    let mut cmd = v.command(&["--passphrase-file", new_file.to_str().unwrap(), "get", "k"]);
    cmd.env_remove("KEYWARD_PASSPHRASE");
    let out = run_with_stdin(cmd, None);
    assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), "pplx-abc");
}

#[test]
fn missing_vault_and_no_passphrase_are_explained() {
    let v = TestVault::uninitialised();
    assert!(v.fails(&["list"], None).contains("keyward init"));
    let v = TestVault::new();
    let mut cmd = v.command(&["list"]);
    cmd.env_remove("KEYWARD_PASSPHRASE").env("TERM", "dumb");
    // No terminal to ask on (setsid detaches the controlling terminal when there is one).
    let mut detached = std::process::Command::new("setsid");
    detached.arg("-w").arg(cmd.get_program()).args(cmd.get_args());
    for (k, val) in cmd.get_envs() {
        match val {
            Some(val) => detached.env(k, val),
            None => detached.env_remove(k),
        };
    }
    let out = run_with_stdin(detached, None);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("KEYWARD_PASSPHRASE"));
}

/// Every command, at the most verbose logging Rust programs know (`RUST_LOG=trace`, full
/// backtraces), successes and failures alike: no key and no passphrase in any output.
#[test]
fn only_get_export_and_run_ever_print_a_key() {
    let v = TestVault::new();
    let csv = v.dir.path().join("keys.csv");
    fs::write(&csv, format!("Title,Url,Username,Password\nimported,,,{ANTHROPIC}\n")).unwrap();
    let new_pass = v.dir.path().join("new-pass");
    fs::write(&new_pass, format!("{}\n", keyward_e2e::PASSPHRASE)).unwrap();
    let steps: &[(&[&str], Option<&str>)] = &[
        (&["add", "k", "--tag", "t", "--note", "n"], Some(OPENAI)),
        (&["add", "k"], Some(OPENAI)),
        (&["init"], None),
        // Checked against a closed port on this computer: a network error, nothing sent out.
        (&["add", "local", "--provider", "openai", "--base-url", "http://127.0.0.1:9/v1"], Some(OPENAI)),
        (&["test", "local"], None),
        (&["copy", "k"], None),
        (&["member", "add", "bob", "age1notakey"], None),
        (&["member", "rm", "bob"], None),
        (&["merge-driver", "/nonexistent/base", csv.to_str().unwrap(), "/nonexistent/theirs"], None),
        (&["rm", "local"], None),
        (&["list"], None),
        (&["list", "--json"], None),
        (&["show", "k"], None),
        (&["show", "k", "--json"], None),
        (&["edit", "k", "--secret-stdin", "--env", "prod"], Some(ANTHROPIC)),
        (&["show", "missing"], None),
        (&["import", csv.to_str().unwrap()], None),
        (&["import", csv.to_str().unwrap()], None),
        (&["identity", "--json"], None),
        (&["member", "list"], None),
        (&["merge"], None),
        (&["merge", csv.to_str().unwrap()], None),
        (&["remember"], None),
        (&["forget"], None),
        (&["make-personal"], None),
        (&["get", "missing"], None),
        (&["run", "--env", "missing", "--", "true"], None),
        (&["passwd", "--new-passphrase-file", new_pass.to_str().unwrap()], None),
        (&["rm", "k"], None),
        (&["rm", "k"], None),
    ];
    for (args, stdin) in steps {
        let mut cmd = v.command(args);
        cmd.env("RUST_LOG", "trace").env("RUST_BACKTRACE", "full").env_remove("DISPLAY").env_remove("WAYLAND_DISPLAY");
        let out = keyward_e2e::run_with_stdin(cmd, *stdin);
        for (stream, bytes) in [("stdout", &out.stdout), ("stderr", &out.stderr)] {
            let text = String::from_utf8_lossy(bytes);
            for (i, key) in
                [OPENAI, ANTHROPIC, &OPENAI[..20], &ANTHROPIC[..20], keyward_e2e::PASSPHRASE].iter().enumerate()
            {
                // The output itself is not printed: it holds the secret.
                assert!(!text.contains(key), "keyward {args:?} printed secret #{i} on {stream}");
            }
        }
    }
    // The three that print a key do so on standard output only, and nothing else.
    v.ok(&["add", "k"], Some(OPENAI));
    for args in [&["get", "k"][..], &["export"], &["run", "--env", "OPENAI_API_KEY=k", "--", "true"]] {
        let mut cmd = v.command(args);
        cmd.env("RUST_LOG", "trace").env("RUST_BACKTRACE", "full");
        let out = keyward_e2e::run_with_stdin(cmd, None);
        assert!(out.status.success(), "keyward {args:?}: {}", String::from_utf8_lossy(&out.stderr));
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            !err.contains(OPENAI) && !err.contains(keyward_e2e::PASSPHRASE),
            "keyward {args:?}: a secret on stderr"
        );
    }
    assert_eq!(v.ok(&["get", "k"], None).trim(), OPENAI);
}

/// The vault's JSON, decrypted by the core (the age interop test does it with stock `age`).
fn decrypt_vault(v: &TestVault) -> String {
    use keyward_core::{SecretString, Unlock};
    let bytes = fs::read(&v.path).unwrap();
    let unlock = Unlock::Passphrase(SecretString::from(keyward_e2e::PASSPHRASE.to_string()));
    let plain = keyward_core::crypto::decrypt(&bytes, &unlock, &v.path).unwrap();
    String::from_utf8(plain.to_vec()).unwrap()
}

/// A file that cannot be imported is said at once, before a passphrase is asked.
#[test]
fn import_of_a_missing_file_says_so_before_asking_for_the_passphrase() {
    let v = TestVault::new();
    let missing = v.dir.path().join("nothing-here.env");
    let out = run_with_stdin(
        {
            let mut cmd = v.command(&["import", missing.to_str().unwrap()]);
            cmd.env_remove("KEYWARD_PASSPHRASE");
            cmd
        },
        None,
    );
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("nothing-here.env does not exist"), "{err}");
    assert!(!err.contains("passphrase"), "asked for a passphrase first: {err}");
}
