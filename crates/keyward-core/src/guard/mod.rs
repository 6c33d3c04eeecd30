//! The commit guard: git hooks that refuse a commit or a push holding one of my stored keys,
//! while the vault is locked and without a passphrase. What makes that possible is the
//! [`index`]: at each unlock and save, Keyward keeps on this device what recognises its keys
//! without revealing any (keyed hashes under a device secret, never the keys nor an unkeyed
//! hash of them). [`staged`] reads what a commit or a push adds; [`hooks`] installs and removes
//! the hooks, chaining any hook that was there.

pub mod hooks;
pub mod index;
pub mod staged;

pub use index::{Index, Match};
