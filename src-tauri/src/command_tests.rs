//! The commands called as the window calls them (IPC with the app's own capability), without
//! a window: tauri's mock runtime. What each operation decides is tested in keyward-core; here,
//! that the commands are wired to it, answer in the shapes bindings.ts declares, refuse what the
//! capability does not grant, and never hand the page a key it did not ask to reveal.

use crate::AppState;
use keyward_core::api::Session;
use keyward_core::device::Device;
use serde_json::{Value, json};
use tauri::test::{INVOKE_KEY, MockRuntime, mock_builder};
use tauri::webview::InvokeRequest;

const PASSPHRASE: &str = "velvet orbit pancake lantern";
const KEY: &str = "sk-proj-CommandTest0123456789abcdefghijklmn";

struct App {
    _dir: tempfile::TempDir,
    _app: tauri::App<MockRuntime>,
    window: tauri::WebviewWindow<MockRuntime>,
}

fn app() -> App {
    let dir = tempfile::tempdir().unwrap();
    let session = Session::new(Device::at(dir.path(), "ann"), dir.path().join("vault.age"));
    let app = mock_builder()
        .manage(AppState::with_session(session))
        .invoke_handler(crate::commands::handler())
        .build(crate::context())
        .unwrap();
    let window = tauri::WebviewWindowBuilder::new(&app, "main", Default::default()).build().unwrap();
    App { _dir: dir, _app: app, window }
}

/// Calls `cmd` as the page would, from any thread (the window may be cloned into one).
fn call(window: &tauri::WebviewWindow<MockRuntime>, cmd: &str, args: Value) -> Result<Value, Value> {
    let request = InvokeRequest {
        cmd: cmd.into(),
        callback: tauri::ipc::CallbackFn(0),
        error: tauri::ipc::CallbackFn(1),
        url: "tauri://localhost".parse().unwrap(),
        body: tauri::ipc::InvokeBody::Json(args),
        headers: Default::default(),
        invoke_key: INVOKE_KEY.to_string(),
    };
    tauri::test::get_ipc_response(window, request).map(|body| body.deserialize::<Value>().unwrap())
}

impl App {
    fn call(&self, cmd: &str, args: Value) -> Result<Value, Value> {
        call(&self.window, cmd, args)
    }

    fn ok(&self, cmd: &str, args: Value) -> Value {
        self.call(cmd, args).unwrap_or_else(|e| panic!("{cmd}: {e}"))
    }

    fn err(&self, cmd: &str, args: Value) -> Value {
        self.call(cmd, args).err().unwrap_or_else(|| panic!("{cmd} succeeded"))
    }
}

#[test]
fn a_vault_is_created_used_locked_and_unlocked_through_the_commands() {
    let app = app();
    assert_eq!(app.ok("vault_status", json!({}))["exists"], false);
    // A trivially guessable passphrase is refused with its kind and sentence.
    let weak = app.err("create_vault", json!({ "passphrase": "aaaaaaaaaaaaaaaaaaaa" }));
    assert_eq!(weak["kind"], "invalid");
    assert!(weak["message"].as_str().unwrap().contains("too easy to guess"), "{weak}");
    app.ok("create_vault", json!({ "passphrase": PASSPHRASE }));

    let added = app.ok("add_entry", json!({ "entry": { "name": "prod", "secret": KEY, "tags": [" web ", ""] } }));
    assert_eq!((added["provider"].as_str(), added["tags"].clone()), (Some("openai"), json!(["web"])));
    let id = added["id"].as_str().unwrap().to_string();
    // The same name again: the core's rule, as a kind the page can switch on.
    let twice = app.err("add_entry", json!({ "entry": { "name": "prod", "secret": KEY, "tags": [] } }));
    assert_eq!(twice["kind"], "duplicate_name");

    let edited = app.ok(
        "edit_entry",
        json!({ "id": id, "changes": { "env_var": "MY_OPENAI_KEY", "expires_on": "2027-01-31", "rotation_days": 45 } }),
    );
    assert_eq!(edited["env_var"], "MY_OPENAI_KEY");
    assert_eq!(edited["expires_on"], "2027-01-31");
    assert_eq!(edited["rotation_days"], 45);

    let listed = app.ok("list_entries", json!({})).to_string();
    assert!(listed.contains("prod") && !listed.contains(KEY), "the list holds the key: {listed}");
    assert_eq!(app.ok("reveal_entry", json!({ "id": id })), KEY);

    assert_eq!(app.ok("delete_entry", json!({ "id": id })), "prod");
    assert_eq!(app.ok("undo_delete", json!({})), "prod");

    app.ok("lock", json!({}));
    assert_eq!(app.err("list_entries", json!({}))["kind"], "locked");
    let wrong = app.err("unlock", json!({ "passphrase": "not it at all", "remember": false, "acceptChange": false }));
    assert_eq!(wrong["kind"], "wrong_passphrase");
    // One answer holds all the window shows next: no second round trip before the list.
    let opened = app.ok("unlock", json!({ "passphrase": PASSPHRASE, "remember": false, "acceptChange": false }));
    assert_eq!(opened["entries"].as_array().unwrap().len(), 1);
    assert_eq!(
        (opened["status"]["unlocked"].as_bool(), opened["settings"]["theme"].as_str()),
        (Some(true), Some("system"))
    );
    assert!(!opened.to_string().contains(KEY));
}

#[test]
fn replace_questions_another_providers_key() {
    let app = app();
    app.ok("create_vault", json!({ "passphrase": PASSPHRASE }));
    let id = app.ok("add_entry", json!({ "entry": { "name": "prod", "secret": KEY, "tags": [] } }))["id"].clone();
    let other = "sk-ant-api03-CommandTest0123456789abcdefghijklmn";
    let asked =
        app.err("replace_key", json!({ "id": id, "secret": other, "keepBaseUrl": false, "otherProvider": false }));
    assert_eq!(asked["kind"], "other_provider");
    assert!(!asked.to_string().contains("sk-ant"), "{asked}");
    let replaced =
        app.ok("replace_key", json!({ "id": id, "secret": other, "keepBaseUrl": false, "otherProvider": true }));
    assert_eq!(replaced["provider"], "anthropic");
    assert_eq!(replaced["history"].as_array().unwrap().len(), 1);
}

#[test]
fn settings_are_checked_and_kept_by_the_core() {
    let app = app();
    let mut settings = app.ok("get_settings", json!({}));
    settings["proxy"] = json!("not a url");
    assert_eq!(
        app.err("set_settings", json!({ "settings": settings }))["message"],
        "The proxy setting is not a valid URL."
    );
    settings["proxy"] = json!("");
    settings["clipboard_clear_secs"] = json!(0);
    settings["theme"] = json!("dark");
    let saved = app.ok("set_settings", json!({ "settings": settings }));
    assert_eq!((saved["clipboard_clear_secs"].as_u64(), saved["theme"].as_str()), (Some(1), Some("dark")));
}

#[test]
fn a_command_the_capability_does_not_grant_is_refused() {
    let app = app();
    let refused = app.err("plugin:clipboard-manager|read_text", json!({}));
    assert!(refused.to_string().contains("not allowed") || refused.to_string().contains("not found"), "{refused}");
}

#[test]
fn commands_that_wait_leave_the_runtime_free_for_the_others() {
    // More checks than the async runtime has workers, each held by a provider that takes the
    // connection and does not answer: the window's other commands must still be answered.
    let app = app();
    app.ok("create_vault", json!({ "passphrase": PASSPHRASE }));
    let provider = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let base_url = format!("http://127.0.0.1:{}/v1", provider.local_addr().unwrap().port());
    let entry = json!({ "entry": { "name": "held", "secret": KEY, "tags": [], "base_url": base_url } });
    let id = app.ok("add_entry", entry)["id"].clone();
    let held = std::thread::available_parallelism().map_or(2, |n| n.get()) + 1;
    let (done, finished) = std::sync::mpsc::channel();
    for _ in 0..held {
        let (window, id, done) = (app.window.clone(), id.clone(), done.clone());
        std::thread::spawn(move || {
            let _ = call(&window, "check_entries", json!({ "ids": [id], "deep": false, "progress": "__CHANNEL__:9" }));
            let _ = done.send(());
        });
    }
    // Every check reaches its provider while none has ended. Commands holding the runtime's
    // workers let only as many through as it has workers, the others wait for one to time out:
    // what is asserted is an order (no check ended first), not a time.
    provider.set_nonblocking(true).unwrap();
    let mut connections = Vec::new();
    let mut ended = 0;
    while connections.len() < held && ended == 0 {
        match provider.accept() {
            Ok((connection, _)) => connections.push(connection),
            Err(_) => std::thread::sleep(std::time::Duration::from_millis(20)),
        }
        ended += finished.try_iter().count();
    }
    assert_eq!((connections.len(), ended), (held, 0), "checks waiting on their provider at once, checks ended");
    let unlocked = call(&app.window, "vault_status", json!({})).map(|s| s["unlocked"].clone());
    assert_eq!(finished.try_iter().count(), 0, "vault_status waited for a check to end");
    assert_eq!(unlocked, Ok(json!(true)));
    drop(connections);
    for _ in 0..held {
        finished
            .recv_timeout(std::time::Duration::from_secs(60))
            .expect("a check that ended when its provider hung up");
    }
}
