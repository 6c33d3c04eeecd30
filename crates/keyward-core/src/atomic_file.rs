//! Crash-safe file replacement: write a temp file in the same folder, fsync it, keep the
//! previous versions as numbered backups, rename over the original, fsync the folder.
//! At every instant the path holds either the whole old file or the whole new one.

use crate::error::{Result, VaultError};
use std::fs::{self, File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};

/// How many previous versions are kept next to the file (`NAME.backup-1` is the newest).
pub const BACKUPS: usize = 3;

/// Reads a whole file, with errors in plain words.
pub fn read(path: &Path) -> Result<Vec<u8>> {
    fs::read(path).map_err(|e| VaultError::io(path, e))
}

/// The path of backup number `n` (1 = the version before the current one).
pub fn backup_path(path: &Path, n: usize) -> PathBuf {
    sibling(path, &format!("{}.backup-{n}", file_name(path)))
}

/// Atomically replaces (or creates) `path` with `bytes`, keeping [`BACKUPS`] old versions.
pub fn replace(path: &Path, bytes: &[u8]) -> Result<()> {
    let tmp = write_temp(path, bytes)?;
    let result = keep_backups(path).and_then(|()| fs::rename(&tmp, path).map_err(|e| VaultError::io(path, e)));
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    result?;
    sync_dir(path);
    Ok(())
}

/// Atomically replaces `path` with `bytes` without keeping backups (for files that are not a
/// vault's home, such as the temporary files git hands to a merge driver).
pub fn replace_without_backups(path: &Path, bytes: &[u8]) -> Result<()> {
    let tmp = write_temp(path, bytes)?;
    fs::rename(&tmp, path).map_err(|e| {
        let _ = fs::remove_file(&tmp);
        VaultError::io(path, e)
    })?;
    sync_dir(path);
    Ok(())
}

/// Creates `path` with `bytes`, refusing if it exists; never leaves a partial file.
pub fn create_new(path: &Path, bytes: &[u8]) -> Result<()> {
    if path.exists() {
        return Err(VaultError::AlreadyExists { path: path.to_path_buf() });
    }
    let tmp = write_temp(path, bytes)?;
    // hard_link fails if the target exists, so two creators cannot overwrite each other.
    // Where links are not supported (FAT, some network and FUSE file systems), rename instead.
    let result = match fs::hard_link(&tmp, path) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            Err(VaultError::AlreadyExists { path: path.to_path_buf() })
        }
        Err(_) if !path.exists() => fs::rename(&tmp, path).map_err(|e| VaultError::io(path, e)),
        Err(_) => Err(VaultError::AlreadyExists { path: path.to_path_buf() }),
    };
    let _ = fs::remove_file(&tmp);
    result?;
    sync_dir(path);
    Ok(())
}

/// Deletes the backups of `path` (after a passphrase change they are still readable with the
/// old passphrase). Returns how many there were.
pub fn remove_backups(path: &Path) -> usize {
    (1..=BACKUPS).filter(|&n| fs::remove_file(backup_path(path, n)).is_ok()).count()
}

/// Removes temp files left by writers that were killed mid-write. Call only while holding
/// the vault's lock, so that no live writer's temp file is removed.
pub fn remove_stale_temps(path: &Path) {
    let prefix = format!(".{}.tmp-", file_name(path));
    let Ok(dir) = fs::read_dir(parent(path)) else { return };
    for item in dir.flatten() {
        if item.file_name().to_string_lossy().starts_with(&prefix) {
            let _ = fs::remove_file(item.path());
        }
    }
}

fn write_temp(path: &Path, bytes: &[u8]) -> Result<PathBuf> {
    let tmp =
        sibling(path, &format!(".{}.tmp-{}-{}", file_name(path), std::process::id(), uuid::Uuid::new_v4().simple()));
    let mut options = OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let written = options.open(&tmp).and_then(|mut file: File| {
        file.write_all(bytes)?;
        file.sync_all()
    });
    match written {
        Ok(()) => Ok(tmp),
        Err(e) => {
            let _ = fs::remove_file(&tmp);
            Err(VaultError::io(path, e))
        }
    }
}

/// Shifts `.backup-1` → `.backup-2` … and makes the current file `.backup-1` (a hard link,
/// so the current file itself is never touched; a copy where links are not supported).
fn keep_backups(path: &Path) -> Result<()> {
    if !path.exists() {
        return Ok(());
    }
    for n in (1..BACKUPS).rev() {
        let from = backup_path(path, n);
        if from.exists() {
            fs::rename(&from, backup_path(path, n + 1)).map_err(|e| VaultError::io(&from, e))?;
        }
    }
    let first = backup_path(path, 1);
    let _ = fs::remove_file(&first);
    if fs::hard_link(path, &first).is_err() {
        fs::copy(path, &first).map_err(|e| VaultError::io(&first, e))?;
    }
    Ok(())
}

fn sync_dir(path: &Path) {
    // Makes the rename durable. Not every platform can open a directory; that is not an error.
    if let Ok(dir) = File::open(parent(path)) {
        let _ = dir.sync_all();
    }
}

fn parent(path: &Path) -> &Path {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    }
}

fn file_name(path: &Path) -> String {
    path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "vault".into())
}

/// A file next to `path` called `name`.
pub(crate) fn sibling(path: &Path, name: &str) -> PathBuf {
    parent(path).join(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replace_keeps_three_backups_and_no_temp_files() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("v.age");
        create_new(&path, b"0").unwrap();
        assert!(matches!(create_new(&path, b"x"), Err(VaultError::AlreadyExists { .. })));
        for i in 1..=5 {
            replace(&path, i.to_string().as_bytes()).unwrap();
        }
        assert_eq!(fs::read(&path).unwrap(), b"5");
        assert_eq!(fs::read(backup_path(&path, 1)).unwrap(), b"4");
        assert_eq!(fs::read(backup_path(&path, 3)).unwrap(), b"2");
        assert!(!backup_path(&path, 4).exists());
        let names: Vec<_> = fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert_eq!(names.len(), 4, "{names:?}");
    }

    #[test]
    fn stale_temps_are_removed() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("v.age");
        fs::write(dir.path().join(".v.age.tmp-1-abc"), b"half").unwrap();
        fs::write(dir.path().join("other"), b"keep").unwrap();
        remove_stale_temps(&path);
        assert!(!dir.path().join(".v.age.tmp-1-abc").exists());
        assert!(dir.path().join("other").exists());
    }
}
