//! What every profile shares: the message (headers in order, the body as bytes), header
//! lookup, the strict timestamp, HMAC-SHA256 and the constant-time compare. A leaf module.

use crate::error::Reject;
use hmac::{Hmac, Mac};
use sha2::Sha256;
use subtle::ConstantTimeEq;

/// The largest timestamp a profile accepts: 2⁵³ − 1, so every implementation (a JavaScript
/// number among them) reads the same integer.
pub const MAX_TIMESTAMP: u64 = (1 << 53) - 1;

/// A delivered message: the HTTP header fields in the order received (names as sent, repeats
/// kept) and the body's bytes.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Message {
    /// `(name, value)` pairs, in order.
    pub headers: Vec<(String, String)>,
    /// The raw body.
    pub body: Vec<u8>,
}

impl Message {
    /// The one value of header `name` (ASCII case-insensitive, as HTTP field names are):
    /// absent or empty is [`Reject::MissingHeader`], several is [`Reject::DuplicateHeader`].
    pub(crate) fn single(
        &self,
        name: &'static str,
        missing: &'static str,
        repeated: &'static str,
    ) -> Result<&str, Reject> {
        let mut values = self
            .headers
            .iter()
            .filter(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str());
        match (values.next(), values.next()) {
            (None, _) | (Some(""), None) => Err(Reject::MissingHeader { name, req: missing }),
            (Some(value), None) => Ok(value),
            (Some(_), Some(_)) => Err(Reject::DuplicateHeader {
                name,
                req: repeated,
            }),
        }
    }
}

/// A timestamp in canonical decimal: ASCII digits, no sign, no leading zero, at most
/// [`MAX_TIMESTAMP`].
pub(crate) fn parse_timestamp(text: &str, req: &'static str) -> Result<u64, Reject> {
    let bad = || Reject::MalformedTimestamp { req };
    let bytes = text.as_bytes();
    if bytes.is_empty() || bytes.len() > 16 || !bytes.iter().all(u8::is_ascii_digit) {
        return Err(bad());
    }
    if bytes.len() > 1 && bytes.first() == Some(&b'0') {
        return Err(bad());
    }
    let value = bytes.iter().try_fold(0u64, |acc, d| {
        acc.checked_mul(10)?
            .checked_add(u64::from(d.wrapping_sub(b'0')))
    });
    match value {
        Some(v) if v <= MAX_TIMESTAMP => Ok(v),
        _ => Err(bad()),
    }
}

/// `now` against `ts` and the tolerance, inclusive at both ends: older than `tolerance` is
/// [`Reject::Expired`], further ahead than `tolerance` is [`Reject::Future`].
pub(crate) fn check_window(
    ts: u64,
    now: u64,
    tolerance: u64,
    req: &'static str,
) -> Result<(), Reject> {
    if now.saturating_sub(ts) > tolerance {
        Err(Reject::Expired { req })
    } else if ts.saturating_sub(now) > tolerance {
        Err(Reject::Future { req })
    } else {
        Ok(())
    }
}

/// HMAC-SHA256 of the concatenation of `parts` under `key`.
pub fn hmac_sha256(key: &[u8], parts: &[&[u8]]) -> [u8; 32] {
    // HMAC takes a key of any length: new_from_slice cannot fail for it.
    let mut mac = match Hmac::<Sha256>::new_from_slice(key) {
        Ok(mac) => mac,
        Err(_) => return [0; 32],
    };
    for part in parts {
        mac.update(part);
    }
    mac.finalize().into_bytes().into()
}

/// Constant-time equality of two encoded signatures (the length is not secret).
pub(crate) fn same(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && bool::from(a.ct_eq(b))
}
