//! A cross-process lock around a vault's read-modify-write, held as an OS file lock on a
//! `.NAME.lock` file next to the vault (released by the OS even if the process is killed).

use crate::error::{Result, VaultError};
use std::fs::{File, OpenOptions, TryLockError};
use std::path::Path;
use std::time::{Duration, Instant};

/// How long to wait for another process before giving up with [`VaultError::Busy`].
pub const DEFAULT_WAIT: Duration = Duration::from_secs(15);

/// Held while a process reads, merges and writes a vault. Dropping it unlocks.
#[derive(Debug)]
pub struct VaultLock {
    _file: File,
}

impl VaultLock {
    /// Waits up to `wait` for the lock of the vault at `vault_path`.
    pub fn acquire(vault_path: &Path, wait: Duration) -> Result<VaultLock> {
        let name = vault_path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let lock_path = crate::atomic_file::sibling(vault_path, &format!(".{name}.lock"));
        let file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&lock_path)
            .map_err(|e| VaultError::io(&lock_path, e))?;
        let deadline = Instant::now() + wait;
        loop {
            match file.try_lock() {
                Ok(()) => return Ok(VaultLock { _file: file }),
                Err(TryLockError::WouldBlock) if Instant::now() < deadline => {
                    std::thread::sleep(Duration::from_millis(10));
                }
                Err(TryLockError::WouldBlock) => return Err(VaultError::Busy),
                Err(TryLockError::Error(e)) => return Err(VaultError::io(&lock_path, e)),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn second_holder_waits_then_reports_busy() {
        let dir = tempfile::tempdir().unwrap();
        let vault = dir.path().join("v.age");
        let held = VaultLock::acquire(&vault, Duration::ZERO).unwrap();
        let err = VaultLock::acquire(&vault, Duration::from_millis(50)).unwrap_err();
        assert!(matches!(err, VaultError::Busy));
        drop(held);
        VaultLock::acquire(&vault, Duration::ZERO).unwrap();
    }
}
