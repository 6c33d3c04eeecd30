//! The commands the window may call (each granted in src-tauri/capabilities). Errors come back
//! as the core's plain sentences; only `reveal_entry` returns a secret.

pub mod entries;
pub mod settings;
pub mod team;
pub mod transfer;
pub mod vault;

use crate::AppState;
use keyward_core::document::Change;
use keyward_core::{Document, Entry, VaultError};
use tauri::State;

pub type Result<T> = std::result::Result<T, String>;

pub fn sentence(e: VaultError) -> String {
    e.to_string()
}

pub const LOCKED: &str = "The vault is locked.";

/// Applies `f` to the vault's document and saves; if anything fails, the document goes back
/// to what it was (what is on disk), so the window never shows an unsaved state.
pub fn change_and_save<T>(
    state: &State<'_, AppState>,
    f: impl FnOnce(&mut Document, &Change) -> std::result::Result<T, VaultError>,
) -> Result<T> {
    // My member name in a team vault (taken before the vault is locked for the change).
    let actor = team::actor(state);
    let mut guard = state.vault.lock().unwrap();
    let vault = guard.as_mut().ok_or(LOCKED)?;
    let before = vault.document().clone();
    let change = Change { now: chrono::Utc::now(), actor: &actor };
    let result = f(vault.document_mut(), &change).and_then(|value| vault.save().map(|_| value));
    if result.is_err() {
        *vault.document_mut() = before;
    }
    result.map_err(sentence)
}

/// Saves the vault if check results were recorded without saving (none is lost on lock).
pub fn save_unsaved_checks(state: &AppState) -> std::result::Result<(), VaultError> {
    if !state.unsaved_checks.swap(false, std::sync::atomic::Ordering::SeqCst) {
        return Ok(());
    }
    let mut guard = state.vault.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    let result = guard.as_mut().map_or(Ok(()), |vault| vault.save().map(|_| ()));
    if result.is_err() {
        state.unsaved_checks.store(true, std::sync::atomic::Ordering::SeqCst);
    }
    result
}

/// Runs `f` on the unlocked vault's document.
pub fn with_document<T>(state: &State<'_, AppState>, f: impl FnOnce(&Document) -> Result<T>) -> Result<T> {
    let guard = state.vault.lock().unwrap();
    let vault = guard.as_ref().ok_or(LOCKED)?;
    f(vault.document())
}

pub fn entry_by_id<'a>(doc: &'a Document, id: &str) -> std::result::Result<&'a Entry, VaultError> {
    doc.entries.iter().find(|e| e.id == id).ok_or_else(|| VaultError::Invalid("That key is gone.".into()))
}

pub fn name_of(doc: &Document, id: &str) -> std::result::Result<String, VaultError> {
    entry_by_id(doc, id).map(|e| e.name.clone())
}

pub fn whoami() -> String {
    std::env::var("USER").or_else(|_| std::env::var("USERNAME")).unwrap_or_else(|_| "someone".into())
}

/// Where the app keeps per-device data: the same folder as the command line's (the default vault,
/// my identity, the index of remembered vaults).
pub fn data_dir() -> std::path::PathBuf {
    dirs::data_dir().unwrap_or_else(|| std::path::PathBuf::from(".")).join("keyward")
}

/// A path typed by the user, with a leading `~/` meaning the home folder.
pub fn expand_home(path: &str) -> std::path::PathBuf {
    let path = path.trim();
    match path.strip_prefix("~/") {
        Some(rest) => dirs::home_dir().map_or_else(|| path.into(), |home| home.join(rest)),
        None => path.into(),
    }
}
