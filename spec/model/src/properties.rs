//! The safety properties of SIPC/1 verification, each written from the spec's words and apart
//! from the verifier of `model.rs`: a transition that breaks one sets its flag for good, and the
//! checker's `always` properties require every flag clear. Reachability properties
//! (`sometimes`) show the bound does reach accepts, replays, a full cache and expiry.

use crate::model::{Envelope, Fault, State, Verdict, VerifierModel};
use stateright::Property;
use std::collections::BTreeMap;

/// The properties broken so far on a behaviour.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Violations {
    /// An authentic envelope's nonce accepted twice while the first is inside its window.
    pub accepted_twice: bool,
    /// A refusal changed the cache beyond what the clock expired.
    pub refusal_changed_state: bool,
    /// The cache holds more than its capacity.
    pub over_capacity: bool,
    /// A live nonce left the cache.
    pub live_nonce_dropped: bool,
    /// An accept outside the window, of a forgery, or of a faulty envelope.
    pub unsound_accept: bool,
    /// A verdict other than the first failing step of §8.
    pub wrong_step: bool,
}

/// The verdict §8 prescribes: every check evaluated on its own, the first failing one
/// decides (REQ-VERIFY-1), at the clock of REQ-TTL-3 and against the live cache.
pub fn prescribed(model: &VerifierModel, state: &State, env: Envelope) -> Verdict {
    let now = i16::from(state.latest.max(state.given));
    let ttl = i16::from(model.bounds.ttl);
    let ts = i16::from(env.ts);
    let live = live_cache(model, &state.cache, state.latest.max(state.given));
    let checks = [
        (env.fault == Fault::Oversize, Verdict::Oversize),
        (env.fault == Fault::Malformed, Verdict::Malformed),
        (env.fault == Fault::KindNotAllowed, Verdict::KindNotAllowed),
        (now - ts > ttl, Verdict::Expired),
        (ts - now > ttl, Verdict::FromFuture),
        (!env.authentic, Verdict::BadSignature),
        (live.contains_key(&env.nonce), Verdict::Replay),
        (
            live.len() >= model.bounds.capacity,
            Verdict::ReplayCacheFull,
        ),
    ];
    checks
        .iter()
        .find(|(fails, _)| *fails)
        .map_or(Verdict::Accept, |(_, verdict)| *verdict)
}

fn live_cache(model: &VerifierModel, cache: &BTreeMap<u8, u8>, now: u8) -> BTreeMap<u8, u8> {
    cache
        .iter()
        .filter(|(_, ts)| u16::from(now) <= u16::from(**ts) + u16::from(model.bounds.ttl))
        .map(|(n, ts)| (*n, *ts))
        .collect()
}

/// The flags after one verification of `env` from `state`, answered `verdict`, leaving
/// `cache`.
pub fn check(
    model: &VerifierModel,
    state: &State,
    env: Envelope,
    verdict: Verdict,
    cache: &BTreeMap<u8, u8>,
) -> Violations {
    let mut v = state.violations;
    let now = state.latest.max(state.given);
    let ttl = u16::from(model.bounds.ttl);
    let live_before = live_cache(model, &state.cache, now);
    if verdict == Verdict::Accept {
        // Accepted at most once while the time (REQ-TTL-3) is inside the first's window.
        if let Some(first) = state.accepted.get(&env.nonce) {
            if u16::from(now) <= u16::from(*first) + ttl {
                v.accepted_twice = true;
            }
        }
        let age = i16::from(now) - i16::from(env.ts);
        if !env.authentic || env.fault != Fault::None || age.unsigned_abs() > ttl {
            v.unsound_accept = true;
        }
    } else if *cache != live_before {
        v.refusal_changed_state = true;
    }
    if cache.len() > model.bounds.capacity {
        v.over_capacity = true;
    }
    if live_before.keys().any(|n| !cache.contains_key(n)) {
        v.live_nonce_dropped = true;
    }
    if verdict != prescribed(model, state, env) {
        v.wrong_step = true;
    }
    v
}

/// The checker's properties.
pub fn all() -> Vec<Property<VerifierModel>> {
    vec![
        Property::always(
            "an authentic envelope is accepted at most once in its window",
            |_, s: &State| !s.violations.accepted_twice,
        ),
        Property::always("a refusal changes nothing but the clock", |_, s: &State| {
            !s.violations.refusal_changed_state
        }),
        Property::always(
            "the cache never holds more than its capacity",
            |_, s: &State| !s.violations.over_capacity,
        ),
        Property::always(
            "no live nonce is dropped (a full cache refuses)",
            |_, s: &State| !s.violations.live_nonce_dropped,
        ),
        Property::always(
            "every accept is fresh, authentic and well formed",
            |_, s: &State| !s.violations.unsound_accept,
        ),
        Property::always(
            "each refusal is the first failing step of §8",
            |_, s: &State| !s.violations.wrong_step,
        ),
        Property::sometimes("an envelope is accepted", |_, s: &State| {
            !s.accepted.is_empty()
        }),
        Property::sometimes("the cache is full", |m: &VerifierModel, s: &State| {
            s.cache.len() == m.bounds.capacity
        }),
        Property::sometimes(
            "a nonce is forgotten and its envelope then expired",
            |m: &VerifierModel, s: &State| {
                s.accepted
                    .iter()
                    .any(|(n, ts)| !s.cache.contains_key(n) && !m.live(*ts, s.clock))
            },
        ),
    ]
}
