//! The commands the window may call (each granted in src-tauri/capabilities). Errors come back
//! as the core's plain sentences; no command returns a secret.

use crate::settings::Settings;
use crate::{AppState, clipboard};
use keyward_core::check::{CheckJob, CheckOptions, CheckReport, Checker};
use keyward_core::document::{Change, EntryFields};
use keyward_core::{EntrySummary, Secret, SecretString, Unlock, Vault, VaultError};
use serde::{Deserialize, Serialize};
use std::time::Duration;
use tauri::{AppHandle, State};

type Result<T> = std::result::Result<T, String>;

fn sentence(e: VaultError) -> String {
    e.to_string()
}

const LOCKED: &str = "The vault is locked.";

#[derive(Serialize)]
pub struct VaultStatus {
    pub path: String,
    pub exists: bool,
    pub unlocked: bool,
}

#[tauri::command(async)]
pub fn vault_status(state: State<'_, AppState>) -> VaultStatus {
    let path = state.path.lock().unwrap().clone();
    VaultStatus {
        exists: path.exists(),
        path: path.display().to_string(),
        unlocked: state.vault.lock().unwrap().is_some(),
    }
}

#[tauri::command(async)]
pub fn create_vault(state: State<'_, AppState>, passphrase: String) -> Result<()> {
    if passphrase.is_empty() {
        return Err("Choose a passphrase.".into());
    }
    let path = state.path.lock().unwrap().clone();
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(|e| sentence(VaultError::io(dir, e)))?;
    }
    let vault = Vault::create(&path, SecretString::from(passphrase), keyward_core::document::DEFAULT_WORK_FACTOR)
        .map_err(sentence)?;
    *state.vault.lock().unwrap() = Some(vault);
    Ok(())
}

#[tauri::command(async)]
pub fn unlock(state: State<'_, AppState>, passphrase: String) -> Result<()> {
    let path = state.path.lock().unwrap().clone();
    let vault = Vault::open(&path, Unlock::Passphrase(SecretString::from(passphrase))).map_err(sentence)?;
    *state.vault.lock().unwrap() = Some(vault);
    Ok(())
}

#[tauri::command(async)]
pub fn lock(app: AppHandle, state: State<'_, AppState>) {
    clipboard::clear_if_ours(&app);
    *state.deleted.lock().unwrap() = None;
    *state.vault.lock().unwrap() = None;
}

#[tauri::command(async)]
pub fn list_entries(state: State<'_, AppState>) -> Result<Vec<EntrySummary>> {
    let guard = state.vault.lock().unwrap();
    let vault = guard.as_ref().ok_or(LOCKED)?;
    Ok(vault.document().entries.iter().map(EntrySummary::from).collect())
}

#[derive(Deserialize)]
pub struct NewEntry {
    pub name: String,
    /// Wiped when dropped, on every path.
    pub secret: Secret,
    pub provider: Option<String>,
    pub environment: Option<String>,
    pub tags: Vec<String>,
    pub notes: Option<String>,
    pub base_url: Option<String>,
}

#[tauri::command(async)]
pub fn add_entry(state: State<'_, AppState>, entry: NewEntry) -> Result<EntrySummary> {
    let fields = EntryFields {
        provider: entry.provider.filter(|p| !p.is_empty()),
        environment: entry.environment,
        tags: Some(entry.tags),
        notes: entry.notes,
        base_url: entry.base_url,
        ..Default::default()
    };
    change_and_save(&state, |doc, change| {
        let id = doc.add(&entry.name, entry.secret, fields, change)?.id.clone();
        Ok(id)
    })
    .and_then(|id| {
        // Read back after the save: a merge may have renamed it.
        let guard = state.vault.lock().unwrap();
        let vault = guard.as_ref().ok_or(LOCKED)?;
        Ok(EntrySummary::from(entry_by_id(vault.document(), &id).map_err(sentence)?))
    })
}

#[derive(Serialize)]
pub struct Detected {
    pub id: String,
    pub name: String,
}

/// The provider of a key the user is pasting (the key is already in the add dialog).
#[tauri::command(async)]
pub fn detect_provider(secret: String) -> Option<Detected> {
    let secret = zeroize::Zeroizing::new(secret);
    keyward_core::provider::detect(&secret).map(|p| Detected { id: p.id.into(), name: p.display_name.into() })
}

#[tauri::command(async)]
pub fn copy_entry(
    app: AppHandle,
    state: State<'_, AppState>,
    id: String,
    clear_after_secs: Option<u64>,
) -> Result<u64> {
    let secret = {
        let guard = state.vault.lock().unwrap();
        let vault = guard.as_ref().ok_or(LOCKED)?;
        let entry = entry_by_id(vault.document(), &id).map_err(sentence)?;
        entry.secret.clone()
    };
    let default = state.settings.lock().unwrap().clipboard_clear_secs;
    let max = keyward_core::clipboard::MAX_CLEAR_AFTER.as_secs();
    let secs = clear_after_secs.unwrap_or(default).clamp(1, max);
    clipboard::copy(&app, secret, Duration::from_secs(secs))?;
    Ok(secs)
}

#[tauri::command]
pub async fn check_entry(state: State<'_, AppState>, id: String, deep: bool) -> Result<CheckReport> {
    let job = {
        let guard = state.vault.lock().unwrap();
        let vault = guard.as_ref().ok_or(LOCKED)?;
        let entry = entry_by_id(vault.document(), &id).map_err(sentence)?;
        CheckJob::from(entry)
    };
    let checker = Checker::new(CheckOptions { deep, ..Default::default() }).map_err(sentence)?;
    let report = checker.check(&job).await;
    let mut guard = state.vault.lock().unwrap();
    if let Some(vault) = guard.as_mut() {
        vault.document_mut().record_check(&report.entry_id, report.to_last_check());
        vault.save().map_err(sentence)?;
    }
    Ok(report)
}

/// The one command that gives the window a secret: when the user pressed Reveal.
#[tauri::command(async)]
pub fn reveal_entry(state: State<'_, AppState>, id: String) -> Result<String> {
    let guard = state.vault.lock().unwrap();
    let vault = guard.as_ref().ok_or(LOCKED)?;
    let entry = entry_by_id(vault.document(), &id).map_err(sentence)?;
    Ok(entry.secret.expose().to_string())
}

/// Deletes a key (kept in memory for an undo until the next delete or lock).
#[tauri::command(async)]
pub fn delete_entry(state: State<'_, AppState>, id: String) -> Result<String> {
    let removed = change_and_save(&state, |doc, change| {
        let name = name_of(doc, &id)?;
        doc.remove(&name, change)
    })?;
    let name = removed.name.clone();
    *state.deleted.lock().unwrap() = Some(removed);
    Ok(name)
}

/// Brings back the key deleted last.
#[tauri::command(async)]
pub fn undo_delete(state: State<'_, AppState>) -> Result<String> {
    let entry = state.deleted.lock().unwrap().take().ok_or("There is nothing to undo.")?;
    let result = change_and_save(&state, |doc, change| doc.restore(entry.clone(), change).map(|e| e.name.clone()));
    if result.is_err() {
        // Nothing changed: the undo stays possible.
        *state.deleted.lock().unwrap() = Some(entry);
    }
    result
}

/// Applies `f` to the vault's document and saves; if anything fails, the document goes back
/// to what it was (what is on disk), so the window never shows an unsaved state.
fn change_and_save<T>(
    state: &State<'_, AppState>,
    f: impl FnOnce(&mut keyward_core::Document, &Change) -> std::result::Result<T, VaultError>,
) -> Result<T> {
    let mut guard = state.vault.lock().unwrap();
    let vault = guard.as_mut().ok_or(LOCKED)?;
    let before = vault.document().clone();
    let actor = whoami();
    let change = Change { now: chrono::Utc::now(), actor: &actor };
    let result = f(vault.document_mut(), &change).and_then(|value| vault.save().map(|_| value));
    if result.is_err() {
        *vault.document_mut() = before;
    }
    result.map_err(sentence)
}

fn entry_by_id<'a>(
    doc: &'a keyward_core::Document,
    id: &str,
) -> std::result::Result<&'a keyward_core::Entry, VaultError> {
    doc.entries.iter().find(|e| e.id == id).ok_or_else(|| VaultError::Invalid("That key is gone.".into()))
}

fn name_of(doc: &keyward_core::Document, id: &str) -> std::result::Result<String, VaultError> {
    entry_by_id(doc, id).map(|e| e.name.clone())
}

#[derive(Deserialize)]
pub struct EditEntry {
    pub name: String,
    pub environment: String,
    pub tags: Vec<String>,
    pub notes: String,
    pub base_url: String,
}

/// Changes a key's name and details (empty text clears a field).
#[tauri::command(async)]
pub fn edit_entry(state: State<'_, AppState>, id: String, changes: EditEntry) -> Result<EntrySummary> {
    change_and_save(&state, |doc, change| {
        let name = name_of(doc, &id)?;
        let fields = EntryFields {
            environment: Some(changes.environment),
            tags: Some(changes.tags),
            notes: Some(changes.notes),
            base_url: Some(changes.base_url),
            ..Default::default()
        };
        doc.edit(&name, Some(&changes.name), None, fields, change).map(EntrySummary::from)
    })
}

/// Replaces a key's value; the old one goes into its history.
#[tauri::command(async)]
pub fn replace_key(state: State<'_, AppState>, id: String, secret: Secret) -> Result<EntrySummary> {
    change_and_save(&state, |doc, change| {
        let name = name_of(doc, &id)?;
        doc.edit(&name, None, Some(secret), EntryFields::default(), change).map(EntrySummary::from)
    })
}

/// Makes an earlier value the key again (`newest_first`: its place in the details' history list).
#[tauri::command(async)]
pub fn restore_value(state: State<'_, AppState>, id: String, newest_first: usize) -> Result<EntrySummary> {
    change_and_save(&state, |doc, change| {
        let name = name_of(doc, &id)?;
        let len = doc.get(&name)?.history.len();
        let index = len
            .checked_sub(newest_first + 1)
            .ok_or_else(|| VaultError::Invalid("That earlier value is gone.".into()))?;
        doc.restore_value(&name, index, change).map(EntrySummary::from)
    })
}

/// Changes the master passphrase (the current one is asked again, as a check that it is the
/// owner at the keyboard). Backups readable with the old passphrase are deleted.
#[tauri::command(async)]
pub fn change_passphrase(state: State<'_, AppState>, current: String, new: String) -> Result<usize> {
    let (current, new) = (SecretString::from(current), SecretString::from(new));
    use keyward_core::ExposeSecret;
    if new.expose_secret().is_empty() {
        return Err("Choose a new passphrase.".into());
    }
    let path = state.path.lock().unwrap().clone();
    // Proves the current passphrase without touching the unlocked vault.
    Vault::open(&path, Unlock::Passphrase(current)).map_err(sentence)?;
    let mut guard = state.vault.lock().unwrap();
    let vault = guard.as_mut().ok_or(LOCKED)?;
    vault.change_passphrase(new).map(|r| r.backups_removed).map_err(sentence)
}

/// Merges in changes another program made to the vault file; true when something changed.
#[tauri::command(async)]
pub fn refresh_vault(state: State<'_, AppState>) -> Result<bool> {
    let mut guard = state.vault.lock().unwrap();
    match guard.as_mut() {
        Some(vault) => vault.refresh().map_err(sentence),
        None => Ok(false),
    }
}

#[tauri::command(async)]
pub fn get_settings(state: State<'_, AppState>) -> Settings {
    state.settings.lock().unwrap().clone()
}

#[tauri::command(async)]
pub fn set_settings(state: State<'_, AppState>, settings: Settings) -> Result<Settings> {
    let settings = settings.clamped();
    settings.save()?;
    *state.settings.lock().unwrap() = settings.clone();
    Ok(settings)
}

fn whoami() -> String {
    std::env::var("USER").or_else(|_| std::env::var("USERNAME")).unwrap_or_else(|_| "someone".into())
}
