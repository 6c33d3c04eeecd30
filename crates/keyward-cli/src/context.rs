//! What every command needs: which vault file, who is acting, and opening the vault (with the
//! passphrase, or for a team vault with the person's identity).

use crate::args::Cli;
use crate::input;
use keyward_core::identity::{self, Identity};
use keyward_core::remember;
use keyward_core::{Change, Unlock, Vault, VaultError};
use std::cell::OnceCell;
use std::path::PathBuf;

pub struct Context {
    pub vault_path: PathBuf,
    pub passphrase_file: Option<PathBuf>,
    /// A plain identity file (`KEYWARD_IDENTITY_FILE`) instead of the Keyward identity.
    pub identity_file: Option<PathBuf>,
    /// `user@host`, recorded as who changed an entry in a personal vault.
    pub actor: String,
    /// In a team vault: my member name, recorded instead of `actor`.
    member_name: OnceCell<String>,
    /// --accept-change: open a vault whose file changed in kind or root without asking.
    accept_change: bool,
}

/// An open vault; what verifying it left out, and what is said once, is printed (on stderr)
/// when the command is done with it.
pub struct Opened(pub Vault);

impl std::ops::Deref for Opened {
    type Target = Vault;
    fn deref(&self) -> &Vault {
        &self.0
    }
}

impl std::ops::DerefMut for Opened {
    fn deref_mut(&mut self) -> &mut Vault {
        &mut self.0
    }
}

impl Drop for Opened {
    fn drop(&mut self) {
        for notice in self.0.take_notices() {
            eprintln!("keyward: {notice}");
        }
    }
}

impl Context {
    pub fn new(cli: &Cli) -> Result<Context, VaultError> {
        // A remembered vault that was deleted since: its passphrase leaves the keyring. (If
        // the keyring cannot be reached now, it is tried again next time.)
        if let Ok(dir) = data_dir() {
            let _ = remember::forget_deleted(&dir);
        }
        let vault_path = match &cli.vault {
            Some(p) => p.clone(),
            None => data_dir()?.join("vault.age"),
        };
        Ok(Context {
            vault_path,
            passphrase_file: cli.passphrase_file.clone(),
            identity_file: cli.identity_file.clone(),
            actor: actor(),
            member_name: OnceCell::new(),
            accept_change: cli.accept_change,
        })
    }

    /// Opens the vault: a personal vault with the passphrase, a team vault with my identity
    /// (its passphrase is asked for, unless KEYWARD_IDENTITY_FILE names a plain one).
    pub fn open(&self) -> Result<Opened, VaultError> {
        if !self.vault_path.exists() {
            return Err(VaultError::NoVault { path: self.vault_path.clone() });
        }
        let bytes = keyward_core::atomic_file::read(&self.vault_path)?;
        let (unlock, my_key, remembered) = self.unlock_for(&bytes)?;
        let vault = match Vault::open_confirming(&self.vault_path, unlock, |why| self.confirm_change(why)) {
            // The passphrase was changed elsewhere: forget the old one and ask.
            Err(VaultError::WrongPassphrase) if remembered => {
                let _ = remember::forget(&data_dir()?, &self.vault_path);
                eprintln!(
                    "keyward: the passphrase remembered on this device no longer opens this vault; it was forgotten."
                );
                let passphrase = input::passphrase(self.passphrase_file.as_deref())?;
                let unlock = identity::unlock_with_passphrase(&bytes, passphrase, &identity_path()?)?.0;
                Vault::open_confirming(&self.vault_path, unlock, |why| self.confirm_change(why))?
            }
            result => result?,
        };
        self.note_member(vault.document(), my_key.as_deref());
        Ok(Opened(vault))
    }

    /// Whether to open a vault whose file changed in kind or root: --accept-change, else the
    /// person's answer on a terminal (no terminal: no).
    fn confirm_change(&self, why: &str) -> bool {
        self.accept_change || ask(&format!("{why}\nOpen it anyway, and trust it from now on on this device?"))
    }

    /// What opens a vault file with these bytes: the passphrase (a personal vault), or my
    /// identity (a team vault; its public key is returned too). The passphrase comes from
    /// --passphrase-file or KEYWARD_PASSPHRASE, else the OS keyring when this vault is
    /// remembered on this device (then `true`), else the terminal.
    pub fn unlock_for(&self, bytes: &[u8]) -> Result<(Unlock, Option<String>, bool), VaultError> {
        let team = keyward_core::crypto::looks_like_age(bytes) && !keyward_core::crypto::is_passphrase_encrypted(bytes);
        if team && let Some(file) = &self.identity_file {
            let me = identity::from_plain_file(file)?;
            return Ok((me.unlock, Some(me.public_key), false));
        }
        let path = identity_path()?;
        if team && !path.exists() {
            return Err(VaultError::NoIdentity { path });
        }
        let (passphrase, remembered) = self.passphrase()?;
        let (unlock, key) = identity::unlock_with_passphrase(bytes, passphrase, &path)?;
        Ok((unlock, key, remembered))
    }

    /// The passphrase: explicit (file, environment), else remembered, else asked.
    fn passphrase(&self) -> Result<(keyward_core::SecretString, bool), VaultError> {
        if self.passphrase_file.is_none() && !input::passphrase_in_env() {
            match remember::recall(&data_dir()?, &self.vault_path) {
                Ok(Some(p)) => return Ok((p, true)),
                Ok(None) => {}
                // Said in one sentence; the passphrase is asked instead.
                Err(e) => eprintln!("keyward: {e}"),
            }
        }
        input::passphrase(self.passphrase_file.as_deref()).map(|p| (p, false))
    }

    /// In a team vault, my changes are recorded under my member name.
    pub fn note_member(&self, doc: &keyward_core::Document, my_key: Option<&str>) {
        if let Some(member) = my_key.and_then(|key| doc.member_with_key(key)) {
            let _ = self.member_name.set(member.name.clone());
        }
    }

    /// My identity, unlocked.
    pub fn identity(&self) -> Result<Identity, VaultError> {
        if let Some(file) = &self.identity_file {
            return identity::from_plain_file(file);
        }
        let path = identity_path()?;
        if !path.exists() {
            return Err(VaultError::NoIdentity { path });
        }
        let passphrase = input::passphrase(self.passphrase_file.as_deref())?;
        identity::open(&path, passphrase)
    }

    /// My identity, created (under a new passphrase) if I have none yet; `true` when created.
    pub fn identity_or_create(&self, work_factor: u8) -> Result<(Identity, bool), VaultError> {
        if self.identity_file.is_some() || identity_path()?.exists() {
            return self.identity().map(|id| (id, false));
        }
        let path = identity_path()?;
        if let Some(dir) = path.parent() {
            crate::commands::vault::create_private_dir(dir)?;
        }
        let passphrase = input::new_passphrase(self.passphrase_file.as_deref(), input::new_passphrase_env(true))?;
        identity::create(&path, &passphrase, work_factor).map(|id| (id, true))
    }

    /// A change stamped now, by this user (my member name in a team vault).
    pub fn change(&self) -> Change<'_> {
        Change { now: chrono::Utc::now(), actor: self.member_name.get().unwrap_or(&self.actor) }
    }
}

pub use keyward_core::device::{data_dir, identity_path};

/// Asks a yes/no question on the terminal (no terminal: no).
pub fn ask(question: &str) -> bool {
    use std::io::{BufRead, IsTerminal, Write};
    if !(std::io::stdin().is_terminal() && std::io::stderr().is_terminal()) {
        return false;
    }
    eprint!("keyward: {question} [y/N] ");
    let _ = std::io::stderr().flush();
    let mut answer = String::new();
    let _ = std::io::stdin().lock().read_line(&mut answer);
    matches!(answer.trim(), "y" | "Y" | "yes" | "Yes")
}

/// Asks for each confirmation a key needs on this device; returns whether all were given.
pub fn confirm_consents(vault: &mut Vault, consents: &[keyward_core::consent::Consent]) -> Result<bool, VaultError> {
    for consent in consents {
        if !ask(&format!("{} Allow it on this device?", consent.sentence())) {
            return Ok(false);
        }
        vault.give_consent(consent)?;
    }
    Ok(true)
}

/// The user name, the default member name.
pub fn user_name() -> String {
    std::env::var("USER").or_else(|_| std::env::var("USERNAME")).unwrap_or_else(|_| "someone".into())
}

/// `user@host`, recorded as who changed an entry.
fn actor() -> String {
    let user = user_name();
    let host = std::fs::read_to_string("/etc/hostname")
        .ok()
        .map(|h| h.trim().to_string())
        .filter(|h| !h.is_empty())
        .or_else(|| std::env::var("HOSTNAME").ok())
        .or_else(|| std::env::var("COMPUTERNAME").ok());
    match host {
        Some(h) => format!("{user}@{h}"),
        None => user,
    }
}
