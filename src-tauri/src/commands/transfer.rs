//! Importing keys from `.env` files and password managers' CSV exports (with a preview first),
//! and exporting to a `.env` file.

use super::{Result, change_and_save, expand_home, sentence, whoami, with_document};
use crate::AppState;
use keyward_core::document::Change;
use keyward_core::import::{self, Parsed};
use keyward_core::{EntrySummary, VaultError};
use serde::Serialize;
use tauri::{AppHandle, State};
use tauri_plugin_dialog::DialogExt;
use zeroize::Zeroizing;

#[derive(Serialize)]
pub struct SkippedLine {
    /// "line 4" or "row 2".
    pub place: String,
    pub name: String,
    pub reason: String,
}

#[derive(Serialize)]
pub struct ImportPreview {
    /// What the file was read as, e.g. "Bitwarden CSV export".
    pub source: String,
    /// The keys that would be added, as they would be saved (masked).
    pub added: Vec<EntrySummary>,
    pub skipped: Vec<SkippedLine>,
}

#[derive(Serialize)]
pub struct ImportResult {
    pub added: Vec<String>,
    pub skipped: Vec<SkippedLine>,
}

fn read(path: &str, all: bool) -> Result<Parsed> {
    let path = &expand_home(path);
    let bytes = Zeroizing::new(std::fs::read(path).map_err(|e| sentence(VaultError::io(path, e)))?);
    let text = std::str::from_utf8(&bytes).map_err(|_| format!("{} is not a text file (UTF-8).", path.display()))?;
    import::parse(text, all).map_err(sentence)
}

fn skipped_lines(parsed_unit: &str, skipped: Vec<import::Skipped>) -> Vec<SkippedLine> {
    skipped
        .into_iter()
        .map(|s| SkippedLine { place: format!("{parsed_unit} {}", s.line), name: s.name, reason: s.reason })
        .collect()
}

/// What importing `path` would add and skip; nothing is changed. `all`: also values that do
/// not look like keys.
#[tauri::command(async)]
pub fn preview_import(state: State<'_, AppState>, path: String, all: bool) -> Result<ImportPreview> {
    let parsed = read(&path, all)?;
    let source = parsed.source;
    with_document(&state, |doc| {
        let actor = whoami();
        let (added, skipped) = import::preview(doc, parsed, &Change { now: chrono::Utc::now(), actor: &actor });
        let authors = keyward_core::summary::Authors::of(&doc.members);
        Ok(ImportPreview {
            source: source.label().into(),
            added: added.iter().map(|e| EntrySummary::new(e, &authors)).collect(),
            skipped: skipped_lines(source.unit(), skipped),
        })
    })
}

/// Imports `path` (read again: what is added is reported back).
#[tauri::command(async)]
pub fn import_file(state: State<'_, AppState>, path: String, all: bool) -> Result<ImportResult> {
    let parsed = read(&path, all)?;
    let unit = parsed.source.unit();
    let report = change_and_save(&state, |doc, change| Ok(import::apply(doc, parsed, change)))?;
    Ok(ImportResult { added: report.added, skipped: skipped_lines(unit, report.skipped) })
}

/// Writes every key to a new `.env` file (readable only by the user); never overwrites a file.
/// Returns how many keys were written.
#[tauri::command(async)]
pub fn export_env(state: State<'_, AppState>, path: String) -> Result<usize> {
    let path = expand_home(&path);
    if path.as_os_str().is_empty() {
        return Err("Choose where to save the .env file.".into());
    }
    if path.exists() {
        return Err(format!("{} already exists; choose a new file name.", path.display()));
    }
    with_document(&state, |doc| {
        let (text, _) = keyward_core::export::dotenv(doc, &[]).map_err(sentence)?;
        keyward_core::atomic_file::create_new(&path, text.as_bytes()).map_err(sentence)?;
        Ok(doc.entries.len())
    })
}

/// A file chosen in the system's dialog: one to import, or where to save an export.
#[tauri::command(async)]
pub fn browse_file(app: AppHandle, purpose: String) -> Option<String> {
    let dialog = app.dialog().file();
    let picked = if purpose == "export" {
        dialog.set_title("Export keys to a .env file").set_file_name("keys.env").blocking_save_file()
    } else {
        dialog
            .set_title("Import keys")
            .add_filter("Keys (.env, CSV)", &["env", "csv", "txt"])
            .add_filter("All files", &["*"])
            .blocking_pick_file()
    };
    picked.and_then(|p| p.into_path().ok()).map(|p| p.display().to_string())
}
