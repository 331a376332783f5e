//! Issue "Performance", item (e): one replay-cache insert and lookup with 10⁶ live entries.
//!
//! The cache holds 10⁶ live nonces whose expiries are one second apart; each iteration
//! advances the clock by one second (forgetting the one entry that expired) and admits one new
//! nonce, so the cache stays at 10⁶ live entries however many iterations criterion runs. The
//! memory per entry is measured by `reference/tests/replay_memory.rs` (counting allocator).
//!
//! `cargo bench -p sipc-benches --bench replay`

use criterion::{BenchmarkId, Criterion};
use sipc_reference::replay::{Lookup, ReplayCache};
use std::hint::black_box;
use std::time::Duration;

const LIVE: u64 = 1_000_000;

/// A 22-character nonce numbered `i`, written into a reused buffer (no allocation).
fn nonce(buffer: &mut [u8; 22], mut i: u64) -> &str {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    for slot in buffer.iter_mut() {
        *slot = ALPHABET[(i % 64) as usize];
        i /= 64;
    }
    std::str::from_utf8(buffer).expect("ASCII")
}

fn main() {
    let mut c = Criterion::default()
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3))
        .configure_from_args();
    let mut cache = ReplayCache::new(2 * LIVE as usize, &[0x5a; 32]);
    let mut buffer = [0u8; 22];
    for i in 0..LIVE {
        cache.admit(nonce(&mut buffer, i), i);
    }
    let mut clock = 0u64;
    c.bench_with_input(
        BenchmarkId::new("replay/insert_lookup_at_live", LIVE),
        &LIVE,
        |b, _| {
            b.iter(|| {
                clock += 1;
                cache.forget_expired(clock);
                let fresh = nonce(&mut buffer, LIVE + clock);
                let verdict = cache.admit(black_box(fresh), LIVE + clock);
                assert_eq!(verdict, Lookup::New);
                // And a lookup of a live one: the replay answer.
                black_box(cache.lookup(nonce(&mut buffer, clock + LIVE / 2)))
            })
        },
    );
    println!("live entries after the run: {}", cache.len());
    c.final_summary();
}
