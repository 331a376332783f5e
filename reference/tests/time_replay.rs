//! SIPC/1 §8 (time) and §9 (replay): REQ-TTL-*, REQ-REPLAY-*, and a model-based test of the
//! verifier against a plain executable model over random sequences of (nonce, ts, now).

mod common;

use common::*;
use proptest::prelude::*;
use sipc_reference::{Config, Fields, Verifier};

fn message(nonce: &str, ts: u64) -> Vec<u8> {
    sipc_reference::sign(
        &config().auth.secret,
        &Fields {
            nonce: nonce.into(),
            ts,
            ..fields()
        },
    )
}

fn forged(nonce: &str, ts: u64) -> Vec<u8> {
    let text = String::from_utf8(message(nonce, ts)).unwrap();
    // change the payload, keep the signature: a forgery reusing a real nonce
    text.replace("aGVsbG8", "aGVsbG4").into_bytes()
}

fn nonce(i: usize) -> String {
    format!("nonce-{i:0>16}")
}

/// REQ-TTL-1
#[test]
fn req_ttl_1_expired_boundary() {
    let raw = message(NONCE, NOW);
    assert_eq!(outcome(&verify_with(config(), &raw, NOW + TTL)), "accept");
    assert_eq!(
        outcome(&verify_with(config(), &raw, NOW + TTL + 1)),
        "expired"
    );
    assert_eq!(outcome(&verify_with(config(), &raw, u64::MAX)), "expired");
}

/// REQ-TTL-2
#[test]
fn req_ttl_2_from_future_boundary() {
    let raw = message(NONCE, NOW);
    assert_eq!(outcome(&verify_with(config(), &raw, NOW - TTL)), "accept");
    assert_eq!(
        outcome(&verify_with(config(), &raw, NOW - TTL - 1)),
        "from_future"
    );
    assert_eq!(
        outcome(&verify_with(config(), &message(NONCE, (1 << 53) - 1), 0)),
        "from_future"
    );
}

/// REQ-TTL-3: the clock never goes back, so a forgotten nonce cannot be replayed after a step back.
#[test]
fn req_ttl_3_clock_is_monotonic() {
    let mut v = Verifier::new(config()).unwrap();
    let raw = message(NONCE, NOW);
    assert!(v.verify(&raw, NOW).is_ok());
    // far in the future the nonce is forgotten ...
    assert_eq!(v.verify(b"{}", NOW + 1000).unwrap_err().code(), "malformed");
    assert_eq!(v.live_nonces(), 0);
    // ... and a clock stepping back does not reopen its window
    assert_eq!(v.verify(&raw, NOW + 1).unwrap_err().code(), "expired");
    // a fresh message is judged against the greatest clock too
    assert_eq!(
        v.verify(&message(&nonce(1), NOW + 2), NOW)
            .unwrap_err()
            .code(),
        "expired"
    );
    assert!(v.verify(&message(&nonce(2), NOW + 1000), NOW).is_ok());
}

/// REQ-TTL-3: every verification moves the clock, whatever its verdict: after a refusal at
/// any step (oversize before parsing, malformed, kind, a forgery), a fresh envelope given the
/// older `now` is judged by the later one.
#[test]
fn req_ttl_3_a_refused_request_moves_the_clock() {
    let late = NOW + TTL + 1;
    let limit = config().envelope_limit();
    let oversize = vec![b'x'; usize::try_from(limit + 1).unwrap()];
    let other_kind = sipc_reference::sign(
        &config().auth.secret,
        &Fields {
            kind: "not.allowed".into(),
            ts: late,
            ..fields()
        },
    );
    let mut forged = message(&nonce(7), late);
    let at = forged.windows(7).position(|w| w == b"\"sig\":\"").unwrap() + 7;
    forged[at] = if forged[at] == b'0' { b'1' } else { b'0' };
    for (first, code) in [
        (oversize.as_slice(), "oversize"),
        (b"not json".as_slice(), "malformed"),
        (other_kind.as_slice(), "kind_not_allowed"),
        (forged.as_slice(), "bad_signature"),
    ] {
        let mut v = Verifier::new(config()).unwrap();
        assert_eq!(v.verify(first, late).unwrap_err().code(), code);
        assert_eq!(
            v.verify(&message(NONCE, NOW), NOW).unwrap_err().code(),
            "expired",
            "after a {code} refusal at now = {late}"
        );
    }
}

/// REQ-REPLAY-1
#[test]
fn req_replay_1_remembered_until_the_window_ends() {
    let mut v = Verifier::new(config()).unwrap();
    let raw = message(NONCE, NOW);
    assert!(v.verify(&raw, NOW).is_ok());
    assert_eq!(v.live_nonces(), 1);
    assert_eq!(v.verify(&raw, NOW + TTL).unwrap_err().code(), "replay");
    assert_eq!(v.live_nonces(), 1);
    // one second later the envelope is expired and its nonce forgotten
    assert_eq!(v.verify(&raw, NOW + TTL + 1).unwrap_err().code(), "expired");
    assert_eq!(v.live_nonces(), 0);
    // the nonce may then be used again by a new envelope
    assert!(v
        .verify(&message(NONCE, NOW + TTL + 1), NOW + TTL + 1)
        .is_ok());
}

/// REQ-REPLAY-1: the window ends at ts + ttl, not at the time of acceptance + ttl.
#[test]
fn req_replay_1_window_follows_ts() {
    let mut v = Verifier::new(config()).unwrap();
    let early = message(NONCE, NOW - 50);
    assert!(v.verify(&early, NOW).is_ok());
    let same_nonce_later = message(NONCE, NOW + 30);
    assert_eq!(
        v.verify(&same_nonce_later, NOW + 10).unwrap_err().code(),
        "replay"
    );
    assert!(v.verify(&same_nonce_later, NOW + 11).is_ok());
}

/// REQ-REPLAY-2
#[test]
fn req_replay_2_same_nonce_refused_whatever_else_changed() {
    let mut v = Verifier::new(config()).unwrap();
    assert!(v.verify(&message(NONCE, NOW), NOW).is_ok());
    let other = sipc_reference::sign(
        &config().auth.secret,
        &Fields {
            kind: "job.cancel".into(),
            payload: b"other".to_vec(),
            ts: NOW + 5,
            ..fields()
        },
    );
    assert_eq!(v.verify(&other, NOW + 1).unwrap_err().code(), "replay");
    // another wire form of the accepted envelope
    let spaced = String::from_utf8(message(NONCE, NOW))
        .unwrap()
        .replace(',', " , ");
    assert_eq!(
        v.verify(spaced.as_bytes(), NOW + 1).unwrap_err().code(),
        "replay"
    );
}

/// REQ-REPLAY-3: forged-then-genuine; and no refused envelope is recorded.
#[test]
fn req_replay_3_refused_envelopes_are_not_recorded() {
    let mut v = Verifier::new(config()).unwrap();
    assert_eq!(
        v.verify(&forged(NONCE, NOW), NOW).unwrap_err().code(),
        "bad_signature"
    );
    assert_eq!(
        v.verify(&message(NONCE, NOW + 1000), NOW)
            .unwrap_err()
            .code(),
        "from_future"
    );
    let wrong_kind = sipc_reference::sign(
        &config().auth.secret,
        &Fields {
            kind: "job.other".into(),
            ..fields()
        },
    );
    assert_eq!(
        v.verify(&wrong_kind, NOW).unwrap_err().code(),
        "kind_not_allowed"
    );
    assert_eq!(v.live_nonces(), 0);
    assert!(
        v.verify(&message(NONCE, NOW), NOW).is_ok(),
        "the genuine envelope was blocked"
    );
}

/// REQ-REPLAY-4: fail closed when full; forgotten nonces free their place.
#[test]
fn req_replay_4_cache_full_never_evicts_live_entries() {
    let small = Config {
        auth: sipc_reference::Auth {
            nonce_cache_size: 2,
            ..config().auth
        },
        ..config()
    };
    let mut v = Verifier::new(small).unwrap();
    assert!(v.verify(&message(&nonce(1), NOW), NOW).is_ok());
    assert!(v.verify(&message(&nonce(2), NOW + 10), NOW).is_ok());
    assert_eq!(
        v.verify(&message(&nonce(3), NOW), NOW).unwrap_err().code(),
        "replay_cache_full"
    );
    // both live entries are still there
    assert_eq!(
        v.verify(&message(&nonce(1), NOW), NOW).unwrap_err().code(),
        "replay"
    );
    assert_eq!(
        v.verify(&message(&nonce(2), NOW + 10), NOW)
            .unwrap_err()
            .code(),
        "replay"
    );
    // once nonce 1 is forgotten (NOW + 61), there is room again, but only for one
    assert!(v.verify(&message(&nonce(3), NOW + 61), NOW + 61).is_ok());
    assert_eq!(
        v.verify(&message(&nonce(4), NOW + 61), NOW + 61)
            .unwrap_err()
            .code(),
        "replay_cache_full"
    );
    assert_eq!(
        v.verify(&message(&nonce(2), NOW + 10), NOW + 61)
            .unwrap_err()
            .code(),
        "replay"
    );
}

/// REQ-REPLAY-5: bad_signature before replay, replay before replay_cache_full.
#[test]
fn req_replay_5_order_of_signature_replay_and_full() {
    let one = Config {
        auth: sipc_reference::Auth {
            nonce_cache_size: 1,
            ..config().auth
        },
        ..config()
    };
    let mut v = Verifier::new(one).unwrap();
    assert!(v.verify(&message(NONCE, NOW), NOW).is_ok());
    assert_eq!(
        v.verify(&forged(NONCE, NOW), NOW).unwrap_err().code(),
        "bad_signature"
    );
    assert_eq!(
        v.verify(&message(NONCE, NOW), NOW).unwrap_err().code(),
        "replay"
    );
    assert_eq!(
        v.verify(&forged(&nonce(9), NOW), NOW).unwrap_err().code(),
        "bad_signature"
    );
    assert_eq!(
        v.verify(&message(&nonce(9), NOW), NOW).unwrap_err().code(),
        "replay_cache_full"
    );
}

/// The plain model of §8 step 8, §9 and REQ-TTL-3, written as directly as the spec reads.
struct Model {
    clock: u64,
    ttl: u64,
    capacity: usize,
    remembered: Vec<(String, u64)>, // (nonce, ts + ttl)
}

impl Model {
    fn verify(&mut self, nonce: &str, ts: u64, now: u64, genuine: bool) -> &'static str {
        self.clock = self.clock.max(now);
        let now = self.clock;
        self.remembered.retain(|(_, until)| now <= *until);
        if now > ts && now - ts > self.ttl {
            return "expired";
        }
        if ts > now && ts - now > self.ttl {
            return "from_future";
        }
        if !genuine {
            return "bad_signature";
        }
        if self.remembered.iter().any(|(n, _)| n == nonce) {
            return "replay";
        }
        if self.remembered.len() >= self.capacity {
            return "replay_cache_full";
        }
        self.remembered.push((nonce.to_owned(), ts + self.ttl));
        "accept"
    }
}

#[derive(Debug, Clone)]
struct Step {
    nonce: usize,
    ts_offset: i64,
    clock_step: i64,
    genuine: bool,
}

fn step() -> impl Strategy<Value = Step> {
    (
        0usize..6,
        -40i64..40,
        -15i64..25,
        proptest::bool::weighted(0.85),
    )
        .prop_map(|(nonce, ts_offset, clock_step, genuine)| Step {
            nonce,
            ts_offset,
            clock_step,
            genuine,
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    /// REQ-TTL-1, REQ-TTL-2, REQ-TTL-3, REQ-REPLAY-1 … REQ-REPLAY-5 against the model.
    #[test]
    fn replay_cache_and_ttl_match_the_model(
        ttl in 1u64..30,
        capacity in 1usize..5,
        steps in proptest::collection::vec(step(), 1..60),
    ) {
        let config = Config { auth: sipc_reference::Auth { ttl_seconds: ttl, nonce_cache_size: capacity as u64, ..config().auth }, ..config() };
        let mut verifier = Verifier::new(config.clone()).unwrap();
        let mut model = Model { clock: 0, ttl, capacity, remembered: Vec::new() };
        let mut now: u64 = 1_000_000;
        for (i, s) in steps.iter().enumerate() {
            now = now.saturating_add_signed(s.clock_step);
            let ts = now.saturating_add_signed(s.ts_offset);
            let signed = sipc_reference::sign(&config.auth.secret, &Fields { nonce: nonce(s.nonce), ts, ..fields() });
            let raw = if s.genuine { signed } else {
                String::from_utf8(signed).unwrap().replace("aGVsbG8", "aGVsbG4").into_bytes()
            };
            let got = outcome(&verifier.verify(&raw, now));
            let want = model.verify(&nonce(s.nonce), ts, now, s.genuine);
            prop_assert_eq!(got, want, "step {} of {:?}", i, steps);
        }
    }
}
