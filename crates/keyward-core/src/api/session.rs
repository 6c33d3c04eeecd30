//! A client's hold on one vault file: which file, whether it is unlocked, and what is kept
//! between operations (the key deleted last, for Undo; check results not saved yet).

use super::open::{Credentials, open_vault};
use crate::device::Device;
use crate::device_settings::DeviceSettings;
use crate::document::Change;
use crate::error::{Result, VaultError};
use crate::{Document, Entry, SaveReport, SecretString, Vault, remember};
use serde::Serialize;
use std::path::{Path, PathBuf};

pub struct Session {
    device: Device,
    settings: DeviceSettings,
    path: PathBuf,
    /// `Some` while unlocked. Dropping it wipes the secrets.
    vault: Option<Vault>,
    /// My public key, when a team vault was opened with my identity.
    my_key: Option<String>,
    /// The key deleted last, until the next delete or lock (for Undo).
    pub(super) deleted: Option<Entry>,
    /// Check results recorded but not saved yet (a long Check all saves once, at the end).
    pub(super) unsaved_checks: bool,
    locked_once: bool,
    /// Opening a vault puts it first among the recent ones (a window's session).
    track_recent: bool,
}

/// Where the session stands, for the unlock screen.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct VaultStatus {
    pub path: String,
    pub exists: bool,
    pub unlocked: bool,
    /// Other vault files opened on this device, most recent first.
    pub recent: Vec<String>,
    /// Its passphrase is remembered in the OS keyring on this device.
    pub remembered: bool,
    /// Not locked since the session began: a remembered passphrase may be used at once.
    pub fresh_start: bool,
}

/// What unlocking said besides opening.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Unlocked {
    /// Sentences to show once (what verification left out; a passphrase that could not be
    /// remembered).
    pub notices: Vec<String>,
}

/// What looking at the file again found.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Refreshed {
    /// The vault was locked meanwhile (session locked, machine asleep).
    pub locked: bool,
    /// Another program changed the file and its changes were merged in.
    pub merged: bool,
    /// Sync tools' conflict copies beside the vault (file names).
    pub conflict_copies: Vec<String>,
    /// What verifying others' changes left out, and what is said once.
    pub notices: Vec<String>,
}

impl Session {
    /// A locked session on `path`.
    pub fn new(device: Device, path: PathBuf) -> Session {
        let settings = device.load_settings();
        Session {
            device,
            settings,
            path,
            vault: None,
            my_key: None,
            deleted: None,
            unsaved_checks: false,
            locked_once: false,
            track_recent: false,
        }
    }

    /// The vault a window opens by default: the one named by `KEYWARD_VAULT`, else the one
    /// opened last on this device, else the default place.
    pub fn last_opened(device: Device) -> Session {
        let settings = device.load_settings();
        let path = std::env::var_os("KEYWARD_VAULT")
            .map(PathBuf::from)
            .or_else(|| settings.recent_vaults.iter().find(|p| p.is_file()).cloned())
            .unwrap_or_else(|| device.default_vault());
        Session { track_recent: true, ..Session::new(device, path) }
    }

    pub fn device(&self) -> &Device {
        &self.device
    }

    pub fn settings(&self) -> &DeviceSettings {
        &self.settings
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn is_unlocked(&self) -> bool {
        self.vault.is_some()
    }

    /// The unlocked vault.
    pub fn vault(&self) -> Result<&Vault> {
        self.vault.as_ref().ok_or(VaultError::Locked)
    }

    pub fn vault_mut(&mut self) -> Result<&mut Vault> {
        self.vault.as_mut().ok_or(VaultError::Locked)
    }

    pub fn document(&self) -> Result<&Document> {
        self.vault().map(Vault::document)
    }

    pub fn status(&self) -> VaultStatus {
        let path = &self.path;
        VaultStatus {
            exists: path.exists(),
            unlocked: self.vault.is_some(),
            recent: self
                .settings
                .recent_vaults
                .iter()
                .filter(|p| *p != path)
                .map(|p| p.display().to_string())
                .collect(),
            remembered: remember::is_remembered(&self.device.data_dir, path),
            fresh_start: !self.locked_once,
            path: path.display().to_string(),
        }
    }

    /// Makes `path` the vault to unlock (an existing file) or to create (a new name in an
    /// existing folder). Only while locked. A leading `~/` is the home folder.
    pub fn choose(&mut self, path: &str) -> Result<VaultStatus> {
        let path = expand_home(path);
        if path.as_os_str().is_empty() {
            return Err(VaultError::Invalid("Type the path of a vault file.".into()));
        }
        if self.vault.is_some() {
            return Err(VaultError::Invalid("Lock the vault before choosing another one.".into()));
        }
        if path.is_dir() {
            return Err(VaultError::Invalid(format!(
                "{} is a folder; choose a file in it (for example vault.age).",
                path.display()
            )));
        }
        if !path.exists() {
            match path.parent() {
                Some(dir) if dir.as_os_str().is_empty() || dir.is_dir() => {}
                _ => {
                    return Err(VaultError::Invalid(format!(
                        "There is no folder {}.",
                        path.parent().unwrap_or(&path).display()
                    )));
                }
            }
        }
        let path = if path.is_absolute() { path } else { std::env::current_dir().unwrap_or_default().join(path) };
        let left = std::mem::replace(&mut self.path, path);
        // The vault being left stays one click away.
        if left.is_file() && self.track_recent {
            self.update_settings(|s| s.remember(&left));
        }
        Ok(self.status())
    }

    /// Creates a new personal vault at the session's path and unlocks it.
    pub fn create(&mut self, passphrase: SecretString, work_factor: u8) -> Result<()> {
        crate::passphrase::acceptable(&passphrase)?;
        if self.path.exists() {
            return Err(VaultError::AlreadyExists { path: self.path.clone() });
        }
        if let Some(dir) = self.path.parent().filter(|d| !d.as_os_str().is_empty()) {
            create_private_dir(dir)?;
        }
        let vault = Vault::create(&self.path, passphrase, work_factor)?;
        self.opened(vault, None);
        Ok(())
    }

    /// Creates a new team vault at the session's path with me (`name`, default my login name)
    /// as its first member, and unlocks it.
    pub fn create_team(&mut self, name: Option<&str>, me: crate::identity::Identity) -> Result<()> {
        if self.path.exists() {
            return Err(VaultError::AlreadyExists { path: self.path.clone() });
        }
        if let Some(dir) = self.path.parent().filter(|d| !d.as_os_str().is_empty()) {
            create_private_dir(dir)?;
        }
        let key = me.public_key.clone();
        let name = name.map_or_else(|| self.device.user.clone(), str::to_string);
        let vault = Vault::create_team(&self.path, &name, me)?;
        self.opened(vault, Some(key));
        Ok(())
    }

    /// Unlocks the vault (see [`Credentials`] for where the passphrase comes from); `confirm`
    /// decides on a file that changed in kind or root since this device saw it.
    pub fn unlock(&mut self, how: &mut Credentials, confirm: &mut dyn FnMut(&str) -> bool) -> Result<Unlocked> {
        let (mut vault, my_key) = open_vault(&self.device, &self.path, how, confirm)?;
        let notices = vault.take_notices();
        self.opened(vault, my_key);
        Ok(Unlocked { notices })
    }

    /// Keeps the passphrase of the unlocked vault in the OS keyring of this device (it just
    /// opened the vault).
    pub fn remember(&self, passphrase: &SecretString) -> Result<()> {
        let vault = self.vault()?;
        remember::remember(&self.device.data_dir, &self.path, &vault.document().vault_id, passphrase)
    }

    /// Forgets the passphrase remembered on this device for this vault; `false` when none was.
    pub fn forget(&self) -> Result<bool> {
        remember::forget(&self.device.data_dir, &self.path)
    }

    pub(super) fn set_my_key(&mut self, key: String) {
        self.my_key = Some(key);
    }

    fn opened(&mut self, vault: Vault, my_key: Option<String>) {
        if self.track_recent {
            // Not being able to save the recent list is no reason to refuse the unlock.
            let path = vault.path().to_path_buf();
            self.update_settings(|s| s.remember(&path));
        }
        self.my_key = my_key;
        self.vault = Some(vault);
        self.keep_guard_index();
    }

    /// Keeps the commit guard's index of this vault up to date on this device (see
    /// [`crate::guard::index`]): after an unlock and each save. A failure only leaves the
    /// guard with the index it had; it is no reason to refuse the operation.
    fn keep_guard_index(&self) {
        if let Some(vault) = &self.vault {
            let _ = crate::guard::index::update(&self.device.data_dir, vault.path(), vault.document());
        }
    }

    /// Locks: saves check results not saved yet (if the file can be written), forgets the
    /// undo, and drops the vault, which wipes its secrets.
    pub fn lock(&mut self) {
        self.locked_once = true;
        let _ = self.save_unsaved_checks();
        self.unsaved_checks = false;
        self.deleted = None;
        self.vault = None;
        self.my_key = None;
    }

    /// Who is recorded as making a change: my member name in a team vault, else `user@host`.
    pub fn actor(&self) -> String {
        self.my_key
            .as_deref()
            .and_then(|key| self.vault.as_ref()?.document().member_with_key(key).map(|m| m.name.clone()))
            .unwrap_or_else(|| self.device.author.clone())
    }

    /// Applies `f` to the document and saves. If anything fails, the document goes back to what
    /// it was: a client never shows a state that is not saved.
    pub fn change<T>(&mut self, f: impl FnOnce(&mut Document, &Change) -> Result<T>) -> Result<(T, SaveReport)> {
        let actor = self.actor();
        let vault = self.vault_mut()?;
        let before = vault.document().clone();
        let change = Change { now: chrono::Utc::now(), actor: &actor };
        let result = f(vault.document_mut(), &change).and_then(|value| vault.save().map(|report| (value, report)));
        if result.is_err() {
            *vault.document_mut() = before;
        } else {
            self.keep_guard_index();
        }
        result
    }

    /// Saves check results recorded without saving.
    pub fn save_unsaved_checks(&mut self) -> Result<()> {
        if !self.unsaved_checks {
            return Ok(());
        }
        let Some(vault) = self.vault.as_mut() else { return Ok(()) };
        vault.save()?;
        self.unsaved_checks = false;
        Ok(())
    }

    /// Merges in what another program changed in the file, and looks for conflict copies.
    pub fn refresh(&mut self) -> Result<Refreshed> {
        let Some(vault) = self.vault.as_mut() else {
            return Ok(Refreshed { locked: true, merged: false, conflict_copies: Vec::new(), notices: Vec::new() });
        };
        let merged = vault.refresh()?;
        if merged {
            self.keep_guard_index();
        }
        let vault = self.vault.as_mut().expect("unlocked just above");
        let conflict_copies = crate::copies::conflict_copies(vault.path())
            .iter()
            .filter_map(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
            .collect();
        Ok(Refreshed { locked: false, merged, conflict_copies, notices: vault.take_notices() })
    }

    /// What is said once, collected since it was last asked.
    pub fn take_notices(&mut self) -> Vec<String> {
        self.vault.as_mut().map(Vault::take_notices).unwrap_or_default()
    }

    /// Changes the master passphrase. `current`, asked again, proves the owner is at the
    /// keyboard (the app); the command line, which opened the vault with it a moment ago in
    /// the same command, passes `None` for a personal vault. In a team vault it is my identity's
    /// passphrase that changes (then `current` is needed). Returns how many backups, which the
    /// old passphrase still opened, were deleted.
    pub fn change_passphrase(&mut self, current: Option<SecretString>, new: SecretString) -> Result<usize> {
        crate::passphrase::acceptable(&new)?;
        let team = self.document()?.is_team();
        if team {
            let current = current.ok_or(VaultError::PassphraseNeeded)?;
            crate::identity::change_passphrase(
                &self.device.identity_path(),
                current,
                &new,
                crate::document::DEFAULT_WORK_FACTOR,
            )?;
            // A passphrase remembered for this vault was the identity's old one.
            let _ = self.forget();
            return Ok(0);
        }
        // Proves the current passphrase without touching the unlocked vault.
        if let Some(current) = current {
            Vault::open(&self.path, crate::Unlock::Passphrase(current))?;
        }
        let vault = self.vault_mut()?;
        let removed = vault.change_passphrase(new.clone())?.backups_removed;
        let id = vault.document().vault_id.clone();
        // The keyring follows; if it cannot, the old passphrase is forgotten rather than kept.
        let _ = remember::follow_new_passphrase(&self.device.data_dir, &self.path, &id, &new);
        Ok(removed)
    }

    /// Changes what another process may have changed meanwhile (the file is read again first)
    /// and saves it; not being able to save is said nowhere (lists and warnings only).
    fn update_settings(&mut self, f: impl FnOnce(&mut DeviceSettings)) {
        self.settings = self.device.load_settings();
        f(&mut self.settings);
        let _ = self.device.save_settings(&self.settings);
    }

    /// Saves the settings the window can change (the recent list and warnings given stay).
    pub fn set_settings(&mut self, settings: DeviceSettings) -> Result<DeviceSettings> {
        let on_disk = self.device.load_settings();
        let settings = DeviceSettings {
            recent_vaults: on_disk.recent_vaults,
            clipboard_warned: on_disk.clipboard_warned,
            ..settings
        }
        .checked()?;
        self.device.save_settings(&settings)?;
        self.settings = settings.clone();
        Ok(settings)
    }

    /// The clipboard-history warning, the first time a given manager is seen on this device.
    pub fn clipboard_warning_once(&mut self) -> Option<String> {
        let managers = crate::clipboard::running_history_managers();
        self.settings = self.device.load_settings();
        if managers.iter().all(|m| self.settings.clipboard_warned.iter().any(|w| w == m)) {
            return None;
        }
        self.update_settings(|s| s.clipboard_warned = managers.iter().map(|m| m.to_string()).collect());
        Some(crate::clipboard::history_warning(&managers))
    }
}

/// A path typed by the person, with a leading `~/` meaning the home folder.
pub fn expand_home(path: &str) -> PathBuf {
    let path = path.trim();
    match path.strip_prefix("~/") {
        Some(rest) => dirs::home_dir().map_or_else(|| path.into(), |home| home.join(rest)),
        None => path.into(),
    }
}

/// Creates a folder (and its parents) readable only by the user.
pub fn create_private_dir(dir: &Path) -> Result<()> {
    if dir.exists() {
        return Ok(());
    }
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        builder.mode(0o700);
    }
    builder.create(dir).map_err(|e| VaultError::io(dir, e))
}
