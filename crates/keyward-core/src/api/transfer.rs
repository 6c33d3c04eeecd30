//! Importing keys from `.env` files and password managers' CSV exports (a preview first, names
//! that clash renamed by the person), and exporting chosen keys to a new `.env` file.

use super::session::{Session, expand_home};
use crate::error::{Result, VaultError};
use crate::import::{self, Parsed};
use crate::summary::Authors;
use crate::{EntrySummary, SaveReport};
use serde::{Deserialize, Serialize};
use std::path::Path;
use zeroize::Zeroizing;

/// Something in the file that would not be (or was not) added, and why.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct SkippedLine {
    /// The line (`.env`) or data row (CSV) it is on.
    pub line: usize,
    /// "line 4" or "row 2".
    pub place: String,
    pub name: String,
    pub reason: String,
    /// A different key of this name is already in the vault: it can be imported under another
    /// name ([`Rename`]).
    pub name_taken: bool,
}

/// Imports the key on `line` under `name` instead of the name in the file.
#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Rename {
    pub line: usize,
    pub name: String,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ImportPreview {
    /// What the file was read as, e.g. "Bitwarden CSV export".
    pub source: String,
    /// The keys that would be added, as they would be saved (masked).
    pub added: Vec<EntrySummary>,
    pub skipped: Vec<SkippedLine>,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ImportResult {
    pub source: String,
    pub added: Vec<String>,
    pub skipped: Vec<SkippedLine>,
}

/// Reads and parses an import file (`all`: also values that do not look like keys), with the
/// person's renames applied: a file that cannot be read is said before anything is asked.
pub fn read_import(path: &Path, all: bool, renames: &[Rename]) -> Result<Parsed> {
    let bytes = Zeroizing::new(std::fs::read(path).map_err(|e| VaultError::io(path, e))?);
    let text = std::str::from_utf8(&bytes)
        .map_err(|_| VaultError::Invalid(format!("{} is not a text file (UTF-8).", path.display())))?;
    let mut parsed = import::parse(text, all)?;
    for rename in renames {
        if let Some(c) = parsed.candidates.iter_mut().find(|c| c.line == rename.line) {
            c.name = rename.name.trim().to_string();
        }
    }
    Ok(parsed)
}

fn skipped_lines(unit: &str, skipped: Vec<import::Skipped>) -> Vec<SkippedLine> {
    skipped
        .into_iter()
        .map(|s| SkippedLine {
            line: s.line,
            place: format!("{unit} {}", s.line),
            name_taken: s.reason == import::NAME_TAKEN,
            name: s.name,
            reason: s.reason,
        })
        .collect()
}

impl Session {
    /// What importing `path` would add and skip; nothing is changed.
    pub fn preview_import(&self, path: &str, all: bool, renames: &[Rename]) -> Result<ImportPreview> {
        let parsed = read_import(&expand_home(path), all, renames)?;
        let source = parsed.source;
        let doc = self.document()?;
        let actor = self.actor();
        let change = crate::Change { now: chrono::Utc::now(), actor: &actor };
        let (added, skipped) = import::preview(doc, parsed, &change);
        let authors = Authors::of(&doc.members);
        Ok(ImportPreview {
            source: source.label().into(),
            added: added.iter().map(|e| EntrySummary::new(e, &authors)).collect(),
            skipped: skipped_lines(source.unit(), skipped),
        })
    }

    /// Imports `path` (read again: what is added is reported back). Saves only when something
    /// was added.
    pub fn import(&mut self, path: &str, all: bool, renames: &[Rename]) -> Result<(ImportResult, Option<SaveReport>)> {
        self.import_parsed(read_import(&expand_home(path), all, renames)?)
    }

    /// Imports what [`read_import`] read.
    pub fn import_parsed(&mut self, parsed: Parsed) -> Result<(ImportResult, Option<SaveReport>)> {
        let source = parsed.source;
        let mut trial = self.document()?.clone();
        let actor = self.actor();
        let report =
            import::apply(&mut trial, parsed.clone(), &crate::Change { now: chrono::Utc::now(), actor: &actor });
        let saved = if report.added.is_empty() {
            None
        } else {
            Some(self.change(|doc, change| Ok(import::apply(doc, parsed, change)))?.1)
        };
        Ok((
            ImportResult {
                source: source.label().into(),
                added: report.added,
                skipped: skipped_lines(source.unit(), report.skipped),
            },
            saved,
        ))
    }

    /// The chosen keys (all when `ids` is empty) as `.env` text, each as its own variable.
    pub fn export_text(&self, ids: &[String]) -> Result<Zeroizing<String>> {
        let names = ids.iter().map(|id| self.entry(id).map(|e| e.name.clone())).collect::<Result<Vec<_>>>()?;
        crate::export::dotenv(self.document()?, &names)
    }

    /// Writes the chosen keys to a new `.env` file readable only by the user; never overwrites
    /// a file. Returns how many keys were written.
    pub fn export_to_file(&self, path: &str, ids: &[String]) -> Result<usize> {
        let path = expand_home(path);
        if path.as_os_str().is_empty() {
            return Err(VaultError::Invalid("Choose where to save the .env file.".into()));
        }
        if path.exists() {
            return Err(VaultError::Invalid(format!("{} already exists; choose a new file name.", path.display())));
        }
        let text = self.export_text(ids)?;
        crate::atomic_file::create_new(&path, text.as_bytes())?;
        Ok(if ids.is_empty() { self.document()?.entries.len() } else { ids.len() })
    }
}
