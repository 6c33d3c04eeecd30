//! `Secret`: a key value that is wiped from memory when dropped and never printed.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;
use zeroize::Zeroizing;

/// An API key (or any secret string). Zeroized on drop; `Debug` prints `[redacted]`.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(Zeroizing<String>);

impl Secret {
    /// Wraps a string; the allocation is moved, not copied.
    pub fn new(value: String) -> Self {
        Secret(Zeroizing::new(value))
    }

    /// Reads the secret. Keep the borrow short and never log it.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// The same secret as a [`SecretString`] (for passphrases); the allocation is moved, not
    /// copied.
    pub fn into_secret_string(mut self) -> crate::SecretString {
        crate::SecretString::from(std::mem::take(&mut *self.0))
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// A display form that is safe to show: a known prefix, an ellipsis and the last four
    /// characters (`sk-proj-…a1b2`). Short secrets show only the ellipsis.
    pub fn masked(&self) -> String {
        let chars: Vec<char> = self.0.chars().collect();
        if chars.len() < 16 {
            return "…".to_string();
        }
        let prefix_len = crate::provider::visible_prefix_len(&self.0).min(chars.len() / 4);
        let head: String = chars[..prefix_len].iter().collect();
        let tail: String = chars[chars.len() - 4..].iter().collect();
        format!("{head}…{tail}")
    }
}

impl Default for Secret {
    /// An empty secret (what a form sends before anything is typed).
    fn default() -> Self {
        Secret::new(String::new())
    }
}

/// A secret crosses to the window as a string (only when added, replaced or revealed).
#[cfg(feature = "ts")]
impl ts_rs::TS for Secret {
    type WithoutGenerics = Self;
    type OptionInnerType = Self;
    fn name(_: &ts_rs::Config) -> String {
        "string".into()
    }
    fn inline(cfg: &ts_rs::Config) -> String {
        Self::name(cfg)
    }
}

impl From<&str> for Secret {
    fn from(value: &str) -> Self {
        Secret::new(value.to_string())
    }
}

// Ordering is only used to merge vaults deterministically, never to authenticate.
impl Ord for Secret {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.expose().cmp(other.expose())
    }
}

impl PartialOrd for Secret {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

impl Serialize for Secret {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for Secret {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        // The String is moved into the zeroizing wrapper without another copy.
        String::deserialize(deserializer).map(Secret::new)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_never_shows_the_value() {
        let s = Secret::from("sk-proj-abcdefghijklmnopqrstuvwxyz");
        assert_eq!(format!("{s:?}"), "[redacted]");
        assert!(!format!("{:?}", Some(&s)).contains("abcdef"));
    }

    #[test]
    fn masked_keeps_prefix_and_last_four_only() {
        let s = Secret::from("sk-proj-abcdefghijklmnopqrstuvwxyz0123456789");
        assert_eq!(s.masked(), "sk-proj-…6789");
        let s = Secret::from("0123456789abcdefghij");
        assert_eq!(s.masked(), "…ghij");
        assert_eq!(Secret::from("short").masked(), "…");
    }
}
