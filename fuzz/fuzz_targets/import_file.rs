//! Fuzzes the importers with untrusted text: `.env` files and the CSV exports of 1Password,
//! Bitwarden and KeePassXC (the first line picks the parser), then adding what they found to a
//! vault document. Run: `cd fuzz && cargo +nightly fuzz run import_file seeds/import`.
#![no_main]

use keyward_core::document::{Change, Document};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    for all in [false, true] {
        if let Ok(parsed) = keyward_core::import::parse(text, all) {
            let now = chrono::DateTime::UNIX_EPOCH;
            let mut doc = Document::new(now);
            let _ = keyward_core::import::apply(&mut doc, parsed, &Change { now, actor: "fuzz" });
        }
    }
});
