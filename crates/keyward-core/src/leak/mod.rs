//! The leak scan: where my stored keys are written down that they should not be. Keyward knows
//! every value it holds, so it looks for those exactly (in the forms keys travel in), in one pass
//! over each file or git object, and reports which key, where, since when and whether it was
//! pushed: no guessing, no false positives. Keys that look like a provider's but are not in the
//! vault are reported apart.
//!
//! - [`forms`]: a value's encodings (base64, URL-encoding, JSON escaping).
//! - [`needles`]: one automaton of every value and form, plus the providers' prefixes.
//! - [`stream`]: a file or blob scanned as it is read, in bounded memory.
//! - [`files`]: folders (every file, binary or ignored; a match's git state is said).
//! - [`history`]: every object of a git repository, each read once; then which commits hold it.
//! - [`places`]: "my usual places": shell and REPL histories, AI agents' folders, config.

pub mod files;
pub mod forms;
pub mod history;
pub mod needles;
pub mod places;
pub mod stream;

use crate::check::Cancel;
use chrono::{DateTime, Utc};
use forms::Encoding;
use needles::Needles;
use serde::Serialize;
use std::path::PathBuf;

/// What to scan.
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ScanRequest {
    /// Folders and files (every file under a folder).
    pub paths: Vec<PathBuf>,
    /// Also the git history of each repository among `paths` (or that holds one).
    pub history: bool,
    /// Also my usual places ([`places::usual`]).
    pub home: bool,
}

/// How a file that holds a key stands with git.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum InGit {
    /// Not in a git repository.
    None,
    /// Tracked: it is (or will be) in a commit.
    Tracked,
    /// Ignored by git: a plaintext copy on disk, not committed.
    Ignored,
    /// In a repository, not tracked and not ignored: the next `git add .` commits it.
    Untracked,
}

/// Where a key was found.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Place {
    /// A file on disk, at a line.
    File { path: PathBuf, line: usize, git: InGit },
    /// A file in a repository's history: the earliest commit that added it there.
    Commit {
        repo: PathBuf,
        commit: String,
        path: String,
        line: usize,
        #[cfg_attr(feature = "ts", ts(type = "string"))]
        first_committed: DateTime<Utc>,
        /// How many commits added this content (in any branch, stash or reflog).
        commits: usize,
        /// On a remote-tracking branch: it was pushed.
        pushed: bool,
    },
    /// A commit's message (or a tag's).
    Message { repo: PathBuf, commit: String, pushed: bool },
    /// In the repository's objects, in no commit any more (left by an amend, a rebase, a
    /// dropped stash): still on disk until git prunes it.
    Loose { repo: PathBuf, object: String },
}

/// One stored key found somewhere.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Finding {
    pub entry_id: String,
    pub entry_name: String,
    /// When the value found is an earlier one: when it was replaced.
    #[cfg_attr(feature = "ts", ts(type = "string | null"))]
    pub replaced_at: Option<DateTime<Utc>>,
    pub encoding: Encoding,
    pub place: Place,
    /// Where, in words ("config/.env line 3, tracked by git").
    pub where_: String,
    /// What to do, in one sentence.
    pub advice: String,
}

/// A key that looks like a provider's but is not in the vault.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct UnknownKey {
    pub provider: String,
    /// Its known prefix and last four characters.
    pub masked: String,
    pub place: Place,
    pub where_: String,
    pub advice: String,
}

/// What a scan found.
#[derive(Debug, Clone, Default, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ScanReport {
    /// Stored keys found, the most urgent first (pushed, then committed, then on disk).
    pub findings: Vec<Finding>,
    pub unknown: Vec<UnknownKey>,
    pub files: u64,
    pub objects: u64,
    pub bytes: u64,
    /// Places that could not be read, in words (the scan went on without them).
    pub unreadable: Vec<String>,
    pub cancelled: bool,
}

/// How far a scan is.
#[derive(Debug, Clone, Default, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ScanProgress {
    pub bytes: u64,
    /// What is being read now ("files", "git history of …").
    pub doing: String,
}

/// Scans what `request` names for the keys of `needles`. `progress` is told now and then.
pub fn scan(
    needles: &Needles,
    request: &ScanRequest,
    cancel: &Cancel,
    progress: &(dyn Fn(&ScanProgress) + Sync),
) -> ScanReport {
    let mut report = ScanReport::default();
    let mut paths = request.paths.clone();
    if request.home {
        paths.extend(places::usual());
    }
    files::scan(needles, &paths, cancel, progress, &mut report);
    if request.history {
        for repo in history::repositories(&request.paths) {
            if cancel.is_cancelled() {
                break;
            }
            history::scan(needles, &repo, cancel, progress, &mut report);
        }
    }
    report.cancelled = cancel.is_cancelled();
    report.findings.sort_by_key(|f| (urgency(&f.place), f.entry_name.clone()));
    report
}

/// Pushed first, then committed, then copies on disk.
fn urgency(place: &Place) -> u8 {
    match place {
        Place::Commit { pushed: true, .. } | Place::Message { pushed: true, .. } => 0,
        Place::Commit { .. } | Place::Message { .. } => 1,
        Place::File { git: InGit::Tracked, .. } => 2,
        Place::Loose { .. } => 3,
        Place::File { .. } => 4,
    }
}

/// Where, in words.
pub fn where_words(place: &Place) -> String {
    match place {
        Place::File { path, line, git } => {
            let git = match git {
                InGit::None => "",
                InGit::Tracked => ", tracked by git",
                InGit::Ignored => ", ignored by git (a plaintext copy on disk, not committed)",
                InGit::Untracked => ", not tracked by git yet",
            };
            format!("{} line {line}{git}", path.display())
        }
        Place::Commit { repo, commit, path, line, first_committed, commits, pushed } => format!(
            "{} line {line} in {}, first committed {} in {}{}{}",
            path,
            repo.display(),
            first_committed.format("%Y-%m-%d"),
            &commit[..commit.len().min(12)],
            if *commits > 1 { format!(" ({commits} commits)") } else { String::new() },
            if *pushed { ", pushed" } else { ", not pushed" }
        ),
        Place::Message { repo, commit, pushed } => format!(
            "the message of commit {} in {}{}",
            &commit[..commit.len().min(12)],
            repo.display(),
            if *pushed { ", pushed" } else { ", not pushed" }
        ),
        Place::Loose { repo, object } => {
            format!("object {} of {}, in no commit", &object[..object.len().min(12)], repo.display())
        }
    }
}

/// What to do about a stored key found at `place`, in one sentence.
pub fn advice(place: &Place, name: &str, earlier: bool) -> String {
    let rotate = if earlier {
        format!("This is an earlier value of \"{name}\": make sure it was revoked at the provider")
    } else {
        format!("Rotate \"{name}\" (replace it at the provider, then in Keyward)")
    };
    match place {
        Place::Commit { pushed: true, .. } | Place::Message { pushed: true, .. } => {
            format!(
                "{rotate} now: it was pushed, so others may have it; then purge it from the history (git filter-repo --replace-text)."
            )
        }
        Place::Commit { .. } | Place::Message { .. } => format!(
            "{rotate}, or purge it before pushing (git rebase or git filter-repo --replace-text), and keep it out with `keyward guard install`."
        ),
        Place::Loose { .. } => {
            format!("{rotate}; `git reflog expire --expire=now --all && git gc --prune=now` removes the object.")
        }
        Place::File { path, .. } if places::is_history_file(path) => {
            format!("{rotate} if others can read this file, and delete the line from the history.")
        }
        Place::File { git: InGit::Tracked | InGit::Untracked, .. } => {
            "Take it out of the file (use a reference with `keyward run`) before it is committed; if it was, see the history scan (--history).".to_string()
        }
        Place::File { .. } => format!(
            "Take it out of the file (use a reference with `keyward run`); rotate \"{name}\" if others can read it."
        ),
    }
}

/// Builds a finding from a stored hit.
fn finding(needles: &Needles, owner: usize, place: Place) -> Finding {
    let o = &needles.owners[owner];
    Finding {
        entry_id: o.entry_id.clone(),
        entry_name: o.entry_name.clone(),
        replaced_at: o.replaced_at,
        encoding: o.encoding,
        where_: where_words(&place),
        advice: advice(&place, &o.entry_name, o.replaced_at.is_some()),
        place,
    }
}

fn unknown(provider: &str, masked: String, place: Place) -> UnknownKey {
    let name = crate::provider::by_id(provider).map_or(provider, |p| p.display_name);
    UnknownKey {
        provider: provider.to_string(),
        masked,
        where_: where_words(&place),
        advice: format!(
            "A{} {name} key that is not in your vault: add it to Keyward, or revoke it if it is not yours to keep.",
            if name.starts_with(['A', 'E', 'I', 'O', 'U']) { "n" } else { "" }
        ),
        place,
    }
}
