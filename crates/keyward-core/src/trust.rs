//! What this device remembers about each vault file it opened, so that a replaced file is
//! noticed: which vault it was (its id), whether it was personal or a team vault, the team
//! vault's membership root, and the last file it verified (so that an unchanged file is not
//! verified again). Kept in the data folder, one small file per vault path, never in the vault.
//!
//! Nothing secret is kept: the vault's id, a kind, the membership log (names and public keys),
//! and the SHA-256 of the encrypted file.

use crate::atomic_file;
use crate::document::Document;
use crate::error::{Result, VaultError};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// What this device saw of a vault file.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Pin {
    pub vault_id: String,
    pub team: bool,
    /// SHA-256 of the encrypted file last verified or written here.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub verified: Option<String>,
    /// The membership operations this device accepted (public keys and names only): an older
    /// copy put back in the shared folder cannot make a removed member active again here.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub membership: Vec<crate::member_log::MemberOp>,
}

impl Pin {
    pub fn of(doc: &Document) -> Pin {
        Pin {
            vault_id: doc.vault_id.clone(),
            team: doc.is_team(),
            verified: None,
            membership: doc.membership.iter().filter(|op| !op.is_pending()).cloned().collect(),
        }
    }

    /// The membership root this device saw (a team vault with signed changes).
    pub fn root(&self) -> Option<String> {
        self.membership.first().map(crate::member_log::MemberOp::hash)
    }

    /// Why `doc` is not the vault this device saw at this path (a sentence), if it is not.
    pub fn changed(&self, doc: &Document, path: &Path) -> Option<String> {
        let now = Pin::of(doc);
        if now.vault_id != self.vault_id {
            return Some(format!(
                "{} now holds a different vault than the one this device opened there before.",
                path.display()
            ));
        }
        if now.team != self.team {
            return Some(if now.team {
                let names: Vec<String> = doc.active_members().map(|m| crate::members::display_name(&m.name)).collect();
                format!(
                    "{} was a personal vault on this device and is now a team vault, encrypted to {}; anyone on that list would read the keys you add.",
                    path.display(),
                    names.join(", ")
                )
            } else {
                format!("{} was a team vault on this device and is now a personal vault.", path.display())
            });
        }
        if let Some(root) = self.root()
            && doc.membership.first().map(crate::member_log::MemberOp::hash) != Some(root)
        {
            return Some(crate::member_log::ROOT_CHANGED.to_string());
        }
        None
    }
}

fn pin_path(data_dir: &Path, vault: &Path) -> PathBuf {
    let name = crate::signing::hash_hex(vault.as_os_str().as_encoded_bytes());
    data_dir.join("trust").join(format!("{}.json", &name[..32]))
}

/// What this device saw at `vault` (an absolute path), if it opened it before.
pub fn load(data_dir: &Path, vault: &Path) -> Option<Pin> {
    let text = std::fs::read(pin_path(data_dir, vault)).ok()?;
    serde_json::from_slice(&text).ok()
}

/// Remembers what this device saw at `vault`.
pub fn store(data_dir: &Path, vault: &Path, pin: &Pin) -> Result<()> {
    let path = pin_path(data_dir, vault);
    let dir = path.parent().expect("a file in a folder");
    std::fs::create_dir_all(dir).map_err(|e| VaultError::io(dir, e))?;
    let bytes = serde_json::to_vec_pretty(pin).expect("a pin always serializes");
    atomic_file::replace_without_backups(&path, &bytes)
}

/// The SHA-256 of an encrypted vault file, in hex.
pub fn file_hash(bytes: &[u8]) -> String {
    crate::signing::hash_hex(bytes)
}

/// What the person confirmed on this device for one vault: keys that may be sent to a base URL
/// that is not their provider's own, and variables that are not the provider's standard one
/// (each for one entry). Kept here, never in the vault, where a teammate could write it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Approvals {
    /// (entry id, base URL).
    #[serde(default)]
    pub base_urls: Vec<(String, String)>,
    /// (entry id, variable name).
    #[serde(default)]
    pub env_vars: Vec<(String, String)>,
}

fn approvals_path(data_dir: &Path, vault_id: &str) -> PathBuf {
    let name = crate::signing::hash_hex(vault_id.as_bytes());
    data_dir.join("trust").join(format!("approved-{}.json", &name[..32]))
}

/// What was confirmed on this device for the vault `vault_id` (nothing, if never).
pub fn load_approvals(data_dir: &Path, vault_id: &str) -> Approvals {
    std::fs::read(approvals_path(data_dir, vault_id))
        .ok()
        .and_then(|bytes| serde_json::from_slice(&bytes).ok())
        .unwrap_or_default()
}

pub fn store_approvals(data_dir: &Path, vault_id: &str, approvals: &Approvals) -> Result<()> {
    let path = approvals_path(data_dir, vault_id);
    let dir = path.parent().expect("a file in a folder");
    std::fs::create_dir_all(dir).map_err(|e| VaultError::io(dir, e))?;
    atomic_file::replace_without_backups(&path, &serde_json::to_vec_pretty(approvals).expect("always serializes"))
}
