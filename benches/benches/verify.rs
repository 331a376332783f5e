//! Issue "Performance", items (a)–(d): for each payload size, in one run,
//! (a) the bare HMAC-SHA256 of the envelope's exact signature base (the floor), and for
//!     reference (a') the same HMAC from a key state prepared once, as the verifier keeps it,
//! (b) `Verifier::verify` of the canonical wire form,
//! (c) `Verifier::verify` of a non-canonical wire form (members reversed, whitespace),
//! (d) `canonicalize` of the canonical wire form,
//! then the table of ratios against the floor, read back from criterion's own estimates.
//!
//! `cargo bench -p sipc-benches --bench verify`

use criterion::{BenchmarkId, Criterion, Throughput};
use hmac::{Hmac, Mac};
use sha2::Sha256;
use sipc_benches::{config, fixture, warm_verifier, NOW, SIZES};
use sipc_reference::{canonicalize, Verifier};
use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant, SystemTime};

const GROUP: &str = "verify";
const FLOOR: &str = "a_hmac";
const FLOOR_KEYED: &str = "a_hmac_prepared_key";
const CANONICAL: &str = "b_verify_canonical";
const NON_CANONICAL: &str = "c_verify_non_canonical";
const CANONICALIZE: &str = "d_canonicalize";

fn benches(c: &mut Criterion) {
    let secret = config().auth.secret;
    let verifier = warm_verifier();
    let mut group = c.benchmark_group(GROUP);
    for size in SIZES {
        let f = fixture(size);
        group.throughput(Throughput::Bytes(f.canonical[0].len() as u64));
        group.bench_with_input(BenchmarkId::new(FLOOR, size), &f, |b, f| {
            b.iter(|| {
                let mut mac = Hmac::<Sha256>::new_from_slice(&secret).expect("any key length");
                mac.update(black_box(&f.signature_base));
                mac.finalize().into_bytes()
            })
        });
        let prepared = Hmac::<Sha256>::new_from_slice(&secret).expect("any key length");
        group.bench_with_input(BenchmarkId::new(FLOOR_KEYED, size), &f, |b, f| {
            b.iter(|| {
                let mut mac = prepared.clone();
                mac.update(black_box(&f.signature_base));
                mac.finalize().into_bytes()
            })
        });
        for (id, pool) in [(CANONICAL, &f.canonical), (NON_CANONICAL, &f.non_canonical)] {
            group.bench_with_input(BenchmarkId::new(id, size), pool, |b, pool| {
                b.iter_custom(|iterations| verify_pool(&verifier, pool, iterations))
            });
        }
        group.bench_with_input(BenchmarkId::new(CANONICALIZE, size), &f, |b, f| {
            b.iter(|| canonicalize(black_box(&f.canonical[0])).expect("canonical input"))
        });
    }
    group.finish();
}

/// Times `iterations` verifications: the pool's envelopes in turn (distinct nonces, so none is
/// a replay), each round on a fresh copy of the warm verifier made outside the timing. The
/// accepted message is dropped inside it, as a receiver drops it once handled.
fn verify_pool(verifier: &Verifier, pool: &[Vec<u8>], iterations: u64) -> Duration {
    let mut total = Duration::ZERO;
    let mut left = iterations;
    while left > 0 {
        let round = pool.len().min(usize::try_from(left).unwrap_or(usize::MAX));
        let mut v = verifier.clone();
        let start = Instant::now();
        for wire in &pool[..round] {
            let message = v.verify(black_box(wire), NOW);
            black_box(message.expect("bench envelope accepted").payload.len());
        }
        total += start.elapsed();
        left -= round as u64;
    }
    total
}

/// Criterion writes `<out>/<group>/<function>/<size>/new/estimates.json`; this reads the
/// median, if that file was written by this run (a filtered run leaves older ones behind).
fn median_ns(out: &Path, since: SystemTime, function: &str, size: usize) -> Option<f64> {
    let path = out.join(format!("{GROUP}/{function}/{size}/new/estimates.json"));
    if std::fs::metadata(&path).ok()?.modified().ok()? < since {
        return None;
    }
    let text = std::fs::read(path).ok()?;
    let value = sipc_reference::json::parse(&text).ok()?;
    match value.get("median")?.get("point_estimate")? {
        sipc_reference::json::Value::Number(n) => Some(n.value()),
        _ => None,
    }
}

fn print_ratios(out: &Path, since: SystemTime) {
    println!("\nRatios to the floor (a) = HMAC-SHA256 of the signature base, medians of this run:");
    println!("| payload | (a) HMAC | (a') HMAC, key prepared | (b) verify canonical | (b)/(a) | (b)/(a') | (c) verify non-canonical | (c)/(a) | (d) canonicalize | (d)/(a) |");
    println!("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    for size in SIZES {
        let get = |f| median_ns(out, since, f, size);
        let Some(a) = get(FLOOR) else {
            println!("| {size} B | not measured in this run | | | | | | | | |");
            continue;
        };
        let (keyed, b, c, d) = (
            get(FLOOR_KEYED),
            get(CANONICAL),
            get(NON_CANONICAL),
            get(CANONICALIZE),
        );
        let cell = |x: Option<f64>| x.map_or("–".into(), |x| format!("{:.2} µs", x / 1e3));
        let ratio = |x: Option<f64>, floor: Option<f64>| match (x, floor) {
            (Some(x), Some(floor)) => format!("{:.3}", x / floor),
            _ => "–".into(),
        };
        println!(
            "| {size} B | {} | {} | {} | {} | {} | {} | {} | {} | {} |",
            cell(Some(a)),
            cell(keyed),
            cell(b),
            ratio(b, Some(a)),
            ratio(b, keyed),
            cell(c),
            ratio(c, Some(a)),
            cell(d),
            ratio(d, Some(a))
        );
    }
    for (size, target) in [(1024, 1.5), (64 * 1024, 1.1)] {
        let get = |f| median_ns(out, since, f, size);
        if let (Some(a), Some(b)) = (get(FLOOR), get(CANONICAL)) {
            let verdict = if b / a <= target { "met" } else { "NOT met" };
            println!(
                "target (b)/(a) <= {target} at {size} B: {:.3}, {verdict}",
                b / a
            );
        }
    }
}

fn main() {
    let since = SystemTime::now();
    let out = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../target"))
        .join("criterion");
    let mut c = Criterion::default()
        .warm_up_time(std::time::Duration::from_secs(1))
        .measurement_time(std::time::Duration::from_secs(3))
        .output_directory(&out)
        .configure_from_args();
    benches(&mut c);
    c.final_summary();
    print_ratios(&out, since);
}
