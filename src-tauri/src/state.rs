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
    /// Stops the Check all running now.
    pub checks: Mutex<Option<keyward_core::check::Cancel>>,
    /// A key pasted (read from the clipboard by Rust) and not saved yet: the page never has it.
    pub pasted: Mutex<Option<keyward_core::Secret>>,
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
            checks: Mutex::new(None),
            pasted: Mutex::new(None),
        }
    }

    /// The key pasted last, taken (it is used once).
    pub fn take_pasted(&self) -> Option<keyward_core::Secret> {
        self.pasted.lock().unwrap_or_else(std::sync::PoisonError::into_inner).take()
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
