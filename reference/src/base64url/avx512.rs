//! Whole blocks of base64url decoded with AVX-512 VBMI, after W. Muła and D. Lemire, "Base64
//! encoding and decoding at almost the speed of a memory copy" (2019): `vpermi2b` maps each
//! character to its 6-bit value (0x80 for a character outside the alphabet), two multiply-adds
//! join four values into three bytes, one `vpermb` packs them.
//!
//! Two widths of the same kernel ([`Kernel`]): 64-character blocks in 512-bit registers, and
//! 32-character blocks in 256-bit ones (AVX-512 VL). On Intel cores, any 512-bit instruction
//! lowers the core's frequency licence for a while after it runs, so the SHA-256 rounds that
//! follow the decode (the MAC over the same bytes) would run slower; 256-bit instructions of
//! this kind do not. AMD cores (Zen 4 and later) run 512-bit instructions at full clock. So
//! [`kernel`] takes the 512-bit kernel on AMD and the 256-bit one elsewhere.

#![allow(unsafe_code)]

use std::arch::x86_64::{
    __m256i, __m512i, _mm256_loadu_si256, _mm256_madd_epi16, _mm256_maddubs_epi16,
    _mm256_mask_blend_epi8, _mm256_mask_storeu_epi8, _mm256_movepi8_mask, _mm256_or_si256,
    _mm256_permutex2var_epi8, _mm256_permutexvar_epi8, _mm256_set1_epi32, _mm256_set1_epi8,
    _mm256_test_epi8_mask, _mm512_loadu_si512, _mm512_madd_epi16, _mm512_maddubs_epi16,
    _mm512_mask_storeu_epi8, _mm512_movepi8_mask, _mm512_or_si512, _mm512_permutex2var_epi8,
    _mm512_permutexvar_epi8, _mm512_set1_epi32,
};
use std::mem::MaybeUninit;
use std::sync::OnceLock;

/// The largest block: what a partial block is padded to.
const MAX_BLOCK_IN: usize = 64;
const MAX_BLOCK_OUT: usize = 48;

/// A kernel's block loop: decodes the blocks of `src` into `dst` until a block holds a
/// character outside the alphabet; the blocks decoded and that block's mask of such characters.
type BlockLoop = unsafe fn(&[u8], &mut [MaybeUninit<u8>]) -> (usize, u64);

/// One width of the decoding kernel.
pub struct Kernel {
    /// Input characters per block.
    block_in: usize,
    /// The bytes they decode to (3/4 of `block_in`).
    block_out: usize,
    /// Decodes the blocks of `src` into `dst` until a block holds a character outside the
    /// alphabet: the blocks decoded and that block's mask of such characters (0 when none).
    ///
    /// # Safety
    /// The CPU must support [`Kernel::available`]'s features; `src.len()` is a multiple of
    /// `block_in` and `dst.len()` is `src.len() / block_in * block_out`.
    blocks: BlockLoop,
}

/// 64-character blocks in 512-bit registers.
pub static ZMM: Kernel = Kernel {
    block_in: 64,
    block_out: 48,
    blocks: decode_blocks_512,
};

/// 32-character blocks in 256-bit registers (AVX-512 VL).
pub static YMM: Kernel = Kernel {
    block_in: 32,
    block_out: 24,
    blocks: decode_blocks_256,
};

/// Whether this CPU runs both kernels (detected once by the standard library).
pub fn available() -> bool {
    std::arch::is_x86_feature_detected!("avx512f")
        && std::arch::is_x86_feature_detected!("avx512bw")
        && std::arch::is_x86_feature_detected!("avx512vl")
        && std::arch::is_x86_feature_detected!("avx512vbmi")
}

/// The kernel for this CPU, chosen once: `None` without AVX-512 VBMI; the 512-bit kernel on
/// AMD; the 256-bit one on other vendors, whose cores slow down after 512-bit instructions.
pub(super) fn kernel() -> Option<&'static Kernel> {
    static CHOICE: OnceLock<Option<&'static Kernel>> = OnceLock::new();
    *CHOICE.get_or_init(|| {
        if !available() {
            return None;
        }
        // CPUID leaf 0: the vendor string, in EBX, EDX, ECX ("AuthenticAMD").
        #[allow(unused_unsafe)] // `__cpuid` is safe in newer compilers
        // SAFETY: CPUID exists on every x86_64 CPU.
        let leaf = unsafe { std::arch::x86_64::__cpuid(0) };
        let amd = [leaf.ebx, leaf.edx, leaf.ecx]
            .iter()
            .flat_map(|r| r.to_le_bytes())
            .eq(*b"AuthenticAMD");
        Some(if amd { &ZMM } else { &YMM })
    })
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
/// `a<<18 | b<<12 | c<<6 | d` little-endian); the last quarter is not stored. The same table
/// serves both widths: its first 24 entries stay within the first 32 bytes.
#[allow(clippy::indexing_slicing, clippy::arithmetic_side_effects)]
const PACK: [u8; 64] = {
    let mut table = [0u8; 64];
    let mut j = 0;
    while j < MAX_BLOCK_OUT {
        table[j] = (4 * (j / 3) + 2 - j % 3) as u8;
        j += 1;
    }
    table
};

/// [`decode`] with either kernel, for tests and benches; `None` also when the CPU lacks the
/// features ([`available`]), so that no caller can run an instruction the CPU does not have.
pub fn decode_with(kernel: &Kernel, encoded: &[u8]) -> Option<Vec<u8>> {
    available().then(|| decode(kernel, encoded))?
}

/// [`decode_quoted`] with either kernel; `None` also when the CPU lacks the features.
pub fn decode_quoted_with(
    kernel: &Kernel,
    rest: &[u8],
    max_encoded: usize,
) -> Option<(usize, Vec<u8>)> {
    available().then(|| decode_quoted(kernel, rest, max_encoded))?
}

/// Decodes canonical unpadded base64url with `kernel`; only call when [`available`].
pub(super) fn decode(kernel: &Kernel, encoded: &[u8]) -> Option<Vec<u8>> {
    let blocks = encoded.len().checked_div(kernel.block_in)?;
    let (whole, tail) = encoded.split_at_checked(blocks.checked_mul(kernel.block_in)?)?;
    let mut out = Vec::with_capacity(decoded_capacity(encoded.len())?);
    let (done, invalid) = decode_whole_blocks(kernel, &mut out, whole)?;
    if invalid != 0 || done != blocks {
        return None;
    }
    finish(kernel, out, done, tail)
}

/// The body of a JSON string that must be canonical base64url: the position of the closing
/// quote in `rest` and the decoded bytes before it. The first character outside the alphabet
/// must be that quote, and it must come within `max_encoded` bytes; only call when
/// [`available`].
pub(super) fn decode_quoted(
    kernel: &Kernel,
    rest: &[u8],
    max_encoded: usize,
) -> Option<(usize, Vec<u8>)> {
    // Never decode more than `max_encoded` characters and one block (REQ-SIZE-2).
    let limit = rest.len().min(max_encoded.saturating_add(1));
    let whole = rest.get(
        ..limit
            .checked_div(kernel.block_in)?
            .checked_mul(kernel.block_in)?,
    )?;
    let mut out = Vec::with_capacity(decoded_capacity(limit)?);
    let (done, invalid) = decode_whole_blocks(kernel, &mut out, whole)?;
    let start = done.checked_mul(kernel.block_in)?;
    let quote = if invalid != 0 {
        // The first character outside the alphabet in the block that stopped the loop.
        start.checked_add(usize::try_from(invalid.trailing_zeros()).ok()?)?
    } else {
        start.checked_add(memchr::memchr(b'"', rest.get(start..)?)?)?
    };
    if rest.get(quote) != Some(&b'"') || quote > max_encoded {
        return None;
    }
    Some((quote, finish(kernel, out, done, rest.get(start..quote)?)?))
}

/// Room for the decoded form of `len` characters.
fn decoded_capacity(len: usize) -> Option<usize> {
    (len / 4).checked_mul(3)?.checked_add(3)
}

/// Decodes the whole blocks of `whole` into `out`'s spare capacity, up to the first block
/// holding a character outside the alphabet: the blocks decoded and that block's mask of such
/// characters (0 when there is none).
fn decode_whole_blocks(kernel: &Kernel, out: &mut Vec<u8>, whole: &[u8]) -> Option<(usize, u64)> {
    let blocks = whole.len().checked_div(kernel.block_in)?;
    if blocks.checked_mul(kernel.block_in)? != whole.len() {
        return None;
    }
    let dst = out
        .spare_capacity_mut()
        .get_mut(..blocks.checked_mul(kernel.block_out)?)?;
    // SAFETY: `available()` confirmed the target features; `whole` is whole blocks and `dst`
    // has room for `block_out` bytes per block.
    Some(unsafe { (kernel.blocks)(whole, dst) })
}

/// Sets the length to the `blocks` decoded blocks and appends the decoded `tail`.
fn finish(kernel: &Kernel, mut out: Vec<u8>, blocks: usize, tail: &[u8]) -> Option<Vec<u8>> {
    let written = blocks.checked_mul(kernel.block_out)?;
    if written > out.capacity() {
        return None;
    }
    // SAFETY: the kernel initialised the first `written` bytes (`block_out` per block,
    // through `get_mut` on the spare capacity, so within it).
    unsafe { out.set_len(written) };
    let (bytes, len) = decode_partial(kernel, tail)?;
    out.extend_from_slice(bytes.get(..len)?);
    Some(out)
}

/// The last, partial block: fewer than `block_in` characters, padded with `A` (value 0) to a
/// whole block. Returns the decoded bytes and how many of them are the tail's. A length of
/// 1 mod 4 is refused, and so are non-zero unused bits in the last character (REQ-PAYLOAD-2):
/// with the zero padding, those bits are exactly the byte after the tail's bytes.
fn decode_partial(kernel: &Kernel, tail: &[u8]) -> Option<([u8; MAX_BLOCK_OUT], usize)> {
    let extra = match tail.len() % 4 {
        0 => 0,
        2 => 1,
        3 => 2,
        _ => return None,
    };
    let len = (tail.len() / 4).checked_mul(3)?.checked_add(extra)?;
    if tail.len() >= kernel.block_in {
        return None;
    }
    let mut chars = [b'A'; MAX_BLOCK_IN];
    chars.get_mut(..tail.len())?.copy_from_slice(tail);
    let mut out = [MaybeUninit::new(0u8); MAX_BLOCK_OUT];
    let (src, dst) = (
        chars.get(..kernel.block_in)?,
        out.get_mut(..kernel.block_out)?,
    );
    // SAFETY: `available()` confirmed the target features; one block in, room for one out.
    if unsafe { (kernel.blocks)(src, dst) } != (1, 0) {
        return None;
    }
    // SAFETY: every element was initialised (to 0, then by the kernel), and
    // `[MaybeUninit<u8>; N]` has the layout of `[u8; N]`.
    let bytes: [u8; MAX_BLOCK_OUT] = unsafe { std::mem::transmute(out) };
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
unsafe fn decode_blocks_512(src: &[u8], dst: &mut [MaybeUninit<u8>]) -> (usize, u64) {
    let load = |bytes: &[u8; 64]| unsafe { _mm512_loadu_si512(bytes.as_ptr().cast::<__m512i>()) };
    let (low, high) = VALUES.split_at(64);
    let (Ok(low), Ok(high)) = (<&[u8; 64]>::try_from(low), <&[u8; 64]>::try_from(high)) else {
        return (0, u64::MAX);
    };
    let (low, high, pack) = (load(low), load(high), load(&PACK));
    let join_pairs = _mm512_set1_epi32(0x0140_0140);
    let join_quads = _mm512_set1_epi32(0x0001_1000);
    let mut done = 0usize;
    for (input, output) in src.chunks_exact(64).zip(dst.chunks_exact_mut(48)) {
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
        unsafe { _mm512_mask_storeu_epi8(output.as_mut_ptr().cast::<i8>(), (1 << 48) - 1, bytes) };
        done = done.wrapping_add(1);
    }
    (done, 0)
}

/// [`decode_blocks_512`] in 256-bit registers: 32-character blocks into 24 bytes. The 128-entry
/// table takes two 64-entry lookups, chosen by bit 6 of each character.
///
/// # Safety
/// The CPU must support AVX-512 F, BW, VL and VBMI; `dst.len()` must be `src.len() / 32 * 24`.
#[target_feature(enable = "avx512f,avx512bw,avx512vl,avx512vbmi")]
unsafe fn decode_blocks_256(src: &[u8], dst: &mut [MaybeUninit<u8>]) -> (usize, u64) {
    let load = |bytes: &[u8]| match <&[u8; 32]>::try_from(bytes) {
        Ok(bytes) => Some(unsafe { _mm256_loadu_si256(bytes.as_ptr().cast::<__m256i>()) }),
        Err(_) => None,
    };
    let (Some(t0), Some(t1), Some(t2), Some(t3), Some(pack)) = (
        VALUES.get(..32).and_then(load),
        VALUES.get(32..64).and_then(load),
        VALUES.get(64..96).and_then(load),
        VALUES.get(96..).and_then(load),
        PACK.get(..32).and_then(load),
    ) else {
        return (0, u64::MAX);
    };
    let bit6 = _mm256_set1_epi8(0x40);
    let join_pairs = _mm256_set1_epi32(0x0140_0140);
    let join_quads = _mm256_set1_epi32(0x0001_1000);
    let mut done = 0usize;
    for (input, output) in src.chunks_exact(32).zip(dst.chunks_exact_mut(24)) {
        let chars = unsafe { _mm256_loadu_si256(input.as_ptr().cast::<__m256i>()) };
        // Bits 0–5 index a 64-entry half of the table, bit 6 picks the half; a set bit 7
        // (non-ASCII) is caught by or-ing in the character itself.
        let low = _mm256_permutex2var_epi8(t0, chars, t1);
        let high = _mm256_permutex2var_epi8(t2, chars, t3);
        let values = _mm256_mask_blend_epi8(_mm256_test_epi8_mask(chars, bit6), low, high);
        let invalid = _mm256_movepi8_mask(_mm256_or_si256(values, chars));
        if invalid != 0 {
            return (done, u64::from(invalid));
        }
        let pairs = _mm256_maddubs_epi16(values, join_pairs);
        let quads = _mm256_madd_epi16(pairs, join_quads);
        let bytes = _mm256_permutexvar_epi8(pack, quads);
        // 24 of the 32 bytes: exactly `output`.
        unsafe { _mm256_mask_storeu_epi8(output.as_mut_ptr().cast::<i8>(), (1 << 24) - 1, bytes) };
        done = done.wrapping_add(1);
    }
    (done, 0)
}
