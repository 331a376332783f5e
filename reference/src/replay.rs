//! The replay cache (SIPC/1 §9: REQ-REPLAY-1 … REQ-REPLAY-5).
//!
//! A live entry costs about 61 bytes at 10⁶ entries, whatever the nonce's length (up to 128
//! bytes, REQ-ENV-6): the cache keeps a 128-bit keyed digest of each nonce, not the nonce (see
//! the note after REQ-REPLAY-5), in a hash set, and the same digests with their expiry in a
//! min-heap. `reference/tests/replay_memory.rs` measures it with a counting allocator.

use sha2::{Digest, Sha256};
use siphasher::sip128::SipHasher13;
use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashSet};
use std::hash::{BuildHasherDefault, Hash, Hasher};

/// The domain of the digest key: a cache's digests depend on the verifier's secret, so nobody
/// without it can predict where a nonce lands in the hash set, or make two nonces collide.
const KEY_DOMAIN: &[u8] = b"SIPC-1 replay cache key\n";

/// A 128-bit digest of a nonce: SipHash-1-3-128 under a key derived from the secret. Without
/// the key nobody can aim for a collision; by chance two distinct nonces share a digest with
/// probability 2⁻¹²⁸, and a collision can only refuse a genuine nonce, never accept a replay.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct Digest128([u8; 16]);

/// The digest is uniformly distributed already: its first 8 bytes are the hash.
impl Hash for Digest128 {
    fn hash<H: Hasher>(&self, state: &mut H) {
        let [a, b, c, d, e, f, g, h, ..] = self.0;
        state.write_u64(u64::from_le_bytes([a, b, c, d, e, f, g, h]));
    }
}

/// A hasher that passes the one `u64` it is given through (see [`Digest128`]'s `Hash`).
#[derive(Debug, Default, Clone, Copy)]
struct PassThrough(u64);

impl Hasher for PassThrough {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        // Not reached for `Digest128`; folded in anyway so the hasher is never constant.
        for &b in bytes {
            self.0 = self.0.rotate_left(8) ^ u64::from(b);
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

/// Nonces of accepted envelopes, each remembered until the verifier's clock passes
/// `ts + ttl_seconds` (REQ-REPLAY-1). Holds at most `capacity` entries and never evicts a live
/// one: when full, new nonces are refused instead (REQ-REPLAY-4).
///
/// ```
/// use sipc_reference::replay::{Lookup, ReplayCache};
///
/// let mut cache = ReplayCache::new(1, &[7; 32]);
/// let nonce = "AAAAAAAAAAAAAAAAAAAAAA";
/// assert_eq!(cache.admit(nonce, 100), Lookup::New); // now recorded, live until 100
/// assert_eq!(cache.admit(nonce, 100), Lookup::Seen);
/// assert_eq!(cache.admit("BBBBBBBBBBBBBBBBBBBBBB", 100), Lookup::Full);
/// cache.forget_expired(100);
/// assert_eq!(cache.lookup(nonce), Lookup::Seen);
/// cache.forget_expired(101);
/// assert_eq!(cache.lookup(nonce), Lookup::New);
/// ```
#[derive(Debug, Clone)]
pub struct ReplayCache {
    capacity: usize,
    /// The digest's SipHash key.
    key: [u8; 16],
    /// The digests of the live nonces.
    live: HashSet<Digest128, BuildHasherDefault<PassThrough>>,
    /// The same entries ordered by expiry (the last second at which each is live).
    by_expiry: BinaryHeap<Reverse<(u64, Digest128)>>,
}

/// What the cache says about a nonce.
#[derive(Debug, PartialEq, Eq, Clone, Copy)]
pub enum Lookup {
    /// Live entry: this is a replay.
    Seen,
    /// Not seen, and there is room to record it.
    New,
    /// Not seen, but the cache holds `capacity` live entries.
    Full,
}

impl ReplayCache {
    /// An empty cache of at most `capacity` live nonces, its digests keyed by `secret`.
    pub fn new(capacity: usize, secret: &[u8]) -> ReplayCache {
        let key = Sha256::new()
            .chain_update(KEY_DOMAIN)
            .chain_update(secret)
            .finalize();
        let mut sip_key = [0u8; 16];
        for (slot, byte) in sip_key.iter_mut().zip(key) {
            *slot = byte;
        }
        ReplayCache {
            capacity,
            key: sip_key,
            live: HashSet::default(),
            by_expiry: BinaryHeap::new(),
        }
    }

    fn digest(&self, nonce: &str) -> Digest128 {
        let hash = SipHasher13::new_with_key(&self.key).hash(nonce.as_bytes());
        Digest128(hash.as_bytes())
    }

    /// Forgets every entry whose expiry is before `now` (it is live while `now <= expiry`).
    pub fn forget_expired(&mut self, now: u64) {
        while let Some(Reverse((expiry, _))) = self.by_expiry.peek() {
            if *expiry >= now {
                break;
            }
            if let Some(Reverse((_, digest))) = self.by_expiry.pop() {
                self.live.remove(&digest);
            }
        }
    }

    /// What the cache says about `nonce`, without changing it. Call after
    /// [`ReplayCache::forget_expired`] with the current clock.
    pub fn lookup(&self, nonce: &str) -> Lookup {
        self.classify(&self.digest(nonce))
    }

    /// Looks `nonce` up and, when it is [`Lookup::New`], records it as live until `expiry`
    /// (REQ-REPLAY-1): the lookup and the insert of an accepted envelope, hashing the nonce once.
    pub fn admit(&mut self, nonce: &str, expiry: u64) -> Lookup {
        let digest = self.digest(nonce);
        if self.live.len() >= self.capacity {
            return self.classify(&digest);
        }
        // One probe of the set: the insert itself says whether the digest was live.
        if !self.live.insert(digest) {
            return Lookup::Seen;
        }
        // Each digest has at most one heap entry: it enters the set only when absent, and
        // leaves it only when its heap entry is popped.
        self.by_expiry.push(Reverse((expiry, digest)));
        Lookup::New
    }

    fn classify(&self, digest: &Digest128) -> Lookup {
        if self.live.contains(digest) {
            Lookup::Seen
        } else if self.live.len() >= self.capacity {
            Lookup::Full
        } else {
            Lookup::New
        }
    }

    /// The number of live entries (after the last `forget_expired`).
    pub fn len(&self) -> usize {
        self.live.len()
    }

    /// Whether no entry is live.
    pub fn is_empty(&self) -> bool {
        self.live.is_empty()
    }
}
