//! The replay cache (SIPC/1 §9: REQ-REPLAY-1 … REQ-REPLAY-5).

use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap};

/// Nonces of accepted envelopes, each remembered until the verifier's clock passes
/// `ts + ttl_seconds` (REQ-REPLAY-1). Holds at most `capacity` entries and never evicts a live
/// one: when full, new nonces are refused instead (REQ-REPLAY-4).
#[derive(Debug, Clone)]
pub(crate) struct ReplayCache {
    capacity: usize,
    /// nonce → the last second at which it is still live.
    live: HashMap<Box<str>, u64>,
    /// The same entries ordered by expiry, for forgetting them in time order.
    by_expiry: BinaryHeap<Reverse<(u64, Box<str>)>>,
}

/// What the cache says about a nonce.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Lookup {
    /// Live entry: this is a replay.
    Seen,
    /// Not seen, and there is room to record it.
    New,
    /// Not seen, but the cache holds `capacity` live entries.
    Full,
}

impl ReplayCache {
    pub(crate) fn new(capacity: usize) -> ReplayCache {
        ReplayCache {
            capacity,
            live: HashMap::new(),
            by_expiry: BinaryHeap::new(),
        }
    }

    /// Forgets every entry whose expiry is before `now` (it is live while `now <= expiry`).
    pub(crate) fn forget_expired(&mut self, now: u64) {
        while let Some(Reverse((expiry, _))) = self.by_expiry.peek() {
            if *expiry >= now {
                break;
            }
            if let Some(Reverse((expiry, nonce))) = self.by_expiry.pop() {
                if self.live.get(&nonce) == Some(&expiry) {
                    self.live.remove(&nonce);
                }
            }
        }
    }

    /// Call after [`ReplayCache::forget_expired`] with the current clock.
    pub(crate) fn lookup(&self, nonce: &str) -> Lookup {
        if self.live.contains_key(nonce) {
            Lookup::Seen
        } else if self.live.len() >= self.capacity {
            Lookup::Full
        } else {
            Lookup::New
        }
    }

    /// Records an accepted nonce; only after a [`Lookup::New`].
    pub(crate) fn record(&mut self, nonce: &str, expiry: u64) {
        let nonce: Box<str> = nonce.into();
        self.live.insert(nonce.clone(), expiry);
        self.by_expiry.push(Reverse((expiry, nonce)));
    }

    /// The number of live entries (after the last `forget_expired`).
    pub(crate) fn len(&self) -> usize {
        self.live.len()
    }
}
