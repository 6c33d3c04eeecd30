//! The system's file dialogs and the browser, used from Rust only (the window has no
//! permission for either).

use keyward_core::VaultError;
use tauri::{AppHandle, Runtime};
use tauri_plugin_dialog::DialogExt;
use tauri_plugin_opener::OpenerExt;

/// A vault file: an existing one to open, or (`create`) a new file name. `None`: cancelled.
pub fn pick_vault<R: Runtime>(app: &AppHandle<R>, create: bool) -> Result<Option<String>, VaultError> {
    let dialog = app.dialog().file().add_filter("Keyward vault", &["age"]);
    let picked = if create {
        dialog.set_file_name("vault.age").set_title("Create a vault").blocking_save_file()
    } else {
        dialog.set_title("Open a vault").blocking_pick_file()
    };
    let Some(path) = picked.and_then(|p| p.into_path().ok()) else { return Ok(None) };
    if create && path.exists() {
        return Err(VaultError::Invalid(format!(
            "{} already exists; open it instead, or choose a new name.",
            path.display()
        )));
    }
    Ok(Some(path.display().to_string()))
}

/// A file to import, or (`export`) where to save an export. `None`: cancelled.
pub fn pick_file<R: Runtime>(app: &AppHandle<R>, export: bool) -> Result<Option<String>, VaultError> {
    let dialog = app.dialog().file();
    let picked = if export {
        dialog.set_title("Export keys to a .env file").set_file_name("keys.env").blocking_save_file()
    } else {
        dialog
            .set_title("Import keys")
            .add_filter("Keys (.env, CSV)", &["env", "csv", "txt"])
            .add_filter("All files", &["*"])
            .blocking_pick_file()
    };
    Ok(picked.and_then(|p| p.into_path().ok()).map(|p| p.display().to_string()))
}

/// Opens an address from Keyward's provider table in the system's browser.
pub fn open_url<R: Runtime>(app: &AppHandle<R>, url: &str) -> Result<(), VaultError> {
    app.opener()
        .open_url(url, None::<&str>)
        .map_err(|_| VaultError::Unavailable("No web browser could be opened.".into()))
}
