//! The payload decoder against the `base64` crate's `URL_SAFE_NO_PAD`, the strict engine the
//! reference used before: same verdict and same bytes for every input. The inputs cover every
//! byte value at every position of a 64-character block, the block/tail boundaries of the
//! AVX-512 path, and random strings.

use base64::Engine;
use proptest::prelude::*;
use sipc_reference::base64url;

/// A decoder of the crate.
type Decode = fn(&[u8]) -> Option<Vec<u8>>;

fn zmm(encoded: &[u8]) -> Option<Vec<u8>> {
    base64url::avx512::decode_with(&base64url::avx512::ZMM, encoded)
}

fn ymm(encoded: &[u8]) -> Option<Vec<u8>> {
    base64url::avx512::decode_with(&base64url::avx512::YMM, encoded)
}

/// Every decoder of the crate this CPU can run: the one it dispatches to, the portable one,
/// and both widths of the AVX-512 kernel where the CPU has AVX-512 VBMI (the machines of CI do).
fn decoders() -> Vec<(&'static str, Decode)> {
    let mut all: Vec<(&'static str, Decode)> = vec![
        ("dispatched", base64url::decode),
        ("portable", base64url::portable::decode),
    ];
    if base64url::avx512::available() {
        all.push(("avx512 512-bit", zmm));
        all.push(("avx512 256-bit", ymm));
    } else {
        eprintln!("this CPU has no AVX-512 VBMI: its kernels are not run here");
    }
    all
}

fn expected(input: &[u8]) -> Option<Vec<u8>> {
    base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(input)
        .ok()
}

fn valid(len: usize, seed: usize) -> Vec<u8> {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    (0..len)
        .map(|i| ALPHABET[(i * 7 + seed * 13) % 64])
        .collect()
}

fn memchr_position(bytes: &[u8]) -> Option<usize> {
    bytes.iter().position(|&b| b == b'"')
}

/// REQ-PAYLOAD-1: any byte outside the alphabet, at any position of a whole block or of the
/// tail, is refused; every alphabet byte is decoded to the same bytes.
#[test]
fn every_byte_at_every_position_of_block_and_tail() {
    for len in [64, 130, 192] {
        for position in 0..len {
            for byte in 0..=255u8 {
                let mut input = valid(len, position);
                input[position] = byte;
                for (name, decode) in decoders() {
                    assert_eq!(
                        decode(&input),
                        expected(&input),
                        "{name}: byte {byte:#04x} at {position} of {len}"
                    );
                }
            }
        }
    }
}

/// REQ-PAYLOAD-2: lengths 1 mod 4 are refused and the unused low bits of the last character
/// must be zero, for every length around the 64-character block boundaries.
#[test]
fn lengths_and_trailing_bits_around_block_boundaries() {
    for len in 0..=260 {
        for last in [b'A', b'B', b'E', b'Q', b'R', b'g', b'w', b'_'] {
            let mut input = valid(len, len);
            if let Some(end) = input.last_mut() {
                *end = last;
            }
            assert_eq!(
                base64url::decode(&input),
                expected(&input),
                "len {len}, last {last}"
            );
        }
    }
}

/// The round trip: what the signer encodes decodes to the same bytes (REQ-SIGNER-2).
#[test]
fn encode_then_decode() {
    for len in 0..=300 {
        let bytes: Vec<u8> = (0..len).map(|i| (i * 97 + 5) as u8).collect();
        let encoded = base64url::encode(&bytes);
        assert_eq!(
            encoded.as_bytes(),
            base64::engine::general_purpose::URL_SAFE_NO_PAD
                .encode(&bytes)
                .as_bytes()
        );
        assert_eq!(base64url::decode(encoded.as_bytes()), Some(bytes));
    }
}

/// The decoders reserve room for the decoded bytes only (REQ-SIZE-2 bounds the input; the
/// output is then at most three quarters of it, plus one partial block's three bytes).
#[test]
fn decoded_bytes_get_no_more_room_than_they_need() {
    for bytes in [0, 1, 2, 3, 47, 48, 49, 96, 1000, 4096] {
        let encoded = base64url::encode(&valid(bytes, 3));
        for (name, decode) in decoders() {
            let decoded = decode(encoded.as_bytes()).expect("valid");
            assert_eq!(decoded.len(), bytes);
            assert!(
                decoded.capacity() <= encoded.len() / 4 * 3 + 3,
                "{name}: {} bytes of room for {bytes} decoded from {} characters",
                decoded.capacity(),
                encoded.len()
            );
        }
    }
}

/// A decoder of a quoted body, its input bound, given the limit.
type QuotedDecode<'a> = Box<dyn Fn(usize) -> Option<(usize, Vec<u8>)> + 'a>;

/// REQ-SIZE-2: a quoted body of exactly `max_encoded` characters is decoded, one of
/// `max_encoded + 1` is not, by every decoder, for every length up to two 64-character blocks
/// and a tail (random bodies almost never land on the limit itself).
#[test]
fn quoted_body_exactly_at_the_limit() {
    let mut checked = 0;
    for bytes in 0..100 {
        let body = base64url::encode(&valid(bytes, bytes));
        let quoted = [body.as_bytes(), b"\"tail"].concat();
        let n = body.len();
        let decoded = Some((n, valid(bytes, bytes)));
        let mut all: Vec<(&str, QuotedDecode)> = vec![
            (
                "dispatched",
                Box::new(|max| base64url::decode_quoted(&quoted, max)),
            ),
            (
                "portable",
                Box::new(|max| base64url::portable::decode_quoted(&quoted, max)),
            ),
        ];
        if base64url::avx512::available() {
            for (name, kernel) in [
                ("avx512 512-bit", &base64url::avx512::ZMM),
                ("avx512 256-bit", &base64url::avx512::YMM),
            ] {
                let quoted = &quoted;
                all.push((
                    name,
                    Box::new(move |max| base64url::avx512::decode_quoted_with(kernel, quoted, max)),
                ));
            }
        }
        for (name, decode) in &all {
            assert_eq!(decode(n), decoded, "{name}: {n} characters, limit {n}");
            assert_eq!(
                decode(n + 1),
                decoded,
                "{name}: {n} characters, limit {}",
                n + 1
            );
            if n > 0 {
                assert_eq!(
                    decode(n - 1),
                    None,
                    "{name}: {n} characters, limit {}",
                    n - 1
                );
            }
            checked += 1;
        }
    }
    assert!(checked >= 200);
}

proptest! {
    /// REQ-PAYLOAD-1, REQ-PAYLOAD-2: random strings, mostly alphabet with rare intruders
    /// (`=`, `+`, `/`, quotes, controls, non-ASCII).
    #[test]
    fn random_strings_agree(
        chars in proptest::collection::vec(
            prop_oneof![
                20 => proptest::sample::select(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".to_vec()),
                1 => any::<u8>(),
            ],
            0..600,
        )
    ) {
        for (_, decode) in decoders() {
            prop_assert_eq!(decode(&chars), expected(&chars));
        }
    }

    /// REQ-PAYLOAD-1, REQ-SIZE-2: the payload string's body up to its closing quote, within a
    /// limit: the first byte outside the alphabet must be the quote, and it must come within
    /// `max_encoded` bytes; only then is anything decoded.
    #[test]
    fn quoted_bodies_agree(
        chars in proptest::collection::vec(
            prop_oneof![
                40 => proptest::sample::select(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".to_vec()),
                1 => Just(b'"'),
                1 => any::<u8>(),
            ],
            0..400,
        ),
        max_encoded in 0usize..420,
    ) {
        let model = memchr_position(&chars).filter(|&q| q <= max_encoded).and_then(|q| {
            expected(&chars[..q]).map(|decoded| (q, decoded))
        });
        prop_assert_eq!(base64url::decode_quoted(&chars, max_encoded), model.clone());
        if base64url::avx512::available() {
            for kernel in [&base64url::avx512::ZMM, &base64url::avx512::YMM] {
                prop_assert_eq!(
                    base64url::avx512::decode_quoted_with(kernel, &chars, max_encoded),
                    model.clone()
                );
            }
        }
        prop_assert_eq!(base64url::portable::decode_quoted(&chars, max_encoded), model);
    }
}
