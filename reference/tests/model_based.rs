//! The reference held to the executable model (spec/model/): the same sequences of clock
//! readings and verifications go through the model and through `Verifier`, and every verdict
//! and the number of live nonces after every step must agree. Abstract envelopes are made
//! concrete: nonce `n` is `model-nonce-000000000n`, `ts` and `now` are offsets from
//! 1 700 000 000, a forgery is signed with another key, `oversize` is a payload one byte over
//! `max_payload_bytes`, `malformed` is the signed envelope with a byte after it, and
//! `kind_not_allowed` is a kind the config does not list.

use proptest::prelude::*;
use sipc_model::Model;
use sipc_model::{Action, Bounds, Envelope, Fault, State, Verdict, VerifierModel};
use sipc_reference::{sign, Config, Fields, Verifier};

const BASE: u64 = 1_700_000_000;
const SECRET_HEX: &str = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";
const MAX_PAYLOAD: usize = 16;

fn config(bounds: &Bounds) -> Config {
    Config::from_json(
        format!(
            r#"{{"transport":"tcp_local","bind_host":"127.0.0.1","bind_port":0,
               "auth":{{"mode":"hmac","secret_hex":"{SECRET_HEX}","ttl_seconds":{},"nonce_cache_size":{}}},
               "max_payload_bytes":{MAX_PAYLOAD},"allowed_kinds":["job.run"]}}"#,
            bounds.ttl, bounds.capacity
        )
        .as_bytes(),
    )
    .unwrap()
}

fn concrete(config: &Config, env: Envelope) -> Vec<u8> {
    let fields = Fields {
        kind: if env.fault == Fault::KindNotAllowed {
            "not.allowed"
        } else {
            "job.run"
        }
        .into(),
        payload: vec![
            b'p';
            if env.fault == Fault::Oversize {
                MAX_PAYLOAD + 1
            } else {
                4
            }
        ],
        ts: BASE + u64::from(env.ts),
        nonce: format!("model-nonce-{:010}", env.nonce),
        ..Fields::default()
    };
    let other = [0x55u8; 32];
    let key: &[u8] = if env.authentic {
        &config.auth.secret
    } else {
        &other
    };
    let mut wire = sign(key, &fields);
    if env.fault == Fault::Malformed {
        wire.push(b'x');
    }
    wire
}

fn code(verdict: Verdict) -> &'static str {
    match verdict {
        Verdict::Oversize => "oversize",
        Verdict::Malformed => "malformed",
        Verdict::KindNotAllowed => "kind_not_allowed",
        Verdict::Expired => "expired",
        Verdict::FromFuture => "from_future",
        Verdict::BadSignature => "bad_signature",
        Verdict::Replay => "replay",
        Verdict::ReplayCacheFull => "replay_cache_full",
        Verdict::Accept => "accept",
    }
}

/// Runs `actions` through both; the first step where they part, described.
fn disagreement(model: &VerifierModel, actions: &[Action]) -> Option<String> {
    let config = config(&model.bounds);
    let mut verifier = Verifier::new(config.clone()).unwrap();
    let mut state: State = model.init_states().remove(0);
    for (i, action) in actions.iter().enumerate() {
        if let Action::Verify(env) = action {
            let (verdict, _, _) = model.verify(&state, *env);
            let now = BASE + u64::from(state.given);
            let got = match verifier.verify(&concrete(&config, *env), now) {
                Ok(_) => "accept",
                Err(reject) => reject.code(),
            };
            let next = model.next_state(&state, *action).unwrap();
            if got != code(verdict) || verifier.live_nonces() != next.cache.len() {
                return Some(format!(
                    "step {} of {actions:?}: the model says {} with {} live nonces, the reference {got} with {}",
                    i + 1,
                    code(verdict),
                    next.cache.len(),
                    verifier.live_nonces()
                ));
            }
            state = next;
        } else {
            state = model.next_state(&state, *action).unwrap();
        }
    }
    None
}

fn action(bounds: Bounds) -> impl Strategy<Value = Action> {
    let max = bounds.max_time;
    prop_oneof![
        (0..=max).prop_map(Action::Clock),
        (0..bounds.nonces, 0..=max, any::<bool>(), 0..4u8).prop_map(|(nonce, ts, authentic, f)| {
            Action::Verify(Envelope {
                nonce,
                ts,
                authentic,
                fault: [
                    Fault::None,
                    Fault::Oversize,
                    Fault::Malformed,
                    Fault::KindNotAllowed,
                ][usize::from(f)],
            })
        }),
    ]
}

/// Every pair of actions of the CI bound's alphabet (175² sequences), exhaustively.
#[test]
fn every_two_step_behaviour_agrees_with_the_model() {
    let model = VerifierModel::new(Bounds::CI);
    let mut alphabet = Vec::new();
    model.actions(&model.init_states()[0], &mut alphabet);
    assert_eq!(alphabet.len(), 7 + 168);
    for a in &alphabet {
        for b in &alphabet {
            if let Some(d) = disagreement(&model, &[*a, *b]) {
                panic!("{d}");
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    /// Random behaviours of up to 16 actions, with few nonces so that replays, full caches and
    /// expiry happen often.
    #[test]
    fn random_behaviours_agree_with_the_model(actions in prop::collection::vec(action(Bounds::CI), 1..16)) {
        let model = VerifierModel::new(Bounds::CI);
        prop_assert!(disagreement(&model, &actions).is_none(), "{}", disagreement(&model, &actions).unwrap_or_default());
    }
}
