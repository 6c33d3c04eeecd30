//! Listing, adding, copying, checking, revealing, editing and deleting keys.

use super::{Result, change_and_save, entry_by_id, name_of, sentence, with_document};
use crate::{AppState, clipboard};
use keyward_core::check::{CheckJob, CheckReport, Checker};
use keyward_core::document::EntryFields;
use keyward_core::summary::Authors;
use keyward_core::{EntrySummary, Secret, VaultError};
use serde::{Deserialize, Serialize};
use std::time::Duration;
use tauri::{AppHandle, State};
use tauri_plugin_opener::OpenerExt;

#[tauri::command(async)]
pub fn list_entries(state: State<'_, AppState>) -> Result<Vec<EntrySummary>> {
    with_document(&state, |doc| {
        let authors = Authors::of(&doc.members);
        Ok(doc.entries.iter().map(|e| EntrySummary::new(e, &authors)).collect())
    })
}

/// The summary of a key after a change was saved (read back: a merge may have renamed it).
fn saved_summary(state: &State<'_, AppState>, id: Result<String>) -> Result<EntrySummary> {
    let id = id?;
    with_document(state, |doc| {
        Ok(EntrySummary::new(entry_by_id(doc, &id).map_err(sentence)?, &Authors::of(&doc.members)))
    })
}

#[derive(Deserialize)]
pub struct NewEntry {
    pub name: String,
    /// Wiped when dropped, on every path.
    pub secret: Secret,
    pub provider: Option<String>,
    pub organization: Option<String>,
    pub project: Option<String>,
    pub environment: Option<String>,
    pub tags: Vec<String>,
    pub notes: Option<String>,
    pub base_url: Option<String>,
    /// 0 or none: no rotation reminder.
    pub rotation_days: Option<u32>,
}

#[tauri::command(async)]
pub fn add_entry(state: State<'_, AppState>, entry: NewEntry) -> Result<EntrySummary> {
    let fields = EntryFields {
        provider: entry.provider.filter(|p| !p.is_empty()),
        organization: entry.organization.filter(|o| !o.trim().is_empty()),
        project: entry.project.filter(|p| !p.trim().is_empty()),
        rotation_days: entry.rotation_days.filter(|&d| d > 0),
        environment: entry.environment,
        tags: Some(entry.tags),
        notes: entry.notes,
        base_url: entry.base_url,
        ..Default::default()
    };
    let id = change_and_save(&state, |doc, change| Ok(doc.add(&entry.name, entry.secret, fields, change)?.id.clone()));
    saved_summary(&state, id)
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

#[derive(Serialize)]
pub struct Copied {
    /// Seconds until the clipboard is cleared.
    pub secs: u64,
    /// Said once per device: a clipboard manager that keeps a history is running.
    pub warning: Option<String>,
}

#[tauri::command(async)]
pub fn copy_entry(
    app: AppHandle,
    state: State<'_, AppState>,
    id: String,
    clear_after_secs: Option<u64>,
) -> Result<Copied> {
    let secret = with_document(&state, |doc| Ok(entry_by_id(doc, &id).map_err(sentence)?.secret.clone()))?;
    let default = state.settings.lock().unwrap().clipboard_clear_secs;
    let max = keyward_core::clipboard::MAX_CLEAR_AFTER.as_secs();
    let secs = clear_after_secs.unwrap_or(default).clamp(1, max);
    clipboard::copy(&app, secret, Duration::from_secs(secs))?;
    Ok(Copied { secs, warning: history_warning_once(&state) })
}

/// The clipboard-history warning, the first time a given manager is seen on this device.
fn history_warning_once(state: &State<'_, AppState>) -> Option<String> {
    let managers = keyward_core::clipboard::running_history_managers();
    let mut settings = state.settings.lock().unwrap();
    if managers.iter().all(|m| settings.clipboard_warned.iter().any(|w| w == m)) {
        return None;
    }
    settings.clipboard_warned = managers.iter().map(|m| m.to_string()).collect();
    let _ = settings.save();
    Some(keyward_core::clipboard::history_warning(&managers))
}

/// Checks one key and records the result on it. `save: false` (Check all) leaves the saving to
/// `save_checks` at the end: each save of a passphrase vault runs the KDF again.
#[tauri::command]
pub async fn check_entry(
    state: State<'_, AppState>,
    id: String,
    deep: bool,
    save: Option<bool>,
) -> Result<CheckReport> {
    let job = with_document(&state, |doc| Ok(CheckJob::from(entry_by_id(doc, &id).map_err(sentence)?)))?;
    // A key goes to an address a teammate chose only once it was confirmed on this device.
    let asked = consents(&state, &id)?;
    if let Some(c) = asked.iter().find(|c| matches!(c.asked, keyward_core::consent::Asked::BaseUrl { .. })) {
        return Err(format!("Not checked: {} Trust it in the key's details if you expected it.", c.sentence()));
    }
    let options = state.settings.lock().unwrap().check_options(deep);
    let checker = Checker::new(options).map_err(sentence)?;
    let report = checker.check(&job).await;
    let mut guard = state.vault.lock().unwrap();
    if let Some(vault) = guard.as_mut() {
        vault.document_mut().record_check(&report.entry_id, report.to_last_check());
        if save.unwrap_or(true) {
            vault.save().map_err(sentence)?;
        } else {
            state.unsaved_checks.store(true, std::sync::atomic::Ordering::SeqCst);
        }
    }
    Ok(report)
}

/// Saves check results recorded with `save: false`.
#[tauri::command(async)]
pub fn save_checks(state: State<'_, AppState>) -> Result<()> {
    super::save_unsaved_checks(&state).map_err(sentence)
}

/// The one command that gives the window a secret: when the user pressed Reveal.
#[tauri::command(async)]
pub fn reveal_entry(state: State<'_, AppState>, id: String) -> Result<String> {
    with_document(&state, |doc| Ok(entry_by_id(doc, &id).map_err(sentence)?.secret.expose().to_string()))
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
    let id = change_and_save(&state, |doc, change| {
        let name = name_of(doc, &id)?;
        let fields = EntryFields {
            environment: Some(changes.environment),
            tags: Some(changes.tags),
            notes: Some(changes.notes),
            base_url: Some(changes.base_url),
            ..Default::default()
        };
        doc.edit(&name, Some(&changes.name), None, fields, change).map(|e| e.id.clone())
    });
    saved_summary(&state, id)
}

/// Replaces a key's value; the old one goes into its history.
#[tauri::command(async)]
pub fn replace_key(
    state: State<'_, AppState>,
    id: String,
    secret: Secret,
    keep_base_url: Option<bool>,
) -> Result<EntrySummary> {
    let id = change_and_save(&state, |doc, change| {
        let name = name_of(doc, &id)?;
        // A rotation asks whether the new key still goes to a custom address (a teammate may
        // have set it); unless kept, it goes to the provider.
        let base_url = (!keep_base_url.unwrap_or(false)).then(String::new);
        let fields = EntryFields { base_url, ..Default::default() };
        doc.edit(&name, None, Some(secret), fields, change).map(|e| e.id.clone())
    });
    saved_summary(&state, id)
}

/// What a key needs confirmed on this device before it is sent to its base URL or given to a
/// program (a team vault: what a teammate set).
pub fn consents(state: &State<'_, AppState>, id: &str) -> Result<Vec<keyward_core::consent::Consent>> {
    let guard = state.vault.lock().unwrap();
    Ok(guard.as_ref().ok_or(super::LOCKED)?.consents_needed(id))
}

/// The sentences asking for those confirmations (empty: nothing to confirm).
#[tauri::command(async)]
pub fn entry_consents(state: State<'_, AppState>, id: String) -> Result<Vec<String>> {
    Ok(consents(&state, &id)?.iter().map(keyward_core::consent::Consent::sentence).collect())
}

/// Confirms on this device what a teammate set for this key.
#[tauri::command(async)]
pub fn trust_entry(state: State<'_, AppState>, id: String) -> Result<()> {
    let asked = consents(&state, &id)?;
    let mut guard = state.vault.lock().unwrap();
    let vault = guard.as_mut().ok_or(super::LOCKED)?;
    for c in &asked {
        vault.give_consent(c).map_err(sentence)?;
    }
    Ok(())
}

/// Makes an earlier value the key again (`newest_first`: its place in the details' history list).
#[tauri::command(async)]
pub fn restore_value(state: State<'_, AppState>, id: String, newest_first: usize) -> Result<EntrySummary> {
    let id = change_and_save(&state, |doc, change| {
        let name = name_of(doc, &id)?;
        let len = doc.get(&name)?.history.len();
        let index = len
            .checked_sub(newest_first + 1)
            .ok_or_else(|| VaultError::Invalid("That earlier value is gone.".into()))?;
        doc.restore_value(&name, index, change).map(|e| e.id.clone())
    });
    saved_summary(&state, id)
}

/// Opens the provider's page for managing keys (`page` = "keys") or billing ("billing") in the
/// system's browser. Only addresses from Keyward's provider table are ever opened.
#[tauri::command(async)]
pub fn open_provider_page(app: AppHandle, state: State<'_, AppState>, id: String, page: String) -> Result<()> {
    let provider = with_document(&state, |doc| Ok(entry_by_id(doc, &id).map_err(sentence)?.provider.clone()))?;
    let url = keyward_core::provider::by_id(&provider)
        .map(|p| if page == "billing" { p.billing_url } else { p.keys_url })
        .filter(|url| !url.is_empty())
        .ok_or("Keyward does not know this provider's pages.")?;
    app.opener().open_url(url, None::<&str>).map_err(|_| "No web browser could be opened.".to_string())
}
