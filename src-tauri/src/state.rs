//! What the app holds between commands: the session on the vault (keyward-core decides
//! everything about it), the key last copied, and the Check all running now.

use keyward_core::api::Session;
use keyward_core::device::Device;
use std::sync::{Mutex, MutexGuard};

pub struct AppState {
    /// The session: which vault, and while unlocked the vault itself (wiped when dropped).
    pub session: Mutex<Session>,
    /// The key last copied, to clear it only if the clipboard still holds it.
    pub copied: Mutex<Option<keyward_core::Secret>>,
    /// Counts copies, so that only the last copy's timer clears the clipboard.
    pub copy_generation: std::sync::atomic::AtomicU64,
    /// Stops the checks running now (a Check all and single checks beside it), by run.
    pub checks: Mutex<Vec<(u64, keyward_core::check::Cancel)>>,
    pub check_runs: std::sync::atomic::AtomicU64,
    /// Keys pasted (read from the clipboard by Rust) and not saved yet, by what they are for
    /// (a new key, a replacement): the page never has them.
    pub pasted: Mutex<std::collections::HashMap<Pasting, keyward_core::Secret>>,
}

/// What a pasted key is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Deserialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum Pasting {
    /// A key to add (the Add dialog, or pasted into search).
    NewKey,
    /// The new value of the selected key.
    Replacement,
}

impl AppState {
    /// The vault named by KEYWARD_VAULT, else the one opened last on this device, else the
    /// default place.
    pub fn new() -> Self {
        // Without a known data folder (no HOME), the current folder holds Keyward's data.
        let device = Device::here().unwrap_or_else(|_| Device::at(std::path::Path::new("."), "someone"));
        Self::with_session(Session::last_opened(device))
    }

    pub fn with_session(session: Session) -> Self {
        AppState {
            session: Mutex::new(session),
            copied: Mutex::new(None),
            copy_generation: std::sync::atomic::AtomicU64::new(0),
            checks: Mutex::new(Vec::new()),
            check_runs: std::sync::atomic::AtomicU64::new(0),
            pasted: Mutex::new(std::collections::HashMap::new()),
        }
    }

    /// The key pasted for `what`, taken (it is used once).
    pub fn take_pasted(&self, what: Pasting) -> Option<keyward_core::Secret> {
        self.pasted.lock().unwrap_or_else(std::sync::PoisonError::into_inner).remove(&what)
    }

    /// Keeps a pasted key for `what` (replacing one pasted before for it).
    pub fn keep_pasted(&self, what: Pasting, secret: keyward_core::Secret) {
        self.pasted.lock().unwrap_or_else(std::sync::PoisonError::into_inner).insert(what, secret);
    }

    /// Forgets every pasted key (on lock).
    pub fn forget_pasted(&self) {
        self.pasted.lock().unwrap_or_else(std::sync::PoisonError::into_inner).clear();
    }

    /// Stops every check running now.
    pub fn cancel_checks(&self) {
        for (_, cancel) in self.checks.lock().unwrap_or_else(std::sync::PoisonError::into_inner).iter() {
            cancel.cancel();
        }
    }

    /// The session, even after a command panicked while holding it (locking must still work).
    pub fn session(&self) -> MutexGuard<'_, Session> {
        self.session.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

impl Default for AppState {
    fn default() -> Self {
        Self::new()
    }
}
