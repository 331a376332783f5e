//! dudect (Reparaz, Balasch, Verbauwhede 2016) on the reference's MAC check: does its time
//! depend on whether the signature is right or wrong in its first byte? Welch's t-test between
//! the two classes; |t| above 5 says it leaks (dudect-bencher's criterion). The same harness
//! on a deliberately early-exit compare shows the test can tell. Not a timed test: a bench,
//! run by hand (`cargo bench -p sipc-benches --features dudect --bench ct_compare`); figures in
//! benches/README.md.
//!
//! Left: the right signature. Right: the right signature with its first byte changed. Both go
//! through the HMAC of the same base, so only the compare can differ.

use dudect_bencher::ctbench::{run_benches_console, BenchMetadata, BenchName, BenchOpts};
use dudect_bencher::{BenchRng, Class, CtRunner};
use rand::{Rng, RngExt};
use sipc_reference::sign::{mac, signature_matches};

const SECRET: [u8; 32] = [7; 32];

/// Samples per bench: `SIPC_DUDECT_SAMPLES`, 2 000 000 when unset.
fn samples() -> usize {
    std::env::var("SIPC_DUDECT_SAMPLES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(2_000_000)
}

/// Inputs: a base of 64 random bytes and a signature, right (Left) or wrong in byte 0 (Right).
fn inputs(rng: &mut BenchRng) -> Vec<(Class, [u8; 64], [u8; 32])> {
    (0..samples())
        .map(|_| {
            let mut base = [0u8; 64];
            rng.fill_bytes(&mut base);
            let mut sig = mac(&SECRET, &base);
            let class = if rng.random::<bool>() {
                Class::Left
            } else {
                sig[0] ^= 0x80;
                Class::Right
            };
            (class, base, sig)
        })
        .collect()
}

/// The reference's check: HMAC, then `verify_slice` (subtle's constant-time equality).
fn reference_mac_check(runner: &mut CtRunner, rng: &mut BenchRng) {
    for (class, base, sig) in inputs(rng) {
        runner.run_one(class, || signature_matches(&SECRET, &base, &sig));
    }
}

/// The compare alone, as `verify_slice` does it: subtle's constant-time equality.
fn subtle_compare(runner: &mut CtRunner, rng: &mut BenchRng) {
    use subtle::ConstantTimeEq;
    for (class, base, sig) in inputs(rng) {
        let want = mac(&SECRET, &base);
        runner.run_one(class, || bool::from(want.ct_eq(&sig)));
    }
}

/// The compare alone, returning at the first difference.
fn early_exit_compare(runner: &mut CtRunner, rng: &mut BenchRng) {
    for (class, base, sig) in inputs(rng) {
        let want = mac(&SECRET, &base);
        runner.run_one(class, || early_exit_eq(&want, &sig));
    }
}

/// Equality that stops at the first differing byte (the bug dudect must see).
#[inline(never)]
fn early_exit_eq(a: &[u8; 32], b: &[u8; 32]) -> bool {
    for i in 0..32 {
        if std::hint::black_box(a[i]) != b[i] {
            return false;
        }
    }
    true
}

/// The same HMAC, then a byte loop that returns at the first difference: a leak to detect.
fn early_exit_mac_check(runner: &mut CtRunner, rng: &mut BenchRng) {
    for (class, base, sig) in inputs(rng) {
        runner.run_one(class, || early_exit_eq(&mac(&SECRET, &base), &sig));
    }
}

/// A fixed seed, so that a run is repeatable; `cargo bench` passes `--bench`, which dudect's own
/// `ctbench_main!` would refuse, so the benches are run here with its default options.
fn main() {
    let seed = Some(0x5157_4d41_4343_4b31);
    let benches = vec![
        BenchMetadata {
            name: BenchName("reference_mac_check"),
            seed,
            benchfn: reference_mac_check,
        },
        BenchMetadata {
            name: BenchName("early_exit_mac_check"),
            seed,
            benchfn: early_exit_mac_check,
        },
        BenchMetadata {
            name: BenchName("subtle_compare"),
            seed,
            benchfn: subtle_compare,
        },
        BenchMetadata {
            name: BenchName("early_exit_compare"),
            seed,
            benchfn: early_exit_compare,
        },
    ];
    if let Err(e) = run_benches_console(BenchOpts::default(), benches) {
        eprintln!("ct_compare: {e}");
        std::process::exit(2);
    }
}
