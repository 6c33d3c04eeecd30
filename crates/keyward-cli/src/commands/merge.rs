//! Merging copies of a vault: another file, sync tools' conflict copies, and git's merge driver.

use crate::context::Context;
use keyward_core::copies::MergeSummary;
use keyward_core::{VaultError, atomic_file, vault};
use std::path::Path;

fn print_summary(what: &str, summary: &MergeSummary) {
    if summary.is_empty() {
        println!("Merged {what}: nothing new.");
        return;
    }
    println!("Merged {what}: {}{}.", summary.counts(), if summary.members_changed { ", members changed" } else { "" });
    for (sign, names) in [("+", &summary.added), ("~", &summary.changed), ("-", &summary.removed)] {
        for name in names {
            println!("  {sign} {name}");
        }
    }
}

/// `keyward merge [OTHER]`.
pub fn merge(ctx: &Context, other: Option<&Path>) -> Result<(), VaultError> {
    let mut vault = ctx.open()?;
    if let Some(other) = other {
        let summary = vault.merge_file(other)?;
        print_summary(&other.display().to_string(), &summary);
        return Ok(());
    }
    let results = vault.merge_conflict_copies();
    if results.is_empty() {
        println!("There are no conflict copies next to {}.", ctx.vault_path.display());
        return Ok(());
    }
    let mut failed = None;
    for (copy, result) in results {
        match result {
            Ok(summary) => {
                print_summary(&copy.display().to_string(), &summary);
                println!("  (the copy was deleted)");
            }
            Err(e) => {
                eprintln!("keyward: left {} in place: {e}", copy.display());
                failed = Some(e);
            }
        }
    }
    failed.map_or(Ok(()), Err)
}

/// `keyward merge-driver BASE OURS THEIRS`: git gives the two branches' versions; the merge
/// (a join of both: nothing saved on either side is lost, deletions are kept as tombstones)
/// needs no common ancestor. The result replaces OURS, encrypted like OURS.
pub fn merge_driver(ctx: &Context, ours: &Path, theirs: &Path) -> Result<(), VaultError> {
    let ours_bytes = atomic_file::read(ours)?;
    let theirs_bytes = atomic_file::read(theirs)?;
    let (unlock, my_key, _) = ctx.unlock_for(&ours_bytes)?;
    let ours_doc = vault::decrypt(ours, &ours_bytes, &unlock)?;
    let theirs_doc = vault::decrypt(theirs, &theirs_bytes, &unlock)?;
    if ours_doc.vault_id != theirs_doc.vault_id {
        return Err(VaultError::DifferentVault { path: theirs.to_path_buf() });
    }
    ctx.note_member(&ours_doc, my_key.as_deref());
    let mut merged = keyward_core::merge::merge(&ours_doc, &theirs_doc);
    merged.rename_clashes(&ctx.change());
    let bytes = vault::encrypt(&merged, &unlock)?;
    atomic_file::replace_without_backups(ours, &bytes)?;
    eprintln!("keyward: merged the vault ({})", MergeSummary::between(&ours_doc, &merged).counts());
    Ok(())
}
