//! Whole 64-character blocks of base64url decoded with AVX-512 VBMI, after W. Muła and
//! D. Lemire, "Base64 encoding and decoding at almost the speed of a memory copy" (2019):
//! one `vpermi2b` maps each character to its 6-bit value (0x80 for a character outside the
//! alphabet), two multiply-adds join four values into three bytes, one `vpermb` packs them.

#![allow(unsafe_code)]

use std::arch::x86_64::{
    __m512i, _mm512_loadu_si512, _mm512_madd_epi16, _mm512_maddubs_epi16, _mm512_mask_storeu_epi8,
    _mm512_movepi8_mask, _mm512_or_si512, _mm512_permutex2var_epi8, _mm512_permutexvar_epi8,
    _mm512_set1_epi32, _mm512_setzero_si512,
};
use std::mem::MaybeUninit;

/// Input characters per block, and the bytes they decode to.
const BLOCK_IN: usize = 64;
const BLOCK_OUT: usize = 48;

/// Whether this CPU runs [`decode_blocks`] (detected once by the standard library).
pub(super) fn available() -> bool {
    std::arch::is_x86_feature_detected!("avx512f")
        && std::arch::is_x86_feature_detected!("avx512bw")
        && std::arch::is_x86_feature_detected!("avx512vbmi")
}

/// Character (0–127) → 6-bit value, or 0x80 outside the base64url alphabet.
// Evaluated at compile time: an out-of-range index or overflow would fail the build.
#[allow(clippy::indexing_slicing, clippy::arithmetic_side_effects)]
const VALUES: [u8; 128] = {
    let mut table = [0x80u8; 128];
    let mut c = 0;
    while c < 128 {
        table[c] = match c as u8 {
            b'A'..=b'Z' => c as u8 - b'A',
            b'a'..=b'z' => c as u8 - b'a' + 26,
            b'0'..=b'9' => c as u8 - b'0' + 52,
            b'-' => 62,
            b'_' => 63,
            _ => 0x80,
        };
        c += 1;
    }
    table
};

/// Output byte j of a block is byte 2 − j mod 3 of 32-bit lane j / 3 (each lane holds
/// `a<<18 | b<<12 | c<<6 | d` little-endian); the last 16 are not stored.
#[allow(clippy::indexing_slicing, clippy::arithmetic_side_effects)]
const PACK: [u8; 64] = {
    let mut table = [0u8; 64];
    let mut j = 0;
    while j < BLOCK_OUT {
        table[j] = (4 * (j / 3) + 2 - j % 3) as u8;
        j += 1;
    }
    table
};

/// Decodes canonical unpadded base64url; only call when [`available`].
pub(super) fn decode(encoded: &[u8]) -> Option<Vec<u8>> {
    let blocks = encoded.len() / BLOCK_IN;
    let (whole, tail) = encoded.split_at_checked(blocks.checked_mul(BLOCK_IN)?)?;
    let mut out: Vec<u8> = Vec::with_capacity((encoded.len() / 4).checked_mul(3)?.checked_add(3)?);
    let written = blocks.checked_mul(BLOCK_OUT)?;
    let dst = out.spare_capacity_mut().get_mut(..written)?;
    // SAFETY: `available()` confirmed the target features; `whole` is `blocks` blocks of 64
    // bytes and `dst` has room for exactly `blocks` blocks of 48.
    if !unsafe { decode_blocks(whole, dst) } {
        return None;
    }
    let written = super::decode_tail(&mut out, written, tail)?;
    // SAFETY: the first `written` bytes were initialised, by `decode_blocks` then
    // `decode_tail`, and `written` is within the capacity (both wrote through `get_mut`).
    unsafe { out.set_len(written) };
    Some(out)
}

/// Decodes `src` (a multiple of 64 bytes) into `dst` (48 bytes per block); false if any
/// character is outside the alphabet (then `dst` holds garbage, and is discarded).
///
/// # Safety
/// The CPU must support AVX-512 F, BW and VBMI; `dst.len()` must be `src.len() / 64 * 48`.
#[target_feature(enable = "avx512f,avx512bw,avx512vbmi")]
unsafe fn decode_blocks(src: &[u8], dst: &mut [MaybeUninit<u8>]) -> bool {
    let load = |bytes: &[u8; 64]| unsafe { _mm512_loadu_si512(bytes.as_ptr().cast::<__m512i>()) };
    let (low, high) = VALUES.split_at(64);
    let (Ok(low), Ok(high)) = (<&[u8; 64]>::try_from(low), <&[u8; 64]>::try_from(high)) else {
        return false;
    };
    let (low, high, pack) = (load(low), load(high), load(&PACK));
    let join_pairs = _mm512_set1_epi32(0x0140_0140);
    let join_quads = _mm512_set1_epi32(0x0001_1000);
    let mut invalid = _mm512_setzero_si512();
    for (input, output) in src
        .chunks_exact(BLOCK_IN)
        .zip(dst.chunks_exact_mut(BLOCK_OUT))
    {
        let chars = unsafe { _mm512_loadu_si512(input.as_ptr().cast::<__m512i>()) };
        // Bits 0–6 of each character index the table; a set bit 7 (non-ASCII) is caught by
        // or-ing the character itself into `invalid`.
        let values = _mm512_permutex2var_epi8(low, chars, high);
        invalid = _mm512_or_si512(invalid, _mm512_or_si512(values, chars));
        let pairs = _mm512_maddubs_epi16(values, join_pairs);
        let quads = _mm512_madd_epi16(pairs, join_quads);
        let bytes = _mm512_permutexvar_epi8(pack, quads);
        // 48 of the 64 bytes: exactly `output`.
        unsafe {
            _mm512_mask_storeu_epi8(
                output.as_mut_ptr().cast::<i8>(),
                (1 << BLOCK_OUT) - 1,
                bytes,
            )
        };
    }
    _mm512_movepi8_mask(invalid) == 0
}
