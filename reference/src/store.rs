//! The shared replay store's side of verification (SIPC/1 §16: REQ-STORE-1 … REQ-STORE-3),
//! without the store: the key a nonce is recorded under and the second it expires at. The
//! library does no I/O; a server that talks to a store (`sipc serve`) sends the one command of
//! REQ-STORE-1 with these values and maps the answer with [`StoreAnswer::verdict`].

use crate::sign::mac;
use crate::Reject;

/// The prefix of every store key (REQ-STORE-2).
pub const STORE_KEY_PREFIX: &str = "sipc1:replay:";
/// The domain of the keyed digest (REQ-STORE-2): `SIPC-1 replay` and a line feed.
pub const STORE_KEY_DOMAIN: &[u8] = b"SIPC-1 replay\n";

/// The store key of `nonce` under `secret` (REQ-STORE-2): [`STORE_KEY_PREFIX`] and the
/// lowercase hex HMAC-SHA256 of [`STORE_KEY_DOMAIN`] followed by the nonce. Never the nonce
/// itself: the store's operators and backups see keys that tell nothing of the traffic.
///
/// ```
/// let key = sipc_reference::store::store_key(&[0; 32], "AAAAAAAAAAAAAAAAAAAAAA");
/// assert!(key.starts_with("sipc1:replay:"));
/// assert_eq!(key.len(), 13 + 64);
/// ```
pub fn store_key(secret: &[u8], nonce: &str) -> String {
    let mut input = STORE_KEY_DOMAIN.to_vec();
    input.extend_from_slice(nonce.as_bytes());
    let mut key = STORE_KEY_PREFIX.to_owned();
    key.push_str(&crate::hex::lower_hex(&mac(secret, &input)));
    key
}

/// The Unix second at which a nonce's key expires (REQ-STORE-3): `ts + ttl_seconds + 1`, the
/// first second at which the nonce is no longer live (REQ-REPLAY-1). Saturates, never wraps.
pub fn store_expiry(ts: u64, ttl_seconds: u64) -> u64 {
    ts.saturating_add(ttl_seconds).saturating_add(1)
}

/// What the store answered to the check-and-record of REQ-STORE-1.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StoreAnswer {
    /// `OK`: the key was absent and is now set.
    Recorded,
    /// Nil: the key exists.
    Exists,
    /// No answer in time, no connection, an error reply or any other reply (REQ-STORE-5).
    Unavailable,
}

impl StoreAnswer {
    /// The verdict the answer makes (REQ-STORE-1, REQ-STORE-5): accepted, `replay`, or
    /// `replay_store_unavailable`; the store's absence is never an empty cache.
    pub fn verdict(self) -> Result<(), Reject> {
        match self {
            StoreAnswer::Recorded => Ok(()),
            StoreAnswer::Exists => Err(Reject::Replay),
            StoreAnswer::Unavailable => Err(Reject::ReplayStoreUnavailable),
        }
    }
}

/// An envelope that passed steps 1–9 of REQ-VERIFY-1 and waits for the store's step 10: its
/// fields, and the key and expiry of the one command of REQ-STORE-1.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Authenticated {
    /// What the verifier returns once the store records the nonce.
    pub fields: crate::Fields,
    /// [`store_key`] of the nonce.
    pub key: String,
    /// [`store_expiry`] of its `ts`: the `EXAT` of REQ-STORE-3.
    pub expires_at: u64,
}
