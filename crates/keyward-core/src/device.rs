//! What lives on this device, outside any vault: the data folder (the default vault, my
//! identity, the index of remembered vaults, what this device trusts), the settings file, and
//! who is recorded as the author of a change. The CLI and the app both take it from here.

use crate::device_settings::DeviceSettings;
use crate::error::{Result, VaultError};
use std::path::{Path, PathBuf};

/// This device's folders and the person at it.
#[derive(Debug, Clone)]
pub struct Device {
    /// `keyward` in the user's data folder (`~/.local/share/keyward` on Linux).
    pub data_dir: PathBuf,
    /// `keyward` in the user's config folder: `settings.json`.
    pub config_dir: PathBuf,
    /// The login name: the default member name in a team.
    pub user: String,
    /// `user@host`: recorded as who changed a key in a personal vault.
    pub author: String,
}

impl Device {
    /// This machine, for the user running the program.
    pub fn here() -> Result<Device> {
        let data_dir = data_dir()?;
        let config_dir = dirs::config_dir().map_or_else(|| data_dir.clone(), |d| d.join("keyward"));
        let user = user_name();
        let author = match host_name() {
            Some(host) => format!("{user}@{host}"),
            None => user.clone(),
        };
        Ok(Device { data_dir, config_dir, user, author })
    }

    /// A device whose folders are under `root` (tests).
    pub fn at(root: &Path, user: &str) -> Device {
        Device {
            data_dir: root.join("data"),
            config_dir: root.join("config"),
            user: user.into(),
            author: format!("{user}@test"),
        }
    }

    /// Where my Keyward identity is kept.
    pub fn identity_path(&self) -> PathBuf {
        self.data_dir.join("identity.age")
    }

    /// The vault used when none is named.
    pub fn default_vault(&self) -> PathBuf {
        self.data_dir.join("vault.age")
    }

    pub fn settings_path(&self) -> PathBuf {
        self.config_dir.join("settings.json")
    }

    /// The saved settings, or the defaults (a damaged file is ignored, not fatal).
    pub fn load_settings(&self) -> DeviceSettings {
        std::fs::read(self.settings_path()).ok().and_then(|b| serde_json::from_slice(&b).ok()).unwrap_or_default()
    }

    /// Saves the settings (atomically, like the vault).
    pub fn save_settings(&self, settings: &DeviceSettings) -> Result<()> {
        std::fs::create_dir_all(&self.config_dir).map_err(|e| VaultError::io(&self.config_dir, e))?;
        let json = serde_json::to_vec_pretty(settings).expect("settings serialize");
        crate::atomic_file::replace(&self.settings_path(), &json)
    }
}

/// `keyward` in the user's data folder (`~/.local/share/keyward` on Linux).
pub fn data_dir() -> Result<PathBuf> {
    let dir = dirs::data_dir()
        .ok_or_else(|| VaultError::Invalid("No data folder is known for this user; pass --vault PATH.".into()))?;
    Ok(dir.join("keyward"))
}

/// The login name.
pub fn user_name() -> String {
    std::env::var("USER").or_else(|_| std::env::var("USERNAME")).unwrap_or_else(|_| "someone".into())
}

fn host_name() -> Option<String> {
    std::fs::read_to_string("/etc/hostname")
        .ok()
        .map(|h| h.trim().to_string())
        .filter(|h| !h.is_empty())
        .or_else(|| std::env::var("HOSTNAME").ok())
        .or_else(|| std::env::var("COMPUTERNAME").ok())
}
