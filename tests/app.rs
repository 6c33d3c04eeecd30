//! The desktop app end to end: the real webview (WebKitGTK) under Xvfb, driven through
//! WebDriver (tauri-driver + WebKitWebDriver), the real X clipboard, and the fake providers on
//! 127.0.0.1 for key checks. Screenshots are saved under target/tmp/e2e-screenshots.

use fake_providers::FakeProviders;
use keyward_e2e::require_tool;
use keyward_e2e::webdriver::*;
use keyward_e2e::x11::Xvfb;
use std::process::Command;
use std::time::{Duration, Instant};

const PASSPHRASE: &str = "correct horse battery staple";
const KEY: &str = "sk-proj-AppE2E0123456789abcdefghijklmnopqrstuvwxyz";
const NEW_PASSPHRASE: &str = "a brand new passphrase for the vault";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn create_add_check_copy_search_lock_unlock() {
    require_tool("xclip");
    let x = Xvfb::start();
    let home = tempfile::tempdir().unwrap();
    let vault = home.path().join("vault.age");
    let providers = FakeProviders::start();
    let driver = Driver::start(&x.display, home.path(), &vault);
    let c = connect(&driver).await;

    // First run: create a vault.
    wait_for_text(&c, "Create your vault").await;
    screenshot(&c, "1-create").await;
    // The page runs without what a browser needs and a vault does not (webview_tuning.rs).
    let features = "return [!!document.createElement('canvas').getContext('webgl'), typeof AudioContext]";
    assert_eq!(c.execute(features, vec![]).await.unwrap(), serde_json::json!([false, "undefined"]));
    type_text(&c, "#passphrase", PASSPHRASE).await;
    find(&c, ".meter[aria-label^='Passphrase strength: ']").await;
    type_text(&c, "#repeat", PASSPHRASE).await;
    click(&c, "#submit").await;
    wait_for_text(&c, "No keys yet").await;
    assert!(vault.exists());

    // Add a key: the provider is detected as it is pasted.
    click(&c, "#add").await;
    let field = find(&c, "#new-secret").await;
    assert_eq!(field.attr("type").await.unwrap().as_deref(), Some("password"), "the key is typed in the clear");
    field.send_keys(KEY).await.unwrap();
    wait_for_text(&c, "Provider: OpenAI").await;
    let name = find(&c, "#new-name").await.prop("value").await.unwrap().unwrap_or_default();
    assert_eq!(name, "openai");
    type_text(&c, "#new-environment", "production").await;
    type_text(&c, "#new-base-url", &providers.base_url("openai")).await;
    wait_for_text(&c, "not to the provider's own address").await;
    screenshot(&c, "2-add").await;
    click(&c, "#save").await;

    // Listed, masked, and checked after saving against the fake provider.
    wait_for_text(&c, "openai-production").await;
    wait_for_text(&c, "The key works").await;
    assert!(html(&c).await.contains("sk-proj-…wxyz"));
    assert!(!html(&c).await.contains(KEY), "the page's HTML holds the key");
    let listed = invoke(&c, "list_entries").await;
    assert!(listed.contains("openai-production") && !listed.contains(KEY), "list_entries sends the key: {listed}");
    assert!(providers.requests().iter().any(|r| r.header("authorization") == Some(&format!("Bearer {KEY}"))));
    screenshot(&c, "3-list").await;

    // A revoked key: the check says so in plain words, with the page to go to.
    click(&c, "#add").await;
    type_text(&c, "#new-secret", "sk-proj-OldRevokedKey0123456789:invalid").await;
    let name = find(&c, "#new-name").await;
    name.clear().await.unwrap();
    name.send_keys("openai-old").await.unwrap();
    type_text(&c, "#new-base-url", &providers.base_url("openai")).await;
    click(&c, "#save").await;
    wait_for_text(&c, "does not recognise this key").await;
    wait_for_text(&c, "platform.openai.com/api-keys").await;
    screenshot(&c, "3b-failed-check").await;

    // Copy: the X clipboard holds the key, marked secret; the page still does not.
    click(&c, "button[aria-label='Copy openai-production']").await;
    x.wait_for_clipboard(KEY);
    assert!(x.targets().contains("x-kde-passwordManagerHint"));
    wait_for_text(&c, "The clipboard is cleared in").await;
    assert!(!html(&c).await.contains(KEY));

    // Search as you type.
    type_text(&c, "#search", "nothing-like-this").await;
    wait_for_text(&c, "No key matches").await;
    find(&c, "#search").await.clear().await.unwrap();
    type_text(&c, "#search", "prod").await;
    wait_for_text(&c, "openai-production").await;

    // Lock: back to the unlock screen; a wrong passphrase is explained, the right one opens.
    click(&c, "#lock").await;
    wait_for_text(&c, "Unlock Keyward").await;
    assert!(!html(&c).await.contains("openai-production"));
    assert_eq!(invoke(&c, "list_entries").await, "error: locked: The vault is locked.");
    type_text(&c, "#passphrase", "not the passphrase").await;
    click(&c, "#submit").await;
    wait_for_text(&c, "The passphrase is wrong").await;
    screenshot(&c, "4-wrong-passphrase").await;
    find(&c, "#passphrase").await.clear().await.unwrap();
    type_text(&c, "#passphrase", PASSPHRASE).await;
    click(&c, "#submit").await;
    wait_for_text(&c, "openai-production").await;

    // A change made by the CLI while the app is open shows up, merged, without loss.
    let mut cli = std::process::Command::new(keyward_e2e::keyward_bin());
    cli.args(["add", "from-cli", "--provider", "groq", "--base-url", &providers.base_url("groq")])
        .env("KEYWARD_VAULT", &vault)
        .env("KEYWARD_PASSPHRASE", PASSPHRASE)
        .env("HOME", home.path());
    let out = keyward_e2e::run_with_stdin(cli, Some("gsk_from_the_command_line"));
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    wait_for_text(&c, "from-cli").await;
    wait_for_text(&c, "changed by another program").await;
    assert!(html(&c).await.contains("openai-production"));

    // Reveal puts the key in the page, Hide takes it out again.
    open_key(&c, "openai-production").await;
    click(&c, "button[aria-label='Reveal openai-production']").await;
    wait_for_text(&c, KEY).await;
    click(&c, "button[aria-label='Hide openai-production']").await;
    find(&c, "button[aria-label='Reveal openai-production']").await;
    assert!(!html(&c).await.contains(KEY));

    // Delete asks first, and can be undone.
    open_key(&c, "openai-old").await;
    click(&c, "button[aria-label='Delete openai-old']").await;
    click(&c, "button[aria-label='Confirm delete openai-old']").await;
    wait_for_text(&c, "Deleted \"openai-old\"").await;
    wait_gone(&c, "li[data-name='openai-old']").await;
    click(&c, "#undo").await;
    find(&c, "li[data-name='openai-old']").await;

    // Details: edit, replace the key (the old value goes to the history), restore it.
    const NEW_KEY: &str = "sk-proj-ReplacementKey0123456789abcdef";
    open_key(&c, "openai-old").await;
    click(&c, "#edit").await;
    let environment = find(&c, "#edit-environment").await;
    environment.clear().await.unwrap();
    environment.send_keys("staging").await.unwrap();
    click(&c, "#save-details").await;
    wait_for_text(&c, "Saved.").await;
    type_text(&c, "#replace-key", NEW_KEY).await;
    click(&c, "#replace").await;
    wait_for_text(&c, "the old value is in the history").await;
    wait_for_text(&c, "sk-proj-…alid").await; // the old value, masked, in the history
    assert!(!html(&c).await.contains(NEW_KEY), "the new key stayed in the page");
    click(&c, "button[aria-label='Restore sk-proj-…alid']").await;
    wait_for_text(&c, "is the key again").await;
    find(&c, "button[aria-label='Restore sk-proj-…cdef']").await;
    screenshot(&c, "3c-details").await;
    // The row says where the key is sent when that is not the provider's own address.
    wait_for_text(&c, &format!("OpenAI → {} · staging", providers.addr())).await;

    // Deep check from the details, with its cost stated: one generation request.
    open_key(&c, "openai-production").await;
    wait_for_text(&c, "costs a fraction of a cent").await;
    click(&c, "#deep-check").await;
    wait_for_text(&c, "can generate text").await;
    assert!(providers.requests().iter().any(|r| r.method == "POST" && r.path == "/openai/v1/chat/completions"));

    // Check all: every key gets its verdict.
    let before = providers.requests().len();
    click(&c, "#check-all").await;
    find(&c, "#cancel-checks").await;
    wait_gone(&c, "#cancel-checks").await;
    assert!(providers.requests().len() >= before + 3, "not every key was checked");
    wait_for_text(&c, "does not recognise this key").await;
    // The results were saved (once, at the end): the CLI sees the check of the key it added.
    let mut show = std::process::Command::new(keyward_e2e::keyward_bin());
    show.args(["show", "from-cli"]).env("KEYWARD_VAULT", &vault).env("KEYWARD_PASSPHRASE", PASSPHRASE);
    let shown = String::from_utf8(keyward_e2e::run_with_stdin(show, None).stdout).unwrap();
    assert!(shown.contains("last check") && shown.contains("valid at"), "{shown}");

    // Settings on this device: clear the clipboard after 2 s, lock after 9 s without use; and a
    // new passphrase.
    click(&c, "#settings").await;
    type_text(&c, "#current-passphrase", PASSPHRASE).await;
    type_text(&c, "#new-passphrase", NEW_PASSPHRASE).await;
    type_text(&c, "#repeat-passphrase", NEW_PASSPHRASE).await;
    click(&c, "#change-passphrase").await;
    wait_for_text(&c, "The passphrase was changed").await;
    let clear = find(&c, "#clear-secs").await;
    clear.clear().await.unwrap();
    clear.send_keys("2").await.unwrap();
    let idle = find(&c, "#lock-minutes").await;
    idle.clear().await.unwrap();
    idle.send_keys("0.15").await.unwrap();
    click(&c, "#save-settings").await;
    wait_gone(&c, "#save-settings").await;

    // What the user copies meanwhile is left alone when the time is up.
    click(&c, "button[aria-label='Copy openai-production']").await;
    x.wait_for_clipboard(KEY);
    x.copy_as_user("my own text");
    tokio::time::sleep(Duration::from_secs(3)).await;
    assert_eq!(x.clipboard().as_deref(), Some("my own text"));

    // Copied, then cleared after the set 2 s by the running (still unlocked) app's clear().
    click(&c, "button[aria-label='Copy openai-production']").await;
    x.wait_for_clipboard(KEY);
    wait_for_text(&c, "cleared in 2 s").await;
    let deadline = Instant::now() + Duration::from_secs(4);
    while x.clipboard().as_deref() == Some(KEY) {
        assert!(Instant::now() < deadline, "the clipboard was not cleared after 2 s");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(html(&c).await.contains("openai-production"), "cleared by locking, not by the timer");

    // Idle: the app locks itself and forgets the keys.
    wait_for_text(&c, "Unlock Keyward").await;
    assert!(!html(&c).await.contains("openai-production"));
    screenshot(&c, "5-auto-locked").await;

    // The new passphrase opens it; the old one no longer does.
    type_text(&c, "#passphrase", PASSPHRASE).await;
    click(&c, "#submit").await;
    wait_for_text(&c, "The passphrase is wrong").await;
    find(&c, "#passphrase").await.clear().await.unwrap();
    type_text(&c, "#passphrase", NEW_PASSPHRASE).await;
    click(&c, "#submit").await;
    wait_for_text(&c, "openai-production").await;

    driver.assert_output_free_of(&[
        KEY,
        NEW_KEY,
        "sk-proj-OldRevokedKey0123456789:invalid",
        "gsk_from_the_command_line",
        PASSPHRASE,
        NEW_PASSPHRASE,
    ]);
    c.close().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn other_vaults_import_export_filters_and_provider_pages() {
    use keyward_e2e::{PASSPHRASE as CLI_PASSPHRASE, TestVault};
    let x = Xvfb::start();
    let providers = FakeProviders::start();
    // Vault A, made with the CLI: three keys, one of them checked (against the fake provider).
    let a = TestVault::new();
    let openai = providers.base_url("openai");
    a.ok(&["add", "openai-web", "--env", "production", "--tag", "web", "--base-url", &openai], Some(KEY));
    a.ok(&["add", "claude-batch", "--env", "staging", "--tag", "batch"], Some("sk-ant-api03-batchkey0123456789"));
    a.ok(&["add", "groq-web", "--tag", "web"], Some("gsk_groqkey0123456789abcdef"));
    a.ok(&["test", "openai-web"], None);
    let home = a.dir.path();
    // A stand-in for the browser: records the address it was asked to open.
    std::fs::create_dir_all(home.join("bin")).unwrap();
    let opened = home.join("opened.txt");
    let script = format!("#!/bin/sh\nprintf '%s' \"$1\" > '{}'\n", opened.display());
    std::fs::write(home.join("bin/xdg-open"), script).unwrap();
    std::process::Command::new("chmod").args(["+x", &home.join("bin/xdg-open").to_string_lossy()]).status().unwrap();

    let driver = Driver::start(&x.display, home, &a.path);
    let c = connect(&driver).await;
    wait_for_text(&c, "Unlock Keyward").await;

    // Another vault, by typing its path: a new file, so the app offers to create it.
    let b = home.join("second.age");
    click(&c, "#other-vault").await;
    type_text(&c, "#vault-path", &home.join("no-such-folder/x.age").to_string_lossy()).await;
    click(&c, "#use-path").await;
    wait_for_text(&c, "There is no folder").await;
    find(&c, "#vault-path").await.clear().await.unwrap();
    type_text(&c, "#vault-path", &b.to_string_lossy()).await;
    click(&c, "#use-path").await;
    wait_for_text(&c, "Create your vault").await;
    assert!(html(&c).await.contains(&*b.to_string_lossy()), "the chosen path is not shown");
    type_text(&c, "#passphrase", PASSPHRASE).await;
    type_text(&c, "#repeat", PASSPHRASE).await;
    click(&c, "#submit").await;
    wait_for_text(&c, "No keys yet").await;
    assert!(b.exists());

    // Import a .env file: a preview first (what is added, what is skipped and why), then import.
    let env_file = home.join("project.env");
    std::fs::write(&env_file, format!("OPENAI_API_KEY={KEY}\nPORT=3000\n")).unwrap();
    let before_preview = std::fs::read(&b).unwrap();
    click(&c, "#transfer").await;
    type_text(&c, "#import-path", &env_file.to_string_lossy()).await;
    click(&c, "#preview-import").await;
    wait_for_text(&c, "1 key(s) to add, 1 skipped").await;
    wait_for_text(&c, "line 2 \"port\": does not look like an API key").await;
    assert!(html(&c).await.contains("sk-proj-…wxyz") && !html(&c).await.contains(KEY));
    assert_eq!(std::fs::read(&b).unwrap(), before_preview, "the preview changed the vault");
    screenshot(&c, "6-import-preview").await;
    click(&c, "#import-all").await;
    wait_for_text(&c, "2 key(s) to add, 0 skipped").await;
    click(&c, "#import-all").await;
    wait_for_text(&c, "1 key(s) to add, 1 skipped").await;
    click(&c, "#confirm-import").await;
    wait_for_text(&c, "Imported 1 key(s); skipped 1.").await;

    // Export to .env: warned, written readable only by the user, never over an existing file.
    wait_for_text(&c, "anyone who can read it").await;
    let out = home.join("out.env");
    type_text(&c, "#export-path", &out.to_string_lossy()).await;
    click(&c, "#export").await;
    wait_for_text(&c, "Exported 1 key(s)").await;
    let text = std::fs::read_to_string(&out).unwrap();
    assert!(text.contains(&format!("OPENAI_API_KEY={KEY}")), "{text}");
    use std::os::unix::fs::PermissionsExt;
    assert_eq!(std::fs::metadata(&out).unwrap().permissions().mode() & 0o777, 0o600);
    type_text(&c, "#export-path", &out.to_string_lossy()).await;
    click(&c, "#export").await;
    wait_for_text(&c, "already exists").await;
    assert_eq!(std::fs::read_to_string(&out).unwrap(), text);
    click(&c, "#close-transfer").await;
    find(&c, "li[data-name='openai-api-key']").await;

    // Back to the first vault through the recent list.
    click(&c, "#lock").await;
    wait_for_text(&c, "Unlock Keyward").await;
    click(&c, "#other-vault").await;
    let recent = format!("ul[aria-label='Recent vaults'] button[title='{}']", a.path.display());
    click(&c, &recent).await;
    wait_gone(&c, "#vault-path").await;
    type_text(&c, "#passphrase", CLI_PASSPHRASE).await;
    click(&c, "#submit").await;
    wait_for_text(&c, "3 keys").await;

    // Filters: provider, environment, tag and status, alone and together.
    select(&c, "#filter-provider", "anthropic").await;
    wait_for_text(&c, "1 of 3 keys").await;
    assert_eq!(listed_names(&c).await, ["claude-batch"]);
    click(&c, "#clear-filters").await;
    select(&c, "#filter-tag", "web").await;
    wait_for_text(&c, "2 of 3 keys").await;
    select(&c, "#filter-status", "works").await;
    wait_for_text(&c, "1 of 3 keys").await;
    assert_eq!(listed_names(&c).await, ["openai-web"]);
    select(&c, "#filter-environment", "staging").await;
    wait_for_text(&c, "No key matches these filters").await;
    screenshot(&c, "7-filters").await;
    click(&c, "#clear-filters").await;
    wait_for_text(&c, "3 keys").await;

    // The provider's key page opens in the browser (here: the stand-in xdg-open).
    open_key(&c, "claude-batch").await;
    click(&c, "#keys-page").await;
    let deadline = Instant::now() + Duration::from_secs(10);
    while std::fs::read_to_string(&opened).unwrap_or_default() != "https://console.anthropic.com/settings/keys" {
        assert!(Instant::now() < deadline, "the provider's key page was not opened");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }

    // Settings: a proxy that is not a URL is refused; the dark theme applies at once.
    click(&c, "#settings").await;
    type_text(&c, "#proxy", "not a url").await;
    select(&c, "#theme", "dark").await;
    click(&c, "#save-settings").await;
    wait_for_text(&c, "The proxy setting is not a valid URL.").await;
    // Select all, delete, Enter (saves the form).
    find(&c, "#proxy").await.send_keys("\u{E009}a\u{E000}\u{E003}\u{E007}").await.unwrap();

    wait_gone(&c, "#save-settings").await;
    let theme = c.execute("return document.documentElement.dataset.theme", vec![]).await.unwrap();
    assert_eq!(theme.as_str(), Some("dark"));
    screenshot(&c, "8-dark").await;

    // The window may call Keyward's own commands and nothing else: no plugin command (the
    // clipboard, dialogs and the opener are used from Rust only), no core command.
    assert!(invoke(&c, "list_entries").await.contains("openai-web"), "an allowed command failed");
    for denied in [
        "plugin:clipboard-manager|read_text",
        "plugin:clipboard-manager|write_text",
        "plugin:dialog|open",
        "plugin:opener|open_url",
        "plugin:window|set_title",
        "plugin:webview|create_webview_window",
        "plugin:app|version",
        "no_such_command",
    ] {
        let answer = invoke(&c, denied).await;
        assert!(answer.starts_with("error:"), "the window could call {denied}: {answer}");
    }
    // The content security policy: the page can reach nothing but the app itself, not even a
    // server on this computer (by fetch, image or script).
    let before = providers.requests().len();
    let probe = format!(
        "const done = arguments[arguments.length - 1]; const url = '{}';\
         const load = (tag) => new Promise(r => {{ const e = document.createElement(tag); e.onload = () => r('loaded'); e.onerror = () => r('blocked'); e.src = url + '/' + tag; document.body.appendChild(e); setTimeout(() => r('blocked'), 2000); }});\
         Promise.all([fetch(url + '/fetch').then(() => 'loaded', () => 'blocked'), load('img'), load('script')]).then(r => done(r.join(' ')));",
        providers.base_url("openai")
    );
    let answer = c.execute_async(&probe, vec![]).await.unwrap();
    assert_eq!(answer.as_str(), Some("blocked blocked blocked"));
    assert_eq!(providers.requests().len(), before, "the page reached a server");

    driver.assert_output_free_of(&[
        KEY,
        "sk-ant-api03-batchkey0123456789",
        "gsk_groqkey0123456789abcdef",
        PASSPHRASE,
        CLI_PASSPHRASE,
    ]);
    c.close().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn team_panel_shares_the_vault_adds_and_removes_a_member_and_merges_a_conflict_copy() {
    use keyward_e2e::TestVault;
    require_tool("age-keygen");
    require_tool("age");
    let x = Xvfb::start();
    let v = TestVault::new();
    v.ok(&["add", "shared", "--provider", "groq"], Some("gsk_SharedKey0123456789"));
    let home = v.dir.path();
    let bob = home.join("bob.txt");
    assert!(Command::new("age-keygen").arg("-o").arg(&bob).output().unwrap().status.success());
    // What Bob shares: his public key and signing key, as `keyward identity` prints them.
    let bob_public = keyward_e2e::members::member_line(home, &bob);
    let bob_opens =
        || Command::new("age").arg("-d").arg("-i").arg(&bob).arg(&v.path).output().unwrap().status.success();

    let driver = Driver::start(&x.display, home, &v.path);
    let c = connect(&driver).await;
    type_text(&c, "#passphrase", PASSPHRASE).await;
    click(&c, "#submit").await;
    find(&c, "li[data-name='shared']").await;

    // Make it a team vault: my identity is created under the vault's passphrase.
    click(&c, "#team").await;
    wait_for_text(&c, "Share this vault with a team").await;
    type_text(&c, "#my-name", "ana").await;
    type_text(&c, "#team-passphrase", PASSPHRASE).await;
    click(&c, "#make-team").await;
    wait_for_text(&c, "This is now a team vault").await;
    let my_key = find(&c, "#my-public-key").await.text().await.unwrap();
    assert!(my_key.starts_with("age1") && my_key.contains(" ed25519:"), "{my_key}");
    let my_fingerprint = find(&c, "#my-fingerprint").await.text().await.unwrap();
    assert_eq!(my_fingerprint.len(), 19, "{my_fingerprint}");
    find(&c, "span[aria-label='QR code of your member line'] svg").await;
    click(&c, "#copy-public-key").await;
    x.wait_for_clipboard(&my_key);

    // Add Bob: what it means is said first; then his identity opens the file with stock age.
    type_text(&c, "#member-name", "bob").await;
    type_text(&c, "#member-key", bob_public.trim()).await;
    wait_for_text(&c, "bob will be able to read every key in this vault").await;
    click(&c, "#add-member").await;
    wait_for_text(&c, "Added bob").await;
    wait_for_text(&c, "by ana").await;
    // Each member's fingerprint is shown, to compare with them.
    let bob_fingerprint = keyward_e2e::members::fingerprint(home, &bob);
    wait_for_text(&c, &bob_fingerprint).await;
    wait_for_text(&c, &my_fingerprint).await;
    click(&c, "#close-team").await;

    // Bob, a member, points the shared key at his own server (signed with his key). The row
    // says where it would go; a check does not send it until I trust it on this device.
    let attacker = FakeProviders::start_on("127.0.0.2");
    let (identity_file, me) = (home.join("data/keyward/identity.age"), home.join("me.txt"));
    keyward_e2e::age_with_passphrase(&["-d", "-o", me.to_str().unwrap(), identity_file.to_str().unwrap()], PASSPHRASE);
    let mut json = keyward_e2e::members::read_json(&v.path, &me);
    let vault_id = json["vault_id"].as_str().unwrap().to_string();
    let entry = &mut json["entries"][0];
    entry["base_url"] = attacker.base_url("groq").into();
    entry["updated_at"] = keyward_e2e::members::now_rfc3339().into();
    keyward_e2e::members::sign_as(&bob, "entry", &vault_id, entry, &["history", "last_check"]);
    let bob_key = keyward_core::members::parse_member_line(&bob_public).unwrap().public_key;
    keyward_e2e::members::stock_age_encrypt(&json, &[my_key.split_whitespace().next().unwrap(), &bob_key], &v.path);
    wait_for_text(&c, &format!("Groq → {}", attacker.addr())).await;
    open_key(&c, "shared").await;
    click(&c, "button[aria-label='Check shared']").await;
    wait_for_text(&c, "Not checked").await;
    wait_for_text(&c, "bob (").await;
    wait_for_text(&c, "Trust it on this device").await;
    screenshot(&c, "9b-trust-base-url").await;
    assert!(attacker.requests().is_empty(), "the key was sent to the address Bob chose");
    // Changing another field of the key (its variable) does not confirm Bob's address.
    click(&c, "#edit").await;
    let var = find(&c, "#edit-env-var").await;
    var.clear().await.unwrap();
    var.send_keys("SHARED_GROQ_KEY").await.unwrap();
    click(&c, "#save-details").await;
    wait_for_text(&c, "SHARED_GROQ_KEY").await;
    click(&c, "button[aria-label='Check shared']").await;
    wait_for_text(&c, "Not checked").await;
    wait_for_text(&c, "Trust it on this device").await;
    assert!(attacker.requests().is_empty(), "editing the variable confirmed the address Bob chose");
    click(&c, "#trust-entry").await;
    wait_for_text(&c, "Confirmed on this device.").await;
    click(&c, "button[aria-label='Check shared']").await;
    let deadline = Instant::now() + Duration::from_secs(20);
    while attacker.requests().is_empty() {
        assert!(Instant::now() < deadline, "trusted, yet not checked at the address");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    click(&c, "#team").await;
    wait_for_text(&c, "Members").await;
    assert!(bob_opens(), "bob's identity does not open the team vault");
    screenshot(&c, "9-team").await;

    // Remove Bob: the consequences are stated before confirming; the key he could read is listed.
    click(&c, "button[aria-label='Remove bob']").await;
    wait_for_text(&c, "may have kept copies").await;
    click(&c, "button[aria-label='Confirm remove bob']").await;
    wait_for_text(&c, "Removed bob").await;
    wait_for_text(&c, "rotate — exposed to bob").await;
    assert!(!bob_opens(), "bob's identity still opens the vault");
    click(&c, "#close-team").await;

    // Another device's version left by a sync tool: the app offers to merge it, then deletes it.
    let copy = home.join("vault (conflicted copy 2026-01-02 101010).age");
    std::fs::copy(&v.path, &copy).unwrap();
    let mut other = v.command(&["add", "from-other-device", "--provider", "xai"]);
    other.env("KEYWARD_VAULT", &copy);
    let out = keyward_e2e::run_with_stdin(other, Some("xai-OtherDevice0123456789"));
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    wait_for_text(&c, "conflict copy of this vault").await;
    click(&c, "#merge-copies").await;
    wait_for_text(&c, "Merged 1 conflict copy (1 added, 0 changed, 0 deleted)").await;
    find(&c, "li[data-name='from-other-device']").await;
    assert!(!copy.exists(), "the merged copy was not deleted");

    // Bob, removed, leaves a copy with a key he signed himself: it is not merged, the window
    // says why, and the copy is kept.
    let hostile = home.join("vault (conflicted copy 2026-01-03 101010).age");
    let mut json = keyward_e2e::members::read_json(&v.path, &me);
    let vault_id = json["vault_id"].as_str().unwrap().to_string();
    let mut planted = json["entries"][0].clone();
    planted["id"] = "0b0b0b0b-0000-4000-8000-000000000001".into();
    planted["name"] = "planted-by-bob".into();
    keyward_e2e::members::sign_as(&bob, "entry", &vault_id, &mut planted, &["history", "last_check"]);
    json["entries"].as_array_mut().unwrap().push(planted);
    keyward_e2e::members::stock_age_encrypt(&json, &[my_key.split_whitespace().next().unwrap()], &hostile);
    wait_for_text(&c, "conflict copy of this vault").await;
    click(&c, "#merge-copies").await;
    wait_for_text(&c, "signed by bob, who is no longer a member").await;
    assert!(hostile.exists(), "the copy carrying a refused change was deleted");
    assert!(!html(&c).await.contains("data-name=\"planted-by-bob\""));

    // The identity's passphrase changed in Settings (a team vault opens through my identity).
    click(&c, "#settings").await;
    wait_for_text(&c, "this is the passphrase of your identity").await;
    type_text(&c, "#current-passphrase", PASSPHRASE).await;
    type_text(&c, "#new-passphrase", NEW_PASSPHRASE).await;
    type_text(&c, "#repeat-passphrase", NEW_PASSPHRASE).await;
    click(&c, "#change-passphrase").await;
    wait_for_text(&c, "The passphrase was changed").await;
    screenshot(&c, "11-identity-passphrase-changed").await;
    click(&c, "#save-settings").await;
    wait_gone(&c, "#save-settings").await;

    // Locked and unlocked again: the old passphrase no longer opens it, the new one does.
    click(&c, "#lock").await;
    wait_for_text(&c, "Unlock Keyward").await;
    type_text(&c, "#passphrase", PASSPHRASE).await;
    click(&c, "#submit").await;
    find(&c, "p.error").await;
    assert!(!html(&c).await.contains("data-name=\"from-other-device\""));
    find(&c, "#passphrase").await.clear().await.unwrap();
    type_text(&c, "#passphrase", NEW_PASSPHRASE).await;
    click(&c, "#submit").await;
    find(&c, "li[data-name='from-other-device']").await;

    // The file replaced by another vault that my passphrase opens: not opened until I say so.
    click(&c, "#lock").await;
    wait_for_text(&c, "Unlock Keyward").await;
    let swapped = TestVault::new();
    swapped.ok(&["add", "swapped-in", "--provider", "groq"], Some("gsk_SwappedIn0123456789"));
    std::fs::copy(&swapped.path, &v.path).unwrap();
    // In the smallest window the warning still shows its safe answer.
    c.set_window_size(720, 480).await.unwrap();
    type_text(&c, "#passphrase", PASSPHRASE).await;
    click(&c, "#submit").await;
    wait_for_text(&c, "holds a different vault than the one this device opened there before").await;
    screenshot(&c, "10-vault-changed").await;
    // The focus is on the safe answer, and it is in view.
    let focused = c
        .execute(
            "const b = document.activeElement; const r = b.getBoundingClientRect(); \
             return [b.id, r.top >= 0 && r.bottom <= window.innerHeight]",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(focused, serde_json::json!(["cancel-changed", true]));
    // Not opened by default: "Don't open it" goes back; the same file asks again.
    click(&c, "#cancel-changed").await;
    click(&c, "#submit").await;
    click(&c, "#open-anyway").await;
    find(&c, "li[data-name='swapped-in']").await;
    c.close().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn remember_on_this_device_unlocks_from_the_os_keyring() {
    use keyward_e2e::TestVault;
    use keyward_e2e::secret_service::SecretService;
    require_tool("secret-tool");
    let x = Xvfb::start();
    let v = TestVault::new();
    v.ok(&["add", "k", "--provider", "groq"], Some("gsk_KeyringApp0123456789"));
    let keyring = SecretService::start(v.dir.path());
    // A private bus standing in for the system bus, where logind announces sleep.
    let system = keyward_e2e::secret_service::Bus::start(v.dir.path());
    let env =
        [("DBUS_SESSION_BUS_ADDRESS", keyring.address.as_str()), ("DBUS_SYSTEM_BUS_ADDRESS", system.address.as_str())];

    // Unlock once with "Remember on this device".
    let driver = Driver::start_with(&x.display, v.dir.path(), &v.path, &env);
    let c = connect(&driver).await;
    type_text(&c, "#passphrase", PASSPHRASE).await;
    click(&c, "#remember").await;
    click(&c, "#submit").await;
    find(&c, "li[data-name='k']").await;
    assert_eq!(keyring.items(), Some(1));
    c.close().await.unwrap();
    drop(driver);

    // The next start needs no passphrase: the app asks the keyring.
    let driver = Driver::start_with(&x.display, v.dir.path(), &v.path, &env);
    let c = connect(&driver).await;
    find(&c, "li[data-name='k']").await;
    // Locked, it asks again only when told to (one click, no passphrase).
    click(&c, "#lock").await;
    wait_for_text(&c, "Unlock Keyward").await;
    click(&c, "#unlock-remembered").await;
    find(&c, "li[data-name='k']").await;

    // The session locks (the screensaver says so on the session bus): Keyward locks too.
    keyring.bus.signal("/org/freedesktop/ScreenSaver", "org.freedesktop.ScreenSaver.ActiveChanged", &["boolean:true"]);
    wait_for_text(&c, "Unlock Keyward").await;
    assert_eq!(invoke(&c, "list_entries").await, "error: locked: The vault is locked.");
    click(&c, "#unlock-remembered").await;
    find(&c, "li[data-name='k']").await;
    // The machine is about to sleep (logind on the system bus): locked as well.
    system.signal("/org/freedesktop/login1", "org.freedesktop.login1.Manager.PrepareForSleep", &["boolean:true"]);
    wait_for_text(&c, "Unlock Keyward").await;
    assert_eq!(invoke(&c, "list_entries").await, "error: locked: The vault is locked.");
    click(&c, "#unlock-remembered").await;
    find(&c, "li[data-name='k']").await;

    // A clipboard manager that keeps a history (Parcellite, for real) is warned about once.
    require_tool("parcellite");
    let mut manager = Command::new("parcellite")
        .arg("-n")
        .env("DISPLAY", &x.display)
        .env("HOME", v.dir.path())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    tokio::time::sleep(Duration::from_millis(500)).await;
    click(&c, "button[aria-label='Copy k']").await;
    wait_for_text(&c, "Parcellite keeps a history of what you copy").await;
    click(&c, "#clipboard-warning button:last-child").await;
    wait_gone(&c, "#clipboard-warning").await;
    click(&c, "button[aria-label='Copy k']").await;
    wait_for_text(&c, "The clipboard is cleared in").await;
    assert!(!html(&c).await.contains("keeps a history"), "warned twice");
    let _ = manager.kill();
    let _ = manager.wait();

    // Forget it in Settings: the keyring item goes, and the passphrase is needed again.
    click(&c, "#settings").await;
    click(&c, "#forget-device").await;
    wait_for_text(&c, "no longer remembered on this device").await;
    assert_eq!(keyring.items(), Some(0));
    click(&c, ".buttons button[type='button']").await; // Cancel
    click(&c, "#lock").await;
    wait_for_text(&c, "Unlock Keyward").await;
    assert!(c.find(fantoccini::Locator::Css("#unlock-remembered")).await.is_err(), "still offered after forgetting");
    driver.assert_output_free_of(&["gsk_KeyringApp0123456789", PASSPHRASE]);
    c.close().await.unwrap();
}

/// Quitting from the OS (SIGTERM at logout or shutdown, SIGINT, SIGHUP) takes the app's normal
/// way out: the result of a Check all still running is saved, the key it copied is cleared,
/// and the process ends.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn quitting_from_the_os_saves_checks_and_clears_the_clipboard() {
    use keyward_e2e::{PASSPHRASE, TestVault};
    require_tool("xclip");
    const QUIT_KEY: &str = "sk-proj-QuitTest0123456789abcdefghijklmnop";
    let x = Xvfb::start();
    let providers = FakeProviders::start();
    // Accepts connections and never answers.
    let silent = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    for signal in ["-TERM", "-INT", "-HUP"] {
        let v = TestVault::new();
        v.ok(&["add", "k", "--provider", "openai", "--base-url", &providers.base_url("openai")], Some(QUIT_KEY));
        let slow = format!("http://{}/v1", silent.local_addr().unwrap());
        v.ok(
            &["add", "slow", "--provider", "openai", "--base-url", &slow],
            Some("sk-proj-NeverAnswered0123456789abcd"),
        );
        let driver = Driver::start(&x.display, v.dir.path(), &v.path);
        let c = connect(&driver).await;
        type_text(&c, "#passphrase", PASSPHRASE).await;
        click(&c, "#submit").await;
        find(&c, "li[data-name='k']").await;

        // Check all: "k" is answered, "slow" never is, so the run is still going (nothing saved
        // yet) when the app is told to quit.
        click(&c, "#check-all").await;
        wait_for_text(&c, "Checked 1 of 2").await;
        assert!(!v.ok(&["show", "k"], None).contains("last check"), "saved already");
        click(&c, "button[aria-label='Copy k']").await;
        x.wait_for_clipboard(QUIT_KEY);

        let pid = app_pid(&v.path);
        assert!(Command::new("kill").args([signal, &pid.to_string()]).status().unwrap().success());
        // Gone, or a zombie its parent has not reaped yet.
        let running = || std::fs::read_to_string(format!("/proc/{pid}/stat")).is_ok_and(|s| !s.contains(") Z "));
        let deadline = Instant::now() + Duration::from_secs(20);
        while running() {
            assert!(Instant::now() < deadline, "the app did not quit on {signal}");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        assert!(v.ok(&["show", "k"], None).contains("last check"), "{signal}: the check result was lost");
        assert_ne!(x.clipboard().as_deref(), Some(QUIT_KEY), "{signal}: the key outlived the app on the clipboard");
        driver.assert_output_free_of(&[QUIT_KEY, PASSPHRASE]);
    }
}

/// Locking clears the key the app copied and reloads the page (nothing of the unlocked page
/// stays in the window); a revealed key hides itself after 10 s.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn lock_clears_the_clipboard_and_reloads_and_reveal_hides_itself() {
    use keyward_e2e::{PASSPHRASE, TestVault};
    require_tool("xclip");
    const LOCK_KEY: &str = "gsk_LockTest0123456789abcdefghij";
    let x = Xvfb::start();
    let v = TestVault::new();
    v.ok(&["add", "k", "--provider", "groq"], Some(LOCK_KEY));
    let driver = Driver::start(&x.display, v.dir.path(), &v.path);
    let c = connect(&driver).await;
    type_text(&c, "#passphrase", PASSPHRASE).await;
    click(&c, "#submit").await;
    find(&c, "li[data-name='k']").await;

    // A value of several lines, pasted (Ctrl+V): Rust reads it from the clipboard, the page
    // never holds it, and it is saved with its line breaks.
    const PEM: &str = "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n-----END PRIVATE KEY-----";
    x.copy_as_user(&format!("{PEM}\n"));
    click(&c, "#add").await;
    find(&c, "#new-secret").await.send_keys("\u{E009}v\u{E000}").await.unwrap(); // Ctrl+V
    wait_for_text(&c, "(3 lines)").await;
    assert!(!html(&c).await.contains("MIIEvQIBADANBgkqhkiG9w0BAQEFAASC"), "the pasted value is in the page");
    let name = find(&c, "#new-name").await;
    name.clear().await.unwrap();
    name.send_keys("pem").await.unwrap();
    click(&c, "#save").await;
    find(&c, "li[data-name='pem']").await;
    assert_eq!(v.ok(&["get", "pem"], None).trim_end(), PEM);

    // Revealed, still shown a few seconds later, hidden by itself after 10 s.
    open_key(&c, "k").await;
    click(&c, "button[aria-label='Reveal k']").await;
    find(&c, "button[aria-label='Hide k']").await;
    tokio::time::sleep(Duration::from_secs(5)).await;
    assert!(c.find(fantoccini::Locator::Css("button[aria-label='Hide k']")).await.is_ok(), "hidden too soon");
    let deadline = Instant::now() + Duration::from_secs(15);
    while c.find(fantoccini::Locator::Css("button[aria-label='Reveal k']")).await.is_err() {
        assert!(Instant::now() < deadline, "the revealed key did not hide itself");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }

    // Copy, then lock: the key leaves the clipboard and the page is a new one.
    c.execute("window.keywardTestMarker = 1", vec![]).await.unwrap();
    click(&c, "button[aria-label='Copy k']").await;
    x.wait_for_clipboard(LOCK_KEY);
    click(&c, "#lock").await;
    wait_for_text(&c, "Unlock Keyward").await;
    assert_ne!(x.clipboard().as_deref(), Some(LOCK_KEY), "the key stayed on the clipboard after locking");
    let marker = c.execute("return typeof window.keywardTestMarker", vec![]).await.unwrap();
    assert_eq!(marker.as_str(), Some("undefined"), "the page was not reloaded on lock");
    driver.assert_output_free_of(&[LOCK_KEY, PASSPHRASE]);
    c.close().await.unwrap();
}
