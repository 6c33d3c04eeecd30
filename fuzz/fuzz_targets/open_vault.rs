//! Fuzzes what opening a vault does with untrusted bytes: age decryption and the JSON parse.
//! Run: `make fuzz` (or `cd fuzz && cargo +nightly fuzz run open_vault seeds`).
//!
//! The identity below is a throwaway key made for fuzzing; `seeds/vault.age` is encrypted to it,
//! so the fuzzer starts from a real vault and reaches the payload and the parser. Passphrase
//! files are covered up to the work-factor check (scrypt itself is too slow to fuzz).
#![no_main]

use keyward_core::crypto::{self, Unlock};
use keyward_core::document::Document;
use libfuzzer_sys::fuzz_target;
use std::path::Path;
use std::sync::LazyLock;

const FUZZ_IDENTITY: &str = "AGE-SECRET-KEY-1SD8JNMHWWZV6Z34GQ4FL4N4DXT9LFWGD80Y4VEHRJ5LUAP7ZR7DS4JRUL7";

static IDENTITY: LazyLock<Unlock> = LazyLock::new(|| crypto::parse_identity_file(FUZZ_IDENTITY).unwrap());

fuzz_target!(|data: &[u8]| {
    let _ = keyward_core::vault::decrypt(Path::new("fuzz"), data, &IDENTITY);
    let _ = Document::from_json(data);
});
