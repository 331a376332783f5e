//! Whole 64-character blocks of base64url decoded with AVX-512 VBMI, after W. Muła and
//! D. Lemire, "Base64 encoding and decoding at almost the speed of a memory copy" (2019):
//! one `vpermi2b` maps each character to its 6-bit value (0x80 for a character outside the
//! alphabet), two multiply-adds join four values into three bytes, one `vpermb` packs them.

#![allow(unsafe_code)]

use std::arch::x86_64::{
    __m512i, _mm512_loadu_si512, _mm512_madd_epi16, _mm512_maddubs_epi16, _mm512_mask_storeu_epi8,
    _mm512_movepi8_mask, _mm512_or_si512, _mm512_permutex2var_epi8, _mm512_permutexvar_epi8,
    _mm512_set1_epi32,
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
    let mut out = Vec::with_capacity(decoded_capacity(encoded.len())?);
    let (done, invalid) = decode_whole_blocks(&mut out, whole)?;
    if invalid != 0 || done != blocks {
        return None;
    }
    finish(out, done, tail)
}

/// The body of a JSON string that must be canonical base64url: the position of the closing
/// quote in `rest` and the decoded bytes before it. The first character outside the alphabet
/// must be that quote, and it must come within `max_encoded` bytes; only call when
/// [`available`].
pub(super) fn decode_quoted(rest: &[u8], max_encoded: usize) -> Option<(usize, Vec<u8>)> {
    // Never decode more than `max_encoded` characters and one block (REQ-SIZE-2).
    let limit = rest.len().min(max_encoded.saturating_add(1));
    let whole = rest.get(..(limit / BLOCK_IN).checked_mul(BLOCK_IN)?)?;
    let mut out = Vec::with_capacity(decoded_capacity(limit)?);
    let (done, invalid) = decode_whole_blocks(&mut out, whole)?;
    let start = done.checked_mul(BLOCK_IN)?;
    let quote = if invalid != 0 {
        // The first character outside the alphabet in the block that stopped the loop.
        start.checked_add(usize::try_from(invalid.trailing_zeros()).ok()?)?
    } else {
        start.checked_add(memchr::memchr(b'"', rest.get(start..)?)?)?
    };
    if rest.get(quote) != Some(&b'"') || quote > max_encoded {
        return None;
    }
    Some((quote, finish(out, done, rest.get(start..quote)?)?))
}

/// Room for the decoded form of `len` characters.
fn decoded_capacity(len: usize) -> Option<usize> {
    (len / 4).checked_mul(3)?.checked_add(3)
}

/// Decodes the 64-character blocks of `whole` into `out`'s spare capacity, up to the first
/// block holding a character outside the alphabet: the blocks decoded and that block's mask
/// of such characters (0 when there is none).
fn decode_whole_blocks(out: &mut Vec<u8>, whole: &[u8]) -> Option<(usize, u64)> {
    let room = (whole.len() / BLOCK_IN).checked_mul(BLOCK_OUT)?;
    let dst = out.spare_capacity_mut().get_mut(..room)?;
    // SAFETY: `available()` confirmed the target features; `dst` has room for 48 bytes per
    // 64-byte block of `whole`.
    Some(unsafe { decode_blocks(whole, dst) })
}

/// Sets the length to the `blocks` decoded blocks and appends the decoded `tail`.
fn finish(mut out: Vec<u8>, blocks: usize, tail: &[u8]) -> Option<Vec<u8>> {
    let written = blocks.checked_mul(BLOCK_OUT)?;
    if written > out.capacity() {
        return None;
    }
    // SAFETY: `decode_blocks` initialised the first `written` bytes (48 per block, through
    // `get_mut` on the spare capacity, so within it).
    unsafe { out.set_len(written) };
    let (bytes, len) = decode_partial(tail)?;
    out.extend_from_slice(bytes.get(..len)?);
    Some(out)
}

/// The last, partial block: fewer than 64 characters, padded with `A` (value 0) to a whole
/// block. Returns the decoded bytes and how many of them are the tail's. A length of 1 mod 4
/// is refused, and so are non-zero unused bits in the last character (REQ-PAYLOAD-2): with the
/// zero padding, those bits are exactly the byte after the tail's bytes.
fn decode_partial(tail: &[u8]) -> Option<([u8; BLOCK_OUT], usize)> {
    let extra = match tail.len() % 4 {
        0 => 0,
        2 => 1,
        3 => 2,
        _ => return None,
    };
    let len = (tail.len() / 4).checked_mul(3)?.checked_add(extra)?;
    let mut chars = [b'A'; BLOCK_IN];
    chars.get_mut(..tail.len())?.copy_from_slice(tail);
    let mut out = [MaybeUninit::new(0u8); BLOCK_OUT];
    // SAFETY: `available()` confirmed the target features; one block in, room for one out.
    if unsafe { decode_blocks(&chars, &mut out) } != (1, 0) {
        return None;
    }
    // SAFETY: every element was initialised (to 0, then by `decode_blocks`), and
    // `[MaybeUninit<u8>; N]` has the layout of `[u8; N]`.
    let bytes: [u8; BLOCK_OUT] = unsafe { std::mem::transmute(out) };
    if extra > 0 && bytes.get(len) != Some(&0) {
        return None;
    }
    Some((bytes, len))
}

/// Decodes the blocks of `src` (a multiple of 64 bytes) into `dst` (48 bytes per block) until
/// a block holds a character outside the alphabet: returns the number of blocks decoded and
/// the mask of such characters in the block that stopped it (0 when none did).
///
/// # Safety
/// The CPU must support AVX-512 F, BW and VBMI; `dst.len()` must be `src.len() / 64 * 48`.
#[target_feature(enable = "avx512f,avx512bw,avx512vbmi")]
unsafe fn decode_blocks(src: &[u8], dst: &mut [MaybeUninit<u8>]) -> (usize, u64) {
    let load = |bytes: &[u8; 64]| unsafe { _mm512_loadu_si512(bytes.as_ptr().cast::<__m512i>()) };
    let (low, high) = VALUES.split_at(64);
    let (Ok(low), Ok(high)) = (<&[u8; 64]>::try_from(low), <&[u8; 64]>::try_from(high)) else {
        return (0, u64::MAX);
    };
    let (low, high, pack) = (load(low), load(high), load(&PACK));
    let join_pairs = _mm512_set1_epi32(0x0140_0140);
    let join_quads = _mm512_set1_epi32(0x0001_1000);
    let mut done = 0usize;
    for (input, output) in src
        .chunks_exact(BLOCK_IN)
        .zip(dst.chunks_exact_mut(BLOCK_OUT))
    {
        let chars = unsafe { _mm512_loadu_si512(input.as_ptr().cast::<__m512i>()) };
        // Bits 0–6 of each character index the table (0x80 outside the alphabet); a set bit 7
        // (non-ASCII) is caught by or-ing in the character itself.
        let values = _mm512_permutex2var_epi8(low, chars, high);
        let invalid = _mm512_movepi8_mask(_mm512_or_si512(values, chars));
        if invalid != 0 {
            return (done, invalid);
        }
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
        done = done.wrapping_add(1);
    }
    (done, 0)
}
