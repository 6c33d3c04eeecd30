//! Per-device settings, kept outside the vault file (config folder, `settings.json`).

use serde::{Deserialize, Serialize};
use std::path::PathBuf;

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default)]
pub struct Settings {
    /// Seconds a copied key stays on the clipboard.
    pub clipboard_clear_secs: u64,
    /// Seconds without use before the app locks itself.
    pub auto_lock_secs: u64,
}

impl Default for Settings {
    fn default() -> Self {
        Settings { clipboard_clear_secs: keyward_core::clipboard::DEFAULT_CLEAR_AFTER.as_secs(), auto_lock_secs: 600 }
    }
}

impl Settings {
    fn path() -> PathBuf {
        dirs::config_dir().unwrap_or_else(|| PathBuf::from(".")).join("keyward").join("settings.json")
    }

    /// The saved settings, or the defaults (a damaged file is ignored, not fatal).
    pub fn load() -> Settings {
        std::fs::read(Self::path()).ok().and_then(|b| serde_json::from_slice(&b).ok()).unwrap_or_default()
    }

    pub fn save(&self) -> Result<(), String> {
        let path = Self::path();
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(|_| "The settings folder cannot be created.".to_string())?;
        }
        let json = serde_json::to_vec_pretty(self).expect("settings serialize");
        keyward_core::atomic_file::replace(&path, &json).map_err(|e| e.to_string())
    }

    /// Keeps values in sensible ranges.
    pub fn clamped(mut self) -> Settings {
        self.clipboard_clear_secs =
            self.clipboard_clear_secs.clamp(1, keyward_core::clipboard::MAX_CLEAR_AFTER.as_secs());
        self.auto_lock_secs = self.auto_lock_secs.clamp(1, 24 * 3600);
        self
    }
}
