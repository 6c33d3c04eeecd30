//! Team vaults: the members a vault is encrypted to, adding and removing them, and which keys
//! a former member could read (to rotate).
//!
//! Removed members stay in the list with `removed_at`, so that a removal survives merging with
//! an older copy (the record with the later change wins), and so that the keys they could read
//! are known: every key whose current value was set before they were removed.

use crate::crypto::{self, Recipient};
use crate::document::{Change, Document};
use crate::entry::Entry;
use crate::error::{Result, VaultError};
use chrono::{DateTime, Utc};
use serde::Serialize;
use serde_json::{Map, Value};

/// A person a team vault is (or was) encrypted to.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Member {
    pub name: String,
    /// `age1…`, or an SSH public key line (`ssh-ed25519 AAAA… comment`).
    pub public_key: String,
    pub added_at: DateTime<Utc>,
    pub added_by: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub removed_at: Option<DateTime<Utc>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub removed_by: Option<String>,
    /// Fields written by a newer Keyward: kept as they are and written back.
    #[serde(flatten)]
    pub unknown: Map<String, Value>,
}

crate::unknown_fields::deserialize_keeping_unknown!(
    Member,
    times: [added_at],
    required: [name, public_key, added_by],
    optional: [removed_at, removed_by]
);

impl Member {
    pub fn is_active(&self) -> bool {
        self.removed_at.is_none()
    }

    /// The key without an SSH comment, to compare keys.
    pub fn key_id(&self) -> String {
        key_id(&self.public_key)
    }

    /// When this record last changed (added or removed).
    pub fn changed_at(&self) -> DateTime<Utc> {
        self.removed_at.map_or(self.added_at, |r| r.max(self.added_at))
    }
}

/// A public key without an SSH comment: `ssh-ed25519 AAAA…`, or the `age1…` key itself.
pub fn key_id(public_key: &str) -> String {
    public_key.split_whitespace().take(2).collect::<Vec<_>>().join(" ")
}

/// Recorded as who "removed" the last member when a team vault was made personal again: that
/// member keeps the vault, so the keys are not exposed to a former member.
pub const MADE_PERSONAL: &str = "keyward (made personal)";

/// A key a former member could read, and who.
#[derive(Debug, Clone, PartialEq)]
pub struct Exposed<'a> {
    pub entry: &'a Entry,
    pub former_members: Vec<&'a str>,
}

impl Document {
    /// A team vault is encrypted to its members' public keys; a personal one to a passphrase.
    pub fn is_team(&self) -> bool {
        self.members.iter().any(Member::is_active)
    }

    pub fn active_members(&self) -> impl Iterator<Item = &Member> {
        self.members.iter().filter(|m| m.is_active())
    }

    /// The current member with this public key (who "I" am in this vault).
    pub fn member_with_key(&self, public_key: &str) -> Option<&Member> {
        let id = key_id(public_key);
        self.active_members().find(|m| m.key_id() == id)
    }

    /// The public keys to encrypt to.
    pub fn recipients(&self) -> Result<Vec<Recipient>> {
        self.active_members().map(|m| crypto::parse_recipient(&m.public_key)).collect()
    }

    /// Adds a member. Names and keys must be new among current members; a former member's key
    /// may be added back.
    pub fn add_member(&mut self, name: &str, public_key: &str, change: &Change) -> Result<&Member> {
        let name = name.trim();
        if name.is_empty() {
            return Err(VaultError::Invalid("Give the member a name.".into()));
        }
        let public_key = public_key.trim();
        crypto::parse_recipient(public_key)?;
        if self.active_members().any(|m| m.name.eq_ignore_ascii_case(name)) {
            return Err(VaultError::Invalid(format!("There is already a member named \"{name}\".")));
        }
        if let Some(m) = self.member_with_key(public_key) {
            return Err(VaultError::Invalid(format!("That public key is already {}'s.", m.name)));
        }
        let id = key_id(public_key);
        // A former member added back: their record is replaced by a newer one (which wins over
        // the removal in merges). As a member again they can read every key anyway.
        let added_at = self
            .members
            .iter()
            .filter(|m| m.key_id() == id)
            .map(|m| m.changed_at() + chrono::Duration::nanoseconds(1))
            .fold(change.now, DateTime::max);
        self.members.retain(|m| m.key_id() != id);
        self.members.push(Member {
            name: name.to_string(),
            public_key: public_key.to_string(),
            added_at,
            added_by: change.actor.to_string(),
            removed_at: None,
            removed_by: None,
            unknown: Map::new(),
        });
        Ok(self.members.last().expect("just pushed"))
    }

    /// Removes a member: the vault will be encrypted without them. Returns the names of the
    /// keys they could read, to rotate. The last member cannot be removed.
    pub fn remove_member(&mut self, name: &str, change: &Change) -> Result<Vec<String>> {
        let name = name.trim();
        let index = self
            .members
            .iter()
            .position(|m| m.is_active() && m.name.eq_ignore_ascii_case(name))
            .ok_or_else(|| VaultError::Invalid(format!("There is no member named \"{name}\".")))?;
        if self.active_members().count() == 1 {
            return Err(VaultError::Invalid(format!(
                "\"{name}\" is the last member: a team vault needs at least one."
            )));
        }
        let member = &mut self.members[index];
        member.removed_at = Some(change.now.max(member.added_at + chrono::Duration::nanoseconds(1)));
        member.removed_by = Some(change.actor.to_string());
        let removed = member.name.clone();
        Ok(self
            .exposed()
            .into_iter()
            .filter(|x| x.former_members.contains(&removed.as_str()))
            .map(|x| x.entry.name.clone())
            .collect())
    }

    /// Keys whose current value a former member could read (it was set before they were
    /// removed): they should be rotated. Replacing a key's value clears this.
    pub fn exposed(&self) -> Vec<Exposed<'_>> {
        let former: Vec<&Member> =
            self.members.iter().filter(|m| !m.is_active() && m.removed_by.as_deref() != Some(MADE_PERSONAL)).collect();
        if former.is_empty() {
            return Vec::new();
        }
        self.entries
            .iter()
            .filter_map(|entry| {
                let since = value_set_at(entry);
                let former_members: Vec<&str> = former
                    .iter()
                    .filter(|m| m.removed_at.is_some_and(|r| since < r))
                    .map(|m| m.name.as_str())
                    .collect();
                (!former_members.is_empty()).then_some(Exposed { entry, former_members })
            })
            .collect()
    }
}

impl Document {
    /// Whether this team vault can be made personal again (one member is left); says why not.
    pub fn check_make_personal(&self) -> Result<()> {
        self.only_member().map(|_| ())
    }

    /// Makes a team vault with one member left personal again: that member's record is kept,
    /// marked as [`MADE_PERSONAL`] (so that merging an older copy does not bring the team back).
    pub fn make_personal(&mut self, change: &Change) -> Result<()> {
        let only = self.only_member()?;
        let member = &mut self.members[only];
        member.removed_at = Some(change.now.max(member.added_at + chrono::Duration::nanoseconds(1)));
        member.removed_by = Some(MADE_PERSONAL.to_string());
        Ok(())
    }

    /// The index of the only active member.
    fn only_member(&self) -> Result<usize> {
        let active: Vec<usize> = (0..self.members.len()).filter(|&i| self.members[i].is_active()).collect();
        match active[..] {
            [] => Err(VaultError::Invalid("This is already a personal vault.".into())),
            [only] => Ok(only),
            _ => Err(VaultError::Invalid(format!(
                "Remove the other {} member(s) first (they may have kept copies of the keys).",
                active.len() - 1
            ))),
        }
    }
}

/// When an entry's current value was set: when the previous value was replaced, else when the
/// entry was created.
pub fn value_set_at(entry: &Entry) -> DateTime<Utc> {
    entry.history.iter().map(|h| h.replaced_at).max().unwrap_or(entry.created_at).max(entry.created_at)
}

/// Merges two member lists: one record per key, the one changed last (ties broken by a fixed
/// order, so that merging is commutative).
pub fn merge_members(a: &[Member], b: &[Member]) -> Vec<Member> {
    let mut by_key: std::collections::BTreeMap<String, &Member> = Default::default();
    for m in a.iter().chain(b) {
        // The record changed last wins; equal times are settled by every other field, so that
        // merging in any order gives the same result (two people removing the same member in
        // the same second differ only in `removed_by`).
        let order = |m: &Member| {
            (
                m.changed_at(),
                m.removed_at.is_some(),
                m.name.clone(),
                m.added_by.clone(),
                m.added_at,
                m.removed_at,
                m.removed_by.clone(),
                serde_json::to_string(&m.unknown).unwrap_or_default(),
            )
        };
        match by_key.get(&m.key_id()) {
            Some(old) if order(old) >= order(m) => {}
            _ => {
                by_key.insert(m.key_id(), m);
            }
        }
    }
    let mut out: Vec<Member> = by_key.into_values().cloned().collect();
    out.sort_by(|x, y| (x.added_at, &x.name).cmp(&(y.added_at, &y.name)));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::EntryFields;
    use crate::secret::Secret;
    use chrono::TimeZone;

    fn at(secs: i64) -> DateTime<Utc> {
        Utc.timestamp_opt(1_700_000_000 + secs, 0).unwrap()
    }

    fn key() -> String {
        age::x25519::Identity::generate().to_public().to_string()
    }

    /// Found by the merge property test: two people remove the same member in the same second.
    #[test]
    fn simultaneous_removals_merge_the_same_either_way() {
        let carol = Member {
            name: "carol".into(),
            public_key: key(),
            added_at: at(0),
            added_by: "alice".into(),
            removed_at: Some(at(36)),
            removed_by: Some("carol".into()),
            unknown: Default::default(),
        };
        let by_alice = Member { removed_by: Some("alice".into()), ..carol.clone() };
        let ab = merge_members(std::slice::from_ref(&carol), std::slice::from_ref(&by_alice));
        let ba = merge_members(std::slice::from_ref(&by_alice), std::slice::from_ref(&carol));
        assert_eq!(ab, ba);
        assert_eq!(ab.len(), 1);
    }

    #[test]
    fn add_remove_and_keys_to_rotate() {
        let mut doc = Document::new(at(0));
        let (ann, bob) = (key(), key());
        doc.add_member("ann", &ann, &Change { now: at(1), actor: "ann" }).unwrap();
        doc.add_member("bob", &bob, &Change { now: at(2), actor: "ann" }).unwrap();
        assert!(doc.is_team());
        assert_eq!(doc.recipients().unwrap().len(), 2);
        let err = doc.add_member("Bob", &key(), &Change { now: at(3), actor: "ann" }).unwrap_err();
        assert_eq!(err.to_string(), "There is already a member named \"Bob\".");
        let err = doc.add_member("carl", &bob, &Change { now: at(3), actor: "ann" }).unwrap_err();
        assert_eq!(err.to_string(), "That public key is already bob's.");
        assert!(doc.add_member("x", "not a key", &Change { now: at(3), actor: "ann" }).is_err());

        let c = |s| Change { now: at(s), actor: "ann" };
        doc.add("old", Secret::from("sk-old"), EntryFields::default(), &c(4)).unwrap();
        doc.add("replaced", Secret::from("sk-1"), EntryFields::default(), &c(5)).unwrap();
        let to_rotate = doc.remove_member("bob", &c(10)).unwrap();
        assert_eq!(to_rotate, ["old", "replaced"]);
        assert_eq!(doc.recipients().unwrap().len(), 1);
        assert_eq!(doc.members.len(), 2, "the former member's record is kept");
        doc.edit("replaced", None, Some(Secret::from("sk-2")), EntryFields::default(), &c(11)).unwrap();
        doc.add("new", Secret::from("sk-new"), EntryFields::default(), &c(12)).unwrap();
        let exposed: Vec<_> = doc.exposed().iter().map(|x| (x.entry.name.clone(), x.former_members.clone())).collect();
        assert_eq!(exposed, [("old".to_string(), vec!["bob"])]);
        let err = doc.remove_member("ann", &c(13)).unwrap_err();
        assert_eq!(err.to_string(), "\"ann\" is the last member: a team vault needs at least one.");
        assert!(doc.remove_member("zed", &c(13)).is_err());
    }

    #[test]
    fn removal_survives_merging_with_an_older_copy_and_merging_is_symmetric() {
        let mut doc = Document::new(at(0));
        let (ann, bob) = (key(), key());
        doc.add_member("ann", &ann, &Change { now: at(1), actor: "ann" }).unwrap();
        doc.add_member("bob", &bob, &Change { now: at(2), actor: "ann" }).unwrap();
        let older = doc.members.clone();
        doc.remove_member("bob", &Change { now: at(5), actor: "ann" }).unwrap();
        let merged = merge_members(&older, &doc.members);
        assert_eq!(merged, merge_members(&doc.members, &older));
        assert_eq!(merged.iter().filter(|m| m.is_active()).count(), 1);
        // Added back later: active again.
        let mut again = doc.clone();
        again.add_member("bob", &bob, &Change { now: at(9), actor: "ann" }).unwrap();
        let merged = merge_members(&doc.members, &again.members);
        assert_eq!(merged.iter().filter(|m| m.is_active()).count(), 2);
    }
}
