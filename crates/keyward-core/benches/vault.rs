//! Criterion benchmarks of the vault: unlock (KDF apart from the rest), save, and search.
//! Run with `make bench`; figures are recorded in docs/benchmarks.md.

use age::secrecy::SecretString;
use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use keyward_core::crypto::{self, Unlock};
use keyward_core::document::DEFAULT_WORK_FACTOR;
use keyward_core::lock::{self, VaultLock};
use keyward_core::search::SearchIndex;
use keyward_core::{atomic_file, vault};
use std::hint::black_box;
use std::path::Path;

use keyward_core::sample::document;

fn identity() -> (Unlock, Vec<crypto::Recipient>) {
    let id = age::x25519::Identity::generate();
    let recipient = crypto::parse_recipient(&id.to_public().to_string()).unwrap();
    use age::secrecy::ExposeSecret;
    (crypto::parse_identity_file(id.to_string().expose_secret()).unwrap(), vec![recipient])
}

fn unlock(c: &mut Criterion) {
    let passphrase = SecretString::from("correct horse battery staple".to_string());
    let tiny = crypto::encrypt_with_passphrase(b"{}", &passphrase, DEFAULT_WORK_FACTOR);
    let mut kdf = c.benchmark_group("unlock_kdf");
    kdf.sample_size(10);
    kdf.bench_function("scrypt_log_n_18", |b| {
        let unlock = Unlock::Passphrase(passphrase.clone());
        b.iter(|| crypto::decrypt(black_box(&tiny), &unlock, Path::new("v")).unwrap())
    });
    kdf.finish();

    // Everything after the KDF: payload decryption, JSON parsing, search index. Dropping the
    // result (wiping it) is what locking costs, so it is left out of the timing.
    let (unlock, recipients) = identity();
    let mut rest = c.benchmark_group("unlock_rest");
    for n in [10, 1_000, 10_000] {
        let ciphertext = crypto::encrypt_to_recipients(&document(n).to_json(), &recipients).unwrap();
        rest.bench_with_input(BenchmarkId::from_parameter(n), &ciphertext, |b, ct| {
            b.iter_with_large_drop(|| {
                let doc = vault::decrypt(Path::new("v"), black_box(ct), &unlock).unwrap();
                let index = SearchIndex::new(&doc);
                (doc, index)
            })
        });
    }
    rest.finish();
}

fn save(c: &mut Criterion) {
    let (_, recipients) = identity();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("vault.age");
    let doc = document(10_000);
    std::fs::write(&path, crypto::encrypt_to_recipients(&doc.to_json(), &recipients).unwrap()).unwrap();
    let mut group = c.benchmark_group("save");
    group.sample_size(30);
    // What Vault::save does apart from the KDF: lock, re-read and compare, serialize, encrypt,
    // temp file + fsync, backups, rename, fsync the folder.
    group.bench_function("10000", |b| {
        b.iter(|| {
            let _lock = VaultLock::acquire(&path, lock::DEFAULT_WAIT).unwrap();
            let on_disk = std::fs::read(&path).unwrap();
            black_box(on_disk.len());
            let bytes = crypto::encrypt_to_recipients(&doc.to_json(), &recipients).unwrap();
            atomic_file::replace(&path, &bytes).unwrap();
        })
    });
    group.bench_function("10000_serialize_only", |b| b.iter(|| black_box(doc.to_json())));
    group.finish();
}

fn search(c: &mut Criterion) {
    let doc = document(10_000);
    let index = SearchIndex::new(&doc);
    let mut group = c.benchmark_group("search_10000");
    for query in ["production", "anthropic team-3", "project-42", "nothing-matches-this"] {
        group.bench_with_input(BenchmarkId::from_parameter(query), query, |b, q| b.iter(|| index.search(black_box(q))));
    }
    group.bench_function("build_index", |b| b.iter(|| SearchIndex::new(black_box(&doc))));
    group.finish();
}

criterion_group!(benches, unlock, save, search);
criterion_main!(benches);
