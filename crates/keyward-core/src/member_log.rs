//! A team vault's membership as an append-only, hash-linked log of signed operations.
//!
//! The first operation (the root) names the vault's first members and is signed by one of them;
//! each later one adds or removes a member, names the operations its author had seen (their
//! hashes: the log's heads then), and is signed by its author. Copies that changed the
//! membership at the same time fork the log; merging unites the operations, and the next one
//! follows both heads. The membership is computed from the log, never read from a list:
//!
//! - an operation counts only if its signature is good and its author was an active member at
//!   that point of the log (in the state made by the operations it follows);
//! - a removal beats the removed member's concurrent operations (those that neither come before
//!   it nor after it): a former member cannot act by pretending not to have seen their removal;
//!   when two members remove each other concurrently, the one who joined first wins;
//! - a member added and removed concurrently is removed; one added after their removal is back;
//! - an operation dated more than [`MAX_CLOCK_SKEW_MINUTES`] ahead of this computer's clock is refused.
//!
//! Nothing in the log trusts a clock for order: times are shown, and used only to tell which
//! keys a former member could read.

use crate::error::{Result, VaultError};
use crate::members::{Member, key_id};
use crate::signing::{self, PublicKey, Signed, Signer};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};

/// How far ahead of this computer's clock a change may be dated.
pub const MAX_CLOCK_SKEW_MINUTES: i64 = 5;

/// The most membership operations a log may hold, and parents an operation may name: a hostile
/// file cannot make evaluating it take unbounded time or memory.
pub const MAX_OPS: usize = 2_000;
const MAX_PARENTS: usize = 64;
const MAX_BEATEN_PER_AUTHOR: usize = 100;

/// The kind of item a membership operation's signature covers.
const KIND: &str = "membership";

/// One signed operation of the membership log.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MemberOp {
    /// The hashes of the operations its author had seen last (empty for the root).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub parents: Vec<String>,
    #[serde(flatten)]
    pub action: Action,
    #[serde(deserialize_with = "crate::timestamp::deserialize")]
    pub at: DateTime<Utc>,
    /// The author (their key's fingerprint) and signature.
    pub signed: Signed,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum Action {
    /// The vault's first members (active) and, for a vault upgraded to signed changes, its
    /// former members (so that the keys they could read stay known).
    Root {
        members: Vec<Member>,
    },
    Add {
        member: MemberKey,
    },
    Remove {
        member: MemberKey,
    },
}

/// Who an operation adds or removes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemberKey {
    pub name: String,
    /// `age1…` or an SSH public key line: what the vault is encrypted to.
    pub public_key: String,
    /// `ed25519:…`: what their changes are signed with (none: a read-only member).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signing_key: Option<String>,
}

impl MemberOp {
    /// The operation's hash (over everything in it, its signature included).
    pub fn hash(&self) -> String {
        let mut bytes = Vec::with_capacity(512);
        signing::canonical(&serde_json::to_value(self).expect("an operation always serializes"), &mut bytes);
        signing::hash_hex(&bytes)
    }

    /// An operation of mine not signed yet (signed, after the log's heads, when the vault is saved).
    pub fn pending(action: Action, at: DateTime<Utc>) -> MemberOp {
        MemberOp { parents: Vec::new(), action, at, signed: Signed { by: String::new(), sig: String::new() } }
    }

    pub fn is_pending(&self) -> bool {
        self.signed.sig.is_empty()
    }

    /// The key id of the member an add or removal is about.
    pub fn subject_key_id(&self) -> Option<String> {
        match &self.action {
            Action::Add { member } | Action::Remove { member } => Some(key_id(&member.public_key)),
            Action::Root { .. } => None,
        }
    }

    /// Makes and signs an operation.
    pub fn sign(vault_id: &str, parents: Vec<String>, action: Action, at: DateTime<Utc>, signer: &Signer) -> MemberOp {
        let mut op = MemberOp { parents, action, at, signed: Signed { by: String::new(), sig: String::new() } };
        op.signed = signer.sign(KIND, vault_id, &signing::item_value(&op, &[]));
        op
    }

    fn verifies(&self, vault_id: &str, key: &PublicKey) -> bool {
        key.verifies(KIND, vault_id, &signing::item_value(self, &[]), &self.signed)
    }

    fn subject(&self) -> Vec<(String, Option<&str>, &str)> {
        match &self.action {
            Action::Root { members } => members
                .iter()
                .filter(|m| m.is_active())
                .map(|m| (m.key_id(), m.signing_key.as_deref(), m.name.as_str()))
                .collect(),
            Action::Add { member } | Action::Remove { member } => {
                vec![(key_id(&member.public_key), member.signing_key.as_deref(), member.name.as_str())]
            }
        }
    }
}

/// What the log says: the members, the operations that count, and the ones refused (why).
#[derive(Debug, Clone, PartialEq)]
pub struct Membership {
    /// Current and former members, as records (oldest first).
    pub members: Vec<Member>,
    /// The operations kept, in log order (each after those it follows): those that count, and
    /// those a concurrent removal beat (they count again if that removal stops counting).
    pub ops: Vec<MemberOp>,
    /// The operations nothing follows yet: what the next operation names as its parents.
    pub heads: Vec<String>,
    /// Plain sentences, one per operation that does not count.
    pub refused: Vec<String>,
    /// The same for operations that made it into the log order: (the operation's hash, sentence).
    pub refused_ops: Vec<(String, String)>,
}

/// Computes the membership from a log. `root` is the root this device pinned for the vault
/// (`None` on first sight: the log must then have exactly one).
pub fn evaluate(vault_id: &str, ops: &[MemberOp], root: Option<&str>, now: DateTime<Utc>) -> Result<Membership> {
    if ops.len() > MAX_OPS {
        return Err(VaultError::Invalid(format!(
            "This team vault's membership log holds more than {MAX_OPS} changes; Keyward does not read it."
        )));
    }
    // One copy of each operation, by hash, in a fixed order.
    let mut by_hash: BTreeMap<String, &MemberOp> = BTreeMap::new();
    for op in ops {
        by_hash.entry(op.hash()).or_insert(op);
    }
    let roots: Vec<&String> = by_hash
        .iter()
        .filter(|(_, op)| op.parents.is_empty() && matches!(op.action, Action::Root { .. }))
        .map(|(h, _)| h)
        .collect();
    let root = match root {
        Some(pinned) if roots.iter().any(|r| *r == pinned) => pinned.to_string(),
        Some(_) => return Err(VaultError::Invalid(ROOT_CHANGED.into())),
        None => match roots[..] {
            [only] => only.clone(),
            [] => return Err(VaultError::Invalid("This team vault's membership log has no beginning.".into())),
            _ => return Err(VaultError::Invalid(
                "This team vault's membership log has more than one beginning, so Keyward cannot tell who its members are.".into(),
            )),
        },
    };
    let mut refused = Vec::new();
    // Operations by keys the log never names as a member's, or naming too many parents, are
    // left out at once (no ordering work is spent on them).
    let named: std::collections::HashSet<String> = by_hash
        .values()
        .flat_map(|op| op.subject())
        .filter_map(|(_, k, _)| k.and_then(|k| PublicKey::parse(k).ok()).map(|k| k.fingerprint()))
        .collect();
    by_hash.retain(|h, op| {
        let keep = *h == root || (named.contains(&op.signed.by) && op.parents.len() <= MAX_PARENTS);
        if !keep {
            refused.push(format!(
                "A membership change ({}) dated {} was not applied: it is not signed by anyone this vault names as a member.",
                describe(op),
                op.at.format("%F %R UTC")
            ));
        }
        keep
    });

    // Log order: each operation after those it follows (ties by hash); operations that follow
    // something unknown, or do not lead back to the root, are left out.
    let mut order: Vec<&str> = vec![root.as_str()];
    let mut placed: HashMap<&str, usize> = HashMap::from([(root.as_str(), 0)]);
    loop {
        let ready: Vec<&str> = by_hash
            .iter()
            .filter(|(h, op)| {
                !placed.contains_key(h.as_str())
                    && !op.parents.is_empty()
                    && op.parents.iter().all(|p| placed.contains_key(p.as_str()))
            })
            .map(|(h, _)| h.as_str())
            .collect();
        if ready.is_empty() {
            break;
        }
        for h in ready {
            placed.insert(h, order.len());
            order.push(h);
        }
    }
    for (h, op) in &by_hash {
        if !placed.contains_key(h.as_str()) && h != &root {
            refused.push(format!(
                "A membership change dated {} does not follow from this vault's beginning and was not applied.",
                op.at.format("%F %R UTC")
            ));
        }
    }
    let ops: Vec<&MemberOp> = order.iter().map(|h| by_hash[*h]).collect();
    let n = ops.len();
    // ancestors[i]: the operations op i follows, directly or not (a bit set).
    let words = n.div_ceil(64);
    let mut ancestors: Vec<Vec<u64>> = Vec::with_capacity(n);
    for op in &ops {
        let mut anc = vec![0u64; words];
        for p in &op.parents {
            let j = placed[p.as_str()];
            anc[j / 64] |= 1 << (j % 64);
            for (w, a) in anc.iter_mut().zip(&ancestors[j]) {
                *w |= *a;
            }
        }
        ancestors.push(anc);
    }
    let follows = |i: usize, j: usize| ancestors[i][j / 64] & (1 << (j % 64)) != 0;
    let concurrent = |i: usize, j: usize| i != j && !follows(i, j) && !follows(j, i);

    // Removals are applied one at a time, the most senior author's first; each beats the
    // removed member's operations concurrent with it (except removals applied before it).
    // Validity is recomputed after each; a removal that stops counting is taken back.
    let too_new = now + chrono::Duration::minutes(MAX_CLOCK_SKEW_MINUTES);
    let mut applied: Vec<(usize, String)> = Vec::new();
    let mut rounds = 0;
    // beaten[i]: the removal that beat operation i.
    let (valid, why, beaten) = loop {
        let mut beaten: Vec<Option<usize>> = vec![None; n];
        for (k, (r, removed)) in applied.iter().enumerate() {
            for i in 0..n {
                if beaten[i].is_none()
                    && ops[i].signed.by == *removed
                    && concurrent(i, *r)
                    && !applied[..k].iter().any(|(a, _)| *a == i)
                {
                    beaten[i] = Some(*r);
                }
            }
        }
        let beaten_now: Vec<bool> = beaten.iter().map(Option::is_some).collect();
        let (valid, why) = validity(vault_id, &ops, &ancestors, &beaten_now, too_new);
        rounds += 1;
        if rounds > 4 * n + 8 {
            break (valid, why, beaten);
        }
        if let Some(pos) = applied.iter().position(|(r, _)| !valid[*r]) {
            applied.remove(pos);
            continue;
        }
        // The next removals, most senior first. One that beats nothing changes no validity, so
        // the next is taken at once (an honest log, where nothing is concurrent with a removal,
        // takes one pass).
        let mut removals: Vec<usize> = (0..n)
            .filter(|&i| valid[i] && matches!(ops[i].action, Action::Remove { .. }))
            .filter(|i| !applied.iter().any(|(a, _)| a == i))
            .collect();
        removals.sort_by_cached_key(|&i| (joined(&ops, &valid, &ops[i].signed.by), ops[i].signed.by.clone(), i));
        if removals.is_empty() {
            break (valid, why, beaten);
        }
        for r in removals {
            // Who is removed: the member with that public key at this point of the log (not
            // the signing key the operation claims for them).
            let Action::Remove { member } = &ops[r].action else { unreachable!("filtered on removals") };
            let id = key_id(&member.public_key);
            let at_r = state(&ops, &valid, &ancestors[r], &ancestors);
            let removed = at_r.iter().find(|m| m.key_id() == id).map(|m| m.fingerprint()).unwrap_or_default();
            let beats = (0..n).any(|i| {
                beaten[i].is_none()
                    && ops[i].signed.by == removed
                    && concurrent(i, r)
                    && !applied.iter().any(|(a, _)| *a == i)
            });
            applied.push((r, removed));
            if beats {
                break;
            }
        }
    };
    let mut refused_ops = Vec::new();
    for i in 0..n {
        if !valid[i] {
            let reason =
                if beaten[i].is_some() { "its author was removed from the team at the same time" } else { why[i] };
            let sentence = format!(
                "A membership change ({}) dated {} was not applied: {reason}.",
                describe(ops[i]),
                ops[i].at.format("%F %R UTC")
            );
            refused.push(sentence.clone());
            refused_ops.push((order[i].to_string(), sentence));
        }
    }
    // What a removal beat is kept in the log (not counted): if that removal stops counting
    // once more of the log is known, the operation counts again, whatever order copies were
    // merged in. A removal by the most senior member can never stop counting (only someone
    // more senior could beat it): what it beat is dropped. At most a few per author are kept,
    // so that a former member cannot fill the log.
    let most_senior = match &ops[0].action {
        Action::Root { members } => members
            .iter()
            .filter(|m| m.is_active())
            .filter_map(|m| m.signing_key.as_deref().and_then(|k| PublicKey::parse(k).ok()))
            .map(|k| k.fingerprint())
            .min(),
        _ => None,
    };
    let keys: HashMap<String, PublicKey> = by_hash
        .values()
        .flat_map(|op| op.subject())
        .filter_map(|(_, k, _)| k.and_then(|k| PublicKey::parse(k).ok()))
        .map(|k| (k.fingerprint(), k))
        .collect();
    let mut kept_per_author: HashMap<&str, usize> = HashMap::new();
    let kept: Vec<bool> = (0..n)
        .map(|i| {
            if valid[i] {
                return true;
            }
            let by = ops[i].signed.by.as_str();
            let count = kept_per_author.entry(by).or_default();
            let keep = beaten[i].is_some_and(|r| Some(&ops[r].signed.by) != most_senior.as_ref())
                && *count < MAX_BEATEN_PER_AUTHOR
                && ops[i].at <= too_new
                && keys.get(by).is_some_and(|k| ops[i].verifies(vault_id, k));
            *count += usize::from(keep);
            keep
        })
        .collect();
    let all: Vec<u64> = vec![u64::MAX; words];
    let members = state(&ops, &valid, &all, &ancestors);
    let valid_ops: Vec<MemberOp> = (0..n).filter(|&i| kept[i]).map(|i| ops[i].clone()).collect();
    let heads: Vec<String> = (0..n)
        .filter(|&i| valid[i] && !(0..n).any(|j| valid[j] && follows(j, i)))
        .map(|i| order[i].to_string())
        .collect();
    if valid.first() != Some(&true) {
        return Err(VaultError::Invalid(format!("This team vault's membership log cannot be trusted: {}.", why[0])));
    }
    Ok(Membership { members, ops: valid_ops, heads, refused, refused_ops })
}

/// Shown when a vault's root is not the one this device saw before.
pub const ROOT_CHANGED: &str = "This team vault's membership now starts from a different beginning than the one this device saw before: someone may have replaced the vault file.";

/// Which operations count, given those `beaten` by a removal; with a reason for the others.
fn validity(
    vault_id: &str,
    ops: &[&MemberOp],
    ancestors: &[Vec<u64>],
    beaten: &[bool],
    too_new: DateTime<Utc>,
) -> (Vec<bool>, Vec<&'static str>) {
    let n = ops.len();
    let mut valid = vec![false; n];
    let mut why = vec![""; n];
    for i in 0..n {
        let op = ops[i];
        if beaten[i] {
            continue;
        }
        if op.at > too_new {
            why[i] = "it is dated in the future";
            continue;
        }
        // The members at this point of the log: for the root, those it names.
        let signer = if i == 0 {
            match &op.action {
                Action::Root { members } => members
                    .iter()
                    .filter(|m| m.is_active())
                    .filter_map(|m| m.signing_key.as_deref().and_then(|k| PublicKey::parse(k).ok()))
                    .find(|k| k.fingerprint() == op.signed.by),
                _ => None,
            }
        } else if matches!(op.action, Action::Root { .. }) {
            None
        } else {
            let at_this_point = state(ops, &valid, &ancestors[i], ancestors);
            let signer = at_this_point
                .iter()
                .filter(|m| m.is_active())
                .filter_map(|m| m.signing_key.as_deref().and_then(|k| PublicKey::parse(k).ok()))
                .find(|k| k.fingerprint() == op.signed.by);
            if let Some(signer) = &signer
                && op.verifies(vault_id, signer)
                && let Action::Add { member } = &op.action
                && let Some(problem) = add_problem(&at_this_point, member)
            {
                why[i] = problem;
                continue;
            }
            signer
        };
        let Some(signer) = signer else {
            why[i] = "it is not signed by someone who was a member then";
            continue;
        };
        if !op.verifies(vault_id, &signer) {
            why[i] = "its signature does not match";
            continue;
        }
        if let Action::Add { member } = &op.action
            && member.signing_key.as_deref().is_some_and(|k| PublicKey::parse(k).is_err())
        {
            why[i] = "the signing key it adds is not valid";
            continue;
        }
        valid[i] = true;
    }
    (valid, why)
}

/// Why adding `member` to the team `current` does not count, if it does not: the same rules as
/// adding in Keyward, so that a hand-made operation cannot take over a member's record (give an
/// active member's public key another signing key) or reuse someone's signing key.
fn add_problem(current: &[Member], member: &MemberKey) -> Option<&'static str> {
    let key = member.signing_key.as_deref()?;
    let Ok(key) = PublicKey::parse(key) else { return Some("the signing key it adds is not valid") };
    let id = key_id(&member.public_key);
    let active = || current.iter().filter(|m| m.is_active());
    if active().any(|m| m.key_id() == id && m.signing_key.is_some()) {
        return Some("that public key is already a member's, with a signing key of its own");
    }
    if active().any(|m| m.key_id() != id && m.fingerprint() == key.fingerprint()) {
        return Some("that signing key is already another member's");
    }
    None
}

/// The members made by the valid operations among `within` (records with who and when).
fn state(ops: &[&MemberOp], valid: &[bool], within: &[u64], ancestors: &[Vec<u64>]) -> Vec<Member> {
    let has = |set: &[u64], j: usize| set[j / 64] & (1 << (j % 64)) != 0;
    let names = author_names(ops, valid);
    let mut adds: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    let mut removes: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for i in (0..ops.len()).filter(|&i| valid[i] && has(within, i)) {
        match &ops[i].action {
            Action::Root { .. } | Action::Add { .. } => {
                for (id, _, _) in ops[i].subject() {
                    adds.entry(id).or_default().push(i);
                }
            }
            Action::Remove { member } => removes.entry(key_id(&member.public_key)).or_default().push(i),
        }
    }
    let mut members: Vec<Member> = Vec::new();
    // A root's former members are records only.
    if !ops.is_empty()
        && has(within, 0)
        && valid.first() == Some(&true)
        && let Action::Root { members: listed } = &ops[0].action
    {
        members.extend(listed.iter().filter(|m| !m.is_active() && !adds.contains_key(&m.key_id())).cloned());
    }
    for (id, added) in &adds {
        let removals = removes.get(id).map(Vec::as_slice).unwrap_or_default();
        // Active: some add comes after every removal.
        let live = added.iter().copied().filter(|&a| removals.iter().all(|&r| has(&ancestors[a], r))).max();
        let last_add = live.unwrap_or_else(|| *added.iter().max().expect("at least one add"));
        let mut record = match &ops[last_add].action {
            Action::Root { members } => {
                members.iter().find(|m| &m.key_id() == id).cloned().expect("the root names this member")
            }
            Action::Add { member } => Member {
                name: member.name.clone(),
                public_key: member.public_key.clone(),
                signing_key: member.signing_key.clone(),
                added_at: ops[last_add].at,
                added_by: names.get(&ops[last_add].signed.by).cloned().unwrap_or_default(),
                removed_at: None,
                removed_by: None,
                unknown: Default::default(),
            },
            Action::Remove { .. } => unreachable!("adds hold roots and adds"),
        };
        if live.is_none() {
            let r = *removals.iter().max_by_key(|&&r| ops[r].at).expect("not live: removed");
            record.removed_at = Some(ops[r].at.max(record.added_at + chrono::Duration::nanoseconds(1)));
            record.removed_by = Some(names.get(&ops[r].signed.by).cloned().unwrap_or_default());
        }
        members.push(record);
    }
    members.sort_by(|x, y| (x.added_at, &x.name).cmp(&(y.added_at, &y.name)));
    members
}

/// Fingerprint → the name they were added under (for "added by").
fn author_names(ops: &[&MemberOp], valid: &[bool]) -> HashMap<String, String> {
    let mut names = HashMap::new();
    for i in (0..ops.len()).filter(|&i| valid[i]) {
        for (_, signing_key, name) in ops[i].subject() {
            if let Some(k) = signing_key.and_then(|k| PublicKey::parse(k).ok()) {
                names.insert(k.fingerprint(), name.to_string());
            }
        }
    }
    names
}

/// The log position of the first valid operation that made `fingerprint` a member.
fn joined(ops: &[&MemberOp], valid: &[bool], fingerprint: &str) -> usize {
    (0..ops.len())
        .find(|&i| {
            valid[i]
                && !matches!(ops[i].action, Action::Remove { .. })
                && ops[i].subject().iter().any(|(_, k, _)| {
                    k.and_then(|k| PublicKey::parse(k).ok()).is_some_and(|k| k.fingerprint() == fingerprint)
                })
        })
        .unwrap_or(usize::MAX)
}

fn describe(op: &MemberOp) -> String {
    match &op.action {
        Action::Root { .. } => "the vault's beginning".to_string(),
        Action::Add { member } => format!("adding \"{}\"", crate::members::display_name(&member.name)),
        Action::Remove { member } => format!("removing \"{}\"", crate::members::display_name(&member.name)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    struct Person {
        signer: Signer,
        name: &'static str,
    }

    fn person(name: &'static str) -> Person {
        Person { signer: Signer::from_age_identity(&age::x25519::Identity::generate()), name }
    }

    fn key(p: &Person) -> MemberKey {
        MemberKey {
            name: p.name.into(),
            public_key: p.signer.recipient().to_string(),
            signing_key: Some(p.signer.public_key()),
        }
    }

    fn at(s: i64) -> DateTime<Utc> {
        Utc.timestamp_opt(1_700_000_000 + s, 0).unwrap()
    }

    fn root(p: &Person) -> MemberOp {
        let member = Member {
            name: p.name.into(),
            public_key: p.signer.recipient().to_string(),
            signing_key: Some(p.signer.public_key()),
            added_at: at(0),
            added_by: p.name.into(),
            removed_at: None,
            removed_by: None,
            unknown: Default::default(),
        };
        MemberOp::sign("v", Vec::new(), Action::Root { members: vec![member] }, at(0), &p.signer)
    }

    fn op(by: &Person, after: &[&MemberOp], action: Action, t: i64) -> MemberOp {
        MemberOp::sign("v", after.iter().map(|o| o.hash()).collect(), action, at(t), &by.signer)
    }

    fn active(log: &[MemberOp]) -> Vec<String> {
        let m = evaluate("v", log, None, at(100)).unwrap();
        m.members.iter().filter(|m| m.is_active()).map(|m| m.name.clone()).collect()
    }

    #[test]
    fn adds_and_removes_count_only_when_signed_by_a_member_at_that_point() {
        let (ann, bob, cat, eve) = (person("ann"), person("bob"), person("cat"), person("eve"));
        let r = root(&ann);
        let add_bob = op(&ann, &[&r], Action::Add { member: key(&bob) }, 1);
        let add_cat = op(&bob, &[&add_bob], Action::Add { member: key(&cat) }, 2);
        assert_eq!(active(&[r.clone(), add_bob.clone(), add_cat.clone()]), ["ann", "bob", "cat"]);

        // Someone who was never a member adds themselves: not applied, and said.
        let by_eve = op(&eve, &[&add_cat], Action::Add { member: key(&eve) }, 3);
        let m = evaluate("v", &[r.clone(), add_bob.clone(), add_cat.clone(), by_eve], None, at(100)).unwrap();
        assert_eq!(m.members.iter().filter(|m| m.is_active()).count(), 3);
        assert!(m.refused[0].contains("not signed by someone who was a member then"), "{:?}", m.refused);

        // Bob is removed; what Bob added before stays (Cat is still a member).
        let rm_bob = op(&ann, &[&add_cat], Action::Remove { member: key(&bob) }, 4);
        let log = vec![r.clone(), add_bob.clone(), add_cat.clone(), rm_bob.clone()];
        assert_eq!(active(&log), ["ann", "cat"]);
        // After his removal he cannot add anyone, nor himself back ...
        let late = op(&bob, &[&rm_bob], Action::Add { member: key(&eve) }, 5);
        // ... and pretending not to know of it does not help (concurrent with the removal).
        let backdated = op(&bob, &[&add_cat], Action::Add { member: key(&eve) }, 3);
        for attempt in [late, backdated] {
            let mut with = log.clone();
            with.push(attempt);
            let m = evaluate("v", &with, None, at(100)).unwrap();
            assert_eq!(m.members.iter().filter(|m| m.is_active()).count(), 2, "{:?}", m.members);
            assert_eq!(m.refused.len(), 1);
        }
        // Re-added by a member, after the removal: back.
        let again = op(&cat, &[&rm_bob], Action::Add { member: key(&bob) }, 6);
        let mut with = log.clone();
        with.push(again);
        assert_eq!(active(&with), ["ann", "cat", "bob"]);
    }

    #[test]
    fn concurrent_changes_merge_and_a_removal_wins_over_a_concurrent_add() {
        let (ann, bob, cat, dan) = (person("ann"), person("bob"), person("cat"), person("dan"));
        let r = root(&ann);
        let add_bob = op(&ann, &[&r], Action::Add { member: key(&bob) }, 1);
        // Two members each add someone at the same time: both count, and the next operation
        // follows both heads.
        let add_cat = op(&ann, &[&add_bob], Action::Add { member: key(&cat) }, 2);
        let add_dan = op(&bob, &[&add_bob], Action::Add { member: key(&dan) }, 2);
        let log = vec![r.clone(), add_bob.clone(), add_cat.clone(), add_dan.clone()];
        let m = evaluate("v", &log, None, at(100)).unwrap();
        assert_eq!(m.members.iter().filter(|m| m.is_active()).count(), 4);
        assert_eq!(m.heads.len(), 2);
        // The same log in any order gives the same membership.
        let mut reversed = log.clone();
        reversed.reverse();
        assert_eq!(evaluate("v", &reversed, None, at(100)).unwrap(), m);

        // Ann removes Dan while Bob, not knowing, adds him again: removed.
        let rm_dan = op(&ann, &[&add_cat, &add_dan], Action::Remove { member: key(&dan) }, 3);
        let re_add = op(&bob, &[&add_cat, &add_dan], Action::Add { member: key(&dan) }, 3);
        let mut both = log.clone();
        both.extend([rm_dan, re_add]);
        assert_eq!(active(&both), ["ann", "bob", "cat"]);
    }

    /// Found in review: with the removal of Bob, what Bob did after it (adding Eve, who then
    /// "removes" Ann) must not undo it.
    #[test]
    fn a_removed_member_cannot_undo_the_removal_through_someone_he_added() {
        let (ann, bob, eve) = (person("ann"), person("bob"), person("eve"));
        let r = root(&ann);
        let add_bob = op(&ann, &[&r], Action::Add { member: key(&bob) }, 1);
        let rm_bob = op(&ann, &[&add_bob], Action::Remove { member: key(&bob) }, 2);
        let add_eve = op(&bob, &[&add_bob], Action::Add { member: key(&eve) }, 2);
        let eve_removes_ann = op(&eve, &[&add_eve], Action::Remove { member: key(&ann) }, 3);
        let log = vec![r, add_bob, rm_bob, add_eve, eve_removes_ann];
        assert_eq!(active(&log), ["ann"]);
        let m = evaluate("v", &log, None, at(100)).unwrap();
        assert!(
            m.refused
                .iter()
                .any(|r| r.contains("adding \"eve\"") && r.contains("removed from the team at the same time"))
        );
    }

    /// Found in review: rules that Keyward applies when adding hold for hand-made operations too.
    #[test]
    fn an_operation_cannot_take_over_a_member_or_fake_whom_it_removes() {
        let (ann, bob, cat, mallory) = (person("ann"), person("bob"), person("cat"), person("mallory"));
        let r = root(&ann);
        let add_bob = op(&ann, &[&r], Action::Add { member: key(&bob) }, 1);
        let add_cat = op(&ann, &[&add_bob], Action::Add { member: key(&cat) }, 2);
        // Bob "adds" Ann's public key again with his own signing key (to sign as Ann).
        let takeover = MemberKey { signing_key: Some(bob.signer.public_key()), ..key(&ann) };
        let steal = op(&bob, &[&add_cat], Action::Add { member: takeover }, 3);
        // Bob "removes" Cat while naming Mallory's signing key, to beat Mallory's changes instead.
        let fake = MemberKey { signing_key: Some(mallory.signer.public_key()), ..key(&cat) };
        let log = vec![r.clone(), add_bob.clone(), add_cat.clone(), steal];
        let m = evaluate("v", &log, None, at(100)).unwrap();
        assert!(m.refused[0].contains("already a member's"), "{:?}", m.refused);
        assert_eq!(m.members[0].signing_key, Some(ann.signer.public_key()));
        let rm = op(&bob, &[&add_cat], Action::Remove { member: fake }, 3);
        // Cat, concurrently, does something: the removal beats Cat's operation (it removes Cat),
        // whatever signing key it claims.
        let cat_adds = op(&cat, &[&add_cat], Action::Add { member: key(&mallory) }, 3);
        let log = vec![r, add_bob, add_cat, rm, cat_adds];
        assert_eq!(active(&log), ["ann", "bob"]);
    }

    #[test]
    fn two_members_removing_each_other_the_one_who_joined_first_stays() {
        let (ann, bob) = (person("ann"), person("bob"));
        let r = root(&ann);
        let add_bob = op(&ann, &[&r], Action::Add { member: key(&bob) }, 1);
        let ann_removes_bob = op(&ann, &[&add_bob], Action::Remove { member: key(&bob) }, 2);
        let bob_removes_ann = op(&bob, &[&add_bob], Action::Remove { member: key(&ann) }, 2);
        let log = vec![r, add_bob, bob_removes_ann, ann_removes_bob];
        assert_eq!(active(&log), ["ann"]);
    }

    #[test]
    fn future_dates_forged_signatures_unknown_parents_and_second_roots_are_refused() {
        let (ann, bob, eve) = (person("ann"), person("bob"), person("eve"));
        let r = root(&ann);
        let future = op(&ann, &[&r], Action::Add { member: key(&bob) }, 100 + 3600);
        let m = evaluate("v", &[r.clone(), future], None, at(100)).unwrap();
        assert!(m.refused[0].contains("dated in the future"), "{:?}", m.refused);

        let mut forged = op(&ann, &[&r], Action::Add { member: key(&bob) }, 1);
        forged.action = Action::Add { member: key(&eve) };
        let m = evaluate("v", &[r.clone(), forged], None, at(100)).unwrap();
        assert!(m.refused[0].contains("signature does not match"), "{:?}", m.refused);

        let orphan =
            MemberOp { parents: vec!["00".repeat(32)], ..op(&ann, &[&r], Action::Add { member: key(&bob) }, 1) };
        let m = evaluate("v", &[r.clone(), orphan], None, at(100)).unwrap();
        assert!(m.refused[0].contains("does not follow from this vault's beginning"), "{:?}", m.refused);

        // Another vault's operations do not verify here.
        let other_vault = MemberOp::sign("w", vec![r.hash()], Action::Add { member: key(&bob) }, at(1), &ann.signer);
        assert_eq!(evaluate("v", &[r.clone(), other_vault], None, at(100)).unwrap().refused.len(), 1);

        // A second beginning: refused unless this device pinned one, which then decides.
        let eve_root = root(&eve);
        assert!(evaluate("v", &[r.clone(), eve_root.clone()], None, at(100)).is_err());
        let pinned = evaluate("v", &[r.clone(), eve_root.clone()], Some(&r.hash()), at(100)).unwrap();
        assert_eq!(pinned.members.iter().map(|m| m.name.as_str()).collect::<Vec<_>>(), ["ann"]);
        assert_eq!(evaluate("v", &[eve_root], Some(&r.hash()), at(100)).unwrap_err().to_string(), ROOT_CHANGED);
    }
}
