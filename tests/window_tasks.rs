//! Issue 13's problems, each done in the window as a person would (the real webview under
//! Xvfb, through WebDriver): every one of these was a dead end or a silent loss before.

use fake_providers::FakeProviders;
use keyward_e2e::webdriver::*;
use keyward_e2e::x11::Xvfb;
use keyward_e2e::{PASSPHRASE, TestVault};

const PROD: &str = "sk-proj-WindowTasksProd0123456789abcdefghijk";
const DEV: &str = "sk-proj-WindowTasksDev0123456789abcdef:invalid";
const TAKEN: &str = "sk-proj-WindowTasksTaken0123456789abcdefgh";
const OTHER_PROJECT: &str = "sk-proj-WindowTasksOther0123456789abcdefgh";
const ANTHROPIC: &str = "sk-ant-api03-WindowTasksAnthropic0123456789abcdef";
const NEW_PASSPHRASE: &str = "quiet harbor tulip engine seventy";

/// The id of the element that has the keyboard focus.
async fn focused(c: &fantoccini::Client) -> String {
    let id = c.execute("return document.activeElement ? document.activeElement.id : ''", vec![]).await.unwrap();
    id.as_str().unwrap_or_default().to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn weak_passphrases_are_refused_and_the_rating_is_the_cores() {
    let x = Xvfb::start();
    let home = tempfile::tempdir().unwrap();
    let vault = home.path().join("vault.age");
    let driver = Driver::start(&x.display, home.path(), &vault);
    let c = connect(&driver).await;
    wait_for_text(&c, "Create your vault").await;
    // Twenty "a"s rated "strong" before; the core's zxcvbn says what they are.
    type_text(&c, "#passphrase", "aaaaaaaaaaaaaaaaaaaa").await;
    find(&c, ".meter[aria-label='Passphrase strength: very weak']").await;
    find(&c, "#strength-advice").await;
    type_text(&c, "#repeat", "aaaaaaaaaaaaaaaaaaaa").await;
    click(&c, "#submit").await;
    wait_for_text(&c, "This passphrase is too easy to guess").await;
    assert!(!vault.exists(), "a vault was created under a trivially guessable passphrase");
    screenshot(&c, "13-weak-passphrase").await;
    assert_accessible(&c, "create, passphrase refused").await;
    find(&c, "#passphrase").await.clear().await.unwrap();
    find(&c, "#repeat").await.clear().await.unwrap();
    type_text(&c, "#passphrase", NEW_PASSPHRASE).await;
    find(&c, ".meter[aria-label='Passphrase strength: very strong'], .meter[aria-label='Passphrase strength: strong']")
        .await;
    type_text(&c, "#repeat", NEW_PASSPHRASE).await;
    click(&c, "#submit").await;
    wait_for_text(&c, "No keys yet").await;

    // After a wrong passphrase the cursor is back in the field, ready for another try.
    click(&c, "#lock").await;
    wait_for_text(&c, "Unlock Keyward").await;
    type_text(&c, "#passphrase", "not the passphrase").await;
    click(&c, "#submit").await;
    wait_for_text(&c, "The passphrase is wrong").await;
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while focused(&c).await != "passphrase" {
        assert!(std::time::Instant::now() < deadline, "the focus went to {:?}", focused(&c).await);
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    driver.assert_output_free_of(&[NEW_PASSPHRASE]);
    c.close().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn check_all_export_import_replace_and_settings_do_what_was_asked() {
    let x = Xvfb::start();
    let providers = FakeProviders::start();
    let openai = providers.base_url("openai");
    let v = TestVault::new();
    v.ok(&["add", "prod", "--base-url", &openai], Some(PROD));
    v.ok(&["add", "dev", "--base-url", &openai], Some(DEV));
    // The name an import of OPENAI_API_KEY takes is in use already.
    v.ok(&["add", "openai-api-key", "--env-var", "TAKEN_KEY", "--base-url", &openai], Some(TAKEN));
    let driver = Driver::start(&x.display, v.dir.path(), &v.path);
    let c = connect(&driver).await;
    type_text(&c, "#passphrase", PASSPHRASE).await;
    click(&c, "#submit").await;
    find(&c, "li[data-name='prod']").await;

    // Check all says how it went in one line, working keys first.
    click(&c, "#check-all").await;
    find(&c, "#check-summary").await;
    wait_for_text(&c, "Checked: 2 work, 1 invalid.").await;
    screenshot(&c, "13-check-all-summary").await;

    // Export: two keys for one variable are refused by name; the chosen one is written once.
    click(&c, "#transfer").await;
    let all = v.dir.path().join("all.env");
    type_text(&c, "#export-path", &all.display().to_string()).await;
    click(&c, "#export").await;
    wait_for_text(&c, "OPENAI_API_KEY would be written for 2 keys").await;
    assert!(!all.exists());
    click(&c, "input[data-export='dev']").await;
    click(&c, "#export").await;
    wait_for_text(&c, "Exported 2 key(s)").await;
    let text = std::fs::read_to_string(&all).unwrap();
    assert_eq!(text.matches("OPENAI_API_KEY=").count(), 1, "{}", text.lines().filter(|l| l.starts_with('#')).count());
    assert!(text.contains("TAKEN_KEY="));

    // Import a second project's OPENAI_API_KEY: its name is taken, so it is imported renamed.
    let other = v.dir.path().join("other.env");
    std::fs::write(&other, format!("OPENAI_API_KEY={OTHER_PROJECT}\n")).unwrap();
    type_text(&c, "#import-path", &other.display().to_string()).await;
    click(&c, "#preview-import").await;
    wait_for_text(&c, "a different key with this name is already in the vault").await;
    type_text(&c, "#rename-1", "other-project").await;
    click(&c, "#apply-rename-1").await;
    wait_for_text(&c, "+ other-project").await;
    click(&c, "#confirm-import").await;
    wait_for_text(&c, "Imported 1 key(s)").await;
    click(&c, "#close-transfer").await;
    find(&c, "li[data-name='other-project']").await;
    assert_eq!(v.ok(&["get", "other-project"], None).trim(), OTHER_PROJECT);

    // Replace with another provider's key: asked first; then the key is that provider's.
    open_key(&c, "prod").await;
    type_secret(&c, "#replace-key", ANTHROPIC).await;
    click(&c, "#replace").await;
    wait_for_text(&c, "This looks like a key for Anthropic").await;
    screenshot(&c, "13-other-provider").await;
    assert_eq!(v.ok(&["get", "prod"], None).trim(), PROD, "replaced before the person answered");
    click(&c, "#replace-anyway").await;
    wait_for_text(&c, "The key was replaced").await;
    assert!(v.ok(&["show", "prod"], None).contains("anthropic"));

    // Settings' Save with a new passphrase typed: it is changed, not dropped.
    click(&c, "#settings").await;
    type_secret(&c, "#current-passphrase", PASSPHRASE).await;
    type_secret(&c, "#new-passphrase", NEW_PASSPHRASE).await;
    type_secret(&c, "#repeat-passphrase", NEW_PASSPHRASE).await;
    click(&c, "#save-settings").await;
    wait_gone(&c, "#save-settings").await;
    click(&c, "#lock").await;
    wait_for_text(&c, "Unlock Keyward").await;
    type_text(&c, "#passphrase", PASSPHRASE).await;
    click(&c, "#submit").await;
    wait_for_text(&c, "The passphrase is wrong").await;
    find(&c, "#passphrase").await.clear().await.unwrap();
    type_text(&c, "#passphrase", NEW_PASSPHRASE).await;
    click(&c, "#submit").await;
    find(&c, "li[data-name='prod']").await;
    driver.assert_output_free_of(&[PROD, TAKEN, OTHER_PROJECT, ANTHROPIC, PASSPHRASE, NEW_PASSPHRASE]);
    c.close().await.unwrap();
}

/// Paste done in Rust: a `.env` line is cleaned and said so; a key pasted into search is caught,
/// never searched for or shown, and offered to be added.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pasted_keys_are_cleaned_in_rust_and_caught_in_search() {
    keyward_e2e::require_tool("xclip");
    const PASTED: &str = "sk-proj-WindowTasksPasted0123456789abcdefg";
    const IN_SEARCH: &str = "gsk_WindowTasksSearch0123456789abcdefghijklmn";
    let x = Xvfb::start();
    let v = TestVault::new();
    let driver = Driver::start(&x.display, v.dir.path(), &v.path);
    let c = connect(&driver).await;
    type_text(&c, "#passphrase", PASSPHRASE).await;
    click(&c, "#submit").await;
    wait_for_text(&c, "No keys yet").await;

    x.copy_as_user(&format!("export OPENAI_API_KEY=\"{PASTED}\""));
    click(&c, "#add").await;
    click(&c, "#paste-key").await;
    wait_for_text(&c, "Keyward removed export, the variable name and the quotes from what was pasted.").await;
    wait_for_text(&c, "Provider: OpenAI").await;
    assert!(!html(&c).await.contains(PASTED), "the pasted key is in the page");
    click(&c, "#check-after").await; // no check: it would go to the real provider
    // Refused (a base URL without https://): the pasted key stays for the second try.
    type_text(&c, "#new-base-url", "api.example.com").await;
    click(&c, "#save").await;
    wait_for_text(&c, "The base URL must start with https:// or http://.").await;
    // Emptied as a person would (select all, Backspace): the page hears it.
    find(&c, "#new-base-url").await.send_keys("\u{E009}a\u{E000}\u{E003}").await.unwrap();
    click(&c, "#save").await;
    find(&c, "li[data-name='openai']").await;
    assert_eq!(v.ok(&["get", "openai"], None).trim(), PASTED, "saved with its quotes");

    // Pasted into search: not searched for, not shown; added with one click.
    x.copy_as_user(IN_SEARCH);
    find(&c, "#search").await.send_keys("\u{E009}v\u{E000}").await.unwrap(); // Ctrl+V
    find(&c, "#pasted-in-search").await;
    wait_for_text(&c, "This looks like an API key").await;
    let query = find(&c, "#search").await.prop("value").await.unwrap().unwrap_or_default();
    assert_eq!(query, "", "the key went into the search field");
    assert!(!html(&c).await.contains(IN_SEARCH));
    screenshot(&c, "13-key-pasted-in-search").await;
    click(&c, "#add-pasted").await;
    wait_for_text(&c, "Provider: Groq").await;
    click(&c, "#check-after").await;
    click(&c, "#save").await;
    find(&c, "li[data-name='groq']").await;
    assert_eq!(v.ok(&["get", "groq"], None).trim(), IN_SEARCH);
    // Words pasted into search are searched for.
    x.copy_as_user("groq");
    find(&c, "#search").await.send_keys("\u{E009}v\u{E000}").await.unwrap();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while find(&c, "#search").await.prop("value").await.unwrap().as_deref() != Some("groq") {
        assert!(std::time::Instant::now() < deadline, "the pasted words did not reach the search field");
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    driver.assert_output_free_of(&[PASTED, IN_SEARCH, PASSPHRASE]);
    c.close().await.unwrap();
}

/// The keyboard: one dialog at a time, Tab stays in it and the focus comes back after; arrows
/// keep the selection in view; Ctrl+C copies the selected key; Delete asks first.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_keyboard_does_every_list_task_without_a_dead_end() {
    keyward_e2e::require_tool("xclip");
    let x = Xvfb::start();
    let v = TestVault::new();
    let lines: String =
        (0..60).map(|n| format!("KEY_{n:02}_API_KEY=sk-proj-KeyboardTest{n:02}abcdefghijklmnopqrst\n")).collect();
    let file = v.dir.path().join("many.env");
    std::fs::write(&file, lines).unwrap();
    v.ok(&["import", file.to_str().unwrap()], None);
    let driver = Driver::start(&x.display, v.dir.path(), &v.path);
    let c = connect(&driver).await;
    type_text(&c, "#passphrase", PASSPHRASE).await;
    click(&c, "#submit").await;
    find(&c, "li[data-name='key-00-api-key']").await;
    let keys = |k: &'static str| {
        let c = c.clone();
        async move { c.active_element().await.unwrap().send_keys(k).await.unwrap() }
    };

    // Settings open: Ctrl+N does not stack Add over it, and one Esc closes one dialog.
    click(&c, "#settings").await;
    find(&c, "#save-settings").await;
    keys("\u{E009}n\u{E000}").await;
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    assert!(c.find(fantoccini::Locator::Css("#new-name")).await.is_err(), "Add opened over Settings");
    // Tab goes round inside the dialog, never behind it.
    for _ in 0..25 {
        keys("\u{E004}").await;
        let inside = c.execute("return !!document.activeElement.closest('.dialog')", vec![]).await.unwrap();
        assert_eq!(inside, serde_json::json!(true), "Tab left the dialog for {:?}", focused(&c).await);
    }
    keys("\u{E00C}").await; // Esc
    wait_gone(&c, "#save-settings").await;
    assert_eq!(focused(&c).await, "settings", "the focus did not come back to the button that opened it");

    // Down 45 times from the search field: the selected key is on screen.
    click(&c, "#search").await;
    for _ in 0..45 {
        keys("\u{E015}").await; // ArrowDown
    }
    let script = "const li = document.querySelector('ul.keys > li.selected'); const r = li.getBoundingClientRect();\
                  return [li.dataset.name, r.top >= 0 && r.bottom <= window.innerHeight];";
    assert_eq!(c.execute(script, vec![]).await.unwrap(), serde_json::json!(["key-45-api-key", true]));

    // Ctrl+C copies the selected key (out of the search field, no text selected).
    c.execute("document.activeElement.blur()", vec![]).await.unwrap();
    c.find(fantoccini::Locator::Css("body")).await.unwrap().send_keys("\u{E009}c\u{E000}").await.unwrap();
    x.wait_for_clipboard("sk-proj-KeyboardTest45abcdefghijklmnopqrst");
    wait_for_text(&c, "Copied \"key-45-api-key\"").await;

    // Delete asks first; Esc keeps the key.
    c.find(fantoccini::Locator::Css("body")).await.unwrap().send_keys("\u{E017}").await.unwrap(); // Delete
    wait_for_text(&c, "Delete \"key-45-api-key\"?").await;
    keys("\u{E00C}").await;
    wait_gone(&c, ".confirm").await;
    assert!(v.names().contains(&"key-45-api-key".to_string()));
    driver.assert_output_free_of(&[PASSPHRASE, "sk-proj-KeyboardTest45abcdefghijklmnopqrst"]);
    c.close().await.unwrap();
}

/// Every detail of a key can be changed after adding it, in the key's details: its provider
/// (the variable follows), the variable, the expiry date and the rotation.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn provider_variable_expiry_and_rotation_are_edited_in_the_window() {
    let x = Xvfb::start();
    let v = TestVault::new();
    v.ok(&["add", "mystery"], Some("a-key-keyward-does-not-recognise-0123456789"));
    let driver = Driver::start(&x.display, v.dir.path(), &v.path);
    let c = connect(&driver).await;
    type_text(&c, "#passphrase", PASSPHRASE).await;
    click(&c, "#submit").await;
    open_key(&c, "mystery").await;
    click(&c, "#edit").await;
    find(&c, "#edit-provider option[value='groq']").await;
    select(&c, "#edit-provider", "groq").await;
    click(&c, "#save-details").await;
    wait_for_text(&c, "Saved.").await;
    let shown = v.ok(&["show", "mystery", "--json"], None);
    let json: serde_json::Value = serde_json::from_str(&shown).unwrap();
    assert_eq!((json["provider"].as_str(), json["env_var"].as_str()), (Some("groq"), Some("GROQ_API_KEY")));

    click(&c, "#edit").await;
    let var = find(&c, "#edit-env-var").await;
    var.clear().await.unwrap();
    var.send_keys("MY_GROQ_KEY").await.unwrap();
    type_text(&c, "#edit-expires", "2027-02-28").await;
    let rotation = find(&c, "#edit-rotation").await;
    rotation.clear().await.unwrap();
    rotation.send_keys("30").await.unwrap();
    click(&c, "#save-details").await;
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    loop {
        let json: serde_json::Value = serde_json::from_str(&v.ok(&["show", "mystery", "--json"], None)).unwrap();
        if json["env_var"] == "MY_GROQ_KEY" {
            assert_eq!((json["expires_on"].as_str(), json["rotation_days"].as_u64()), (Some("2027-02-28"), Some(30)));
            break;
        }
        assert!(std::time::Instant::now() < deadline, "not saved: {json}");
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
    // A date that is not one is refused with a sentence, nothing changed.
    click(&c, "#edit").await;
    let expires = find(&c, "#edit-expires").await;
    expires.clear().await.unwrap();
    expires.send_keys("next week").await.unwrap();
    click(&c, "#save-details").await;
    wait_for_text(&c, "The expiry date is not a date (write it as YYYY-MM-DD).").await;
    screenshot(&c, "13-details-edit").await;
    c.close().await.unwrap();
}

/// Every screen, light and dark, has no WCAG 2.2 AA violation that axe-core finds.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_screen_passes_axe_in_light_and_dark() {
    let x = Xvfb::start();
    let providers = FakeProviders::start();
    let v = TestVault::new();
    v.ok(
        &["add", "prod", "--base-url", &providers.base_url("openai"), "--env", "production", "--tag", "web"],
        Some(PROD),
    );
    v.ok(&["add", "dev", "--base-url", &providers.base_url("openai")], Some(DEV));
    let driver = Driver::start(&x.display, v.dir.path(), &v.path);
    let c = connect(&driver).await;
    for theme in ["light", "dark"] {
        wait_for_text(&c, "Unlock Keyward").await;
        c.execute(&format!("document.documentElement.dataset.theme = '{theme}'"), vec![]).await.unwrap();
        assert_accessible(&c, &format!("unlock ({theme})")).await;
        type_text(&c, "#passphrase", "not the passphrase").await;
        click(&c, "#submit").await;
        wait_for_text(&c, "The passphrase is wrong").await;
        assert_accessible(&c, &format!("wrong passphrase ({theme})")).await;
        find(&c, "#passphrase").await.clear().await.unwrap();
        type_text(&c, "#passphrase", PASSPHRASE).await;
        click(&c, "#submit").await;
        find(&c, "li[data-name='prod']").await;
        c.execute(&format!("document.documentElement.dataset.theme = '{theme}'"), vec![]).await.unwrap();
        assert_accessible(&c, &format!("list ({theme})")).await;
        click(&c, "#check-all").await;
        find(&c, "#check-summary").await;
        assert_accessible(&c, &format!("check all ({theme})")).await;
        for (open, ready, close, name) in [
            ("#add", "#new-secret", "Escape", "add"),
            ("#edit", "#edit-name", "#cancel-edit", "editing a key"),
            ("#settings", "#save-settings", "Escape", "settings"),
            ("#team", "#team-title", "Escape", "team"),
            ("#transfer", "#import-path", "#close-transfer", "import and export"),
        ] {
            click(&c, open).await;
            find(&c, ready).await;
            assert_accessible(&c, &format!("{name} ({theme})")).await;
            if close == "Escape" {
                c.active_element().await.unwrap().send_keys("\u{E00C}").await.unwrap();
            } else {
                click(&c, close).await;
            }
            wait_gone(&c, ready).await;
        }
        click(&c, "#lock").await;
    }
    c.close().await.unwrap();
}

/// The window at its smallest size, a common laptop size and full HD, light and dark: nothing
/// scrolls sideways or is cut off, and the screenshots (kept under target/tmp/e2e-screenshots,
/// and in the README) show the list, the pane, Check all's summary and an error.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_window_fits_every_size_in_light_and_dark() {
    let x = Xvfb::start();
    let providers = FakeProviders::start();
    let openai = providers.base_url("openai");
    let v = TestVault::new();
    for (name, key, env) in [
        ("openai-production", PROD, "production"),
        ("openai-dev", DEV, "development"),
        ("openai-batch-jobs-with-a-long-name", TAKEN, "production"),
    ] {
        v.ok(&["add", name, "--base-url", &openai, "--env", env, "--tag", "web"], Some(key));
    }
    v.ok(&["add", "anthropic-prod", "--base-url", &providers.base_url("anthropic")], Some(ANTHROPIC));
    let driver = Driver::start(&x.display, v.dir.path(), &v.path);
    let c = connect(&driver).await;
    type_text(&c, "#passphrase", PASSPHRASE).await;
    click(&c, "#submit").await;
    find(&c, "li[data-name='openai-production']").await;
    click(&c, "#check-all").await;
    find(&c, "#check-results").await;
    for (w, h) in [(720, 480), (980, 680), (1440, 900)] {
        c.set_window_size(w, h).await.unwrap();
        for theme in ["light", "dark"] {
            c.execute(&format!("document.documentElement.dataset.theme = '{theme}'"), vec![]).await.unwrap();
            tokio::time::sleep(std::time::Duration::from_millis(300)).await;
            let fits = c
                .execute(
                    "const d = document.documentElement; return [d.scrollWidth <= window.innerWidth + 1, \
                     [...document.querySelectorAll('header.bar button, .pane-actions button')]\
                       .every(b => { const r = b.getBoundingClientRect(); return r.right <= window.innerWidth + 1; })]",
                    vec![],
                )
                .await
                .unwrap();
            assert_eq!(
                fits,
                serde_json::json!([true, true]),
                "{w}x{h} {theme}: something is cut off or scrolls sideways"
            );
            screenshot(&c, &format!("13-list-{w}x{h}-{theme}")).await;
        }
    }
    // An error, where the person looks: the status line.
    c.set_window_size(980, 680).await.unwrap();
    open_key(&c, "openai-dev").await;
    click(&c, "#edit").await;
    type_text(&c, "#edit-expires", "someday").await;
    click(&c, "#save-details").await;
    wait_for_text(&c, "The expiry date is not a date").await;
    screenshot(&c, "13-error-980x680-dark").await;
    click(&c, "#cancel-edit").await;

    // Joining a team without converting my own vault: an identity, and the line to give.
    click(&c, "#team").await;
    type_secret(&c, "#identity-passphrase", NEW_PASSPHRASE).await;
    type_secret(&c, "#identity-repeat", NEW_PASSPHRASE).await;
    click(&c, "#create-identity").await;
    wait_for_text(&c, "Your identity was created").await;
    let line = find(&c, "#my-public-key").await.text().await.unwrap();
    assert!(line.starts_with("age1") && line.contains(" ed25519:"), "{line}");
    find(&c, "#join-steps").await;
    assert_accessible(&c, "team join (dark)").await;
    screenshot(&c, "13-team-join-980x680-dark").await;
    // My own vault is still a personal one, opened with its passphrase.
    let bytes = std::fs::read(&v.path).unwrap();
    assert!(String::from_utf8_lossy(&bytes[..200.min(bytes.len())]).contains("scrypt"), "the vault was converted");
    driver.assert_output_free_of(&[PASSPHRASE, NEW_PASSPHRASE, PROD, ANTHROPIC]);
    c.close().await.unwrap();
}

/// From pressing Unlock to the painted list, the window makes one call: the unlock's answer
/// holds the status, the settings and the list.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unlocking_shows_the_list_after_one_round_trip() {
    let x = Xvfb::start();
    let v = TestVault::new();
    v.ok(&["add", "prod"], Some(PROD));
    let driver = Driver::start(&x.display, v.dir.path(), &v.path);
    let c = connect(&driver).await;
    find(&c, "#passphrase").await;
    // Every call goes over Tauri's IPC transport: fetch to ipc://, or window.ipc.postMessage.
    let count = "window.__calls = [];\
        const seen = (cmd) => window.__calls.push((document.querySelector('ul.keys li') ? 'after list: ' : '') + cmd);\
        const fetch0 = window.fetch;\
        window.fetch = (input, init) => {\
          const url = String(input && input.url ? input.url : input);\
          if (url.startsWith('ipc:') || url.includes('ipc.localhost')) seen(decodeURIComponent(url.split('/').pop()));\
          return fetch0(input, init);\
        };\
        if (window.ipc && window.ipc.postMessage) {\
          const post0 = window.ipc.postMessage.bind(window.ipc);\
          window.ipc.postMessage = (m) => { try { seen(JSON.parse(m).cmd); } catch (e) { seen('?'); } return post0(m); };\
        }";
    c.execute(count, vec![]).await.unwrap();
    type_text(&c, "#passphrase", PASSPHRASE).await;
    click(&c, "#submit").await;
    find(&c, "li[data-name='prod']").await;
    let calls = c.execute("return window.__calls", vec![]).await.unwrap();
    let before: Vec<String> = serde_json::from_value::<Vec<String>>(calls)
        .unwrap()
        .into_iter()
        .filter(|call| !call.starts_with("after list: "))
        .collect();
    assert_eq!(before, ["unlock"], "calls before the list was painted");
    c.close().await.unwrap();
}
