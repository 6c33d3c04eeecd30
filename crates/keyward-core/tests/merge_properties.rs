//! Property tests: the document format round-trips, and merging copies of a vault loses no
//! saved value, does not depend on order, and changes nothing when repeated.

use chrono::{DateTime, TimeZone, Utc};
use keyward_core::document::{Change, Document, EntryFields};
use keyward_core::merge::merge;
use keyward_core::{Entry, Secret};
use proptest::prelude::*;
use std::collections::BTreeSet;

const NAMES: &[&str] = &["alpha", "beta", "gamma", "delta"];
const ACTORS: &[&str] = &["alice", "bob", "carol"];

#[derive(Debug, Clone)]
enum Op {
    Add { name: usize, secret: u8 },
    Replace { target: usize, secret: u8 },
    Tag { target: usize, tag: u8 },
    Rename { target: usize, name: usize },
    Remove { target: usize },
    AddMember { who: usize },
    RemoveMember { who: usize },
}

/// Three people's public keys, the same in every case.
static MEMBER_KEYS: std::sync::LazyLock<Vec<String>> =
    std::sync::LazyLock::new(|| (0..3).map(|_| age::x25519::Identity::generate().to_public().to_string()).collect());

fn op() -> impl Strategy<Value = (Op, i64, usize)> {
    let op = prop_oneof![
        (0..NAMES.len(), any::<u8>()).prop_map(|(name, secret)| Op::Add { name, secret }),
        (any::<usize>(), any::<u8>()).prop_map(|(target, secret)| Op::Replace { target, secret }),
        (any::<usize>(), 0u8..4).prop_map(|(target, tag)| Op::Tag { target, tag }),
        (any::<usize>(), 0..NAMES.len()).prop_map(|(target, name)| Op::Rename { target, name }),
        any::<usize>().prop_map(|target| Op::Remove { target }),
        (0..ACTORS.len()).prop_map(|who| Op::AddMember { who }),
        (0..ACTORS.len()).prop_map(|who| Op::RemoveMember { who }),
    ];
    // Times from a small range, so that equal timestamps (ties) happen often.
    (op, 0i64..30, 0..ACTORS.len())
}

fn at(seconds: i64) -> DateTime<Utc> {
    Utc.timestamp_opt(1_700_000_000 + seconds, 0).unwrap()
}

fn apply(doc: &mut Document, ops: &[(Op, i64, usize)], time_offset: i64) {
    for (op, t, actor) in ops {
        let change = Change { now: at(time_offset + t), actor: ACTORS[*actor] };
        let pick = |doc: &Document, i: usize| {
            (!doc.entries.is_empty()).then(|| doc.entries[i % doc.entries.len()].name.clone())
        };
        // Errors (duplicate names) are part of normal use and simply change nothing.
        let _ = match op {
            Op::Add { name, secret } => {
                doc.add(NAMES[*name], Secret::new(format!("sk-{secret}")), EntryFields::default(), &change).map(|_| ())
            }
            Op::Replace { target, secret } => match pick(doc, *target) {
                Some(n) => doc
                    .edit(&n, None, Some(Secret::new(format!("sk-{secret}"))), EntryFields::default(), &change)
                    .map(|_| ()),
                None => Ok(()),
            },
            Op::Tag { target, tag } => match pick(doc, *target) {
                Some(n) => {
                    let fields = EntryFields { tags: Some(vec![format!("t{tag}")]), ..Default::default() };
                    doc.edit(&n, None, None, fields, &change).map(|_| ())
                }
                None => Ok(()),
            },
            Op::Rename { target, name } => match pick(doc, *target) {
                Some(n) => doc.edit(&n, Some(NAMES[*name]), None, EntryFields::default(), &change).map(|_| ()),
                None => Ok(()),
            },
            Op::Remove { target } => match pick(doc, *target) {
                Some(n) => doc.remove(&n, &change).map(|_| ()),
                None => Ok(()),
            },
            Op::AddMember { who } => doc.add_member(ACTORS[*who], &MEMBER_KEYS[*who], &change).map(|_| ()),
            Op::RemoveMember { who } => doc.remove_member(ACTORS[*who], &change).map(|_| ()),
        };
    }
}

/// Every (entry id, secret value, when it was saved) a document holds, current or in history.
fn values(doc: &Document) -> BTreeSet<(String, String, DateTime<Utc>)> {
    doc.entries.iter().flat_map(entry_values).collect()
}

fn entry_values(e: &Entry) -> Vec<(String, String, DateTime<Utc>)> {
    std::iter::once((&e.secret, e.updated_at))
        .chain(e.history.iter().map(|h| (&h.secret, h.replaced_at)))
        .map(|(s, t)| (e.id.clone(), s.expose().to_string(), t))
        .collect()
}

fn copies() -> impl Strategy<Value = (Document, Document, Document)> {
    let ops = || prop::collection::vec(op(), 0..12);
    (ops(), ops(), ops(), ops()).prop_map(|(base_ops, a_ops, b_ops, c_ops)| {
        let mut base = Document::new(at(0));
        apply(&mut base, &base_ops, 0);
        let (mut a, mut b, mut c) = (base.clone(), base.clone(), base);
        apply(&mut a, &a_ops, 30);
        apply(&mut b, &b_ops, 30);
        apply(&mut c, &c_ops, 30);
        (a, b, c)
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn format_round_trip((a, _, _) in copies()) {
        let parsed = Document::from_json(&a.to_json()).unwrap();
        prop_assert_eq!(parsed, a);
    }

    #[test]
    fn no_saved_value_is_lost((a, b, _) in copies()) {
        let m = merge(&a, &b);
        let kept: BTreeSet<(String, String)> = values(&m).into_iter().map(|(id, v, _)| (id, v)).collect();
        for (id, value, saved_at) in values(&a).union(&values(&b)) {
            // Only a deletion made after a value was saved may take that value away.
            let deleted_after = m.tombstones.iter().any(|t| &t.id == id && t.deleted_at >= *saved_at);
            if !deleted_after {
                prop_assert!(kept.contains(&(id.clone(), value.clone())), "a value of {} was lost", id);
            }
        }
    }

    #[test]
    fn additions_and_deletions_from_both_sides_are_kept((a, b, _) in copies()) {
        let m = merge(&a, &b);
        let tombstones: BTreeSet<&str> = m.tombstones.iter().map(|t| t.id.as_str()).collect();
        for side in [&a, &b] {
            for t in &side.tombstones {
                prop_assert!(tombstones.contains(t.id.as_str()));
            }
            for e in &side.entries {
                let newest_deletion = m.tombstones.iter().find(|t| t.id == e.id).map(|t| t.deleted_at);
                let should_live = newest_deletion.is_none_or(|d| e.updated_at > d);
                prop_assert_eq!(m.entries.iter().any(|x| x.id == e.id), should_live);
            }
        }
        let mut m = m;
        let renamed = m.rename_clashes(&Change { now: at(100), actor: "merge" });
        let names: BTreeSet<&str> = m.entries.iter().map(|e| e.name.as_str()).collect();
        prop_assert_eq!(names.len(), m.entries.len(), "names are unique after renaming clashes");
        for (_, new) in renamed {
            prop_assert!(m.get(&new).is_ok());
        }
    }

    #[test]
    fn the_latest_membership_change_of_either_side_wins((a, b, _) in copies()) {
        let m = merge(&a, &b);
        for key in MEMBER_KEYS.iter() {
            let records: Vec<_> = a.members.iter().chain(&b.members).filter(|x| &x.public_key == key).collect();
            let Some(latest) = records.iter().map(|x| x.changed_at()).max() else {
                prop_assert!(!m.members.iter().any(|x| &x.public_key == key));
                continue;
            };
            let merged = m.members.iter().find(|x| &x.public_key == key).unwrap();
            prop_assert_eq!(merged.changed_at(), latest);
            // Removed on one side after every addition on the other: stays removed.
            if records.iter().filter(|x| x.changed_at() == latest).all(|x| !x.is_active()) {
                prop_assert!(!merged.is_active());
            }
        }
    }

    #[test]
    fn order_of_merging_does_not_matter((a, b, c) in copies()) {
        prop_assert_eq!(merge(&a, &b), merge(&b, &a));
        prop_assert_eq!(merge(&merge(&a, &b), &c), merge(&a, &merge(&b, &c)));
        prop_assert_eq!(merge(&merge(&a, &c), &b), merge(&merge(&c, &b), &a));
    }

    #[test]
    fn merging_twice_changes_nothing((a, b, _) in copies()) {
        let m = merge(&a, &b);
        prop_assert_eq!(merge(&m, &b), m.clone());
        prop_assert_eq!(merge(&m, &a), m.clone());
        prop_assert_eq!(merge(&m, &m), m);
    }
}

#[test]
fn both_edited_the_same_entry_newer_wins_and_older_value_goes_to_history() {
    let mut base = Document::new(at(0));
    let c0 = Change { now: at(1), actor: "alice" };
    base.add("k", Secret::from("sk-old"), EntryFields::default(), &c0).unwrap();
    let (mut a, mut b) = (base.clone(), base);
    a.edit("k", None, Some(Secret::from("sk-a")), EntryFields::default(), &Change { now: at(5), actor: "alice" })
        .unwrap();
    b.edit("k", None, Some(Secret::from("sk-b")), EntryFields::default(), &Change { now: at(9), actor: "bob" })
        .unwrap();
    let m = merge(&a, &b);
    let e = m.get("k").unwrap();
    assert_eq!(e.secret.expose(), "sk-b");
    let history: BTreeSet<&str> = e.history.iter().map(|h| h.secret.expose()).collect();
    assert_eq!(history, BTreeSet::from(["sk-old", "sk-a"]));
}
