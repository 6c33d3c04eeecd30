//! What every command needs: which vault file, who is acting, and opening the vault.

use crate::args::Cli;
use crate::input;
use keyward_core::{Change, Unlock, Vault, VaultError};
use std::path::PathBuf;

pub struct Context {
    pub vault_path: PathBuf,
    pub passphrase_file: Option<PathBuf>,
    pub actor: String,
}

impl Context {
    pub fn new(cli: &Cli) -> Result<Context, VaultError> {
        let vault_path = match &cli.vault {
            Some(p) => p.clone(),
            None => default_vault_path()?,
        };
        Ok(Context { vault_path, passphrase_file: cli.passphrase_file.clone(), actor: actor() })
    }

    /// Opens the vault, asking for the passphrase if needed.
    pub fn open(&self) -> Result<Vault, VaultError> {
        if !self.vault_path.exists() {
            return Err(VaultError::NoVault { path: self.vault_path.clone() });
        }
        let passphrase = input::passphrase(self.passphrase_file.as_deref())?;
        Vault::open(&self.vault_path, Unlock::Passphrase(passphrase))
    }

    /// A change stamped now, by this user.
    pub fn change(&self) -> Change<'_> {
        Change { now: chrono::Utc::now(), actor: &self.actor }
    }
}

fn default_vault_path() -> Result<PathBuf, VaultError> {
    let dir = dirs::data_dir()
        .ok_or_else(|| VaultError::Invalid("No data folder is known for this user; pass --vault PATH.".into()))?;
    Ok(dir.join("keyward").join("vault.age"))
}

/// `user@host`, recorded as who changed an entry.
fn actor() -> String {
    let user = std::env::var("USER").or_else(|_| std::env::var("USERNAME")).unwrap_or_else(|_| "someone".into());
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
