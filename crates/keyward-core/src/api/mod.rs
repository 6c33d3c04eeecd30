//! The one API both clients call for every user-level operation: the command line and the
//! desktop app parse or receive, call a function here, and present what it returns. Results are
//! plain data; errors are [`VaultError`](crate::VaultError)s, which clients receive as a kind and
//! a sentence.
//!
//! A [`Session`] is a client's hold on one vault file: locked or unlocked, plus what it keeps
//! between operations. The CLI makes one per command; the app keeps one while it runs.

mod checks;
mod entries;
mod leaks;
mod open;
mod operations;
mod session;
mod team;
mod transfer;

pub use checks::{CheckRun, CheckSummary, NotChecked, Which, check, check_jobs, run, summarize};
pub use entries::{Copy, Detected, EditEntry, NewEntry, ProviderChoice, Replacement, detect, providers};
pub use leaks::{ScanProgress, ScanReport, ScanRequest, scan};
pub use open::{Credentials, Opening, open_vault, unlock_for};
pub use session::{Refreshed, Session, Unlocked, VaultStatus, create_private_dir, expand_home};
pub use team::{CopyMerged, MemberView, MyIdentity, RotateView, TeamView};
pub use transfer::{ImportPreview, ImportResult, Rename, SkippedLine, read_import};
