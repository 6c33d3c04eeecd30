//! What the app holds between commands: the vault file's path and, while unlocked, the vault.

use keyward_core::Vault;
use std::path::PathBuf;
use std::sync::Mutex;

pub struct AppState {
    pub path: Mutex<PathBuf>,
    /// `Some` while unlocked. Dropping the vault wipes its secrets.
    pub vault: Mutex<Option<Vault>>,
    /// The key last copied, to clear it only if the clipboard still holds it.
    pub copied: Mutex<Option<keyward_core::Secret>>,
    pub settings: Mutex<crate::settings::Settings>,
    /// Counts copies, so that only the last copy's timer clears the clipboard.
    pub copy_generation: std::sync::atomic::AtomicU64,
    /// Set by the first lock: from then on a remembered passphrase is used only when asked.
    pub locked_once: std::sync::atomic::AtomicBool,
    /// Check results recorded in the vault but not saved yet (Check all saves once at the end).
    pub unsaved_checks: std::sync::atomic::AtomicBool,
    /// The key deleted last, for Undo.
    pub deleted: Mutex<Option<keyward_core::Entry>>,
}

impl AppState {
    pub fn new() -> Self {
        let settings = crate::settings::Settings::load();
        // KEYWARD_VAULT, else the vault opened last on this device, else the default place.
        let path = std::env::var_os("KEYWARD_VAULT")
            .map(PathBuf::from)
            .or_else(|| settings.recent_vaults.iter().find(|p| p.is_file()).cloned())
            .unwrap_or_else(default_path);
        AppState {
            path: Mutex::new(path),
            vault: Mutex::new(None),
            copied: Mutex::new(None),
            settings: Mutex::new(settings),
            deleted: Mutex::new(None),
            unsaved_checks: std::sync::atomic::AtomicBool::new(false),
            locked_once: std::sync::atomic::AtomicBool::new(false),
            copy_generation: std::sync::atomic::AtomicU64::new(0),
        }
    }
}

impl Default for AppState {
    fn default() -> Self {
        Self::new()
    }
}

fn default_path() -> PathBuf {
    crate::commands::data_dir().join("vault.age")
}
