//! The payload decoder of the reference (as dispatched, and each width of its AVX-512 kernel)
//! against the two crates it could have used, on the 87 382 characters of a 64 KiB payload:
//! `base64` (scalar) and `base64-simd` (AVX2).
//!
//! `cargo bench -p sipc-benches --bench base64url`

use base64::Engine;
use criterion::{BenchmarkId, Criterion, Throughput};
use std::hint::black_box;
use std::time::Duration;

fn main() {
    let mut c = Criterion::default()
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(2))
        .configure_from_args();
    let payload: Vec<u8> = (0..65536u32).map(|i| (i * 7 % 251) as u8).collect();
    let encoded = sipc_reference::base64url::encode(&payload);
    let mut group = c.benchmark_group("base64url_decode");
    group.throughput(Throughput::Bytes(encoded.len() as u64));
    group.bench_with_input(
        BenchmarkId::new("sipc_reference", 65536),
        &encoded,
        |b, e| {
            b.iter(|| sipc_reference::base64url::decode(black_box(e.as_bytes())).expect("valid"))
        },
    );
    // Both widths of the AVX-512 kernel, whichever the dispatch takes on this CPU (512-bit
    // on AMD, 256-bit elsewhere: base64url/avx512.rs says why).
    if sipc_reference::base64url::avx512::available() {
        use sipc_reference::base64url::avx512::{decode_with, YMM, ZMM};
        for (name, kernel) in [("avx512_512bit", &ZMM), ("avx512_256bit", &YMM)] {
            group.bench_with_input(BenchmarkId::new(name, 65536), &encoded, |b, e| {
                b.iter(|| decode_with(kernel, black_box(e.as_bytes())).expect("valid"))
            });
        }
    }
    group.bench_with_input(BenchmarkId::new("base64_simd", 65536), &encoded, |b, e| {
        b.iter(|| {
            base64_simd::URL_SAFE_NO_PAD
                .decode_to_vec(black_box(e.as_bytes()))
                .expect("valid")
        })
    });
    group.bench_with_input(BenchmarkId::new("base64", 65536), &encoded, |b, e| {
        b.iter(|| {
            base64::engine::general_purpose::URL_SAFE_NO_PAD
                .decode(black_box(e.as_bytes()))
                .expect("valid")
        })
    });
    group.finish();
    c.final_summary();
}
