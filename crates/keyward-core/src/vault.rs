//! A vault file on disk: create, open, change and save it safely.
//!
//! Saving takes the cross-process lock, re-reads the file, and if another process (or a sync
//! tool) changed it since it was read, decrypts that version and merges it in before writing.
//! A file that cannot be read is never written over.

use crate::atomic_file;
use crate::authenticate;
use crate::copies::MergeSummary;
use crate::crypto::{self, Unlock};
use crate::document::{Change, Document, FormatError};
use crate::error::{Result, VaultError};
use crate::identity::Identity;
use crate::lock::{self, VaultLock};
use crate::merge::merge;
use crate::trust;
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
    /// Sentences about what verifying others' changes left out, and notices said once, not yet
    /// shown (see [`Vault::take_notices`]).
    notices: Vec<String>,
    /// A team vault from before signed changes (it is signed on its next save).
    unsigned_team: bool,
    /// What the person confirmed on this device (see [`crate::consent`]).
    approvals: trust::Approvals,
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

/// Said when a team vault's file lacks membership changes this device accepted before.
const ROLLED_BACK: &str = "This vault file does not hold membership changes this device saw before (someone may have put back an older copy); those changes still apply here.";

/// Recorded as who renamed keys whose names clashed in a merge.
pub(crate) const MERGE_ACTOR: &str = "keyward (merge)";

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
        let vault = Vault::opened(path, doc, unlock, bytes);
        vault.pin();
        Ok(vault)
    }

    fn opened(path: &Path, doc: Document, unlock: Unlock, on_disk: Vec<u8>) -> Vault {
        let unsigned_team = doc.is_team() && !doc.is_signed();
        let approvals = match crate::device::data_dir() {
            Ok(dir) if doc.is_team() => trust::load_approvals(&dir, &doc.vault_id),
            _ => trust::Approvals::default(),
        };
        let mut vault = Vault {
            stamp: file_stamp(path),
            path: path.to_path_buf(),
            doc,
            unlock,
            on_disk,
            notices: Vec::new(),
            unsigned_team,
            approvals,
        };
        vault.doc.chosen_here.0.clear();
        vault
    }

    /// What the key with this id needs confirmed on this device before it is sent to its base
    /// URL or given to a program (a team vault: base URLs and variables set by others).
    pub fn consents_needed(&self, entry_id: &str) -> Vec<crate::consent::Consent> {
        self.doc.entries.iter().find(|e| e.id == entry_id).map(|e| self.consents_for(e)).unwrap_or_default()
    }

    /// The same for an entry at hand (a listing asks for every entry: no search by id each).
    pub fn consents_for(&self, entry: &crate::Entry) -> Vec<crate::consent::Consent> {
        crate::consent::needed(&self.doc, &self.approvals, entry)
    }

    /// Records the person's confirmation on this device.
    pub fn give_consent(&mut self, consent: &crate::consent::Consent) -> Result<()> {
        crate::consent::approve(&mut self.approvals, consent);
        trust::store_approvals(&crate::device::data_dir()?, &self.doc.vault_id, &self.approvals)
    }

    /// The base URLs and variables I set with an edit here are mine: they need no confirmation
    /// later (recorded as confirmed on this device).
    fn approve_my_changes(&mut self) {
        let chosen = std::mem::take(&mut self.doc.chosen_here.0);
        if !self.doc.is_team() || chosen.is_empty() {
            return;
        }
        let mut changed = false;
        for e in &self.doc.entries {
            // A key added here is mine in full; an edit makes mine only the field it changed.
            let all = chosen.contains(&e.id);
            for consent in crate::consent::needed(&self.doc, &self.approvals, e) {
                let field = match consent.asked {
                    crate::consent::Asked::BaseUrl { .. } => "base_url",
                    crate::consent::Asked::EnvVar { .. } => "env_var",
                };
                if all || chosen.contains(&format!("{}#{field}", e.id)) {
                    crate::consent::approve(&mut self.approvals, &consent);
                    changed = true;
                }
            }
        }
        if changed && let Ok(dir) = crate::device::data_dir() {
            let _ = trust::store_approvals(&dir, &self.doc.vault_id, &self.approvals);
        }
    }

    /// Remembers on this device what the file now is (it was verified or written here).
    fn pin(&self) {
        let Ok(dir) = crate::device::data_dir() else { return };
        let mut pin = trust::Pin::of(&self.doc);
        pin.verified = Some(trust::file_hash(&self.on_disk));
        if trust::load(&dir, &self.path).as_ref() != Some(&pin) {
            // Not being able to remember only costs a verification next time.
            let _ = trust::store(&dir, &self.path, &pin);
        }
    }

    /// What verifying others' changes left out (one sentence each), and what is said once
    /// (an unsigned team vault signed for the first time). Each is returned once.
    pub fn take_notices(&mut self) -> Vec<String> {
        std::mem::take(&mut self.notices)
    }

    /// Adds a sentence to say once (how it was opened, for example).
    pub fn add_notice(&mut self, notice: String) {
        self.notices.push(notice);
    }

    /// Creates a new team vault at `path` with one member, `me` (named `name`), who opens it
    /// with their identity. Refuses if anything exists at `path`.
    pub fn create_team(path: &Path, name: &str, me: Identity) -> Result<Vault> {
        let path = &resolve(path)?;
        let now = Utc::now();
        let mut doc = Document::new(now);
        doc.add_member(name, &me.member_line(), &Change { now, actor: name })?;
        authenticate::sign_changes(&mut doc, me.unlock.signer(), now)?;
        let bytes = encrypt(&doc, &me.unlock)?;
        atomic_file::create_new(path, &bytes)?;
        let vault = Vault::opened(path, doc, me.unlock, bytes);
        vault.pin();
        Ok(vault)
    }

    /// Makes a personal vault a team vault whose first member is `me` (every entry is kept).
    /// From now on it opens with `me`'s identity, not the passphrase; the backups, which the
    /// passphrase still opens, are deleted.
    pub fn make_team(&mut self, name: &str, me: Identity) -> Result<SaveReport> {
        if self.doc.is_team() {
            return Err(VaultError::Invalid("This is already a team vault.".into()));
        }
        let before = self.doc.clone();
        self.doc.add_member(name, &me.member_line(), &Change { now: Utc::now(), actor: name })?;
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
        let refused = self.absorb(theirs)?;
        self.doc.rename_clashes(&Change { now: Utc::now(), actor: MERGE_ACTOR });
        let mut summary = MergeSummary::between(&before, &self.doc);
        summary.refused = refused;
        if self.doc == before {
            // Nothing of it counted: the vault stays as it is, byte for byte.
            return Ok(summary);
        }
        if let Err(e) = self.save() {
            self.doc = before;
            return Err(e);
        }
        Ok(summary)
    }

    /// Verifies another copy of this vault and merges what counts of it into ours; returns
    /// what was left out (sentences).
    fn absorb(&mut self, mut theirs: Document) -> Result<Vec<String>> {
        let refused = authenticate::verify_incoming(&self.doc, &mut theirs, Utc::now())?;
        self.doc = merge(&self.doc, &theirs);
        Ok(refused)
    }

    /// Merges in every conflict copy a sync tool left next to the vault and deletes each copy
    /// once its content is saved. A copy that cannot be merged (another vault, another key) is
    /// left in place, with the reason.
    pub fn merge_conflict_copies(&mut self) -> Vec<(PathBuf, Result<MergeSummary>)> {
        crate::copies::conflict_copies(&self.path)
            .into_iter()
            .map(|copy| {
                let result = self.merge_file(&copy).and_then(|summary| {
                    // A copy that carried something refused is kept, for whoever looks into it.
                    if summary.refused.is_empty() {
                        std::fs::remove_file(&copy).map_err(|e| VaultError::io(&copy, e))?;
                    }
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
        // No longer a team: its membership log ends here (the member records stay, for the
        // keys a former member could read).
        self.doc.membership.clear();
        let result = self.save_with(Some(Unlock::Passphrase(passphrase)));
        if result.is_err() {
            self.doc = before;
        }
        result
    }

    /// Opens and decrypts the vault at `path`. A team vault is verified (what does not count is
    /// left out, see [`Vault::take_notices`]). A file that is not the vault this device saw at
    /// this path before (another vault, personal became team or back, another membership root)
    /// is refused with [`VaultError::VaultChanged`]: open it with [`Vault::open_accepting_change`]
    /// once the person has confirmed.
    pub fn open(path: &Path, unlock: Unlock) -> Result<Vault> {
        Vault::open_confirming(path, unlock, |_| false)
    }

    /// Opens a vault whose file changed in kind or root since this device saw it (the person
    /// confirmed): it is verified from its own root, which this device remembers from now on.
    pub fn open_accepting_change(path: &Path, unlock: Unlock) -> Result<Vault> {
        Vault::open_confirming(path, unlock, |_| true)
    }

    /// Opens the vault; when its file changed in kind or root since this device saw it,
    /// `confirm` is asked (with the sentence saying what changed) whether to open it anyway.
    pub fn open_confirming(path: &Path, unlock: Unlock, confirm: impl FnOnce(&str) -> bool) -> Result<Vault> {
        let path = &resolve(path)?;
        let bytes = atomic_file::read(path).map_err(|e| match e {
            VaultError::NotFound { path } => VaultError::NoVault { path },
            e => e,
        })?;
        let mut doc = decrypt(path, &bytes, &unlock)?;
        let mut pin = crate::device::data_dir().ok().and_then(|dir| trust::load(&dir, path));
        if let Some(reason) = pin.as_ref().and_then(|p| p.changed(&doc, path)) {
            if !confirm(&reason) {
                return Err(VaultError::VaultChanged { path: path.clone(), reason });
            }
            pin = None;
        }
        let unchanged = pin.as_ref().is_some_and(|p| p.verified.as_deref() == Some(trust::file_hash(&bytes).as_str()));
        let notices = if unchanged {
            // The very file this device verified or wrote before.
            authenticate::recompute_members(&mut doc)?;
            Vec::new()
        } else {
            let mut notices = Vec::new();
            let (root, seen) = pin.map(|p| (p.root(), p.membership)).unwrap_or_default();
            // What this device accepted still applies, whatever the file says (an older copy
            // put back must not bring a removed member back).
            if doc.is_signed() && seen.iter().any(|op| !doc.membership.contains(op)) {
                notices.push(ROLLED_BACK.to_string());
                doc.membership = crate::merge::merge_log(&seen, &doc.membership);
            }
            notices.extend(authenticate::verify_knowing(&mut doc, root.as_deref(), None, &seen, Utc::now())?);
            notices
        };
        let mut vault = Vault::opened(path, doc, unlock, bytes);
        // Remembered as verified (the very file this device verified is remembered already).
        if notices.is_empty() && !unchanged {
            vault.pin();
        }
        vault.notices = notices;
        Ok(vault)
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
        let refused = self.absorb(theirs)?;
        self.notices.extend(refused);
        // Who joined or left, with fingerprints to compare.
        for change in MergeSummary::between(&before, &self.doc).members {
            self.notices.push(format!("Team members changed: {change}."));
        }
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
                let refused = self.absorb(theirs)?;
                self.notices.extend(refused);
                let change = Change { now: Utc::now(), actor: MERGE_ACTOR };
                report.renamed = self.doc.rename_clashes(&change);
                report.merged = true;
            }
            Ok(_) => {}
            // Deleted since we read it: writing it again loses nothing.
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(VaultError::io(&self.path, e)),
        }
        self.approve_my_changes();
        let unlock = new_unlock.as_ref().unwrap_or(&self.unlock);
        // My changes are signed (a team vault); refused before anything is written if I cannot.
        // Signing changes the document only in a team vault: only then is there a copy to go
        // back to if writing fails.
        let before_signing = self.doc.is_team().then(|| self.doc.clone());
        let written = authenticate::sign_changes(&mut self.doc, unlock.signer(), Utc::now())
            .and_then(|_| encrypt(&self.doc, unlock))
            .and_then(|bytes| {
                atomic_file::remove_stale_temps(&self.path);
                atomic_file::replace(&self.path, &bytes).map(|()| bytes)
            });
        let bytes = match written {
            Ok(bytes) => bytes,
            Err(e) => {
                if let Some(before) = before_signing {
                    self.doc = before;
                }
                return Err(e);
            }
        };
        if std::mem::take(&mut self.unsigned_team) && self.doc.is_signed() {
            self.notices.push(authenticate::UPGRADED.to_string());
        }
        self.on_disk = bytes;
        self.stamp = file_stamp(&self.path);
        if let Some(new) = new_unlock {
            self.unlock = new;
            report.backups_removed = atomic_file::remove_backups(&self.path);
        }
        self.pin();
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
        Unlock::Identities(..) => {
            Err(VaultError::Invalid("This vault has no members left to encrypt to; it was not written.".into()))
        }
    }
}
