//! Criterion benchmarks of team vaults with signed changes (issue 11): re-encrypting a
//! 1,000-key vault to 50 members, verifying and merging two diverged 10,000-key copies (beside
//! the unsigned merge, in the same run), unlocking 10,000 signed keys beyond decryption (the
//! file this device verified before, and one it has not), saving, and one signature.

use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use keyward_core::document::{Change, Document, EntryFields};
use keyward_core::identity::Identity;
use keyward_core::signing::Signer;
use keyward_core::{Secret, Unlock, Vault, authenticate, merge, sample, vault};
use std::hint::black_box;

fn identity() -> Identity {
    use age::secrecy::ExposeSecret;
    let id = age::x25519::Identity::generate();
    let public_key = id.to_public().to_string();
    let unlock = keyward_core::crypto::parse_identity_file(id.to_string().expose_secret()).unwrap();
    Identity { unlock, public_key }
}

/// A signed team document: member-0 created it, 49 more members were added, `keys` keys.
fn team_document(keys: usize) -> (Document, Vec<Identity>) {
    let people: Vec<Identity> = (0..50).map(|_| identity()).collect();
    let now = chrono::Utc::now() - chrono::Duration::seconds(60);
    let mut doc = Document::new(now);
    doc.add_member("member-0", &people[0].member_line(), &Change { now, actor: "member-0" }).unwrap();
    authenticate::sign_changes(&mut doc, people[0].unlock.signer(), now).unwrap();
    for (i, p) in people.iter().enumerate().skip(1) {
        let change = Change { now, actor: "member-0" };
        doc.add_member(&format!("member-{i}"), &p.member_line(), &change).unwrap();
    }
    doc.entries = sample::document(keys).entries;
    authenticate::sign_changes(&mut doc, people[0].unlock.signer(), now).unwrap();
    (doc, people)
}

fn signer(p: &Identity) -> &Signer {
    p.unlock.signer().unwrap()
}

fn team_of_50(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("team.age");
    let mut vault = Vault::create_team(&path, "member-0", identity()).unwrap();
    // encrypt() takes the recipients from the document; no identity is needed to encrypt.
    let no_identity = Unlock::Identities(Vec::new(), None);
    vault.document_mut().entries = sample::document(1000).entries;
    let change = Change { now: chrono::Utc::now(), actor: "member-0" };
    for i in 1..50 {
        vault.document_mut().add_member(&format!("member-{i}"), &identity().member_line(), &change).unwrap();
    }
    vault.save().unwrap();
    let mut group = c.benchmark_group("team_1000_keys_50_members");
    group.bench_function("encrypt (serialize + encrypt to 50 keys)", |b| {
        b.iter(|| black_box(vault::encrypt(vault.document(), &no_identity).unwrap()))
    });
    // A membership change saved: signed, re-read and compare, encrypt to every member, write.
    // Each run starts from the same 50-member document (the log does not grow run after run).
    let base = vault.document().clone();
    let mut n = 0;
    group.bench_function("member added and saved", |b| {
        b.iter_batched(
            || {
                n += 1;
                (base.clone(), format!("new-{n}"), identity().member_line())
            },
            |(doc, name, line)| {
                let change = Change { now: chrono::Utc::now(), actor: "member-0" };
                *vault.document_mut() = doc;
                vault.document_mut().add_member(&name, &line, &change).unwrap();
                vault.save().unwrap();
            },
            BatchSize::SmallInput,
        )
    });
    group.finish();
}

fn merge_two_copies(c: &mut Criterion) {
    let (ours, people) = team_document(10_000);
    let (mut theirs, mut mine) = (ours.clone(), ours.clone());
    let later = chrono::Utc::now() - chrono::Duration::seconds(30);
    let theirs_change = Change { now: later, actor: "member-1" };
    let mine_change = Change { now: later, actor: "member-0" };
    // Both sides: 500 additions; theirs edits 1,000 keys and deletes 500; ours edits 1,000 others.
    for i in 0..500 {
        theirs
            .add(&format!("theirs-{i}"), Secret::new(format!("sk-t-{i}")), EntryFields::default(), &theirs_change)
            .unwrap();
        mine.add(&format!("mine-{i}"), Secret::new(format!("sk-m-{i}")), EntryFields::default(), &mine_change).unwrap();
    }
    let names: Vec<String> = ours.entries.iter().map(|e| e.name.clone()).collect();
    for name in &names[..1000] {
        theirs
            .edit(name, None, Some(Secret::new(format!("{name}-new"))), EntryFields::default(), &theirs_change)
            .unwrap();
    }
    for name in &names[1000..2000] {
        let fields = EntryFields { notes: Some("edited here".into()), ..Default::default() };
        mine.edit(name, None, None, fields, &mine_change).unwrap();
    }
    for name in &names[2000..2500] {
        theirs.remove(name, &theirs_change).unwrap();
    }
    authenticate::sign_changes(&mut theirs, Some(signer(&people[1])), later).unwrap();
    authenticate::sign_changes(&mut mine, Some(signer(&people[0])), later).unwrap();
    let root = mine.membership[0].hash();

    let mut group = c.benchmark_group("merge_10000_keys_50_members");
    group.sample_size(20);
    // The same two copies without signatures or log (as before issue 11), in the same run.
    let unsigned = |d: &Document| {
        let mut d = d.clone();
        d.membership.clear();
        for e in &mut d.entries {
            e.signed = None;
            e.history.iter_mut().for_each(|h| h.signed = None);
        }
        d.tombstones.iter_mut().for_each(|t| t.signed = None);
        d
    };
    let (plain_mine, plain_theirs) = (unsigned(&mine), unsigned(&theirs));
    group.bench_function("merge of the same copies unsigned (as before issue 11)", |b| {
        b.iter(|| black_box(merge::merge(&plain_mine, &plain_theirs)))
    });
    group.bench_function("merge signed copies (no verification)", |b| {
        b.iter(|| black_box(merge::merge(&mine, &theirs)))
    });
    group.bench_function("verify theirs + merge (2,000 edits, 1,000 additions, 500 deletions)", |b| {
        b.iter_batched(
            || theirs.clone(),
            |mut incoming| {
                let refused =
                    authenticate::verify(&mut incoming, Some(&root), Some(&mine), chrono::Utc::now()).unwrap();
                assert!(refused.is_empty(), "{refused:?}");
                black_box(merge::merge(&mine, &incoming))
            },
            BatchSize::LargeInput,
        )
    });
    group.finish();
}

fn unlock_and_save(c: &mut Criterion) {
    let (doc, people) = team_document(10_000);
    let ciphertext = vault::encrypt(&doc, &people[0].unlock).unwrap();
    let path = std::path::Path::new("team.age");
    let mut group = c.benchmark_group("signed_10000_keys");
    group.sample_size(20);
    group.bench_function("unlock beyond decryption: unchanged file (members from the log)", |b| {
        b.iter_with_large_drop(|| {
            let mut d = vault::decrypt(path, black_box(&ciphertext), &people[0].unlock).unwrap();
            let hash = keyward_core::trust::file_hash(&ciphertext);
            authenticate::recompute_members(&mut d).unwrap();
            (d, hash)
        })
    });
    group.bench_function("unlock beyond decryption: file not seen before (every signature)", |b| {
        b.iter_with_large_drop(|| {
            let mut d = vault::decrypt(path, black_box(&ciphertext), &people[0].unlock).unwrap();
            let refused = authenticate::verify(&mut d, None, None, chrono::Utc::now()).unwrap();
            assert!(refused.is_empty());
            d
        })
    });
    group.bench_function("unlock beyond decryption: unsigned (as before issue 11)", |b| {
        b.iter_with_large_drop(|| vault::decrypt(path, black_box(&ciphertext), &people[0].unlock).unwrap())
    });
    group.bench_function("save after one edit: sign + serialize + encrypt to 50", |b| {
        b.iter_batched(
            || {
                let mut d = doc.clone();
                let change = Change { now: chrono::Utc::now(), actor: "member-0" };
                let name = d.entries[7].name.clone();
                d.edit(&name, None, None, EntryFields { notes: Some("x".into()), ..Default::default() }, &change)
                    .unwrap();
                d
            },
            |mut d| {
                authenticate::sign_changes(&mut d, Some(signer(&people[0])), chrono::Utc::now()).unwrap();
                black_box(vault::encrypt(&d, &people[0].unlock).unwrap())
            },
            BatchSize::LargeInput,
        )
    });
    group.finish();

    let s = signer(&people[0]);
    let item = keyward_core::signing::item_value(&doc.entries[0], &["history", "last_check"]);
    let signed = s.sign("entry", &doc.vault_id, &item);
    let public = keyward_core::signing::PublicKey::parse(&s.public_key()).unwrap();
    let mut one = c.benchmark_group("one_change");
    one.bench_function("sign an entry version", |b| b.iter(|| black_box(s.sign("entry", &doc.vault_id, &item))));
    one.bench_function("verify an entry version", |b| {
        b.iter(|| assert!(public.verifies("entry", &doc.vault_id, black_box(&item), &signed)))
    });
    one.finish();
}

criterion_group!(benches, team_of_50, merge_two_copies, unlock_and_save);
criterion_main!(benches);
