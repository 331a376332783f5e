//! A loop of `verify` on one bench envelope, for a profiler: `profile_verify SIZE ITERATIONS`.
use sipc_benches::{fixture, warm_verifier, NOW};

fn main() {
    let mut args = std::env::args().skip(1);
    let size: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(65536);
    let iterations: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(10_000);
    let wire = fixture(size).canonical;
    let verifier = warm_verifier();
    for _ in 0..iterations {
        let mut v = verifier.clone();
        std::hint::black_box(v.verify(&wire, NOW).expect("accepted"));
    }
}
