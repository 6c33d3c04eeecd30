//! Copying a key: written by Rust with the secret hint (hidden from clipboard history where the
//! OS allows), cleared after a while unless the user copied something else since.

use crate::AppState;
use keyward_core::{Secret, clipboard};
use std::time::Duration;
use tauri::{AppHandle, Manager};
use tauri_plugin_clipboard_manager::ClipboardExt;

/// Puts `secret` on the clipboard and clears it after `clear_after` if it is still there.
pub fn copy(app: &AppHandle, secret: Secret, clear_after: Duration) -> Result<(), String> {
    app.clipboard()
        .write_secret(secret.expose().to_string())
        .map_err(|_| "The clipboard is not available.".to_string())?;
    *app.state::<AppState>().copied.lock().unwrap() = Some(secret);
    let app = app.clone();
    tauri::async_runtime::spawn(async move {
        tokio::time::sleep(clear_after).await;
        clear_if_ours(&app);
    });
    Ok(())
}

/// Clears the clipboard if it still holds the key we put there.
pub fn clear_if_ours(app: &AppHandle) {
    let state = app.state::<AppState>();
    let mut copied = state.copied.lock().unwrap();
    let Some(ours) = copied.as_ref() else { return };
    let current = app.clipboard().read_text().ok().map(zeroize::Zeroizing::new);
    if clipboard::should_clear(current.as_deref().map(String::as_str), ours) {
        let _ = app.clipboard().clear();
    }
    *copied = None;
}
