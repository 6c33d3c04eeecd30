//! Copying in Rust: the key goes to the clipboard marked secret (hidden from clipboard history
//! where the OS allows), and is cleared after a while unless something else was copied since.

use crate::AppState;
use keyward_core::{Secret, VaultError, clipboard};
use std::time::Duration;
use tauri::{AppHandle, Manager, Runtime};
use tauri_plugin_clipboard_manager::ClipboardExt;

fn unavailable() -> VaultError {
    VaultError::Unavailable("The clipboard is not available.".into())
}

/// Copies `secret` and clears it after `clear_after` if the clipboard still holds it then.
pub fn copy<R: Runtime>(app: &AppHandle<R>, secret: Secret, clear_after: Duration) -> Result<(), VaultError> {
    app.clipboard().write_secret(secret.expose()).map_err(|_| unavailable())?;
    let state = app.state::<AppState>();
    *state.copied.lock().unwrap_or_else(std::sync::PoisonError::into_inner) = Some(secret);
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

/// Copies text that is not a secret (my public key).
pub fn copy_text<R: Runtime>(app: &AppHandle<R>, text: String) -> Result<(), VaultError> {
    app.clipboard().write_text(text).map_err(|_| unavailable())
}

/// What the clipboard holds as text (a key being pasted: read here, never by the page).
pub fn read<R: Runtime>(app: &AppHandle<R>) -> Result<zeroize::Zeroizing<String>, VaultError> {
    let text = app.clipboard().read_text().map(zeroize::Zeroizing::new).map_err(|_| unavailable())?;
    if text.trim().is_empty() {
        return Err(VaultError::Invalid("The clipboard holds no text: copy the key first.".into()));
    }
    Ok(text)
}

/// Clears the clipboard if it still holds the key we copied.
pub fn clear_if_ours<R: Runtime>(app: &AppHandle<R>) {
    let state = app.state::<AppState>();
    let mut copied = state.copied.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    let Some(ours) = copied.as_ref() else { return };
    let current = app.clipboard().read_text().ok().map(zeroize::Zeroizing::new);
    if clipboard::should_clear(current.as_deref().map(String::as_str), ours) {
        let _ = app.clipboard().clear();
    }
    *copied = None;
}
