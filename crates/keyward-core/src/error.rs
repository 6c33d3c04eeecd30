//! Every way a vault operation can fail, each worded as one plain sentence.
//!
//! No variant carries a secret: names, paths and numbers only.

use std::io;
use std::path::PathBuf;

/// A failed vault operation. `Display` is the sentence shown to users.
#[derive(Debug, thiserror::Error)]
pub enum VaultError {
    #[error("The passphrase is wrong (or the vault file is damaged). Nothing was changed.")]
    WrongPassphrase,
    #[error("None of your identities can open this vault: it was not encrypted to your key.")]
    NoMatchingIdentity,
    #[error("There is no Keyward identity at {path} yet: `keyward identity` creates one.")]
    NoIdentity { path: PathBuf },
    #[error("The OS keyring cannot be used: {0}. The passphrase is needed.")]
    Keyring(String),
    #[error("{path} is not a Keyward vault (it is not an age-encrypted file).")]
    NotAgeFile { path: PathBuf },
    #[error("{path} is an age file but not a Keyward vault ({reason}).")]
    NotAVault { path: PathBuf, reason: String },
    #[error("The vault file {path} is damaged ({reason}). Restore it from a backup (*.backup-1 next to it).")]
    Damaged { path: PathBuf, reason: String },
    #[error(
        "This vault was written by a newer Keyward (format version {found}; this one reads up to {supported}). Update Keyward to open it."
    )]
    NewerVersion { found: u64, supported: u64 },
    #[error(
        "This vault asks for a passphrase work factor of {found}, above the safe limit of {limit}; it was not opened."
    )]
    WorkFactorTooHigh { found: u8, limit: u8 },
    #[error("The vault is locked by another Keyward process; try again in a moment.")]
    Busy,
    #[error("Permission denied for {path}.")]
    PermissionDenied { path: PathBuf },
    #[error("The disk is full; the vault was not changed.")]
    DiskFull,
    #[error("There is no vault at {path}. Create one with `keyward init`.")]
    NoVault { path: PathBuf },
    #[error("{path} does not exist.")]
    NotFound { path: PathBuf },
    #[error("{path} already exists; Keyward will not overwrite it.")]
    AlreadyExists { path: PathBuf },
    #[error("{path} is a different vault (another vault id); it was not merged.")]
    DifferentVault { path: PathBuf },
    #[error("There is no key named \"{0}\".")]
    NoSuchEntry(String),
    #[error("A key named \"{0}\" already exists; choose another name.")]
    DuplicateName(String),
    #[error("{reason} It was not opened: open it only if you expected this change.")]
    VaultChanged { path: PathBuf, reason: String },
    #[error(
        "You can read this team vault but not change it: {0} Ask a member to add you again with the line `keyward identity` prints."
    )]
    ReadOnly(String),
    #[error("{0}")]
    Invalid(String),
    #[error("Could not read or write {path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: io::Error,
    },
}

impl VaultError {
    /// Classifies an I/O error on `path` into the plain-language variants.
    pub fn io(path: impl Into<PathBuf>, source: io::Error) -> Self {
        let path = path.into();
        match source.kind() {
            io::ErrorKind::PermissionDenied => Self::PermissionDenied { path },
            io::ErrorKind::StorageFull | io::ErrorKind::QuotaExceeded => Self::DiskFull,
            io::ErrorKind::NotFound => Self::NotFound { path },
            _ => Self::Io { path, source },
        }
    }
}

pub type Result<T, E = VaultError> = std::result::Result<T, E>;
