//! What lives on this device, outside any vault: the data folder (the default vault, my
//! identity, the index of remembered vaults, what this device trusts). The CLI and the app both
//! take it from here.

use crate::error::{Result, VaultError};
use std::path::PathBuf;

/// `keyward` in the user's data folder (`~/.local/share/keyward` on Linux).
pub fn data_dir() -> Result<PathBuf> {
    let dir = dirs::data_dir()
        .ok_or_else(|| VaultError::Invalid("No data folder is known for this user; pass --vault PATH.".into()))?;
    Ok(dir.join("keyward"))
}

/// Where my Keyward identity is kept: `identity.age` in the data folder.
pub fn identity_path() -> Result<PathBuf> {
    data_dir().map(|d| d.join("identity.age"))
}
