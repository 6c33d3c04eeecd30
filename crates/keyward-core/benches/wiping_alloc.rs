//! What wiping every freed heap block costs (the app's and the CLI's global allocator,
//! 1Password's zeroizing-alloc): the same work with wiping off and on, in one binary.
//! Run with `cargo bench -p keyward-core --bench wiping_alloc`; figures in docs/benchmarks.md.

use criterion::{Criterion, criterion_group, criterion_main};
use keyward_core::crypto::{self, Unlock};
use keyward_core::sample::document;
use keyward_core::search::SearchIndex;
use keyward_core::vault;
use std::alloc::{GlobalAlloc, Layout, System};
use std::hint::black_box;
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};

static WIPE: AtomicBool = AtomicBool::new(false);
static WIPING: zeroizing_alloc::ZeroAlloc<System> = zeroizing_alloc::ZeroAlloc(System);

/// The system allocator, wiping on free while `WIPE` is set.
struct Switchable;

unsafe impl GlobalAlloc for Switchable {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        unsafe { System.alloc(layout) }
    }
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        unsafe { System.alloc_zeroed(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        if WIPE.load(Ordering::Relaxed) {
            unsafe { WIPING.dealloc(ptr, layout) }
        } else {
            unsafe { System.dealloc(ptr, layout) }
        }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        if WIPE.load(Ordering::Relaxed) {
            unsafe { WIPING.realloc(ptr, layout, new_size) }
        } else {
            unsafe { System.realloc(ptr, layout, new_size) }
        }
    }
}

#[global_allocator]
static ALLOC: Switchable = Switchable;

fn wiping(c: &mut Criterion) {
    let id = age::x25519::Identity::generate();
    let recipients = vec![crypto::parse_recipient(&id.to_public().to_string()).unwrap()];
    use age::secrecy::ExposeSecret;
    let unlock: Unlock = crypto::parse_identity_file(id.to_string().expose_secret()).unwrap();
    let doc = document(10_000);
    let ciphertext = crypto::encrypt_to_recipients(&doc.to_json(), &recipients).unwrap();

    let mut group = c.benchmark_group("wiping_alloc_10000_keys");
    group.sample_size(30);
    for (label, wipe) in [("off", false), ("on", true)] {
        WIPE.store(wipe, Ordering::Relaxed);
        // Unlock without the KDF (decrypt, parse, index) and lock (drop everything).
        group.bench_function(format!("unlock_and_lock/{label}"), |b| {
            b.iter(|| {
                let doc = vault::decrypt(Path::new("v"), black_box(&ciphertext), &unlock).unwrap();
                let index = SearchIndex::new(&doc);
                drop(black_box((doc, index)));
            })
        });
        // A save without the disk: serialize and encrypt.
        group.bench_function(format!("serialize_and_encrypt/{label}"), |b| {
            b.iter(|| black_box(crypto::encrypt_to_recipients(&doc.to_json(), &recipients).unwrap()))
        });
    }
    WIPE.store(false, Ordering::Relaxed);
    group.finish();
}

criterion_group!(benches, wiping);
criterion_main!(benches);
