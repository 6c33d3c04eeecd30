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
    #[error("The vault is locked.")]
    Locked,
    #[error("The passphrase is needed.")]
    PassphraseNeeded,
    #[error("The passphrase remembered on this device no longer opens this vault; it was forgotten.")]
    RememberedStale,
    #[error(
        "This looks like a key for {detected}, but \"{name}\" is a key for {current}. Replace it anyway, or add it as a new key."
    )]
    OtherProvider { name: String, detected: String, current: String },
    #[error("{0}")]
    Unavailable(String),
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

/// What went wrong, for a client to act on (the sentence is for the person). Every error that
/// crosses to a client is `{ "kind": …, "message": … }`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum ErrorKind {
    /// Ask for the passphrase again (and put the cursor back in its field).
    WrongPassphrase,
    /// A team vault this identity cannot open, or no identity on this device.
    NoIdentity,
    /// The vault file is not there: offer to create it or choose another.
    NoVault,
    /// The vault is locked: show the unlock screen.
    Locked,
    /// A passphrase is needed (none was given or remembered).
    PassphraseNeeded,
    /// The remembered passphrase no longer works; it was forgotten: ask for it.
    RememberedStale,
    /// The file changed in kind or root since this device saw it: ask before opening.
    VaultChanged,
    /// A key of that name exists already: offer another name.
    DuplicateName,
    /// No key by that name or id (deleted meanwhile: refresh the list).
    NoSuchEntry,
    /// A key of another provider was given to replace this one: ask before replacing.
    OtherProvider,
    /// Only readable: this member cannot sign changes.
    ReadOnly,
    /// Another process holds the vault for a moment: try again.
    Busy,
    /// Not a vault, damaged, or from a newer Keyward: nothing was changed.
    BadFile,
    /// A file or folder could not be read or written (permission, disk full, missing).
    Io,
    /// Something on this machine is missing (clipboard, browser, keyring).
    Unavailable,
    /// The request itself is not acceptable (the sentence says why).
    Invalid,
}

impl VaultError {
    /// The kind of this error, for clients to switch on.
    pub fn kind(&self) -> ErrorKind {
        use VaultError as E;
        match self {
            E::WrongPassphrase => ErrorKind::WrongPassphrase,
            E::NoMatchingIdentity | E::NoIdentity { .. } => ErrorKind::NoIdentity,
            E::NoVault { .. } => ErrorKind::NoVault,
            E::Locked => ErrorKind::Locked,
            E::PassphraseNeeded => ErrorKind::PassphraseNeeded,
            E::RememberedStale => ErrorKind::RememberedStale,
            E::VaultChanged { .. } => ErrorKind::VaultChanged,
            E::DuplicateName(_) => ErrorKind::DuplicateName,
            E::NoSuchEntry(_) => ErrorKind::NoSuchEntry,
            E::ReadOnly(_) => ErrorKind::ReadOnly,
            E::OtherProvider { .. } => ErrorKind::OtherProvider,
            E::Busy => ErrorKind::Busy,
            E::NotAgeFile { .. }
            | E::NotAVault { .. }
            | E::Damaged { .. }
            | E::NewerVersion { .. }
            | E::WorkFactorTooHigh { .. }
            | E::DifferentVault { .. } => ErrorKind::BadFile,
            E::PermissionDenied { .. } | E::DiskFull | E::NotFound { .. } | E::AlreadyExists { .. } | E::Io { .. } => {
                ErrorKind::Io
            }
            E::Keyring(_) | E::Unavailable(_) => ErrorKind::Unavailable,
            E::Invalid(_) => ErrorKind::Invalid,
        }
    }
}

/// An error as clients receive it: its kind and the sentence (no secret is ever in either).
#[derive(Debug, Clone, serde::Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ErrorView {
    pub kind: ErrorKind,
    pub message: String,
}

impl serde::Serialize for VaultError {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error> {
        ErrorView { kind: self.kind(), message: self.to_string() }.serialize(serializer)
    }
}

pub type Result<T, E = VaultError> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_reach_clients_as_a_kind_and_a_sentence() {
        let json = serde_json::to_value(VaultError::DuplicateName("prod".into())).unwrap();
        assert_eq!(json["kind"], "duplicate_name");
        assert_eq!(json["message"], "A key named \"prod\" already exists; choose another name.");
        assert_eq!(serde_json::to_value(VaultError::Locked).unwrap()["kind"], "locked");
    }
}
