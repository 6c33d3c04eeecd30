//! Other copies of a vault: merging one in (`keyward merge`, the git merge driver), and the
//! conflict copies sync tools leave next to a file when two devices changed it at once.

use crate::crypto::Unlock;
use crate::document::{Change, Document};
use crate::error::{Result, VaultError};
use crate::{atomic_file, authenticate, merge, vault};
use std::path::{Path, PathBuf};

/// git's merge driver: merges the other branch's version of a vault file (`theirs`) into ours,
/// both verified first, and writes the result over `ours` (encrypted like it, with my changes
/// signed, without backups: git keeps the history).
pub fn merge_files(ours: &Path, theirs: &Path, unlock: &Unlock) -> Result<MergeSummary> {
    let now = chrono::Utc::now();
    let mut ours_doc = vault::decrypt(ours, &atomic_file::read(ours)?, unlock)?;
    let mut theirs_doc = vault::decrypt(theirs, &atomic_file::read(theirs)?, unlock)?;
    if ours_doc.vault_id != theirs_doc.vault_id {
        return Err(VaultError::DifferentVault { path: theirs.to_path_buf() });
    }
    let mut refused = authenticate::verify(&mut ours_doc, None, None, now)?;
    refused.extend(authenticate::verify_incoming(&ours_doc, &mut theirs_doc, now)?);
    let mut merged = merge::merge(&ours_doc, &theirs_doc);
    merged.rename_clashes(&Change { now, actor: vault::MERGE_ACTOR });
    authenticate::sign_changes(&mut merged, unlock.signer(), now)?;
    let bytes = vault::encrypt(&merged, unlock)?;
    atomic_file::replace_without_backups(ours, &bytes)?;
    let mut summary = MergeSummary::between(&ours_doc, &merged);
    summary.refused = refused;
    Ok(summary)
}

/// What merging another copy changed in ours.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MergeSummary {
    pub added: Vec<String>,
    pub changed: Vec<String>,
    pub removed: Vec<String>,
    pub members_changed: bool,
    /// Member changes, with each member's fingerprint: `+ carol (3f2a 91c0 77de 0b14)`,
    /// `- bob (…)`.
    pub members: Vec<String>,
    /// What the other copy held that was left out, and why (one sentence each).
    pub refused: Vec<String>,
}

impl MergeSummary {
    /// Compares a document before and after a merge.
    pub fn between(before: &Document, after: &Document) -> MergeSummary {
        let mut summary = MergeSummary::default();
        for e in &after.entries {
            match before.entries.iter().find(|b| b.id == e.id) {
                None => summary.added.push(e.name.clone()),
                Some(b) if b != e => summary.changed.push(e.name.clone()),
                Some(_) => {}
            }
        }
        for b in &before.entries {
            if !after.entries.iter().any(|e| e.id == b.id) {
                summary.removed.push(b.name.clone());
            }
        }
        summary.members_changed = before.members != after.members;
        for m in &after.members {
            let was = before.members.iter().find(|b| b.key_id() == m.key_id());
            let name = crate::members::display_name(&m.name);
            match (was.map(|b| b.is_active()), m.is_active()) {
                (Some(true), false) => summary.members.push(format!("- {name} ({})", m.fingerprint())),
                (None | Some(false), true) => summary.members.push(format!("+ {name} ({})", m.fingerprint())),
                _ => {}
            }
        }
        summary
    }

    pub fn is_empty(&self) -> bool {
        self.added.is_empty()
            && self.changed.is_empty()
            && self.removed.is_empty()
            && !self.members_changed
            && self.refused.is_empty()
    }

    /// "2 added, 1 changed, 0 deleted".
    pub fn counts(&self) -> String {
        format!("{} added, {} changed, {} deleted", self.added.len(), self.changed.len(), self.removed.len())
    }
}

/// Conflict copies of `vault` in its folder, oldest name first: Dropbox's
/// `vault (Ann's conflicted copy 2026-01-02).age`, Nextcloud's and ownCloud's
/// `vault (conflicted copy 2026-01-02 101010).age`, and Syncthing's
/// `vault.sync-conflict-20260102-101010-ABCDEFG.age`.
pub fn conflict_copies(vault: &Path) -> Vec<PathBuf> {
    let Some(name) = vault.file_name().map(|n| n.to_string_lossy().into_owned()) else { return Vec::new() };
    let (stem, ext) = match name.rsplit_once('.') {
        Some((stem, ext)) if !stem.is_empty() => (stem.to_string(), format!(".{ext}")),
        _ => (name.clone(), String::new()),
    };
    let dir = match vault.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let Ok(items) = std::fs::read_dir(dir) else { return Vec::new() };
    let mut found: Vec<PathBuf> = items
        .flatten()
        .filter(|item| item.file_type().is_ok_and(|t| t.is_file()))
        .filter(|item| is_conflict_copy(&item.file_name().to_string_lossy(), &stem, &ext))
        .map(|item| item.path())
        .collect();
    found.sort();
    found
}

fn is_conflict_copy(file: &str, stem: &str, ext: &str) -> bool {
    let Some(middle) = file.strip_prefix(stem).and_then(|rest| rest.strip_suffix(ext)) else { return false };
    // Dropbox, Nextcloud, ownCloud: "NAME (… conflicted copy …).ext"
    let bracketed = middle.starts_with(" (") && middle.ends_with(')') && middle.contains("conflicted copy");
    // Syncthing: "NAME.sync-conflict-DATE-TIME-DEVICE.ext"
    let syncthing = middle.starts_with(".sync-conflict-");
    bracketed || syncthing
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_conflict_copies_of_each_sync_tool_and_nothing_else() {
        let dir = tempfile::tempdir().unwrap();
        let names = [
            "vault.age",
            "vault (Ann's conflicted copy 2026-01-02).age",
            "vault (conflicted copy 2026-01-02 101010).age",
            "vault.sync-conflict-20260102-101010-ABCDEFG.age",
            "vault.age.backup-1",
            "other (conflicted copy 2026-01-02).age",
            "vault (copy).age",
            "vault.sync-conflict-20260102-101010-ABCDEFG.txt",
        ];
        for n in names {
            std::fs::write(dir.path().join(n), b"x").unwrap();
        }
        let found: Vec<String> = conflict_copies(&dir.path().join("vault.age"))
            .iter()
            .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
            .collect();
        assert_eq!(found, [names[1], names[2], names[3]]);
    }
}
