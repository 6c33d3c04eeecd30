//! Team vaults: verifying a document someone else wrote before anything of it is used, and
//! signing my own changes before a save.
//!
//! A file that decrypts is not a file to trust: anyone who holds one member's public key can
//! write one. So every version of an entry, every replaced value, deletion, check result and
//! the vault's settings carry their author's signature (see [`crate::signing`]), and a
//! document read from disk keeps only what is signed by a current member (see
//! [`crate::member_log`] for who that is), dated no later than a few minutes from now. The rest
//! is left out and named, in plain words, in the returned list.

use crate::document::Document;
use crate::entry::Entry;
use crate::error::{Result, VaultError};
use crate::member_log::{self, MAX_CLOCK_SKEW_MINUTES, Membership};
use crate::signing::{PublicKey, Signed, Signer, item_value};
use chrono::{DateTime, Utc};
use serde_json::{Value, json};
use std::collections::HashMap;

/// The kinds of signed item (part of what each signature covers).
const ENTRY: &str = "entry";
const HISTORY: &str = "history";
const CHECK: &str = "check";
const TOMBSTONE: &str = "tombstone";
const SETTINGS: &str = "settings";

/// The document format version of a team vault with signed changes.
pub const SIGNED_FORMAT_VERSION: u64 = 2;

/// Said once when an unsigned team vault is signed for the first time.
pub const UPGRADED: &str = "This team vault now has signed changes; what happened in it before could not be verified.";

fn entry_value(e: &Entry) -> Value {
    item_value(e, &["history", "last_check"])
}

fn history_value(entry_id: &str, h: &crate::entry::HistoryItem) -> Value {
    json!({ "entry": entry_id, "item": item_value(h, &[]) })
}

fn check_value(entry_id: &str, c: &crate::entry::LastCheck) -> Value {
    json!({ "entry": entry_id, "check": item_value(c, &[]) })
}

/// Who may sign what in this document, and how to name them.
struct Signers {
    active: HashMap<String, PublicKey>,
    names: HashMap<String, String>,
}

impl Signers {
    fn new(members: &[crate::members::Member]) -> Signers {
        let mut active = HashMap::new();
        let mut names = HashMap::new();
        for m in members {
            if let Some(key) = m.signing_key.as_deref().and_then(|k| PublicKey::parse(k).ok()) {
                names.insert(key.fingerprint(), crate::members::display_name(&m.name));
                if m.is_active() {
                    active.insert(key.fingerprint(), key);
                }
            }
        }
        Signers { active, names }
    }

    /// Why `signed` does not make the item count, if it does not.
    fn problem(&self, kind: &str, vault_id: &str, value: &Value, signed: Option<&Signed>) -> Option<String> {
        let Some(signed) = signed else { return Some("it is not signed".into()) };
        let Some(key) = self.active.get(&signed.by) else {
            return Some(match self.names.get(&signed.by) {
                Some(name) => format!("it is signed by {name}, who is no longer a member"),
                None => "it is not signed by a member".into(),
            });
        };
        (!key.verifies(kind, vault_id, value, signed))
            .then(|| "its signature does not match its content (it was altered)".to_string())
    }
}

/// Whether a time is later than this computer's clock allows.
fn in_future(t: DateTime<Utc>, now: DateTime<Utc>) -> bool {
    t > now + chrono::Duration::minutes(MAX_CLOCK_SKEW_MINUTES)
}

/// Verifies a team vault's document read from a file (or another copy) and leaves out what
/// does not count; returns one sentence for each thing left out. `root` is the membership root
/// this device pinned; items equal to those of `trusted` (a copy verified before) are not
/// checked again. A personal vault, or a team vault from before signed changes, is left as it is.
pub fn verify(
    doc: &mut Document,
    root: Option<&str>,
    trusted: Option<&Document>,
    now: DateTime<Utc>,
) -> Result<Vec<String>> {
    if doc.membership.is_empty() {
        return Ok(Vec::new());
    }
    let membership = member_log::evaluate(&doc.vault_id, &doc.membership, root, now)?;
    let mut refused = membership.refused.clone();
    apply_membership(doc, membership);
    // A member added by hand-made operation may carry a name that looks like another's.
    let active: Vec<&crate::members::Member> = doc.active_members().collect();
    for (i, a) in active.iter().enumerate() {
        for b in &active[i + 1..] {
            if crate::members::looks_alike(&a.name, &b.name) {
                refused.push(format!(
                    "Two members have names that look alike: \"{}\" ({}) and \"{}\" ({}); compare their fingerprints with them.",
                    crate::members::display_name(&a.name),
                    a.fingerprint(),
                    crate::members::display_name(&b.name),
                    b.fingerprint()
                ));
            }
        }
    }
    let signers = Signers::new(&doc.members);
    let known: HashMap<&str, &Entry> =
        trusted.map(|t| t.entries.iter().map(|e| (e.id.as_str(), e)).collect()).unwrap_or_default();
    let vault_id = doc.vault_id.clone();

    let entries = std::mem::take(&mut doc.entries);
    for mut entry in entries {
        let earlier = known.get(entry.id.as_str()).copied();
        if earlier == Some(&entry) {
            doc.entries.push(entry);
            continue;
        }
        let name = crate::members::display_name(&entry.name);
        let same_version = earlier.is_some_and(|k| k.signed == entry.signed && entry_value(k) == entry_value(&entry));
        let problem = if in_future(entry.updated_at, now) || in_future(entry.created_at, now) {
            Some(format!("it is dated in the future ({})", entry.updated_at.format("%F")))
        } else if same_version {
            None
        } else {
            signers.problem(ENTRY, &vault_id, &entry_value(&entry), entry.signed.as_ref())
        };
        if let Some(why) = problem {
            refused.push(format!("A change to the key \"{name}\" was not applied: {why}."));
            continue;
        }
        let known_history = earlier.map(|k| k.history.as_slice()).unwrap_or_default();
        let id = entry.id.clone();
        entry.history.retain(|h| {
            if known_history.contains(h) {
                return true;
            }
            let why = if in_future(h.replaced_at, now) {
                Some("it is dated in the future".to_string())
            } else {
                signers.problem(HISTORY, &vault_id, &history_value(&id, h), h.signed.as_ref())
            };
            if let Some(why) = &why {
                refused.push(format!("An earlier value of the key \"{name}\" was not kept: {why}."));
            }
            why.is_none()
        });
        if let Some(check) = &entry.last_check
            && earlier.and_then(|k| k.last_check.as_ref()) != Some(check)
        {
            let why = if in_future(check.checked_at, now) {
                Some("it is dated in the future".to_string())
            } else {
                signers.problem(CHECK, &vault_id, &check_value(&id, check), check.signed.as_ref())
            };
            if let Some(why) = why {
                refused.push(format!("A check result of the key \"{name}\" was not kept: {why}."));
                entry.last_check = None;
            }
        }
        doc.entries.push(entry);
    }

    let known_tombstones = trusted.map(|t| t.tombstones.as_slice()).unwrap_or_default();
    doc.tombstones.retain(|t| {
        if known_tombstones.contains(t) {
            return true;
        }
        let why = if in_future(t.deleted_at, now) {
            Some(format!("it is dated in the future ({})", t.deleted_at.format("%F")))
        } else {
            signers.problem(TOMBSTONE, &vault_id, &item_value(t, &[]), t.signed.as_ref())
        };
        if let Some(why) = &why {
            refused.push(format!("A deletion of a key was not applied: {why}."));
        }
        why.is_none()
    });

    if trusted.is_none_or(|t| t.settings != doc.settings)
        && let Some(why) =
            signers.problem(SETTINGS, &vault_id, &item_value(&doc.settings, &[]), signed_of(&doc.settings))
    {
        refused.push(format!("A change to the vault's settings was not applied: {why}."));
        doc.settings = trusted.map(|t| t.settings.clone()).unwrap_or_default();
    }

    for e in &doc.entries {
        if crate::env_guard::controls_execution(&e.env_var) {
            refused.push(format!(
                "The key \"{}\" names {} as its variable, which can make a program run other code: keyward run will not use it unless you name the variable yourself.",
                crate::members::display_name(&e.name),
                e.env_var
            ));
        }
    }
    Ok(refused)
}

fn signed_of(settings: &crate::document::Settings) -> Option<&Signed> {
    settings.signed.as_ref()
}

/// Makes the document's member records those the log says (the list in the file is ignored).
fn apply_membership(doc: &mut Document, membership: Membership) {
    doc.members = membership.members;
    doc.membership = membership.ops;
}

/// Recomputes the members from the log after a merge, without checking signatures again
/// (both sides were verified); my own operations not yet signed are applied on top.
pub fn recompute_members(doc: &mut Document) -> Result<()> {
    if doc.membership.is_empty() {
        return Ok(());
    }
    let (signed, pending): (Vec<_>, Vec<_>) = doc.membership.drain(..).partition(|op| !op.is_pending());
    let root = signed.first().map(member_log::MemberOp::hash);
    let local = doc.members.clone();
    let membership = member_log::evaluate(&doc.vault_id, &signed, root.as_deref(), Utc::now())?;
    apply_membership(doc, membership);
    // Pending operations are mine, already applied to the records I had.
    for op in pending {
        if let Some(id) = op.subject_key_id()
            && let Some(record) = local.iter().find(|m| m.key_id() == id)
        {
            doc.members.retain(|m| m.key_id() != id);
            doc.members.push(record.clone());
        }
        doc.membership.push(op);
    }
    Ok(())
}

/// A removed member's changes that I keep: their signatures are cleared, and I sign them when I
/// save (a former member's signature no longer counts).
pub fn adopt(doc: &mut Document, fingerprint: &str) {
    let theirs = |s: &Option<Signed>| s.as_ref().is_some_and(|s| s.by == fingerprint);
    for e in &mut doc.entries {
        if theirs(&e.signed) {
            e.signed = None;
        }
        for h in &mut e.history {
            if theirs(&h.signed) {
                h.signed = None;
            }
        }
        if let Some(c) = &mut e.last_check
            && theirs(&c.signed)
        {
            c.signed = None;
        }
    }
    for t in &mut doc.tombstones {
        if theirs(&t.signed) {
            t.signed = None;
        }
    }
    if theirs(&doc.settings.signed) {
        doc.settings.signed = None;
    }
}

/// Signs every change of mine in a team vault before it is saved: unsigned entry versions,
/// earlier values, check results, deletions, settings and membership operations. A team vault
/// from before signed changes gets its root now, signed by me (then `true`: say [`UPGRADED`]).
/// Refused, with why, when I cannot sign (no signing key, not a member).
pub fn sign_changes(doc: &mut Document, signer: Option<&Signer>, now: DateTime<Utc>) -> Result<bool> {
    if !doc.is_team() {
        return Ok(false);
    }
    let Some(signer) = signer else {
        return Err(VaultError::ReadOnly(
            "your identity (an SSH key) cannot sign changes, and a team vault takes only signed changes.".into(),
        ));
    };
    let me = doc.members.iter().find(|m| m.is_active() && m.key_id() == crate::members::key_id(signer.recipient()));
    let Some(me) = me else {
        return Err(VaultError::ReadOnly("you are not one of its current members.".into()));
    };
    let mine = me.signing_key.as_deref() == Some(signer.public_key().as_str());
    let upgrade = doc.membership.is_empty();
    if upgrade {
        // The current state becomes the root, with my signing key on my record.
        let mut members = doc.members.clone();
        for m in &mut members {
            if m.key_id() == crate::members::key_id(signer.recipient()) {
                m.signing_key = Some(signer.public_key());
            }
        }
        let root = member_log::MemberOp::sign(
            &doc.vault_id,
            Vec::new(),
            member_log::Action::Root { members },
            now.max(doc.created_at),
            signer,
        );
        doc.membership.push(root);
        clear_all_signatures(doc);
    } else if !mine {
        return Err(VaultError::ReadOnly(
            "you were added without a signing key, so your changes cannot be verified by the others.".into(),
        ));
    }
    doc.version = doc.version.max(SIGNED_FORMAT_VERSION);

    // Membership operations, in the order they were made, each after what came before.
    if doc.membership.iter().any(member_log::MemberOp::is_pending) {
        let (signed, pending): (Vec<_>, Vec<_>) = doc.membership.drain(..).partition(|op| !op.is_pending());
        doc.membership = signed;
        for op in pending {
            let root = doc.membership.first().map(member_log::MemberOp::hash);
            let heads = member_log::evaluate(&doc.vault_id, &doc.membership, root.as_deref(), now)?.heads;
            doc.membership.push(member_log::MemberOp::sign(&doc.vault_id, heads, op.action, op.at, signer));
        }
        recompute_members(doc)?;
    }

    let vault_id = doc.vault_id.clone();
    for e in &mut doc.entries {
        if e.signed.is_none() {
            e.signed = Some(signer.sign(ENTRY, &vault_id, &entry_value(e)));
        }
        let id = e.id.clone();
        for h in &mut e.history {
            if h.signed.is_none() {
                h.signed = Some(signer.sign(HISTORY, &vault_id, &history_value(&id, h)));
            }
        }
        if let Some(c) = &mut e.last_check
            && c.signed.is_none()
        {
            c.signed = Some(signer.sign(CHECK, &vault_id, &check_value(&id, c)));
        }
    }
    for t in &mut doc.tombstones {
        if t.signed.is_none() {
            t.signed = Some(signer.sign(TOMBSTONE, &vault_id, &item_value(t, &[])));
        }
    }
    if doc.settings.signed.is_none() {
        doc.settings.signed = Some(signer.sign(SETTINGS, &vault_id, &item_value(&doc.settings, &[])));
    }
    Ok(upgrade)
}

fn clear_all_signatures(doc: &mut Document) {
    for e in &mut doc.entries {
        e.signed = None;
        for h in &mut e.history {
            h.signed = None;
        }
        if let Some(c) = &mut e.last_check {
            c.signed = None;
        }
    }
    for t in &mut doc.tombstones {
        t.signed = None;
    }
    doc.settings.signed = None;
}
