//! Hex, as SIPC/1 writes it: lowercase for `sig` (REQ-SIG-2, REQ-SIG-4), either case for a
//! config's `secret_hex` (REQ-CONFIG-6). A leaf module: it uses nothing else of the crate.

/// Lowercase hex, as `sig` is written (REQ-SIG-4).
pub fn lower_hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len().saturating_mul(2));
    for &b in bytes {
        for nibble in [b >> 4, b & 0x0F] {
            out.push(char::from(
                DIGITS.get(usize::from(nibble)).copied().unwrap_or(b'0'),
            ));
        }
    }
    out
}

/// Lowercase hex digit → its value; 0xFF for any other byte (uppercase included, REQ-SIG-2).
#[allow(clippy::indexing_slicing, clippy::arithmetic_side_effects)] // evaluated at compile time
const LOWER_VALUES: [u8; 256] = {
    let mut table = [0xFFu8; 256];
    let mut b = 0;
    while b < 256 {
        table[b] = match b as u8 {
            b'0'..=b'9' => b as u8 - b'0',
            b'a'..=b'f' => b as u8 - b'a' + 10,
            _ => 0xFF,
        };
        b += 1;
    }
    table
};

/// The 32 bytes of a `sig` written as exactly 64 lowercase hex digits (REQ-SIG-2), or `None`.
/// Branch-free over the digits: a signature's digits are random, and a branch per digit is a
/// misprediction in three cases of eight.
pub(crate) fn parse_sig_hex(hex: &[u8]) -> Option<[u8; 32]> {
    if hex.len() != 64 {
        return None;
    }
    let value = |b: u8| LOWER_VALUES.get(usize::from(b)).copied().unwrap_or(0xFF);
    let mut out = [0u8; 32];
    let mut invalid = 0u8;
    for (byte, pair) in out.iter_mut().zip(hex.chunks_exact(2)) {
        let [hi, lo] = pair else { return None };
        let (hi, lo) = (value(*hi), value(*lo));
        invalid |= hi | lo;
        *byte = (hi << 4) | (lo & 0x0F);
    }
    (invalid & 0x80 == 0).then_some(out)
}

/// Hex digits of either case, an even number of them and nothing else (no `0x`, no
/// whitespace), decoded (REQ-CONFIG-6); `None` for anything else.
pub fn decode_any_case(hex: &str) -> Option<Vec<u8>> {
    if !hex.len().is_multiple_of(2) {
        return None;
    }
    let digit = |b: u8| {
        char::from(b)
            .to_digit(16)
            .and_then(|d| u8::try_from(d).ok())
    };
    hex.as_bytes()
        .chunks_exact(2)
        .map(|pair| match pair {
            [hi, lo] => Some((digit(*hi)? << 4) | digit(*lo)?),
            _ => None,
        })
        .collect()
}
