//! Per-device settings, kept outside the vault file (config folder, `settings.json`).

use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// How many recently opened vaults are remembered.
const RECENT: usize = 6;

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(default)]
pub struct Settings {
    /// Seconds a copied key stays on the clipboard.
    pub clipboard_clear_secs: u64,
    /// Seconds without use before the app locks itself.
    pub auto_lock_secs: u64,
    /// Rotation interval given to new keys, in days (0: none).
    pub rotation_days: u32,
    /// Proxy for key checks (`http://…`, `socks5://…`); empty: the system's proxy variables.
    pub proxy: String,
    /// "system", "light" or "dark".
    pub theme: String,
    /// Vault files opened on this device, most recent first.
    pub recent_vaults: Vec<PathBuf>,
    /// Clipboard managers already warned about (they keep a history of copied text).
    pub clipboard_warned: Vec<String>,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            clipboard_clear_secs: keyward_core::clipboard::DEFAULT_CLEAR_AFTER.as_secs(),
            auto_lock_secs: 600,
            rotation_days: 90,
            proxy: String::new(),
            theme: "system".into(),
            recent_vaults: Vec::new(),
            clipboard_warned: Vec::new(),
        }
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

    /// Keeps values in sensible ranges; refuses a proxy that is not a URL.
    pub fn checked(mut self) -> Result<Settings, String> {
        self.clipboard_clear_secs =
            self.clipboard_clear_secs.clamp(1, keyward_core::clipboard::MAX_CLEAR_AFTER.as_secs());
        self.auto_lock_secs = self.auto_lock_secs.clamp(1, 24 * 3600);
        self.rotation_days = self.rotation_days.min(3650);
        if !["system", "light", "dark"].contains(&self.theme.as_str()) {
            self.theme = "system".into();
        }
        self.proxy = self.proxy.trim().to_string();
        if !self.proxy.is_empty() {
            // The key checker's own validation, so that what is accepted here works there.
            let options = keyward_core::check::CheckOptions { proxy: Some(self.proxy.clone()), ..Default::default() };
            keyward_core::check::Checker::new(options).map_err(|e| e.to_string())?;
        }
        self.recent_vaults.truncate(RECENT);
        Ok(self)
    }

    /// Puts `vault` first in the recent list.
    pub fn remember(&mut self, vault: &Path) {
        self.recent_vaults.retain(|p| p != vault);
        self.recent_vaults.insert(0, vault.to_path_buf());
        self.recent_vaults.truncate(RECENT);
    }

    /// The check options these settings ask for.
    pub fn check_options(&self, deep: bool) -> keyward_core::check::CheckOptions {
        let proxy = (!self.proxy.is_empty()).then(|| self.proxy.clone());
        keyward_core::check::CheckOptions { deep, proxy, ..Default::default() }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recent_vaults_are_most_recent_first_without_repeats() {
        let mut s = Settings::default();
        for p in ["a", "b", "a", "c", "d", "e", "f", "g"] {
            s.remember(Path::new(p));
        }
        let names: Vec<_> = s.recent_vaults.iter().map(|p| p.to_str().unwrap()).collect();
        assert_eq!(names, ["g", "f", "e", "d", "c", "a"]);
    }

    #[test]
    fn defaults_clear_the_clipboard_after_30_s_and_lock_after_10_minutes() {
        let s = Settings::default();
        assert_eq!((s.clipboard_clear_secs, s.auto_lock_secs), (30, 600));
    }

    #[test]
    fn checked_clamps_and_refuses_a_bad_proxy() {
        let s = Settings { clipboard_clear_secs: 0, theme: "neon".into(), ..Default::default() }.checked().unwrap();
        assert_eq!((s.clipboard_clear_secs, s.theme.as_str()), (1, "system"));
        let bad = Settings { proxy: "not a url".into(), ..Default::default() }.checked();
        assert_eq!(bad.unwrap_err(), "The proxy setting is not a valid URL.");
        let good = Settings { proxy: " socks5://127.0.0.1:1080 ".into(), ..Default::default() }.checked().unwrap();
        assert_eq!(good.proxy, "socks5://127.0.0.1:1080");
    }
}
