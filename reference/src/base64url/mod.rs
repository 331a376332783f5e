//! base64url without padding, canonical only (RFC 4648 §5; REQ-PAYLOAD-1, REQ-PAYLOAD-2).
//!
//! Decoding refuses `=`, `+`, `/`, every byte outside `A–Z a–z 0–9 - _`, a length of 1 mod 4
//! and non-zero unused bits in the last character. Where the CPU has AVX-512 VBMI, everything
//! goes through [`avx512`] (the only `unsafe` code of the crate; 512-bit blocks on AMD, 256-bit
//! ones elsewhere), the last partial block padded to a whole one; on other CPUs, through
//! `base64-simd` (AVX2 or SSE4.1 where present).
//! `tests/payload_base64.rs` holds both to the `base64` crate's `URL_SAFE_NO_PAD` verdicts.

#[cfg(target_arch = "x86_64")]
#[doc(hidden)]
pub mod avx512;

use base64_simd::URL_SAFE_NO_PAD;

/// The decoded bytes of canonical unpadded base64url, or `None`.
pub fn decode(encoded: &[u8]) -> Option<Vec<u8>> {
    #[cfg(target_arch = "x86_64")]
    if let Some(kernel) = avx512::kernel() {
        return avx512::decode(kernel, encoded);
    }
    portable::decode(encoded)
}

/// The body of a JSON string that must be canonical base64url (the payload, REQ-PAYLOAD-1):
/// the position of the first `"` in `rest` and the decoded bytes before it; `None` if a byte
/// before it is outside the alphabet, if the encoding is not canonical, or if the quote comes
/// after `max_encoded` bytes (REQ-SIZE-2: nothing longer is decoded).
pub fn decode_quoted(rest: &[u8], max_encoded: usize) -> Option<(usize, Vec<u8>)> {
    #[cfg(target_arch = "x86_64")]
    if let Some(kernel) = avx512::kernel() {
        return avx512::decode_quoted(kernel, rest, max_encoded);
    }
    portable::decode_quoted(rest, max_encoded)
}

/// The decoders for CPUs without AVX-512 VBMI. Public (and hidden) so that tests hold them to
/// the same verdicts on a machine that has it.
#[doc(hidden)]
pub mod portable {
    use base64_simd::URL_SAFE_NO_PAD;

    /// [`super::decode`] with `base64-simd`.
    pub fn decode(encoded: &[u8]) -> Option<Vec<u8>> {
        URL_SAFE_NO_PAD.decode_to_vec(encoded).ok()
    }

    /// [`super::decode_quoted`] with `memchr` and `base64-simd`.
    pub fn decode_quoted(rest: &[u8], max_encoded: usize) -> Option<(usize, Vec<u8>)> {
        let quote = memchr::memchr(b'"', rest)?;
        if quote > max_encoded {
            return None;
        }
        Some((quote, decode(rest.get(..quote)?)?))
    }
}

/// Unpadded base64url of `bytes` (REQ-SIGNER-2).
pub fn encode(bytes: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode_to_string(bytes)
}
