//! "Remember on this device": the passphrase that unlocks a vault (or, for a team vault, the
//! identity that opens it), kept in the operating system's keyring (the Secret Service on
//! Linux), never in a file. The keyring item is named by the vault's id; a small index in the
//! data folder (no secrets: vault file → vault id) says which vaults are remembered, so that a
//! vault never remembered does not touch the keyring at all.

use crate::error::{Result, VaultError};
use crate::{SecretString, atomic_file};
use age::secrecy::ExposeSecret;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// The keyring "service" of every Keyward item.
const SERVICE: &str = "keyward";

/// The index file: `remembered.json` in the client's data folder.
struct Index {
    path: PathBuf,
    /// Canonical vault path → vault id.
    vaults: BTreeMap<String, String>,
}

impl Index {
    fn load(data_dir: &Path) -> Index {
        let path = data_dir.join("remembered.json");
        let vaults = std::fs::read(&path).ok().and_then(|b| serde_json::from_slice(&b).ok()).unwrap_or_default();
        Index { path, vaults }
    }

    fn key(vault: &Path) -> String {
        std::fs::canonicalize(vault).unwrap_or_else(|_| vault.to_path_buf()).display().to_string()
    }

    /// The id of the vault at this path, if it is remembered here.
    fn vault_id(&self, vault: &Path) -> Option<&str> {
        self.vaults.get(&Self::key(vault)).map(String::as_str)
    }

    fn save(&self) -> Result<()> {
        if let Some(dir) = self.path.parent() {
            std::fs::create_dir_all(dir).map_err(|e| VaultError::io(dir, e))?;
        }
        let json = serde_json::to_vec_pretty(&self.vaults).expect("a map of strings serializes");
        atomic_file::replace_without_backups(&self.path, &json)
    }
}

fn keyring_error(e: keyring_core::Error) -> VaultError {
    VaultError::Keyring(reason(e))
}

/// Why the keyring cannot be used, in a few plain words (never the secret).
fn reason(e: keyring_core::Error) -> String {
    use keyring_core::Error as E;
    match e {
        E::NoStorageAccess(_) => "the OS keyring is locked".into(),
        E::NoDefaultStore | E::NotSupportedByStore(_) => "there is no OS keyring on this system".into(),
        // No session bus, or a bus without a Secret Service.
        E::PlatformFailure(_) => "no OS keyring (Secret Service) is running in this session".into(),
        _ => "the OS keyring gave an unexpected answer".into(),
    }
}

/// Connects to the OS keyring once per process.
fn store_ready() -> Result<()> {
    static READY: OnceLock<std::result::Result<(), String>> = OnceLock::new();
    let ready = READY.get_or_init(|| {
        #[cfg(target_os = "linux")]
        {
            zbus_secret_service_keyring_store::Store::new().map(|s| keyring_core::set_default_store(s)).map_err(reason)
        }
        #[cfg(not(target_os = "linux"))]
        {
            Err("this version of Keyward uses the OS keyring only on Linux".to_string())
        }
    });
    ready.clone().map_err(VaultError::Keyring)
}

fn entry(vault_id: &str) -> Result<keyring_core::Entry> {
    store_ready()?;
    keyring_core::Entry::new(SERVICE, &format!("vault {vault_id}")).map_err(keyring_error)
}

/// Remembers `passphrase` for the vault `vault_id` at `vault` on this device.
pub fn remember(data_dir: &Path, vault: &Path, vault_id: &str, passphrase: &SecretString) -> Result<()> {
    entry(vault_id)?.set_password(passphrase.expose_secret()).map_err(keyring_error)?;
    let mut index = Index::load(data_dir);
    index.vaults.insert(Index::key(vault), vault_id.to_string());
    index.save()
}

/// The passphrase remembered for the vault at `vault`, if any. `Ok(None)`: not remembered here.
pub fn recall(data_dir: &Path, vault: &Path) -> Result<Option<SecretString>> {
    let index = Index::load(data_dir);
    let Some(id) = index.vault_id(vault) else { return Ok(None) };
    match entry(id)?.get_password() {
        Ok(p) => Ok(Some(SecretString::from(p))),
        Err(keyring_core::Error::NoEntry) => Ok(None),
        Err(e) => Err(keyring_error(e)),
    }
}

/// Forgets the vault at `vault` on this device: the keyring item and the index line. Returns
/// whether something was remembered.
pub fn forget(data_dir: &Path, vault: &Path) -> Result<bool> {
    let mut index = Index::load(data_dir);
    let Some(id) = index.vaults.remove(&Index::key(vault)) else { return Ok(false) };
    match entry(&id)?.delete_credential() {
        Ok(()) | Err(keyring_core::Error::NoEntry) => {}
        Err(e) => return Err(keyring_error(e)),
    }
    index.save()?;
    Ok(true)
}

/// After the vault's passphrase changed: if it is remembered here, the keyring gets the new
/// one; if that fails, the old one is forgotten rather than kept (and the error returned).
/// Returns whether the vault is remembered.
pub fn follow_new_passphrase(data_dir: &Path, vault: &Path, vault_id: &str, new: &SecretString) -> Result<bool> {
    if !is_remembered(data_dir, vault) {
        return Ok(false);
    }
    remember(data_dir, vault, vault_id, new).inspect_err(|_| {
        let _ = forget(data_dir, vault);
    })?;
    Ok(true)
}

/// Forgets every remembered vault whose file was clearly deleted, with its keyring item (kept
/// while another remembered path, a copy of the same vault, still uses it). Touches the keyring
/// only when there is such a vault. Returns the vaults forgotten.
pub fn forget_deleted(data_dir: &Path) -> Result<Vec<PathBuf>> {
    let mut index = Index::load(data_dir);
    let deleted: Vec<String> =
        index.vaults.keys().filter(|path| clearly_deleted(Path::new(path.as_str()))).cloned().collect();
    if deleted.is_empty() {
        return Ok(Vec::new());
    }
    for path in &deleted {
        let id = index.vaults.remove(path).expect("listed above");
        if !index.vaults.values().any(|other| *other == id) {
            match entry(&id)?.delete_credential() {
                Ok(()) | Err(keyring_core::Error::NoEntry) => {}
                Err(e) => {
                    // What was forgotten so far stays forgotten.
                    index.vaults.insert(path.clone(), id);
                    index.save()?;
                    return Err(keyring_error(e));
                }
            }
        }
    }
    index.save()?;
    Ok(deleted.into_iter().map(PathBuf::from).collect())
}

/// The file is not there (not merely unreadable), while its folder is: a folder with other
/// files in it, not a mount point (an unmounted drive or share leaves an empty folder, or one
/// on the device of its parent).
fn clearly_deleted(path: &Path) -> bool {
    if !path.is_absolute() {
        return false;
    }
    let missing = matches!(std::fs::symlink_metadata(path), Err(e) if e.kind() == std::io::ErrorKind::NotFound);
    let Some(folder) = path.parent() else { return false };
    let has_files = std::fs::read_dir(folder).is_ok_and(|mut entries| entries.next().is_some());
    missing && has_files && !is_mount_point(folder)
}

#[cfg(unix)]
fn is_mount_point(folder: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    let device = |p: &Path| std::fs::metadata(p).map(|m| m.dev());
    match (device(folder), folder.parent().map(device)) {
        (Ok(here), Some(Ok(above))) => here != above,
        _ => true, // cannot tell: keep the vault remembered
    }
}

#[cfg(not(unix))]
fn is_mount_point(_folder: &Path) -> bool {
    false
}

/// Whether the vault at `vault` is remembered on this device (no keyring access).
pub fn is_remembered(data_dir: &Path, vault: &Path) -> bool {
    Index::load(data_dir).vault_id(vault).is_some()
}
