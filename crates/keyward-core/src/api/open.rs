//! How a vault is opened, decided once for both clients: a personal vault with its passphrase,
//! a team vault with my identity (itself under a passphrase, or a plain identity file). The
//! passphrase comes from what the person gave, else the OS keyring when this vault is
//! remembered on this device, else the client asks.

use crate::device::Device;
use crate::error::{Result, VaultError};
use crate::identity;
use crate::{SecretString, Unlock, Vault, remember};
use std::path::{Path, PathBuf};

/// What the person gave to open a vault.
pub struct Credentials<'a> {
    /// Given for this vault (typed in the window, a file, the environment).
    pub passphrase: Option<SecretString>,
    /// A plain age identity file for team vaults (`KEYWARD_IDENTITY_FILE`): no passphrase.
    pub identity_file: Option<PathBuf>,
    /// Use the passphrase remembered on this device when none was given.
    pub remembered: bool,
    /// Asks the person when nothing else gives the passphrase (a terminal prompt). The app has
    /// nobody to ask at that point: it passes [`Credentials::nobody_to_ask`].
    pub ask: &'a mut dyn FnMut() -> Result<SecretString>,
}

impl Credentials<'_> {
    /// For clients that cannot ask: a passphrase is then [`VaultError::PassphraseNeeded`].
    pub fn nobody_to_ask() -> Result<SecretString> {
        Err(VaultError::PassphraseNeeded)
    }
}

/// What opens a vault file with these bytes.
pub struct Opening {
    pub unlock: Unlock,
    /// My public key, when it is a team vault.
    pub my_key: Option<String>,
    /// The passphrase came from the OS keyring.
    pub remembered: bool,
    /// Sentences to say once (the keyring could not be asked; a stale passphrase forgotten).
    pub notices: Vec<String>,
}

/// What opens a vault file with these bytes: for a team vault my identity (a plain identity
/// file, else mine under its passphrase), for a personal vault the passphrase.
pub fn unlock_for(device: &Device, vault: &Path, bytes: &[u8], how: &mut Credentials) -> Result<Opening> {
    let team = crate::crypto::looks_like_age(bytes) && !crate::crypto::is_passphrase_encrypted(bytes);
    if team && let Some(file) = &how.identity_file {
        let me = identity::from_plain_file(file)?;
        return Ok(Opening { unlock: me.unlock, my_key: Some(me.public_key), remembered: false, notices: Vec::new() });
    }
    let id_path = device.identity_path();
    if team && !id_path.exists() {
        return Err(VaultError::NoIdentity { path: id_path });
    }
    let mut notices = Vec::new();
    let (passphrase, remembered) = match how.passphrase.take() {
        Some(p) => (p, false),
        None => match how.remembered.then(|| remember::recall(&device.data_dir, vault)) {
            Some(Ok(Some(p))) => (p, true),
            // The keyring cannot be reached: said, and the person is asked.
            Some(Err(e)) => {
                notices.push(e.to_string());
                ((how.ask)()?, false)
            }
            _ => ((how.ask)()?, false),
        },
    };
    match identity::unlock_with_passphrase(bytes, passphrase, &id_path) {
        Ok((unlock, my_key)) => Ok(Opening { unlock, my_key, remembered, notices }),
        // A team vault: the identity's passphrase was changed since it was remembered.
        Err(VaultError::WrongPassphrase) if remembered => {
            let _ = remember::forget(&device.data_dir, vault);
            let passphrase = ask_again(how)?;
            let (unlock, my_key) = identity::unlock_with_passphrase(bytes, passphrase, &id_path)?;
            notices.push(VaultError::RememberedStale.to_string());
            Ok(Opening { unlock, my_key, remembered: false, notices })
        }
        Err(e) => Err(e),
    }
}

/// The passphrase asked again after a remembered one failed ([`VaultError::RememberedStale`]
/// when nobody can be asked).
fn ask_again(how: &mut Credentials) -> Result<SecretString> {
    (how.ask)().map_err(|e| match e {
        VaultError::PassphraseNeeded => VaultError::RememberedStale,
        e => e,
    })
}

/// Opens the vault at `path`. A remembered passphrase that no longer opens it (changed
/// elsewhere) is forgotten and the person asked ([`VaultError::RememberedStale`] when nobody
/// can be); `confirm` decides on a file that changed in kind or root since this device saw it.
pub fn open_vault(
    device: &Device,
    path: &Path,
    how: &mut Credentials,
    confirm: &mut dyn FnMut(&str) -> bool,
) -> Result<(Vault, Option<String>)> {
    let bytes = crate::atomic_file::read(path).map_err(|e| match e {
        VaultError::NotFound { path } => VaultError::NoVault { path },
        e => e,
    })?;
    let opening = unlock_for(device, path, &bytes, how)?;
    let said = opening.notices;
    let (mut vault, my_key) = match Vault::open_confirming(path, opening.unlock, &mut *confirm) {
        Ok(vault) => (vault, opening.my_key),
        Err(VaultError::WrongPassphrase) if opening.remembered => {
            let _ = remember::forget(&device.data_dir, path);
            how.passphrase = Some(ask_again(how)?);
            let opening = unlock_for(device, path, &bytes, how)?;
            let mut vault = Vault::open_confirming(path, opening.unlock, confirm)?;
            vault.add_notice(VaultError::RememberedStale.to_string());
            (vault, opening.my_key)
        }
        Err(e) => return Err(e),
    };
    for notice in said {
        vault.add_notice(notice);
    }
    Ok((vault, my_key))
}
