//! Copying a key: written by Rust with the secret hint (hidden from clipboard history where the
//! OS allows), cleared after a while unless the user copied something else since.

use crate::AppState;
use keyward_core::{Secret, clipboard};
use std::time::Duration;
use tauri::{AppHandle, Manager};
use tauri_plugin_clipboard_manager::ClipboardExt;

/// Puts `secret` on the clipboard and clears it after `clear_after` if it is still there.
pub fn copy(app: &AppHandle, secret: Secret, clear_after: Duration) -> Result<(), String> {
    app.clipboard().write_secret(secret.expose()).map_err(|_| "The clipboard is not available.".to_string())?;
    let state = app.state::<AppState>();
    *state.copied.lock().unwrap() = Some(secret);
    // Each copy has its own timer; an earlier copy's timer must not cut a later one short.
    let generation = state.copy_generation.fetch_add(1, std::sync::atomic::Ordering::SeqCst) + 1;
    let app = app.clone();
    tauri::async_runtime::spawn(async move {
        tokio::time::sleep(clear_after).await;
        let current = app.state::<AppState>().copy_generation.load(std::sync::atomic::Ordering::SeqCst);
        if current == generation {
            clear_if_ours(&app);
        }
    });
    Ok(())
}

/// Clears the clipboard if it still holds the key we put there.
pub fn clear_if_ours(app: &AppHandle) {
    let state = app.state::<AppState>();
    let mut copied = state.copied.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    let Some(ours) = copied.as_ref() else { return };
    let current = app.clipboard().read_text().ok().map(zeroize::Zeroizing::new);
    if clipboard::should_clear(current.as_deref().map(String::as_str), ours) {
        let _ = app.clipboard().clear();
    }
    *copied = None;
}
