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

/// A member line someone shared (`keyward identity`): their age or SSH public key and, when
/// they can sign changes, their signing key: `age1… ed25519:…`.
pub fn parse_member_line(line: &str) -> Result<crate::member_log::MemberKey> {
    let line = line.trim();
    let (public_key, signing_key) = match line.rsplit_once(char::is_whitespace) {
        Some((rest, last)) if last.starts_with(crate::signing::PUBLIC_KEY_PREFIX) => {
            crate::signing::PublicKey::parse(last)?;
            (rest.trim().to_string(), Some(last.to_string()))
        }
        _ => (line.to_string(), None),
    };
    crypto::parse_recipient(&public_key)?;
    Ok(crate::member_log::MemberKey { name: String::new(), public_key, signing_key })
}

impl crate::member_log::MemberKey {
    /// The fingerprint of the signing key, if any.
    pub fn fingerprint(&self) -> Option<String> {
        self.signing_key.as_deref().and_then(|k| crate::signing::PublicKey::parse(k).ok()).map(|k| k.fingerprint())
    }
}

/// A member name as it may be shown: control characters removed, at most 60 characters.
pub fn display_name(name: &str) -> String {
    name.chars().filter(|c| !c.is_control()).take(60).collect()
}

/// A new member's name, trimmed and checked (not empty, printable, not too long).
fn check_member_name(name: &str) -> Result<String> {
    let name: String = unicode_normalization::UnicodeNormalization::nfc(name.trim()).collect();
    if name.is_empty() {
        return Err(VaultError::Invalid("Give the member a name.".into()));
    }
    // Control characters, and invisible ones that hide or reorder what is shown.
    let invisible = |c: char| matches!(c, '\u{AD}' | '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{2064}' | '\u{2066}'..='\u{2069}' | '\u{FEFF}');
    if name.chars().any(|c| c.is_control() || invisible(c)) {
        return Err(VaultError::Invalid("A member's name cannot hold control or invisible characters.".into()));
    }
    if name.chars().count() > 60 {
        return Err(VaultError::Invalid("A member's name can be at most 60 characters long.".into()));
    }
    Ok(name)
}

/// Whether two names look the same to a person: compared after NFKC, confusable folding
/// (UTS #39 skeletons: Cyrillic "а" is Latin "a") and case.
pub fn looks_alike(a: &str, b: &str) -> bool {
    skeleton(a) == skeleton(b)
}

/// What a name looks like (see [`looks_alike`]): names with the same skeleton look the same.
pub fn skeleton(name: &str) -> String {
    let folded: String = unicode_normalization::UnicodeNormalization::nfkc(name).flat_map(char::to_lowercase).collect();
    let skeleton: String = unicode_security::confusable_detection::skeleton(&folded).collect();
    skeleton.chars().flat_map(char::to_lowercase).filter(|c| !c.is_whitespace()).collect()
}

/// A person a team vault is (or was) encrypted to.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Member {
    pub name: String,
    /// `age1…`, or an SSH public key line (`ssh-ed25519 AAAA… comment`).
    pub public_key: String,
    /// `ed25519:…`, the key their changes are signed with; none for a read-only member.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub signing_key: Option<String>,
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
    optional: [removed_at, removed_by, signing_key]
);

impl Member {
    pub fn is_active(&self) -> bool {
        self.removed_at.is_none()
    }

    /// The short fingerprint people compare: of the signing key, else of the public key.
    pub fn fingerprint(&self) -> String {
        match self.signing_key.as_deref().and_then(|k| crate::signing::PublicKey::parse(k).ok()) {
            Some(k) => k.fingerprint(),
            None => crate::signing::fingerprint_of_text(&self.key_id()),
        }
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

    /// Adds a member from the line they shared (`age1… ed25519:…`, see [`parse_member_line`]).
    /// Names and keys must be new among current members (names compared as they look); a
    /// former member's key may be added back, and a member without a signing key may be added
    /// again with one (which lets them write). In a team vault with signed changes, the
    /// addition is a membership operation, signed when the vault is saved.
    pub fn add_member(&mut self, name: &str, line: &str, change: &Change) -> Result<&Member> {
        let name = check_member_name(name)?;
        let key = parse_member_line(line)?;
        let existing = self.member_with_key(&key.public_key);
        let upgrade = existing.is_some_and(|m| m.signing_key.is_none() && key.signing_key.is_some());
        if let Some(m) = existing
            && !upgrade
        {
            return Err(VaultError::Invalid(format!("That public key is already {}'s.", display_name(&m.name))));
        }
        let existing_id = existing.map(Member::key_id);
        if let Some(m) = self.active_members().find(|m| Some(m.key_id()) != existing_id && looks_alike(&m.name, &name))
        {
            return Err(VaultError::Invalid(if m.name.eq_ignore_ascii_case(&name) {
                format!("There is already a member named \"{}\".", display_name(&name))
            } else {
                format!(
                    "\"{}\" looks like the name of the member \"{}\"; choose a name that cannot be mistaken for it.",
                    display_name(&name),
                    display_name(&m.name)
                )
            }));
        }
        if let Some(fp) = key.fingerprint()
            && let Some(m) = self.active_members().find(|m| Some(m.key_id()) != existing_id && m.fingerprint() == fp)
        {
            return Err(VaultError::Invalid(format!("That signing key is already {}'s.", display_name(&m.name))));
        }
        let id = key_id(&key.public_key);
        // A former member added back: their record is replaced by a newer one (which wins over
        // the removal in merges). As a member again they can read every key anyway.
        let added_at = self
            .members
            .iter()
            .filter(|m| m.key_id() == id)
            .map(|m| m.changed_at() + chrono::Duration::nanoseconds(1))
            .fold(change.now, DateTime::max);
        if self.is_signed() {
            self.membership.push(crate::member_log::MemberOp::pending(
                crate::member_log::Action::Add {
                    member: crate::member_log::MemberKey { name: name.clone(), ..key.clone() },
                },
                added_at,
            ));
        }
        self.members.retain(|m| m.key_id() != id);
        self.members.push(Member {
            name,
            public_key: key.public_key,
            signing_key: key.signing_key,
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
        if self.is_signed() {
            let member = self.members[index].clone();
            let subject = crate::member_log::MemberKey {
                name: member.name.clone(),
                public_key: member.public_key.clone(),
                signing_key: member.signing_key.clone(),
            };
            let at = member.removed_at.expect("just set");
            self.membership
                .push(crate::member_log::MemberOp::pending(crate::member_log::Action::Remove { member: subject }, at));
            // Their changes so far stay: I vouch for them now (a removed member's signature no
            // longer counts, so that they cannot act by pretending not to know of the removal).
            crate::authenticate::adopt(self, &member.fingerprint());
        }
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
            signing_key: None,
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
