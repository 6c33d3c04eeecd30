//! Choosing, creating, unlocking and locking the vault file.

use super::{LOCKED, Result, expand_home, sentence};
use crate::{AppState, clipboard};
use keyward_core::{SecretString, Unlock, Vault, VaultError};
use serde::Serialize;

use tauri::{AppHandle, Manager, State};
use tauri_plugin_dialog::DialogExt;

#[derive(Serialize)]
pub struct VaultStatus {
    pub path: String,
    pub exists: bool,
    pub unlocked: bool,
    /// Other vault files opened on this device, most recent first.
    pub recent: Vec<String>,
    /// Its passphrase is remembered in the OS keyring on this device.
    pub remembered: bool,
    /// The app has not been locked since it started: a remembered passphrase may be used at once.
    pub fresh_start: bool,
}

use super::data_dir;

#[tauri::command(async)]
pub fn vault_status(state: State<'_, AppState>) -> VaultStatus {
    let path = state.path.lock().unwrap().clone();
    let recent = state.settings.lock().unwrap().recent_vaults.clone();
    VaultStatus {
        exists: path.exists(),
        unlocked: state.vault.lock().unwrap().is_some(),
        recent: recent.iter().filter(|p| **p != path).map(|p| p.display().to_string()).collect(),
        remembered: keyward_core::remember::is_remembered(&data_dir(), &path),
        fresh_start: !state.locked_once.load(std::sync::atomic::Ordering::SeqCst),
        path: path.display().to_string(),
    }
}

/// Makes `path` the vault to unlock (an existing file) or to create (a new name in an existing
/// folder). Only while locked.
#[tauri::command(async)]
pub fn choose_vault(state: State<'_, AppState>, path: String) -> Result<VaultStatus> {
    let path = expand_home(path.trim());
    if path.as_os_str().is_empty() {
        return Err("Type the path of a vault file.".into());
    }
    if state.vault.lock().unwrap().is_some() {
        return Err("Lock the vault before choosing another one.".into());
    }
    if path.is_dir() {
        return Err(format!("{} is a folder; choose a file in it (for example vault.age).", path.display()));
    }
    if !path.exists() {
        match path.parent() {
            Some(dir) if dir.as_os_str().is_empty() || dir.is_dir() => {}
            _ => return Err(format!("There is no folder {}.", path.parent().unwrap_or(&path).display())),
        }
    }
    let path = if path.is_absolute() { path } else { std::env::current_dir().unwrap_or_default().join(path) };
    let left = std::mem::replace(&mut *state.path.lock().unwrap(), path);
    // The vault being left stays one click away.
    if left.is_file() {
        let mut settings = state.settings.lock().unwrap();
        settings.remember(&left);
        let _ = settings.save();
    }
    Ok(vault_status(state))
}

/// Lets the user pick a vault file in the system's file dialog: an existing one to open, or a
/// new file name to create. `None` when the dialog was cancelled.
#[tauri::command(async)]
pub fn browse_vault(app: AppHandle, state: State<'_, AppState>, create: bool) -> Result<Option<VaultStatus>> {
    let dialog = app.dialog().file().add_filter("Keyward vault", &["age"]);
    let picked = if create {
        dialog.set_file_name("vault.age").set_title("Create a vault").blocking_save_file()
    } else {
        dialog.set_title("Open a vault").blocking_pick_file()
    };
    let Some(path) = picked.and_then(|p| p.into_path().ok()) else { return Ok(None) };
    if create && path.exists() {
        return Err(format!("{} already exists; open it instead, or choose a new name.", path.display()));
    }
    choose_vault(state, path.display().to_string()).map(Some)
}

#[tauri::command(async)]
pub fn create_vault(app: AppHandle, state: State<'_, AppState>, passphrase: String) -> Result<()> {
    if passphrase.is_empty() {
        return Err("Choose a passphrase.".into());
    }
    let path = state.path.lock().unwrap().clone();
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(|e| sentence(VaultError::io(dir, e)))?;
    }
    let vault = Vault::create(&path, SecretString::from(passphrase), keyward_core::document::DEFAULT_WORK_FACTOR)
        .map_err(sentence)?;
    opened(&app, &state, vault);
    Ok(())
}

/// What unlocking did: opened (perhaps with a sentence about remembering), or not opened
/// because the file is not the vault this device saw there before (`changed` says how; unlock
/// again with `accept_change` once the person confirmed).
#[derive(Serialize)]
pub struct Unlocked {
    pub warning: Option<String>,
    pub changed: Option<String>,
}

/// Unlocks with the passphrase; with `remember`, also keeps it in the OS keyring of this
/// device.
#[tauri::command(async)]
pub fn unlock(
    app: AppHandle,
    state: State<'_, AppState>,
    passphrase: String,
    remember: Option<bool>,
    accept_change: Option<bool>,
) -> Result<Unlocked> {
    let passphrase = SecretString::from(passphrase);
    let path = state.path.lock().unwrap().clone();
    let vault = match open_with(&path, passphrase.clone(), accept_change.unwrap_or(false)) {
        Err(VaultError::VaultChanged { reason, .. }) => return Ok(Unlocked { warning: None, changed: Some(reason) }),
        other => other.map_err(sentence)?,
    };
    let mut warning = None;
    if remember.unwrap_or(false) {
        let id = vault.document().vault_id.clone();
        if let Err(e) = keyward_core::remember::remember(&data_dir(), &path, &id, &passphrase) {
            warning = Some(sentence(e));
        }
    }
    opened(&app, &state, vault);
    Ok(Unlocked { warning, changed: None })
}

/// Unlocks with the passphrase remembered on this device (the OS keyring is asked each time).
#[tauri::command(async)]
pub fn unlock_remembered(app: AppHandle, state: State<'_, AppState>) -> Result<()> {
    let path = state.path.lock().unwrap().clone();
    let passphrase = keyward_core::remember::recall(&data_dir(), &path)
        .map_err(sentence)?
        .ok_or("The passphrase is not remembered on this device.")?;
    let vault = open_with(&path, passphrase, false).map_err(|e| match e {
        // Changed elsewhere since it was remembered: forget it, so that it is asked again.
        VaultError::WrongPassphrase => {
            let _ = keyward_core::remember::forget(&data_dir(), &path);
            "The passphrase remembered on this device no longer opens this vault; it was forgotten.".to_string()
        }
        e => sentence(e),
    })?;
    opened(&app, &state, vault);
    Ok(())
}

/// Forgets the passphrase remembered on this device for the current vault.
#[tauri::command(async)]
pub fn forget_device(state: State<'_, AppState>) -> Result<bool> {
    let path = state.path.lock().unwrap().clone();
    keyward_core::remember::forget(&data_dir(), &path).map_err(sentence)
}

/// Opens the vault at `path` with the passphrase (a team vault through my identity).
fn open_with(
    path: &std::path::Path,
    passphrase: SecretString,
    accept_change: bool,
) -> std::result::Result<Vault, VaultError> {
    let bytes = keyward_core::atomic_file::read(path).map_err(|e| match e {
        VaultError::NotFound { path } => VaultError::NoVault { path },
        e => e,
    })?;
    let (unlock, _) =
        keyward_core::identity::unlock_with_passphrase(&bytes, passphrase, &super::team::identity_path())?;
    Vault::open_confirming(path, unlock, |_| accept_change)
}

/// Keeps the unlocked vault, remembers its file among the recent ones, and names it in the
/// window's title.
fn opened(app: &AppHandle, state: &State<'_, AppState>, vault: Vault) {
    let file = vault.path().file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    set_title(app, &format!("{file} — Keyward"));
    let mut settings = state.settings.lock().unwrap();
    settings.remember(vault.path());
    // Not being able to save the recent list is no reason to refuse the unlock.
    let _ = settings.save();
    *state.vault.lock().unwrap() = Some(vault);
}

#[tauri::command(async)]
pub fn lock(app: AppHandle, state: State<'_, AppState>) {
    lock_now(&app, &state);
}

/// Locks: clears the clipboard if it holds our key, saves pending check results, and drops the
/// vault (which wipes its secrets). Also called when the session locks or the machine sleeps.
pub fn lock_now(app: &AppHandle, state: &AppState) {
    state.locked_once.store(true, std::sync::atomic::Ordering::SeqCst);
    // The clipboard first: saving pending check results may wait for the vault.
    clipboard::clear_if_ours(app);
    // Check results of an unfinished Check all are saved if the vault can be written.
    let _ = super::save_unsaved_checks(state);
    state.unsaved_checks.store(false, std::sync::atomic::Ordering::SeqCst);
    // A command that panicked while holding a lock must not stop locking.
    *state.deleted.lock().unwrap_or_else(std::sync::PoisonError::into_inner) = None;
    *state.vault.lock().unwrap_or_else(std::sync::PoisonError::into_inner) = None;
    set_title(app, "Keyward");
}

fn set_title(app: &AppHandle, title: &str) {
    if let Some(window) = app.get_webview_window("main") {
        let _ = window.set_title(title);
    }
}

#[derive(Serialize)]
pub struct Refreshed {
    /// The vault was locked meanwhile (session locked, machine asleep): show the unlock screen.
    pub locked: bool,
    /// Another program changed the file and its changes were merged in.
    pub merged: bool,
    /// Sync tools' conflict copies beside the vault (file names).
    pub conflict_copies: Vec<String>,
    /// What verifying others' changes left out, and what is said once (sentences).
    pub notices: Vec<String>,
}

/// Merges in changes another program made to the vault file, and looks for conflict copies.
#[tauri::command(async)]
pub fn refresh_vault(state: State<'_, AppState>) -> Result<Refreshed> {
    let mut guard = state.vault.lock().unwrap();
    let Some(vault) = guard.as_mut() else {
        return Ok(Refreshed { locked: true, merged: false, conflict_copies: Vec::new(), notices: Vec::new() });
    };
    let merged = vault.refresh().map_err(sentence)?;
    let conflict_copies = keyward_core::copies::conflict_copies(vault.path())
        .iter()
        .filter_map(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
        .collect();
    Ok(Refreshed { locked: false, merged, conflict_copies, notices: vault.take_notices() })
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
    let team = state.vault.lock().unwrap().as_ref().ok_or(LOCKED)?.document().is_team();
    if team {
        // What opens a team vault is my identity: its passphrase is the one to change.
        let id_path = super::team::identity_path();
        keyward_core::identity::change_passphrase(&id_path, current, &new, keyward_core::document::DEFAULT_WORK_FACTOR)
            .map_err(sentence)?;
        // A remembered passphrase for this vault was the identity's old one.
        let _ = keyward_core::remember::forget(&data_dir(), &path);
        return Ok(0);
    }
    // Proves the current passphrase without touching the unlocked vault.
    Vault::open(&path, Unlock::Passphrase(current)).map_err(sentence)?;
    let mut guard = state.vault.lock().unwrap();
    let vault = guard.as_mut().ok_or(LOCKED)?;
    let removed = vault.change_passphrase(new.clone()).map(|r| r.backups_removed).map_err(sentence)?;
    // The keyring follows; if it cannot, the old passphrase is forgotten rather than kept.
    let _ = keyward_core::remember::follow_new_passphrase(&data_dir(), &path, &vault.document().vault_id, &new);
    Ok(removed)
}
