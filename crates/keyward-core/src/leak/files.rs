//! Folders and files: every file under the paths given, binary files too, and files git
//! ignores (an ignored file holding a key is a plaintext copy on disk, and said so). Symbolic
//! links are not followed; `.git` folders are left to the history scan. Both cores read files.

use super::needles::{Hit, Needles};
use super::{InGit, Place, ScanProgress, ScanReport, finding, stream, unknown};
use crate::check::Cancel;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};

/// Scans every file under `paths` into `report`.
pub fn scan(
    needles: &Needles,
    paths: &[PathBuf],
    cancel: &Cancel,
    progress: &(dyn Fn(&ScanProgress) + Sync),
    report: &mut ScanReport,
) {
    let mut files = Vec::new();
    for path in paths {
        walk(path, &mut files, &mut report.unreadable, cancel);
    }
    files.sort();
    files.dedup();
    let next = AtomicUsize::new(0);
    let bytes = AtomicU64::new(0);
    let found: Mutex<Vec<(PathBuf, Vec<Hit>)>> = Mutex::new(Vec::new());
    let unreadable = Mutex::new(Vec::new());
    let workers = std::thread::available_parallelism().map_or(2, |n| n.get()).min(8);
    std::thread::scope(|s| {
        for _ in 0..workers {
            s.spawn(|| {
                let mut buffer = Vec::new();
                let stop = || cancel.is_cancelled();
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(path) = files.get(i) else { break };
                    if stop() {
                        break;
                    }
                    let mut counted = |n: usize| {
                        let total = bytes.fetch_add(n as u64, Ordering::Relaxed) + n as u64;
                        if n > 0 {
                            progress(&ScanProgress { bytes: total, doing: "files".into() });
                        }
                    };
                    let hits = std::fs::File::open(path)
                        .and_then(|mut f| stream::scan(needles, &mut f, &mut buffer, &stop, &mut counted));
                    match hits {
                        Ok(hits) if hits.is_empty() => {}
                        Ok(hits) => {
                            found.lock().unwrap_or_else(std::sync::PoisonError::into_inner).push((path.clone(), hits))
                        }
                        Err(e) => unreadable
                            .lock()
                            .unwrap_or_else(std::sync::PoisonError::into_inner)
                            .push(crate::VaultError::io(path, e).to_string()),
                    }
                }
            });
        }
    });
    report.files += files.len() as u64;
    report.bytes += bytes.into_inner();
    report.unreadable.extend(unreadable.into_inner().unwrap_or_default());
    let mut found = found.into_inner().unwrap_or_default();
    found.sort_by(|a, b| a.0.cmp(&b.0));
    for (path, hits) in found {
        let text = std::fs::read(&path).unwrap_or_default();
        let git = in_git(&path);
        for hit in hits {
            let place = Place::File { path: path.clone(), line: stream::line_of(&text, hit.start()), git };
            match hit {
                Hit::Stored { owner, .. } => report.findings.push(finding(needles, owner, place)),
                Hit::Unknown { provider, masked, .. } => report.unknown.push(unknown(provider, masked, place)),
            }
        }
    }
}

/// Every regular file under `path` (or `path` itself). A link given as the path is followed
/// (dotfiles are often links, to a stow or chezmoi folder); links inside folders are not.
fn walk(path: &Path, out: &mut Vec<PathBuf>, unreadable: &mut Vec<String>, cancel: &Cancel) {
    let meta = match std::fs::metadata(path) {
        Ok(m) => m,
        Err(e) => {
            unreadable.push(crate::VaultError::io(path, e).to_string());
            return;
        }
    };
    if meta.is_file() {
        out.push(path.to_path_buf());
        return;
    }
    if !meta.is_dir() {
        return;
    }
    let mut stack = vec![path.to_path_buf()];
    while let Some(dir) = stack.pop() {
        if cancel.is_cancelled() {
            return;
        }
        let entries = match std::fs::read_dir(&dir) {
            Ok(e) => e,
            Err(e) => {
                unreadable.push(crate::VaultError::io(&dir, e).to_string());
                continue;
            }
        };
        for entry in entries.flatten() {
            let Ok(kind) = entry.file_type() else { continue };
            if kind.is_dir() {
                if entry.file_name() != ".git" {
                    stack.push(entry.path());
                }
            } else if kind.is_file() {
                out.push(entry.path());
            }
        }
    }
}

/// How git sees the file at `path` (asked only for files that hold a key).
fn in_git(path: &Path) -> InGit {
    let Some(dir) = path.parent() else { return InGit::None };
    let git = |args: &[&std::ffi::OsStr]| {
        super::history::git(dir).args(args).stdout(std::process::Stdio::null()).status().is_ok_and(|s| s.success())
    };
    let name = path.file_name().unwrap_or_default();
    if !git(&["rev-parse".as_ref(), "--is-inside-work-tree".as_ref()]) {
        InGit::None
    } else if git(&["ls-files".as_ref(), "--error-unmatch".as_ref(), "--".as_ref(), name]) {
        InGit::Tracked
    } else if git(&["check-ignore".as_ref(), "-q".as_ref(), "--".as_ref(), name]) {
        InGit::Ignored
    } else {
        InGit::Untracked
    }
}
