//! The window's title: the vault's file name while unlocked.

use keyward_core::api::Session;
use tauri::{AppHandle, Manager, Runtime};

/// Names the unlocked vault in the title.
pub fn opened<R: Runtime>(app: &AppHandle<R>, session: &Session) {
    let file = session.path().file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    set_title(app, &format!("{file} — Keyward"));
}

pub fn set_title<R: Runtime>(app: &AppHandle<R>, title: &str) {
    if let Some(window) = app.get_webview_window("main") {
        let _ = window.set_title(title);
    }
}
