//! The replay cache's memory per live entry, measured with a counting global allocator
//! (issue "Performance": at most 64 bytes per live entry at 10⁶ entries).
//!
//! This file is its own test binary with a single test, so no other test allocates while the
//! count is read.

use sipc_reference::replay::{Lookup, ReplayCache};
use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};

/// The system allocator, counting the bytes currently allocated and the peak.
struct Counting;

static CURRENT: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let now = CURRENT.fetch_add(layout.size(), Ordering::Relaxed) + layout.size();
        PEAK.fetch_max(now, Ordering::Relaxed);
        System.alloc(layout)
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        CURRENT.fetch_sub(layout.size(), Ordering::Relaxed);
        System.dealloc(ptr, layout)
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

const ENTRIES: usize = 1_000_000;

/// The longest nonce SIPC/1 allows (REQ-ENV-6): entry size must not depend on it.
fn nonce(i: usize) -> String {
    format!("{i:0>128}")
}

/// REQ-REPLAY-1, REQ-REPLAY-4: 10⁶ live 128-byte nonces fit in at most 64 bytes each, and every
/// one of them is still remembered (a cache that dropped entries would be cheap too).
#[test]
fn a_million_live_nonces_take_at_most_64_bytes_each() {
    let before = CURRENT.load(Ordering::Relaxed);
    let mut cache = ReplayCache::new(ENTRIES, &[0x5a; 32]);
    // Just after the hash set doubles to 2²¹ buckets: the worst point on the way (printed, not
    // held to the target, which is stated at 10⁶).
    const JUST_GROWN: usize = 917_505;
    let mut just_grown = 0;
    for i in 0..ENTRIES {
        // Expiries spread over a day, as a real TTL window would spread them.
        assert_eq!(cache.admit(&nonce(i), (i % 86_400) as u64 + 1), Lookup::New);
        if i + 1 == JUST_GROWN {
            just_grown = CURRENT.load(Ordering::Relaxed) - before;
        }
    }
    println!(
        "replay cache: {just_grown} bytes for {JUST_GROWN} live entries = {:.1} B/entry",
        just_grown as f64 / JUST_GROWN as f64
    );
    let bytes = CURRENT.load(Ordering::Relaxed) - before;
    let per_entry = bytes as f64 / ENTRIES as f64;
    let peak = (PEAK.load(Ordering::Relaxed) - before) as f64 / ENTRIES as f64;
    println!("replay cache: {bytes} bytes for {ENTRIES} live entries = {per_entry:.1} B/entry (peak while growing {peak:.1} B/entry)");
    assert_eq!(cache.len(), ENTRIES);
    assert!(!cache.is_empty());
    assert_eq!(cache.admit(&nonce(ENTRIES), 1), Lookup::Full);
    for i in (0..ENTRIES).step_by(9973) {
        assert_eq!(cache.lookup(&nonce(i)), Lookup::Seen, "nonce {i} forgotten");
    }
    assert!(per_entry <= 64.0, "{per_entry:.1} bytes per live entry");
    // Forgetting frees the entries' places (REQ-REPLAY-1).
    cache.forget_expired(86_401);
    assert!(cache.is_empty());
}
