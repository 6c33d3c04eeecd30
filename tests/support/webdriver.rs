//! Driving the real app through WebDriver: tauri-driver (with WebKitWebDriver behind it) on
//! free ports, and the few page helpers the end-to-end tests and the app benchmark share.

use crate::{app_bin, free_port, require_tool};
use fantoccini::{Client, ClientBuilder, Locator};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// tauri-driver on free ports; stopped with SIGTERM so that it stops WebKitWebDriver too.
/// The app is started through a small script that sends everything it prints to a log file,
/// with Rust's and GLib's logging at their most verbose, for tests to search for secrets.
pub struct Driver {
    child: Child,
    pub port: u16,
    log: std::path::PathBuf,
    launcher: std::path::PathBuf,
}

impl Driver {
    pub fn start(display: &str, home: &std::path::Path, vault: &std::path::Path) -> Driver {
        Self::start_with(display, home, vault, &[])
    }

    /// As [`Driver::start`], with more environment for the app (a D-Bus session, say).
    pub fn start_with(display: &str, home: &std::path::Path, vault: &std::path::Path, env: &[(&str, &str)]) -> Driver {
        Self::start_app(&app_bin(), display, home, vault, env)
    }

    /// As [`Driver::start_with`], for the app binary at `app` (an installed package's).
    pub fn start_app(
        app: &std::path::Path,
        display: &str,
        home: &std::path::Path,
        vault: &std::path::Path,
        env: &[(&str, &str)],
    ) -> Driver {
        require_tool("tauri-driver");
        require_tool("WebKitWebDriver");
        let (port, native) = (free_port(), free_port());
        let log = home.join(format!("app-output-{port}.log"));
        let launcher = home.join(format!("keyward-app-logged-{port}"));
        let script = format!("#!/bin/sh\nexec '{}' \"$@\" >>'{}' 2>&1\n", app.display(), log.display());
        std::fs::write(&launcher, script).expect("write the app's launcher");
        std::fs::set_permissions(&launcher, std::os::unix::fs::PermissionsExt::from_mode(0o755)).expect("chmod");
        let child = Command::new("tauri-driver")
            .args(["--port", &port.to_string(), "--native-port", &native.to_string()])
            .env("DISPLAY", display)
            .env("HOME", home)
            .env("XDG_DATA_HOME", home.join("data"))
            .env("XDG_CONFIG_HOME", home.join("config"))
            .env("KEYWARD_VAULT", vault)
            // Programs the app starts (xdg-open for a provider's page) are looked up here first.
            .env("PATH", format!("{}:{}", home.join("bin").display(), std::env::var("PATH").unwrap_or_default()))
            .env_remove("WAYLAND_DISPLAY")
            .env("RUST_LOG", "trace")
            .env("RUST_BACKTRACE", "full")
            .env("G_MESSAGES_DEBUG", "all")
            .envs(env.iter().copied())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start tauri-driver");
        let deadline = Instant::now() + Duration::from_secs(20);
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(Instant::now() < deadline, "tauri-driver did not start");
            std::thread::sleep(Duration::from_millis(50));
        }
        Driver { child, port, log, launcher }
    }

    /// What the app (and the drivers) printed so far.
    pub fn output(&self) -> String {
        String::from_utf8_lossy(&std::fs::read(&self.log).unwrap_or_default()).into_owned()
    }

    /// Fails when any of `secrets` appears in what was printed.
    pub fn assert_output_free_of(&self, secrets: &[&str]) {
        let output = self.output();
        eprintln!("searched {} bytes the app and its drivers printed", output.len());
        // GLib's debug messages alone fill it: an empty log means the output was not captured.
        assert!(!output.is_empty(), "nothing the app printed was captured in {}", self.log.display());
        // A panic is a bug anywhere, and at exit it would skip clearing the clipboard.
        let panics: Vec<&str> = output.lines().filter(|l| l.contains("panicked at")).collect();
        assert!(panics.is_empty(), "the app panicked: {panics:?}");
        for (i, secret) in secrets.iter().enumerate() {
            assert!(
                !output.contains(secret),
                "secret #{i} appears in the app's output ({} bytes logged)",
                output.len()
            );
        }
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = Command::new("kill").args(["-TERM", &self.child.id().to_string()]).status();
        let _ = self.child.wait();
    }
}

pub async fn connect(driver: &Driver) -> Client {
    let mut caps = serde_json::Map::new();
    caps.insert("browserName".into(), "wry".into());
    caps.insert("tauri:options".into(), serde_json::json!({ "application": driver.launcher.to_string_lossy() }));
    let connector = hyper_util::client::legacy::connect::HttpConnector::new();
    let url = format!("http://127.0.0.1:{}", driver.port);
    // tauri-driver listens before WebKitWebDriver behind it is ready: retry for a while.
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        match ClientBuilder::new(connector.clone()).capabilities(caps.clone()).connect(&url).await {
            Ok(client) => return client,
            Err(e) if Instant::now() < deadline => {
                eprintln!("WebDriver not ready yet ({e}); retrying");
                tokio::time::sleep(Duration::from_millis(500)).await;
            }
            Err(e) => panic!("no WebDriver session with the app: {e}"),
        }
    }
}

pub async fn find(c: &Client, css: &str) -> fantoccini::elements::Element {
    c.wait().at_most(Duration::from_secs(20)).for_element(Locator::Css(css)).await.unwrap_or_else(|e| {
        panic!("no element {css}: {e}");
    })
}

/// Clicks the element `css` once it is there. It is scrolled to the middle of its scrolling box
/// first: WebDriver scrolls an element only until it touches the edge, where the sticky buttons
/// at the bottom of a long dialog can cover it ("element click intercepted", seen with
/// WebKit's compositing off).
pub async fn click(c: &Client, css: &str) {
    let element = in_middle(c, css).await;
    element.click().await.unwrap_or_else(|e| panic!("click {css}: {e}"));
}

/// The element `css`, once it is there, scrolled to the middle of its scrolling box.
async fn in_middle(c: &Client, css: &str) -> fantoccini::elements::Element {
    let element = find(c, css).await;
    let arg = serde_json::to_value(&element).expect("an element as a script argument");
    c.execute("arguments[0].scrollIntoView({block: 'center', inline: 'nearest'});", vec![arg])
        .await
        .unwrap_or_else(|e| panic!("scroll {css} into view: {e}"));
    element
}

/// Types `text` into the field `css` and waits until the field holds it: under load WebKit
/// may still be delivering the keystrokes when `send_keys` returns, and a click right after
/// would act on a half-typed value (seen in CI: a path cut short named a folder that exists).
pub async fn type_text(c: &Client, css: &str, text: &str) {
    let field = find(c, css).await;
    field.send_keys(text).await.unwrap();
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let value = field.prop("value").await.ok().flatten().unwrap_or_default();
        if value.contains(text) {
            return;
        }
        if Instant::now() > deadline {
            // Where the keystrokes went instead (no values: the text may be a passphrase).
            let focus = c
                .execute("const e = document.activeElement; return e ? `${e.tagName}#${e.id}` : 'nothing'", vec![])
                .await;
            panic!(
                "{css} never held what was typed into it ({} characters; the focus is on {focus:?})",
                value.chars().count()
            );
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Waits until the page's text contains `needle`.
pub async fn wait_for_text(c: &Client, needle: &str) {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        // While the page reloads (as on lock), the old one may be gone: try again.
        let body = match c.find(Locator::Css("body")).await {
            Ok(body) => body.text().await.unwrap_or_default(),
            Err(_) => String::new(),
        };
        if body.contains(needle) {
            return;
        }
        assert!(Instant::now() < deadline, "the page never said {needle:?}; it says: {body}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

pub async fn screenshot(c: &Client, name: &str) {
    // target/<profile>/deps/<test> → target/tmp/e2e-screenshots
    let exe = std::env::current_exe().expect("test binary path");
    let target = exe.ancestors().nth(3).expect("target dir");
    let dir = target.join("tmp").join("e2e-screenshots");
    std::fs::create_dir_all(&dir).unwrap();
    // WebKit takes the screenshot after the page's next paint, and with compositing off (the
    // app's setting) a page that has stopped changing schedules none: the call never returned.
    // So a 1-pixel, invisible element changes on every frame until the screenshot is taken
    // (at most 30 s), then goes.
    c.execute(
        "const dot = document.createElement('div'); dot.setAttribute('aria-hidden', 'true');\
         dot.style.cssText = 'position:fixed;left:0;top:0;width:1px;height:1px;pointer-events:none;opacity:0.01';\
         document.body.append(dot); window.__screenshotNudge = true; const until = performance.now() + 30000;\
         (function tick(now) { dot.style.opacity = dot.style.opacity === '0.01' ? '0.02' : '0.01';\
           if (window.__screenshotNudge && (now ?? 0) < until) requestAnimationFrame(tick); else dot.remove(); })();",
        vec![],
    )
    .await
    .expect("a paint before the screenshot");
    let png = tokio::time::timeout(Duration::from_secs(60), c.screenshot())
        .await
        .unwrap_or_else(|_| panic!("the screenshot {name} did not come within 60 s"))
        .expect("a screenshot");
    c.execute("window.__screenshotNudge = false;", vec![]).await.expect("the paints stopped");
    std::fs::write(dir.join(format!("{name}.png")), png).unwrap();
}

pub async fn html(c: &Client) -> String {
    c.source().await.unwrap()
}

/// Calls a command the way the page does, and returns its answer as JSON text, or
/// "error: KIND: sentence" (the core's typed errors) or "error: …" (Tauri's own).
pub async fn invoke(c: &Client, command: &str) -> String {
    let script = format!(
        "const done = arguments[arguments.length - 1];\
         window.__TAURI_INTERNALS__.invoke('{command}').then(r => done(JSON.stringify(r)), e => done('error: ' + (e && e.kind ? e.kind + ': ' + e.message : e)));"
    );
    c.execute_async(&script, vec![]).await.unwrap().as_str().unwrap_or_default().to_string()
}

/// Types a secret into the field `css` and waits until the field holds all of it, reading back
/// only its length: reading the value would copy the secret through WebDriver into the app.
pub async fn type_secret(c: &Client, css: &str, secret: &str) {
    find(c, css).await.send_keys(secret).await.unwrap();
    let length = format!("return document.querySelector({css:?}).value.length");
    let deadline = Instant::now() + Duration::from_secs(20);
    while c.execute(&length, vec![]).await.unwrap().as_u64() != Some(secret.len() as u64) {
        assert!(Instant::now() < deadline, "{css} never held all that was typed into it");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Waits until nothing matches `css`.
pub async fn wait_gone(c: &Client, css: &str) {
    wait_gone_within(c, css, Duration::from_secs(20)).await;
}

/// Waits until nothing matches `css`, for up to `limit`.
pub async fn wait_gone_within(c: &Client, css: &str, limit: Duration) {
    let deadline = Instant::now() + limit;
    while c.find(Locator::Css(css)).await.is_ok() {
        assert!(Instant::now() < deadline, "{css} never went away");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Chooses a value in a <select> (scrolled to the middle first, like `click`).
pub async fn select(c: &Client, css: &str, value: &str) {
    in_middle(c, css).await.select_by_value(value).await.unwrap_or_else(|e| panic!("select {value} in {css}: {e}"));
}

/// Texts of the listed keys' names, in order.
pub async fn listed_names(c: &Client) -> Vec<String> {
    let mut names = Vec::new();
    for li in c.find_all(Locator::Css("li[data-name]")).await.unwrap() {
        names.push(li.attr("data-name").await.unwrap().unwrap_or_default());
    }
    names
}

/// The app process started for this test (by tauri-driver), found by its binary and vault.
pub fn app_pid(vault: &std::path::Path) -> u32 {
    let app = std::fs::canonicalize(app_bin()).unwrap();
    let wanted = format!("KEYWARD_VAULT={}", vault.display());
    let pids: Vec<u32> = std::fs::read_dir("/proc")
        .unwrap()
        .filter_map(|e| e.ok()?.file_name().to_str()?.parse::<u32>().ok())
        .filter(|pid| std::fs::read_link(format!("/proc/{pid}/exe")).is_ok_and(|exe| exe == app))
        .filter(|pid| {
            std::fs::read(format!("/proc/{pid}/environ"))
                .is_ok_and(|env| env.split(|b| *b == 0).any(|var| var == wanted.as_bytes()))
        })
        .collect();
    assert_eq!(pids.len(), 1, "expected one app process for this vault, found {pids:?}");
    pids[0]
}

/// Runs axe-core (WCAG 2.0–2.2, levels A and AA) on the page as it is now, and fails with every
/// violation found, named by rule and element.
pub async fn assert_accessible(c: &Client, screen: &str) {
    static AXE: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    let axe = AXE.get_or_init(|| {
        let path = std::path::PathBuf::from(
            std::env::var_os("CARGO_MANIFEST_DIR").unwrap_or_else(|| env!("CARGO_MANIFEST_DIR").into()),
        )
        .join("../node_modules/axe-core/axe.min.js");
        std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e} (make test installs it)", path.display()))
    });
    let loaded = c.execute("return typeof window.axe", vec![]).await.unwrap();
    if loaded.as_str() != Some("object") {
        c.execute(axe, vec![]).await.unwrap();
    }
    let script = "const done = arguments[arguments.length - 1];\
        window.axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] } })\
          .then(r => done(r.violations.map(v => `${v.id} (${v.impact}): ${v.help} — ` +\
             v.nodes.slice(0, 5).map(n => n.target.join(' ')).join(', '))), e => done(['axe failed: ' + e]));";
    let violations = c.execute_async(script, vec![]).await.unwrap();
    let violations: Vec<String> = serde_json::from_value(violations).unwrap();
    assert!(
        violations.is_empty(),
        "{screen}: {} accessibility violation(s):\n{}",
        violations.len(),
        violations.join("\n")
    );
}

/// Selects the key `name` in the list: its pane shows beside it.
pub async fn open_key(c: &Client, name: &str) {
    click(c, &format!("li[data-name='{name}'] .row")).await;
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    loop {
        let shown = c
            .execute("const h = document.querySelector('#pane-title'); return h ? h.textContent : ''", vec![])
            .await
            .unwrap();
        if shown.as_str() == Some(name) {
            return;
        }
        assert!(std::time::Instant::now() < deadline, "the pane never showed {name}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}
