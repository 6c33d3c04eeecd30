//! Criterion benchmarks of team vaults: re-encrypting a 1,000-key vault to 50 members (what a
//! membership change costs beyond unlocking the identity), and merging two 10,000-key copies.

use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use keyward_core::document::{Change, EntryFields};
use keyward_core::identity::Identity;
use keyward_core::{Secret, Unlock, Vault, merge, sample, vault};
use std::hint::black_box;

fn identity() -> Identity {
    let id = age::x25519::Identity::generate();
    let public_key = id.to_public().to_string();
    Identity { unlock: Unlock::Identities(vec![Box::new(id)]), public_key }
}

fn team_of_50(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("team.age");
    let mut vault = Vault::create_team(&path, "member-0", identity()).unwrap();
    vault.document_mut().entries = sample::document(1000).entries;
    let change = Change { now: chrono::Utc::now(), actor: "member-0" };
    for i in 1..50 {
        vault.document_mut().add_member(&format!("member-{i}"), &identity().public_key, &change).unwrap();
    }
    vault.save().unwrap();
    let unlock = Unlock::Identities(Vec::new());
    let mut group = c.benchmark_group("team_1000_keys_50_members");
    group.bench_function("encrypt (serialize + encrypt to 50 keys)", |b| {
        b.iter(|| black_box(vault::encrypt(vault.document(), &unlock).unwrap()))
    });
    // A membership change saved: re-read and compare, encrypt to every member, atomic write.
    let mut n = 0;
    group.bench_function("member added and saved", |b| {
        b.iter_batched(
            || {
                n += 1;
                (format!("new-{n}"), identity().public_key)
            },
            |(name, key)| {
                let change = Change { now: chrono::Utc::now(), actor: "member-0" };
                vault.document_mut().add_member(&name, &key, &change).unwrap();
                vault.save().unwrap();
                vault.document_mut().remove_member(&name, &change).unwrap();
            },
            BatchSize::SmallInput,
        )
    });
    group.finish();
}

fn merge_two_copies(c: &mut Criterion) {
    let ours = sample::document(10_000);
    let mut theirs = ours.clone();
    let mut mine = ours.clone();
    let change = Change { now: chrono::Utc::now() + chrono::Duration::seconds(1), actor: "other" };
    // Both sides: 500 additions; theirs edits 1,000 keys and deletes 500; ours edits 1,000 others.
    for i in 0..500 {
        theirs.add(&format!("theirs-{i}"), Secret::new(format!("sk-t-{i}")), EntryFields::default(), &change).unwrap();
        mine.add(&format!("mine-{i}"), Secret::new(format!("sk-m-{i}")), EntryFields::default(), &change).unwrap();
    }
    let names: Vec<String> = ours.entries.iter().map(|e| e.name.clone()).collect();
    for name in &names[..1000] {
        theirs.edit(name, None, Some(Secret::new(format!("{name}-new"))), EntryFields::default(), &change).unwrap();
    }
    for name in &names[1000..2000] {
        let fields = EntryFields { notes: Some("edited here".into()), ..Default::default() };
        mine.edit(name, None, None, fields, &change).unwrap();
    }
    for name in &names[2000..2500] {
        theirs.remove(name, &change).unwrap();
    }
    c.bench_function("merge two 10,000-key copies (2,000 edits, 1,000 additions, 500 deletions)", |b| {
        b.iter(|| black_box(merge::merge(&mine, &theirs)))
    });
}

criterion_group!(benches, team_of_50, merge_two_copies);
criterion_main!(benches);
