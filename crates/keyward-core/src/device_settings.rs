//! Per-device settings, kept outside the vault file (config folder, `settings.json`; see
//! [`crate::device::Device`]): shared by the app and the command line.

use crate::error::Result;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// How many recently opened vaults are remembered.
const RECENT: usize = 6;

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(default)]
pub struct DeviceSettings {
    /// Seconds a copied key stays on the clipboard.
    pub clipboard_clear_secs: u64,
    /// Seconds without use before the app locks itself.
    pub auto_lock_secs: u64,
    /// Rotation interval given to new keys, in days (0: none).
    pub rotation_days: u32,
    /// Proxy for key checks (`http://…`, `socks5://…`); empty: the system's proxy variables.
    pub proxy: String,
    pub theme: Theme,
    /// Vault files opened on this device, most recent first.
    pub recent_vaults: Vec<PathBuf>,
    /// Clipboard managers already warned about (they keep a history of copied text).
    pub clipboard_warned: Vec<String>,
}

/// The window's colours.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq, Default)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum Theme {
    Light,
    Dark,
    /// As the desktop is set (also what an unknown word in the file means).
    #[default]
    #[serde(other)]
    System,
}

impl Default for DeviceSettings {
    fn default() -> Self {
        DeviceSettings {
            clipboard_clear_secs: crate::clipboard::DEFAULT_CLEAR_AFTER.as_secs(),
            auto_lock_secs: 600,
            rotation_days: 90,
            proxy: String::new(),
            theme: Theme::System,
            recent_vaults: Vec::new(),
            clipboard_warned: Vec::new(),
        }
    }
}

impl DeviceSettings {
    /// Keeps values in sensible ranges; refuses a proxy that is not a URL.
    pub fn checked(mut self) -> Result<DeviceSettings> {
        self.clipboard_clear_secs = self.clipboard_clear_secs.clamp(1, crate::clipboard::MAX_CLEAR_AFTER.as_secs());
        self.auto_lock_secs = self.auto_lock_secs.clamp(1, 24 * 3600);
        self.rotation_days = self.rotation_days.min(3650);
        self.proxy = self.proxy.trim().to_string();
        if !self.proxy.is_empty() {
            // The key checker's own validation, so that what is accepted here works there.
            let options = crate::check::CheckOptions { proxy: Some(self.proxy.clone()), ..Default::default() };
            crate::check::Checker::new(options)?;
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
    pub fn check_options(&self, deep: bool) -> crate::check::CheckOptions {
        let proxy = (!self.proxy.is_empty()).then(|| self.proxy.clone());
        crate::check::CheckOptions { deep, proxy, ..Default::default() }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recent_vaults_are_most_recent_first_without_repeats() {
        let mut s = DeviceSettings::default();
        for p in ["a", "b", "a", "c", "d", "e", "f", "g"] {
            s.remember(Path::new(p));
        }
        let names: Vec<_> = s.recent_vaults.iter().map(|p| p.to_str().unwrap()).collect();
        assert_eq!(names, ["g", "f", "e", "d", "c", "a"]);
    }

    #[test]
    fn defaults_clear_the_clipboard_after_30_s_and_lock_after_10_minutes() {
        let s = DeviceSettings::default();
        assert_eq!((s.clipboard_clear_secs, s.auto_lock_secs), (30, 600));
    }

    #[test]
    fn checked_clamps_and_refuses_a_bad_proxy() {
        let s = DeviceSettings { clipboard_clear_secs: 0, ..Default::default() }.checked().unwrap();
        assert_eq!(s.clipboard_clear_secs, 1);
        let neon: DeviceSettings = serde_json::from_str(r#"{"theme": "neon"}"#).unwrap();
        assert_eq!(neon.theme, Theme::System);
        let bad = DeviceSettings { proxy: "not a url".into(), ..Default::default() }.checked();
        assert_eq!(bad.unwrap_err().to_string(), "The proxy setting is not a valid URL.");
        let good =
            DeviceSettings { proxy: " socks5://127.0.0.1:1080 ".into(), ..Default::default() }.checked().unwrap();
        assert_eq!(good.proxy, "socks5://127.0.0.1:1080");
    }
}
