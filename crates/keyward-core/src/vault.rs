//! A vault file on disk: create, open, change and save it safely.
//!
//! Saving takes the cross-process lock, re-reads the file, and if another process (or a sync
//! tool) changed it since it was read, decrypts that version and merges it in before writing.
//! A file that cannot be read is never written over.

use crate::atomic_file;
use crate::copies::MergeSummary;
use crate::crypto::{self, Unlock};
use crate::document::{Change, Document, FormatError};
use crate::error::{Result, VaultError};
use crate::identity::Identity;
use crate::lock::{self, VaultLock};
use crate::merge::merge;
use age::secrecy::SecretString;
use chrono::Utc;
use std::path::{Path, PathBuf};

/// An unlocked vault. Dropping it wipes the decrypted secrets and the passphrase.
#[derive(Debug)]
pub struct Vault {
    path: PathBuf,
    doc: Document,
    unlock: Unlock,
    /// The file's bytes as last read or written, to notice changes made by others.
    on_disk: Vec<u8>,
    /// The file's size and modification time when `on_disk` was read or written.
    stamp: Option<(u64, std::time::SystemTime)>,
}

fn file_stamp(path: &Path) -> Option<(u64, std::time::SystemTime)> {
    let meta = std::fs::metadata(path).ok()?;
    Some((meta.len(), meta.modified().ok()?))
}

/// What a save did besides writing.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SaveReport {
    /// The file had been changed by someone else and was merged in.
    pub merged: bool,
    /// Keys renamed because both copies had a different key of the same name: (old, new).
    pub renamed: Vec<(String, String)>,
    /// Backups deleted because they were encrypted with the old passphrase.
    pub backups_removed: usize,
}

/// Recorded as who renamed keys whose names clashed in a merge.
const MERGE_ACTOR: &str = "keyward (merge)";

impl Vault {
    /// Creates a new, empty personal vault at `path`, protected by `passphrase`.
    /// Refuses if anything exists at `path`.
    pub fn create(path: &Path, passphrase: SecretString, work_factor: u8) -> Result<Vault> {
        let path = &resolve(path)?;
        let mut doc = Document::new(Utc::now());
        doc.settings.scrypt_work_factor = work_factor.clamp(crypto::MIN_WORK_FACTOR, crypto::MAX_WORK_FACTOR);
        let unlock = Unlock::Passphrase(passphrase);
        let bytes = encrypt(&doc, &unlock)?;
        atomic_file::create_new(path, &bytes)?;
        Ok(Vault { stamp: file_stamp(path), path: path.to_path_buf(), doc, unlock, on_disk: bytes })
    }

    /// Creates a new team vault at `path` with one member, `me` (named `name`), who opens it
    /// with their identity. Refuses if anything exists at `path`.
    pub fn create_team(path: &Path, name: &str, me: Identity) -> Result<Vault> {
        let path = &resolve(path)?;
        let now = Utc::now();
        let mut doc = Document::new(now);
        doc.add_member(name, &me.public_key, &Change { now, actor: name })?;
        let bytes = encrypt(&doc, &me.unlock)?;
        atomic_file::create_new(path, &bytes)?;
        Ok(Vault { stamp: file_stamp(path), path: path.to_path_buf(), doc, unlock: me.unlock, on_disk: bytes })
    }

    /// Makes a personal vault a team vault whose first member is `me` (every entry is kept).
    /// From now on it opens with `me`'s identity, not the passphrase; the backups, which the
    /// passphrase still opens, are deleted.
    pub fn make_team(&mut self, name: &str, me: Identity) -> Result<SaveReport> {
        if self.doc.is_team() {
            return Err(VaultError::Invalid("This is already a team vault.".into()));
        }
        let before = self.doc.clone();
        self.doc.add_member(name, &me.public_key, &Change { now: Utc::now(), actor: name })?;
        let result = self.save_with(Some(me.unlock));
        if result.is_err() {
            self.doc = before;
        }
        result
    }

    /// Merges another copy of this vault (a file another device or branch wrote) into this
    /// one and saves. The copy must be the same vault and open with the same passphrase or
    /// identity; it is not changed.
    pub fn merge_file(&mut self, other: &Path) -> Result<MergeSummary> {
        let bytes = atomic_file::read(other)?;
        let theirs = decrypt(other, &bytes, &self.unlock)?;
        if theirs.vault_id != self.doc.vault_id {
            return Err(VaultError::DifferentVault { path: other.to_path_buf() });
        }
        let before = self.doc.clone();
        self.doc = merge(&self.doc, &theirs);
        self.doc.rename_clashes(&Change { now: Utc::now(), actor: MERGE_ACTOR });
        let summary = MergeSummary::between(&before, &self.doc);
        if let Err(e) = self.save() {
            self.doc = before;
            return Err(e);
        }
        Ok(summary)
    }

    /// Merges in every conflict copy a sync tool left next to the vault and deletes each copy
    /// once its content is saved. A copy that cannot be merged (another vault, another key) is
    /// left in place, with the reason.
    pub fn merge_conflict_copies(&mut self) -> Vec<(PathBuf, Result<MergeSummary>)> {
        crate::copies::conflict_copies(&self.path)
            .into_iter()
            .map(|copy| {
                let result = self.merge_file(&copy).and_then(|summary| {
                    std::fs::remove_file(&copy).map_err(|e| VaultError::io(&copy, e))?;
                    Ok(summary)
                });
                (copy, result)
            })
            .collect()
    }

    /// Makes a team vault whose only member is left a personal vault again, protected by
    /// `passphrase` (every entry is kept; the backups, which the identity opens, are deleted).
    /// The passphrase is protected with this device's work factor, never the one the team
    /// document names (any member could have lowered it).
    pub fn make_personal(&mut self, passphrase: SecretString) -> Result<SaveReport> {
        let before = self.doc.clone();
        self.doc.make_personal(&Change { now: Utc::now(), actor: MERGE_ACTOR })?;
        self.doc.settings.scrypt_work_factor = crate::document::DEFAULT_WORK_FACTOR;
        let result = self.save_with(Some(Unlock::Passphrase(passphrase)));
        if result.is_err() {
            self.doc = before;
        }
        result
    }

    /// Opens and decrypts the vault at `path`.
    pub fn open(path: &Path, unlock: Unlock) -> Result<Vault> {
        let path = &resolve(path)?;
        let bytes = atomic_file::read(path).map_err(|e| match e {
            VaultError::NotFound { path } => VaultError::NoVault { path },
            e => e,
        })?;
        let doc = decrypt(path, &bytes, &unlock)?;
        Ok(Vault { stamp: file_stamp(path), path: path.to_path_buf(), doc, unlock, on_disk: bytes })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn document(&self) -> &Document {
        &self.doc
    }

    /// Changes the document in memory; call [`Vault::save`] to write it.
    pub fn document_mut(&mut self) -> &mut Document {
        &mut self.doc
    }

    /// Merges in what another program (the CLI, another Keyward, a sync tool) wrote since the
    /// vault was read or saved. Cheap when nothing changed (the file's size and time are
    /// compared first). Returns whether anything was merged in.
    pub fn refresh(&mut self) -> Result<bool> {
        let stamp = file_stamp(&self.path);
        if stamp.is_some() && stamp == self.stamp {
            return Ok(false);
        }
        let current = match std::fs::read(&self.path) {
            Ok(bytes) => bytes,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(false),
            Err(e) => return Err(VaultError::io(&self.path, e)),
        };
        if current == self.on_disk {
            self.stamp = stamp;
            return Ok(false);
        }
        let theirs = decrypt(&self.path, &current, &self.unlock)?;
        if theirs.vault_id != self.doc.vault_id {
            return Err(VaultError::DifferentVault { path: self.path.clone() });
        }
        let before = self.doc.clone();
        self.doc = merge(&self.doc, &theirs);
        self.on_disk = current;
        self.stamp = stamp;
        Ok(self.doc != before)
    }

    /// Writes the vault atomically, merging in changes others made since it was read.
    pub fn save(&mut self) -> Result<SaveReport> {
        self.save_with(None)
    }

    /// Re-encrypts the vault under a new passphrase (merging in any change made meanwhile), and
    /// deletes the backups, which the old passphrase would still open.
    pub fn change_passphrase(&mut self, new: SecretString) -> Result<SaveReport> {
        if !matches!(self.unlock, Unlock::Passphrase(_)) {
            return Err(VaultError::Invalid("This vault has no passphrase to change.".into()));
        }
        self.save_with(Some(Unlock::Passphrase(new)))
    }

    fn save_with(&mut self, new_unlock: Option<Unlock>) -> Result<SaveReport> {
        let _lock = VaultLock::acquire(&self.path, lock::DEFAULT_WAIT)?;
        let mut report = SaveReport::default();
        match std::fs::read(&self.path) {
            Ok(current) if current != self.on_disk => {
                // Someone else wrote it. Read it with our key; if we cannot, we do not write.
                let theirs = decrypt(&self.path, &current, &self.unlock)?;
                if theirs.vault_id != self.doc.vault_id {
                    return Err(VaultError::DifferentVault { path: self.path.clone() });
                }
                self.doc = merge(&self.doc, &theirs);
                let change = Change { now: Utc::now(), actor: MERGE_ACTOR };
                report.renamed = self.doc.rename_clashes(&change);
                report.merged = true;
            }
            Ok(_) => {}
            // Deleted since we read it: writing it again loses nothing.
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(VaultError::io(&self.path, e)),
        }
        let unlock = new_unlock.as_ref().unwrap_or(&self.unlock);
        let bytes = encrypt(&self.doc, unlock)?;
        atomic_file::remove_stale_temps(&self.path);
        atomic_file::replace(&self.path, &bytes)?;
        self.on_disk = bytes;
        self.stamp = file_stamp(&self.path);
        if let Some(new) = new_unlock {
            self.unlock = new;
            report.backups_removed = atomic_file::remove_backups(&self.path);
        }
        Ok(report)
    }
}

/// The real location of a vault: a symlinked vault (into a sync folder, say) is written where
/// the link points, so that the rename keeps the link and the backups sit next to the file.
fn resolve(path: &Path) -> Result<PathBuf> {
    match std::fs::canonicalize(path) {
        Ok(real) => Ok(real),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => match std::fs::read_link(path) {
            // A dangling link: create the file it points to.
            Ok(target) => Ok(path.parent().map_or(target.clone(), |dir| dir.join(&target))),
            Err(_) => Ok(path.to_path_buf()),
        },
        Err(e) => Err(VaultError::io(path, e)),
    }
}

/// Decrypts and parses vault bytes, with format problems named for `path`.
pub fn decrypt(path: &Path, bytes: &[u8], unlock: &Unlock) -> Result<Document> {
    let plaintext = crypto::decrypt(bytes, unlock, path)?;
    Document::from_json(&plaintext).map_err(|e| match e {
        FormatError::Newer(found) => VaultError::NewerVersion { found, supported: crate::document::FORMAT_VERSION },
        FormatError::NotJson(_) => {
            VaultError::NotAVault { path: path.to_path_buf(), reason: "its content is not JSON".into() }
        }
        FormatError::WrongFormat(reason) => VaultError::NotAVault { path: path.to_path_buf(), reason },
        FormatError::Invalid(reason) => VaultError::Damaged { path: path.to_path_buf(), reason },
    })
}

/// Serializes and encrypts a document the way its vault is protected: to its members' public
/// keys (a team vault), else with the passphrase.
pub fn encrypt(doc: &Document, unlock: &Unlock) -> Result<Vec<u8>> {
    let json = doc.to_json();
    if doc.is_team() {
        return crypto::encrypt_to_recipients(&json, &doc.recipients()?);
    }
    match unlock {
        Unlock::Passphrase(p) => Ok(crypto::encrypt_with_passphrase(&json, p, doc.settings.scrypt_work_factor)),
        Unlock::Identities(_) => {
            Err(VaultError::Invalid("This vault has no members left to encrypt to; it was not written.".into()))
        }
    }
}
