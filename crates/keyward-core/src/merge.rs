//! Merging two copies of the same vault, entry by entry, with nothing saved ever lost.
//!
//! The merge is a join: the result does not depend on the order of the copies, and merging
//! a copy in twice changes nothing. Rules:
//! - an entry is matched by id; the newer change wins (ties broken by a fixed order), and the
//!   losing copy's secret value goes into the winner's history;
//! - histories are united (one record per value: the latest; never the current value);
//! - a deletion (tombstone) wins over changes made before it, and loses to changes after it
//!   (the entry comes back with the values set after the deletion);
//! - two different entries that ended up with the same name are both kept; the merge itself
//!   leaves names alone (renaming here would make the result depend on the merge order), and
//!   [`Document::rename_clashes`] then renames the later one as an ordinary edit.

use crate::document::Document;
use crate::entry::{Entry, HistoryItem, Tombstone};
use serde_json::{Map, Value};
use std::cmp::Ordering;
use std::collections::BTreeMap;

/// Merges two copies of one vault (same `vault_id`; the caller checks, and verifies a copy
/// someone else wrote first, see [`crate::authenticate::verify_incoming`]). In a team vault with
/// signed changes, what a member signed counts only while they are a member in the merged
/// membership: a removal beats the removed member's changes the remover had not seen.
pub fn merge(a: &Document, b: &Document) -> Document {
    if a.is_signed() || b.is_signed() {
        let log = merge_log(&a.membership, &b.membership);
        let mut merged;
        match crate::authenticate::united_membership(&a.vault_id, &log) {
            Some((membership, active)) => {
                let a = crate::authenticate::without_other_signers(a, &active);
                let b = crate::authenticate::without_other_signers(b, &active);
                merged = merge_entries(&a, &b);
                crate::authenticate::set_membership(&mut merged, log, membership);
            }
            // Both sides were verified against the same root, so this cannot happen; if it
            // did, the membership stays as the first copy had it.
            None => {
                merged = merge_entries(a, b);
                merged.membership = a.membership.clone();
                merged.members = a.members.clone();
            }
        }
        return merged;
    }
    merge_entries(a, b)
}

/// Merges everything but a signed vault's membership log (see [`merge`]).
fn merge_entries(a: &Document, b: &Document) -> Document {
    let tombstones = merge_tombstones(&a.tombstones, &b.tombstones);
    let deleted_at = latest_deletions(&tombstones);

    let mut by_id: BTreeMap<&str, Entry> = BTreeMap::new();
    for entry in a.entries.iter().chain(&b.entries) {
        let merged = match by_id.remove(entry.id.as_str()) {
            None => entry.clone(),
            Some(existing) => merge_entry(&existing, entry),
        };
        by_id.insert(entry.id.as_str(), merged);
    }
    let mut entries: Vec<Entry> = by_id
        .into_values()
        .filter_map(|mut e| match deleted_at.get(e.id.as_str()) {
            None => Some(e),
            Some(t) if e.updated_at > t.deleted_at => {
                // Edited after a deletion elsewhere: the entry comes back with the values it
                // was given after the deletion; those deleted stay deleted, whatever the order.
                e.history.retain(|h| h.replaced_at > t.deleted_at);
                Some(e)
            }
            Some(_) => None,
        })
        .collect();
    entries.sort_by(|x, y| (x.created_at, &x.id).cmp(&(y.created_at, &y.id)));

    // One side's settings whole (so that its signature stays good): signed ones first (in a
    // team vault, unsigned settings are a former member's, reset), the higher work factor,
    // then a fixed order.
    let settings_key = |s: &crate::document::Settings| {
        (s.signed.is_some(), s.scrypt_work_factor, serde_json::to_string(s).unwrap_or_default())
    };
    let settings =
        if settings_key(&a.settings) >= settings_key(&b.settings) { &a.settings } else { &b.settings }.clone();

    Document {
        format: a.format.clone(),
        version: a.version.max(b.version),
        vault_id: a.vault_id.clone(),
        created_at: a.created_at.min(b.created_at),
        settings,
        members: crate::members::merge_members(&a.members, &b.members),
        membership: Vec::new(),
        entries,
        tombstones,
        unknown: merge_maps(&a.unknown, &b.unknown),
        chosen_here: crate::document::ChosenHere(a.chosen_here.0.union(&b.chosen_here.0).cloned().collect()),
    }
}

/// The union of two membership logs: every signed operation once (root first, then by hash),
/// then my operations not signed yet, in the order they were made.
pub(crate) fn merge_log(
    a: &[crate::member_log::MemberOp],
    b: &[crate::member_log::MemberOp],
) -> Vec<crate::member_log::MemberOp> {
    if a.is_empty() && b.is_empty() {
        return Vec::new();
    }
    let root = a.iter().chain(b).find(|op| op.parents.is_empty() && !op.is_pending()).map(|op| op.hash());
    let mut signed: BTreeMap<(bool, String), &crate::member_log::MemberOp> = BTreeMap::new();
    for op in a.iter().chain(b).filter(|op| !op.is_pending()) {
        let hash = op.hash();
        signed.insert((Some(&hash) != root.as_ref(), hash), op);
    }
    let mut out: Vec<crate::member_log::MemberOp> = signed.into_values().cloned().collect();
    for op in a.iter().chain(b).filter(|op| op.is_pending()) {
        if !out.contains(op) {
            out.push(op.clone());
        }
    }
    out
}

/// The fixed order that decides which of two versions of an entry wins: the later change,
/// then the actor's name, then the value, then the metadata. Never `Equal` for different entries.
fn version_order(x: &Entry, y: &Entry) -> Ordering {
    (x.updated_at, &x.updated_by, &x.secret)
        .cmp(&(y.updated_at, &y.updated_by, &y.secret))
        .then_with(|| metadata_json(x).cmp(&metadata_json(y)))
}

/// The entry as JSON without its secret or history, for tie-breaking only.
fn metadata_json(e: &Entry) -> Vec<u8> {
    let mut m = e.clone();
    m.secret = crate::secret::Secret::new(String::new());
    m.history.clear();
    serde_json::to_vec(&m).expect("an entry always serializes")
}

fn merge_entry(x: &Entry, y: &Entry) -> Entry {
    if x == y {
        return x.clone();
    }
    let (winner, loser) = if version_order(x, y) == Ordering::Less { (y, x) } else { (x, y) };
    let mut merged = winner.clone();
    merged.history.extend(loser.history.iter().cloned());
    merged.history.push(HistoryItem {
        secret: loser.secret.clone(),
        replaced_at: loser.updated_at,
        replaced_by: loser.updated_by.clone(),
        from: loser.signed.as_ref().map(|s| s.by.clone()),
        signed: None,
    });
    merged.tidy_history();
    // Check results do not change `updated_at`: keep the latest one made on this same key.
    if loser.secret == winner.secret
        && let Some(theirs) = &loser.last_check
        && merged.last_check.as_ref().is_none_or(|ours| theirs.checked_at > ours.checked_at)
    {
        merged.last_check = Some(theirs.clone());
    }
    merged
}

/// The deletions of both copies: for each key, the latest deletion by each signer (the signer's
/// key; "" for mine not signed yet). One per signer, not one per key: a removed member's
/// deletion that is left out later does not take a teammate's with it.
fn merge_tombstones(a: &[Tombstone], b: &[Tombstone]) -> Vec<Tombstone> {
    let mut by_signer: BTreeMap<(&str, &str), &Tombstone> = BTreeMap::new();
    for t in a.iter().chain(b) {
        let key = (t.id.as_str(), t.signed.as_ref().map_or("", |s| s.by.as_str()));
        let keep = match by_signer.get(&key) {
            Some(old) => deletion_order(t) > deletion_order(old),
            None => true,
        };
        if keep {
            by_signer.insert(key, t);
        }
    }
    by_signer.into_values().cloned().collect()
}

/// The fixed order of deletions of one key: the later, then by name, then by signature.
fn deletion_order(t: &Tombstone) -> (chrono::DateTime<chrono::Utc>, &str, &str) {
    (t.deleted_at, &t.deleted_by, t.signed.as_ref().map_or("", |s| s.sig.as_str()))
}

/// The deletion that counts for each key: the latest.
fn latest_deletions(tombstones: &[Tombstone]) -> BTreeMap<&str, &Tombstone> {
    let mut latest: BTreeMap<&str, &Tombstone> = BTreeMap::new();
    for t in tombstones {
        let later = latest.get(t.id.as_str()).is_none_or(|old| deletion_order(t) > deletion_order(old));
        if later {
            latest.insert(t.id.as_str(), t);
        }
    }
    latest
}

/// Unites two maps of unknown fields; where both hold different values for a key, the one
/// that sorts last as JSON text is kept (an arbitrary but fixed choice).
fn merge_maps(a: &Map<String, Value>, b: &Map<String, Value>) -> Map<String, Value> {
    let mut out = a.clone();
    for (k, vb) in b {
        match out.get(k) {
            Some(va) if json_text(va) >= json_text(vb) => {}
            _ => {
                out.insert(k.clone(), vb.clone());
            }
        }
    }
    out
}

fn json_text(v: &Value) -> String {
    v.to_string()
}
