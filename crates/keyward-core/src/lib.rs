//! keyward-core: the vault format, its encryption, safe storage and merging of named API
//! keys. No GUI and no terminal: the CLI and the desktop app are thin clients of this crate.

pub mod api;
pub mod atomic_file;
pub mod authenticate;
pub mod check;
pub mod clipboard;
pub mod consent;
pub mod copies;
pub mod crypto;
pub mod device;
pub mod device_settings;
pub mod document;
pub mod entry;
pub mod env_guard;
pub mod error;
pub mod export;
pub mod guard;
pub mod identity;
pub mod import;
pub mod json_layout;
pub mod leak;
pub mod lock;
pub mod member_log;
pub mod members;
pub mod merge;
pub mod passphrase;
pub mod pasted;
pub mod provider;
pub mod remember;
pub mod sample;
pub mod search;
pub mod secret;
pub mod signing;
pub mod summary;
pub mod timestamp;
pub mod trust;
mod unknown_fields;
pub mod vault;

pub use age::secrecy::{ExposeSecret, SecretString};
pub use crypto::Unlock;
pub use document::{Change, Document, EntryFields};
pub use entry::Entry;
pub use error::{ErrorKind, ErrorView, Result, VaultError};
pub use secret::Secret;
pub use summary::EntrySummary;
pub use vault::{SaveReport, Vault};
