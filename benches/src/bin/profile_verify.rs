//! A loop of `verify` on bench envelopes, for a profiler: `profile_verify SIZE ITERATIONS [POOL]`.
//! POOL envelopes (1000 by default; about 20 of 1 KiB stay in the L1 cache, as the criterion
//! bench's pools do) with distinct nonces are verified in turn by one warm verifier, cloned
//! afresh after each round, so the clone is a small part of the profile.
use sipc_benches::{config, fields, warm_verifier, NOW};

fn main() {
    let mut args = std::env::args().skip(1);
    let size: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(65536);
    let iterations: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(10_000);
    let pool: u64 = args.next().and_then(|a| a.parse().ok()).unwrap_or(1000);
    let config = config();
    let wires: Vec<Vec<u8>> = (0..pool)
        .map(|i| sipc_reference::sign(&config.auth.secret, &fields(size, i)))
        .collect();
    let verifier = warm_verifier();
    for round in 0..iterations.div_ceil(wires.len()) {
        let mut v = verifier.clone();
        for wire in &wires {
            let message = v.verify(wire, NOW).expect("accepted");
            std::hint::black_box(message.payload.len() + round);
        }
    }
}
