//! The clipboard policy shared by every client: how long a copied key stays, and when it may
//! be wiped. The clients own the actual clipboard (arboard in the CLI, the Tauri plugin in the app).

use crate::secret::Secret;
use std::time::Duration;

/// How long a copied key stays on the clipboard by default.
pub const DEFAULT_CLEAR_AFTER: Duration = Duration::from_secs(30);
/// The longest clear time a user can choose.
pub const MAX_CLEAR_AFTER: Duration = Duration::from_secs(3600);

/// Clear only when the clipboard still holds our key: never wipe what the user copied since.
pub fn should_clear(current: Option<&str>, ours: &Secret) -> bool {
    current == Some(ours.expose())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clears_only_our_own_value() {
        let ours = Secret::from("sk-ours");
        assert!(should_clear(Some("sk-ours"), &ours));
        assert!(!should_clear(Some("something the user copied"), &ours));
        assert!(!should_clear(None, &ours));
    }
}
