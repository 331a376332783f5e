//! The verifier as a state machine (§8 steps, REQ-TTL-3, §9), and the checker's view of it.

use crate::properties::{self, Violations};
use stateright::{Model, Property};
use std::collections::BTreeMap;

/// The bounds of an exhaustive check.
#[derive(Clone, Copy, Debug)]
pub struct Bounds {
    /// Nonces `0..nonces`.
    pub nonces: u8,
    /// `nonce_cache_size`.
    pub capacity: usize,
    /// `ttl_seconds`.
    pub ttl: u8,
    /// Clock readings and `ts` values are `0..=max_time`.
    pub max_time: u8,
    /// Actions per behaviour.
    pub steps: usize,
}

impl Bounds {
    /// The bound CI checks: 3 nonces, capacity 2, ttl 2, times 0–6, 6 steps.
    pub const CI: Bounds = Bounds {
        nonces: 3,
        capacity: 2,
        ttl: 2,
        max_time: 6,
        steps: 6,
    };
}

/// The first structural fault of an envelope, standing for steps 1–7 of §8.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Fault {
    /// None: the envelope is well formed, of an allowed kind, within every size.
    None,
    /// Step 1 (or 7): `oversize`.
    Oversize,
    /// Steps 2–5, 7: `malformed` (and the other syntax codes, which behave alike here).
    Malformed,
    /// Step 6: `kind_not_allowed`.
    KindNotAllowed,
}

/// An abstract envelope.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Envelope {
    /// The nonce.
    pub nonce: u8,
    /// `ts`.
    pub ts: u8,
    /// Whether its MAC is right (a forgery otherwise).
    pub authentic: bool,
    /// Its structural fault.
    pub fault: Fault,
}

/// A verification's answer: the stable codes of §1 that the model distinguishes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Verdict {
    /// Step 1/7.
    Oversize,
    /// Steps 2–5/7.
    Malformed,
    /// Step 6.
    KindNotAllowed,
    /// Step 8, in the past.
    Expired,
    /// Step 8, in the future.
    FromFuture,
    /// Step 9.
    BadSignature,
    /// Step 10, remembered.
    Replay,
    /// Step 10, full.
    ReplayCacheFull,
    /// Step 11.
    Accept,
}

/// What the caller does.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Action {
    /// A clock reading: the `now` the next verifications are given (it may go back).
    Clock(u8),
    /// A verification of an envelope at the last reading.
    Verify(Envelope),
}

/// The verifier's state, and the ghost variables of the properties.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct State {
    /// The `now` the caller gives (its last clock reading).
    pub given: u8,
    /// The verifier's clock: the greatest `now` it has been given (REQ-TTL-3).
    pub clock: u8,
    /// The replay cache: nonce → the `ts` of the envelope that put it there.
    pub cache: BTreeMap<u8, u8>,
    /// Actions taken.
    pub steps: usize,
    /// Ghost: for each nonce ever accepted, the last `ts` accepted with it.
    pub accepted: BTreeMap<u8, u8>,
    /// Ghost: the greatest `now` given with a verification (what REQ-TTL-3 calls the clock,
    /// kept apart from the verifier's own).
    pub latest: u8,
    /// Ghost: the properties broken so far.
    pub violations: Violations,
}

/// A deliberate bug, to show each property can fail.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mutation {
    /// The model as specified.
    None,
    /// The nonce is recorded before the MAC is checked (REQ-REPLAY-3 broken).
    RecordBeforeMac,
    /// A full cache evicts its oldest entry instead of refusing (REQ-REPLAY-4 broken).
    EvictWhenFull,
    /// `now − ts ≥ ttl` is expired (REQ-TTL-1's boundary broken).
    ExpireAtTtl,
    /// The verifier uses the `now` it is given, not the greatest (REQ-TTL-3 broken).
    ClockGoesBack,
    /// The replay check comes before the signature check (REQ-REPLAY-5 broken).
    ReplayBeforeMac,
    /// The cache holds one more than its capacity.
    OffByOneCapacity,
    /// A nonce is forgotten when `now = ts + ttl`, while its envelope is still accepted.
    ForgetAtTtl,
    /// A forged envelope is accepted when its nonce is fresh (no MAC check).
    NoMacCheck,
}

/// The model: bounds and (for the tests that show properties can fail) a mutation.
#[derive(Clone, Debug)]
pub struct VerifierModel {
    /// The bounds.
    pub bounds: Bounds,
    /// The deliberate bug, if any.
    pub mutation: Mutation,
}

impl VerifierModel {
    /// The model as specified.
    pub fn new(bounds: Bounds) -> VerifierModel {
        VerifierModel {
            bounds,
            mutation: Mutation::None,
        }
    }

    /// The model with `mutation`.
    pub fn mutated(bounds: Bounds, mutation: Mutation) -> VerifierModel {
        VerifierModel { bounds, mutation }
    }

    /// Whether the cache entry of `ts` is live at `clock` (REQ-REPLAY-1).
    pub fn live(&self, ts: u8, clock: u8) -> bool {
        u16::from(clock) <= u16::from(ts) + u16::from(self.bounds.ttl)
    }

    /// One verification: the verdict, and the cache and clock after it. Steps in the order of
    /// §8; the cache first forgets what the new clock has expired (REQ-REPLAY-1).
    pub fn verify(&self, state: &State, env: Envelope) -> (Verdict, BTreeMap<u8, u8>, u8) {
        let m = self.mutation;
        let clock = if m == Mutation::ClockGoesBack {
            state.given
        } else {
            state.clock.max(state.given)
        };
        let mut cache: BTreeMap<u8, u8> = state
            .cache
            .iter()
            .filter(|(_, ts)| {
                self.live(**ts, clock)
                    && !(m == Mutation::ForgetAtTtl
                        && u16::from(clock) == u16::from(**ts) + u16::from(self.bounds.ttl))
            })
            .map(|(n, ts)| (*n, *ts))
            .collect();
        let remembered = cache.contains_key(&env.nonce);
        let verdict = 'steps: {
            // Steps 1–7: size, syntax, kind (the first structural fault).
            match env.fault {
                Fault::Oversize => break 'steps Verdict::Oversize,
                Fault::Malformed => break 'steps Verdict::Malformed,
                Fault::KindNotAllowed => break 'steps Verdict::KindNotAllowed,
                Fault::None => {}
            }
            // Step 8: the window, inclusive (REQ-TTL-1, REQ-TTL-2).
            let (age, ttl) = (
                i16::from(clock) - i16::from(env.ts),
                i16::from(self.bounds.ttl),
            );
            if age > ttl || (m == Mutation::ExpireAtTtl && age == ttl) {
                break 'steps Verdict::Expired;
            }
            if -age > ttl {
                break 'steps Verdict::FromFuture;
            }
            let recorded =
                m == Mutation::RecordBeforeMac && !remembered && cache.len() < self.bounds.capacity;
            if recorded {
                cache.insert(env.nonce, env.ts);
            }
            if m == Mutation::ReplayBeforeMac && remembered {
                break 'steps Verdict::Replay;
            }
            // Step 9: the MAC.
            if !env.authentic && m != Mutation::NoMacCheck {
                break 'steps Verdict::BadSignature;
            }
            // Step 10: remembered, then full (REQ-REPLAY-5), failing closed (REQ-REPLAY-4).
            if remembered {
                break 'steps Verdict::Replay;
            }
            let capacity = self.bounds.capacity + usize::from(m == Mutation::OffByOneCapacity);
            if !recorded && cache.len() >= capacity {
                if m != Mutation::EvictWhenFull {
                    break 'steps Verdict::ReplayCacheFull;
                }
                let oldest = cache.iter().min_by_key(|(_, ts)| **ts).map(|(n, _)| *n);
                if let Some(n) = oldest {
                    cache.remove(&n);
                }
            }
            // Step 11: remember the nonce (REQ-REPLAY-1).
            cache.insert(env.nonce, env.ts);
            Verdict::Accept
        };
        (verdict, cache, clock)
    }

    /// Every envelope within the bounds.
    pub fn envelopes(&self) -> Vec<Envelope> {
        let mut out = Vec::new();
        for nonce in 0..self.bounds.nonces {
            for ts in 0..=self.bounds.max_time {
                for authentic in [true, false] {
                    for fault in [
                        Fault::None,
                        Fault::Oversize,
                        Fault::Malformed,
                        Fault::KindNotAllowed,
                    ] {
                        out.push(Envelope {
                            nonce,
                            ts,
                            authentic,
                            fault,
                        });
                    }
                }
            }
        }
        out
    }
}

impl Model for VerifierModel {
    type State = State;
    type Action = Action;

    fn init_states(&self) -> Vec<State> {
        vec![State {
            given: 0,
            clock: 0,
            cache: BTreeMap::new(),
            steps: 0,
            accepted: BTreeMap::new(),
            latest: 0,
            violations: Violations::default(),
        }]
    }

    fn actions(&self, state: &State, actions: &mut Vec<Action>) {
        if state.steps >= self.bounds.steps {
            return;
        }
        actions.extend((0..=self.bounds.max_time).map(Action::Clock));
        actions.extend(self.envelopes().into_iter().map(Action::Verify));
    }

    fn next_state(&self, state: &State, action: Action) -> Option<State> {
        let mut next = state.clone();
        next.steps += 1;
        match action {
            Action::Clock(now) => next.given = now,
            Action::Verify(env) => {
                let (verdict, cache, clock) = self.verify(state, env);
                next.violations = properties::check(self, state, env, verdict, &cache);
                next.cache = cache;
                next.clock = clock;
                next.latest = state.latest.max(state.given);
                if verdict == Verdict::Accept {
                    next.accepted.insert(env.nonce, env.ts);
                }
            }
        }
        Some(next)
    }

    fn properties(&self) -> Vec<Property<Self>> {
        properties::all()
    }
}
