//! Merging copies of a vault: another file, sync tools' conflict copies, and git's merge driver.

use crate::context::Context;
use keyward_core::copies::MergeSummary;
use keyward_core::{VaultError, atomic_file, copies};
use std::path::Path;
use std::path::PathBuf;

#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// Merge another copy of this vault into it; without a file, merge (and delete) the conflict
    /// copies that sync tools left next to it
    Merge { other: Option<PathBuf> },
    /// Git merge driver: merges two branches' edits of a vault file into OURS (see the README)
    MergeDriver { base: PathBuf, ours: PathBuf, theirs: PathBuf },
}

pub fn dispatch(ctx: &Context, command: Command) -> Result<u8, VaultError> {
    match command {
        Command::Merge { other } => merge(ctx, other.as_deref())?,
        Command::MergeDriver { base: _, ours, theirs } => merge_driver(ctx, &ours, &theirs)?,
    }
    Ok(0)
}

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
    for line in &summary.members {
        println!("  member {line}");
    }
    for why in &summary.refused {
        eprintln!("keyward: from {what}: {why}");
    }
}

/// `keyward merge [OTHER]`.
pub fn merge(ctx: &Context, other: Option<&Path>) -> Result<(), VaultError> {
    let mut vault = ctx.open()?;
    if let Some(other) = other {
        let summary = vault.vault_mut()?.merge_file(other)?;
        print_summary(&other.display().to_string(), &summary);
        return Ok(());
    }
    let results = vault.vault_mut()?.merge_conflict_copies();
    if results.is_empty() {
        println!("There are no conflict copies next to {}.", ctx.vault_path.display());
        return Ok(());
    }
    let mut failed = None;
    for (copy, result) in results {
        match result {
            Ok(summary) => {
                print_summary(&copy.display().to_string(), &summary);
                if summary.refused.is_empty() {
                    println!("  (the copy was deleted)");
                } else {
                    println!("  (the copy was kept: it holds changes that were not applied)");
                }
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
    let file = ctx.passphrase_file.clone();
    let mut ask = move || crate::input::passphrase(file.as_deref());
    let opening = keyward_core::api::unlock_for(&ctx.device, ours, &ours_bytes, &mut ctx.credentials(&mut ask))?;
    let summary = copies::merge_files(ours, theirs, &opening.unlock)?;
    eprintln!("keyward: merged the vault ({})", summary.counts());
    for line in &summary.members {
        eprintln!("keyward: member {line}");
    }
    for why in &summary.refused {
        eprintln!("keyward: from {}: {why}", theirs.display());
    }
    Ok(())
}
