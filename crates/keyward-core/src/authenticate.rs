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
use crate::signing::{Claim, PublicKey, Signed, Signer, check_claims, item_value};
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

    /// Whether `signed` makes the item count, or the signature that decides it, added to
    /// `claims` (checked with the others in one go, see [`check_claims`]).
    fn judge(
        &self,
        kind: &str,
        vault_id: &str,
        value: &Value,
        signed: Option<&Signed>,
        claims: &mut Vec<Claim>,
    ) -> Verdict {
        let Some(signed) = signed else { return Verdict::Refused("it is not signed".into()) };
        let Some(key) = self.active.get(&signed.by) else {
            return Verdict::Refused(match self.names.get(&signed.by) {
                Some(name) => format!("it is signed by {name}, who is no longer a member"),
                None => "it is not signed by a member".into(),
            });
        };
        match key.claim(kind, vault_id, value, signed) {
            Some(claim) => {
                claims.push(claim);
                Verdict::Pending(claims.len() - 1)
            }
            None => Verdict::Refused(ALTERED.into()),
        }
    }

    /// Why a value kept from a version `from` signed does not count: they are not a member.
    fn former(&self, from: &str) -> Option<String> {
        (!self.active.contains_key(from)).then(|| match self.names.get(from) {
            Some(name) => format!("it comes from a change by {name}, who is no longer a member"),
            None => "it comes from a change by someone who is not a member".into(),
        })
    }

    /// Why `signed` does not make the item count, if it does not (checked at once).
    fn problem(&self, kind: &str, vault_id: &str, value: &Value, signed: Option<&Signed>) -> Option<String> {
        let mut claims = Vec::new();
        self.judge(kind, vault_id, value, signed, &mut claims).settle(&check_claims(&claims))
    }
}

const ALTERED: &str = "its signature does not match its content (it was altered)";

/// Whether a signed item counts, or the index of the claim whose check decides it.
enum Verdict {
    Counts,
    Refused(String),
    Pending(usize),
}

impl Verdict {
    /// Why the item does not count, if it does not, once the claims were checked (`held`).
    fn settle(self, held: &[bool]) -> Option<String> {
        match self {
            Verdict::Counts => None,
            Verdict::Refused(why) => Some(why),
            Verdict::Pending(i) => (!held[i]).then(|| ALTERED.to_string()),
        }
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
    let known = trusted.map(|t| t.membership.clone()).unwrap_or_default();
    verify_knowing(doc, root, trusted, &known, now)
}

/// As [`verify`], where the membership operations in `known` were seen before: an operation
/// among them that does not count is not told again.
pub fn verify_knowing(
    doc: &mut Document,
    root: Option<&str>,
    trusted: Option<&Document>,
    known: &[member_log::MemberOp],
    now: DateTime<Utc>,
) -> Result<Vec<String>> {
    if doc.membership.is_empty() {
        return Ok(Vec::new());
    }
    let membership = member_log::evaluate(&doc.vault_id, &doc.membership, root, now)?;
    let known: std::collections::HashSet<String> = known.iter().map(member_log::MemberOp::hash).collect();
    let told_before =
        |sentence: &String| membership.refused_ops.iter().any(|(hash, s)| s == sentence && known.contains(hash));
    let mut refused: Vec<String> = membership.refused.iter().filter(|s| !told_before(s)).cloned().collect();
    apply_membership(doc, membership);
    // A member added by hand-made operation may carry a name that looks like another's.
    let active: Vec<(&crate::members::Member, String)> =
        doc.active_members().map(|m| (m, crate::members::skeleton(&m.name))).collect();
    for (i, (a, a_looks)) in active.iter().enumerate() {
        for (b, b_looks) in &active[i + 1..] {
            if a_looks == b_looks {
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

    // Each entry and deletion is judged on its own, and the signatures are checked in batches,
    // in parallel (a signature check is the cost).
    let (entries, said) = retain_checked(
        std::mem::take(&mut doc.entries),
        |entry, claims| judge_entry(entry, known.get(entry.id.as_str()).copied(), &signers, &vault_id, now, claims),
        settle_entry,
    );
    doc.entries = entries;
    refused.extend(said);

    fn signer(t: &crate::entry::Tombstone) -> Option<&str> {
        t.signed.as_ref().map(|s| s.by.as_str())
    }
    let known_tombstones: HashMap<(&str, Option<&str>), &crate::entry::Tombstone> =
        trusted.map(|t| t.tombstones.iter().map(|t| ((t.id.as_str(), signer(t)), t)).collect()).unwrap_or_default();
    let (tombstones, said) = retain_checked(
        std::mem::take(&mut doc.tombstones),
        |t, claims| {
            if known_tombstones.get(&(t.id.as_str(), signer(t))).is_some_and(|k| *k == t) {
                Verdict::Counts
            } else if in_future(t.deleted_at, now) {
                Verdict::Refused(format!("it is dated in the future ({})", t.deleted_at.format("%F")))
            } else {
                signers.judge(TOMBSTONE, &vault_id, &item_value(t, &[]), t.signed.as_ref(), claims)
            }
        },
        |_, verdict, held, said| match verdict.settle(held) {
            Some(why) => {
                said.push(format!("A deletion of a key was not applied: {why}."));
                false
            }
            None => true,
        },
    );
    doc.tombstones = tombstones;
    refused.extend(said);

    if trusted.is_none_or(|t| t.settings != doc.settings)
        && let Some(why) =
            signers.problem(SETTINGS, &vault_id, &item_value(&doc.settings, &[]), doc.settings.signed.as_ref())
    {
        refused.push(format!("A change to the vault's settings was not applied: {why}."));
        doc.settings = trusted.map(|t| t.settings.clone()).unwrap_or_default();
    }

    // Nothing signs the document's top-level fields beyond those Keyward reads.
    if !doc.unknown.is_empty() {
        refused.push(
            "Fields this Keyward does not know, at the top of the file, were left out: nothing signs them.".into(),
        );
        doc.unknown.clear();
    }
    for e in &doc.entries {
        if crate::env_guard::controls_execution(&e.env_var) {
            refused.push(format!(
                "The key \"{}\" names {} as its variable, which can make a program run other code: keyward run will not use it unless you name the variable yourself.",
                crate::members::display_name(&e.name),
                crate::env_guard::shown(&e.env_var)
            ));
        }
    }
    Ok(refused)
}

/// The items kept, in their order, with what was said about them (in the same order): `judge`
/// looks at each item and names the signatures to check, which are checked in batches, then
/// `settle` decides with their results. Many items are shared out to up to 4 threads, each
/// taking every n-th item, so that changes bunched together in the file (one person's edits)
/// are spread evenly.
fn retain_checked<T: Send, V>(
    items: Vec<T>,
    judge: impl Fn(&T, &mut Vec<Claim>) -> V + Sync,
    settle: impl Fn(&mut T, V, &[bool], &mut Vec<String>) -> bool + Sync,
) -> (Vec<T>, Vec<String>) {
    let check = |share: Vec<(usize, T)>| {
        let mut claims = Vec::new();
        let verdicts: Vec<V> = share.iter().map(|(_, item)| judge(item, &mut claims)).collect();
        let held = check_claims(&claims);
        share
            .into_iter()
            .zip(verdicts)
            .map(|((i, mut item), verdict)| {
                let mut said = Vec::new();
                let keep = settle(&mut item, verdict, &held, &mut said);
                (i, keep.then_some(item), said)
            })
            .collect::<Vec<_>>()
    };
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get()).min(4);
    let threads = if items.len() < 256 { 1 } else { threads };
    let mut shares: Vec<Vec<(usize, T)>> = (0..threads).map(|_| Vec::new()).collect();
    for (i, item) in items.into_iter().enumerate() {
        shares[i % threads].push((i, item));
    }
    let mut checked: Vec<(usize, Option<T>, Vec<String>)> = if threads == 1 {
        shares.pop().map(check).unwrap_or_default()
    } else {
        std::thread::scope(|scope| {
            let handles: Vec<_> = shares.into_iter().map(|share| scope.spawn(|| check(share))).collect();
            handles.into_iter().flat_map(|h| h.join().expect("a verification thread panicked")).collect()
        })
    };
    checked.sort_unstable_by_key(|(i, _, _)| *i);
    let mut said = Vec::new();
    let mut kept = Vec::with_capacity(checked.len());
    for (_, item, s) in checked {
        kept.extend(item);
        said.extend(s);
    }
    (kept, said)
}

/// The verdicts on an entry read from a file: on its version, each earlier value (in order)
/// and its check result; and the same entry in the copy verified before, if any.
struct EntryVerdicts<'a> {
    version: Verdict,
    history: Vec<Verdict>,
    check: Verdict,
    earlier: Option<&'a Entry>,
}

/// Judges one entry read from a file (`earlier`: the same entry in a copy verified before,
/// whose parts need no second check).
fn judge_entry<'a>(
    entry: &Entry,
    earlier: Option<&'a Entry>,
    signers: &Signers,
    vault_id: &str,
    now: DateTime<Utc>,
    claims: &mut Vec<Claim>,
) -> EntryVerdicts<'a> {
    if earlier == Some(entry) {
        return EntryVerdicts {
            version: Verdict::Counts,
            history: entry.history.iter().map(|_| Verdict::Counts).collect(),
            check: Verdict::Counts,
            earlier,
        };
    }
    let same_version = earlier.is_some_and(|k| k.signed == entry.signed && entry_value(k) == entry_value(entry));
    let version = if in_future(entry.updated_at, now) || in_future(entry.created_at, now) {
        Verdict::Refused(format!("it is dated in the future ({})", entry.updated_at.format("%F")))
    } else if same_version {
        Verdict::Counts
    } else {
        signers.judge(ENTRY, vault_id, &entry_value(entry), entry.signed.as_ref(), claims)
    };
    // The earlier values are judged on their own: one a teammate signed is kept even where the
    // version above it does not count.
    let known_history = earlier.map(|k| k.history.as_slice()).unwrap_or_default();
    let history = entry
        .history
        .iter()
        .map(|h| {
            if known_history.contains(h) {
                Verdict::Counts
            } else if in_future(h.replaced_at, now) {
                Verdict::Refused("it is dated in the future".into())
            } else if let Some(why) = h.from.as_deref().and_then(|from| signers.former(from)) {
                Verdict::Refused(why)
            } else {
                signers.judge(HISTORY, vault_id, &history_value(&entry.id, h), h.signed.as_ref(), claims)
            }
        })
        .collect();
    let check = match &entry.last_check {
        Some(check) if earlier.and_then(|k| k.last_check.as_ref()) != Some(check) => {
            if in_future(check.checked_at, now) {
                Verdict::Refused("it is dated in the future".into())
            } else {
                signers.judge(CHECK, vault_id, &check_value(&entry.id, check), check.signed.as_ref(), claims)
            }
        }
        _ => Verdict::Counts,
    };
    EntryVerdicts { version, history, check, earlier }
}

/// Whether the entry stays (else `false`), once its signatures were checked; leaves out the
/// earlier values and check result that do not count, and says why in `said`. An entry whose
/// version does not count becomes the version verified before, if there is one, with the
/// earlier values of the refused one that count (a value a teammate wrote is not lost because
/// a removed member's change sits above it).
fn settle_entry(entry: &mut Entry, verdicts: EntryVerdicts<'_>, held: &[bool], said: &mut Vec<String>) -> bool {
    let name = crate::members::display_name(&entry.name);
    let version_refused = verdicts.version.settle(held);
    if let Some(why) = &version_refused {
        said.push(format!("A change to the key \"{name}\" was not applied: {why}."));
    }
    let mut history = verdicts.history.into_iter();
    entry.history.retain(|_| match history.next().and_then(|v| v.settle(held)) {
        Some(why) => {
            if version_refused.is_none() {
                said.push(format!("An earlier value of the key \"{name}\" was not kept: {why}."));
            }
            false
        }
        None => true,
    });
    if version_refused.is_some() {
        let Some(earlier) = verdicts.earlier else { return false };
        let mut kept = earlier.clone();
        kept.history.extend(std::mem::take(&mut entry.history));
        kept.tidy_history();
        *entry = kept;
        return true;
    }
    if let Some(why) = verdicts.check.settle(held) {
        said.push(format!("A check result of the key \"{name}\" was not kept: {why}."));
        entry.last_check = None;
    }
    true
}

/// Verifies another copy (`theirs`) of the vault `ours` holds before merging it in: its
/// membership operations are judged together with ours (a removal we know of beats what the
/// removed member did concurrently), from our root; items equal to ours are not checked again.
/// Returns what was left out.
pub fn verify_incoming(ours: &Document, theirs: &mut Document, now: DateTime<Utc>) -> Result<Vec<String>> {
    let root = ours.membership.first().filter(|op| !op.is_pending()).map(member_log::MemberOp::hash);
    match root {
        Some(root) => {
            let ours_signed: Vec<_> = ours.membership.iter().filter(|op| !op.is_pending()).cloned().collect();
            theirs.membership = crate::merge::merge_log(&ours_signed, &theirs.membership);
            verify(theirs, Some(&root), Some(ours), now)
        }
        // Ours has no log yet (a team vault from before signed changes): a signed copy brings
        // one, which counts only if it starts from the members we have.
        None => {
            if let Some(root) = theirs.membership.first()
                && ours.is_team()
                && !same_members(ours, root)
            {
                return Err(VaultError::Invalid(
                    "That copy's signed membership does not start from this vault's members; it was not merged.".into(),
                ));
            }
            verify(theirs, None, None, now)
        }
    }
}

/// Whether a root names exactly the active members (by public key) of an unsigned team vault.
fn same_members(unsigned: &Document, root: &member_log::MemberOp) -> bool {
    let member_log::Action::Root { members } = &root.action else { return false };
    let mut theirs: Vec<String> = members.iter().filter(|m| m.is_active()).map(|m| m.key_id()).collect();
    let mut ours: Vec<String> = unsigned.active_members().map(|m| m.key_id()).collect();
    theirs.sort();
    ours.sort();
    theirs == ours
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
    let membership = evaluate_signed(&doc.vault_id, &doc.membership)?;
    apply_with_pending(doc, membership);
    Ok(())
}

/// Evaluates the signed operations of a log from its own root (both sides were verified).
fn evaluate_signed(vault_id: &str, log: &[member_log::MemberOp]) -> Result<Membership> {
    let signed: Vec<_> = log.iter().filter(|op| !op.is_pending()).cloned().collect();
    let root = signed.first().map(member_log::MemberOp::hash);
    member_log::evaluate(vault_id, &signed, root.as_deref(), Utc::now())
}

/// Makes the document's members those of `membership`; my operations not signed yet stay at
/// the end of the log, with the records I had for them.
fn apply_with_pending(doc: &mut Document, membership: Membership) {
    let pending: Vec<_> = doc.membership.iter().filter(|op| op.is_pending()).cloned().collect();
    let local = doc.members.clone();
    apply_membership(doc, membership);
    for op in pending {
        if let Some(id) = op.subject_key_id()
            && let Some(record) = local.iter().find(|m| m.key_id() == id)
        {
            doc.members.retain(|m| m.key_id() != id);
            doc.members.push(record.clone());
        }
        doc.membership.push(op);
    }
}

/// The membership of two verified copies' united log, evaluated once, and the fingerprints
/// whose signatures count in it (`None`: the log cannot be evaluated).
pub(crate) fn united_membership(
    vault_id: &str,
    log: &[member_log::MemberOp],
) -> Option<(Membership, std::collections::HashSet<String>)> {
    let membership = evaluate_signed(vault_id, log).ok()?;
    let active = membership
        .members
        .iter()
        .filter(|m| m.is_active() && m.signing_key.is_some())
        .map(|m| m.fingerprint())
        .collect();
    Some((membership, active))
}

/// Puts a merged document's membership in place (see [`united_membership`]).
pub(crate) fn set_membership(doc: &mut Document, log: Vec<member_log::MemberOp>, membership: Membership) {
    doc.membership = log;
    apply_with_pending(doc, membership);
}

/// The document without what is signed by someone not in `active` (my unsigned changes stay).
pub fn without_other_signers<'a>(
    doc: &'a Document,
    active: &std::collections::HashSet<String>,
) -> std::borrow::Cow<'a, Document> {
    let other = |s: &Option<Signed>| s.as_ref().is_some_and(|s| !active.contains(&s.by));
    let other_value =
        |h: &crate::entry::HistoryItem| other(&h.signed) || h.from.as_ref().is_some_and(|f| !active.contains(f));
    let any = doc.entries.iter().any(|e| {
        other(&e.signed) || e.history.iter().any(other_value) || e.last_check.as_ref().is_some_and(|c| other(&c.signed))
    }) || doc.tombstones.iter().any(|t| other(&t.signed))
        || other(&doc.settings.signed);
    if !any {
        return std::borrow::Cow::Borrowed(doc);
    }
    let mut doc = doc.clone();
    doc.entries.retain(|e| !other(&e.signed));
    for e in &mut doc.entries {
        e.history.retain(|h| !other_value(h));
        if e.last_check.as_ref().is_some_and(|c| other(&c.signed)) {
            e.last_check = None;
        }
    }
    doc.tombstones.retain(|t| !other(&t.signed));
    if other(&doc.settings.signed) {
        doc.settings = crate::document::Settings::default();
    }
    std::borrow::Cow::Owned(doc)
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
            if h.from.as_deref() == Some(fingerprint) {
                h.from = None;
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
        // The current state becomes the root, with my signing key on my record. Nobody else's
        // signing key is taken from the unsigned file (anyone could have written it there):
        // the others write again once added with their member line.
        let mut members = doc.members.clone();
        for m in &mut members {
            m.signing_key = (m.key_id() == crate::members::key_id(signer.recipient())).then(|| signer.public_key());
        }
        let root =
            member_log::MemberOp::sign(&doc.vault_id, Vec::new(), member_log::Action::Root { members }, now, signer);
        doc.membership.push(root);
        recompute_members(doc)?;
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::{Change, EntryFields};
    use crate::secret::Secret;
    use chrono::TimeZone;

    fn at(s: i64) -> DateTime<Utc> {
        Utc.timestamp_opt(1_700_000_000 + s, 0).unwrap()
    }

    struct Person {
        signer: Signer,
        line: String,
    }

    fn person() -> Person {
        let id = age::x25519::Identity::generate();
        let signer = Signer::from_age_identity(&id);
        let line = signer.member_line();
        Person { signer, line }
    }

    /// Ann's team of Ann and Bob with one key, signed.
    fn team() -> (Document, Person, Person) {
        let (ann, bob) = (person(), person());
        let mut doc = Document::new(at(0));
        doc.add_member("ann", &ann.line, &Change { now: at(0), actor: "ann" }).unwrap();
        sign_changes(&mut doc, Some(&ann.signer), at(0)).unwrap();
        doc.add_member("bob", &bob.line, &Change { now: at(1), actor: "ann" }).unwrap();
        doc.add("k", Secret::from("sk-one"), EntryFields::default(), &Change { now: at(2), actor: "ann" }).unwrap();
        sign_changes(&mut doc, Some(&ann.signer), at(3)).unwrap();
        (doc, ann, bob)
    }

    #[test]
    fn only_changes_signed_by_a_current_member_count() {
        let (doc, ann, bob) = team();
        let mut same = doc.clone();
        assert!(verify(&mut same, None, None, at(100)).unwrap().is_empty());
        assert_eq!(same.entries.len(), 1);

        // Altered after signing (the secret swapped): left out, and said.
        let mut altered = doc.clone();
        altered.entries[0].secret = Secret::from("sk-attacker");
        let said = verify(&mut altered, None, None, at(100)).unwrap();
        assert!(altered.entries.is_empty());
        assert!(said[0].contains("its signature does not match its content"), "{said:?}");

        // Signed by someone who is not a member.
        let mut foreign = doc.clone();
        let outsider = person();
        let value = entry_value(&foreign.entries[0]);
        foreign.entries[0].signed = Some(outsider.signer.sign(ENTRY, &foreign.vault_id, &value));
        let said = verify(&mut foreign, None, None, at(100)).unwrap();
        assert!(said[0].contains("not signed by a member"), "{said:?}");

        // Bob edits while a member: counts. After his removal, his new edit does not, but what
        // he wrote before stays (Ann vouches for it when she removes him).
        let mut by_bob = doc.clone();
        by_bob
            .edit(
                "k",
                None,
                None,
                EntryFields { notes: Some("bob".into()), ..Default::default() },
                &Change { now: at(4), actor: "bob" },
            )
            .unwrap();
        sign_changes(&mut by_bob, Some(&bob.signer), at(4)).unwrap();
        assert!(verify(&mut by_bob.clone(), None, None, at(100)).unwrap().is_empty());
        let mut removed = by_bob.clone();
        removed.remove_member("bob", &Change { now: at(5), actor: "ann" }).unwrap();
        sign_changes(&mut removed, Some(&ann.signer), at(5)).unwrap();
        assert_eq!(removed.entries[0].signed.as_ref().unwrap().by, ann.signer.fingerprint());
        let mut check = removed.clone();
        assert!(verify(&mut check, None, None, at(100)).unwrap().is_empty());
        assert_eq!(check.entries[0].notes.as_deref(), Some("bob"));
        let mut late = removed.clone();
        late.edit(
            "k",
            None,
            Some(Secret::from("sk-bob")),
            EntryFields::default(),
            &Change { now: at(6), actor: "bob" },
        )
        .unwrap();
        let value = entry_value(&late.entries[0]);
        late.entries[0].signed = Some(bob.signer.sign(ENTRY, &late.vault_id, &value));
        let said = verify(&mut late, None, None, at(100)).unwrap();
        assert!(said.iter().any(|s| s.contains("who is no longer a member")), "{said:?}");
        // A former member cannot sign changes: saving as him is refused.
        let mut as_bob = removed.clone();
        assert!(matches!(sign_changes(&mut as_bob, Some(&bob.signer), at(7)), Err(VaultError::ReadOnly(_))));
    }

    /// Found in review: a signed copy must not give an unsigned team vault a membership of
    /// someone else's choosing.
    #[test]
    fn an_unsigned_team_vault_takes_no_signed_copy_with_other_members() {
        let (ann, eve) = (person(), person());
        let mut unsigned = Document::new(at(0));
        unsigned.add_member("ann", &ann.line, &Change { now: at(0), actor: "ann" }).unwrap();
        let mut forged = Document { vault_id: unsigned.vault_id.clone(), ..Document::new(at(0)) };
        forged.add_member("eve", &eve.line, &Change { now: at(0), actor: "eve" }).unwrap();
        sign_changes(&mut forged, Some(&eve.signer), at(0)).unwrap();
        let err = verify_incoming(&unsigned, &mut forged, at(100)).unwrap_err();
        assert!(err.to_string().contains("does not start from this vault's members"), "{err}");
        // Upgrading takes nobody's signing key from the unsigned file but mine.
        let bob = person();
        let mut legacy = unsigned.clone();
        legacy.add_member("bob", &bob.line, &Change { now: at(1), actor: "ann" }).unwrap();
        sign_changes(&mut legacy, Some(&ann.signer), at(2)).unwrap();
        let bob_record = legacy.members.iter().find(|m| m.name == "bob").unwrap();
        assert_eq!(bob_record.signing_key, None);
    }
}
