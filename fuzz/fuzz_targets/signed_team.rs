//! Fuzzes verifying a team vault's document someone else wrote: the membership log (hash
//! links, signatures, who was a member when), and the signatures on entries, earlier values,
//! check results, deletions and settings. Seeded with a real signed team vault
//! (`seeds/signed/team.json`: two members, one removed, a replaced value, a deletion).
#![no_main]

use chrono::TimeZone;
use keyward_core::authenticate;
use keyward_core::document::Document;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(doc) = Document::from_json(data) else { return };
    let now = chrono::Utc.with_ymd_and_hms(2026, 12, 1, 18, 0, 0).unwrap();
    let mut first = doc.clone();
    let Ok(_) = authenticate::verify(&mut first, None, None, now) else { return };
    // Verified again against itself as the trusted copy, and from its own root: the same.
    let root = first.membership.first().map(|op| op.hash());
    let mut again = doc.clone();
    if authenticate::verify(&mut again, root.as_deref(), Some(&first), now).is_ok() {
        let _ = keyward_core::merge::merge(&first, &again);
    }
});
