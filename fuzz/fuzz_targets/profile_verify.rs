//! Arbitrary messages into each profile's verifier and, where the scheme has one, its
//! application (spec/profiles/): no panic, every refusal a code of the profiles, and the
//! application never accepts what the verifier refuses. Headers are drawn from the profiles'
//! own names (in any case) and arbitrary ones, so that the parsers behind them are reached;
//! the body reaches the JSON readers of the HMAC-JSON schemes.
#![no_main]

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use sipc_profiles::{Application, Message, Profile, ProfileConfig, Reject};

const NOW: u64 = 1_700_000_000;
/// One config per profile, in `Profile::ALL` order.
const CONFIGS: [&[u8]; 6] = [
    br#"{"secret":"whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw","application":{"max_body_bytes":256,"max_ids":4}}"#,
    br#"{"secret":"whsec_test_secret","application":{"max_body_bytes":256,"max_ids":4}}"#,
    br#"{"secret":"It's a Secret to Everybody"}"#,
    br#"{"secret":"8f742231b10e8888abcd99yyyzzz85a5"}"#,
    br#"{"secret":"5b1f0c7e9a2d4f6081b3c5d7e9f1a2b4c6d8e0f1a3b5c7d9e1f2a4b6c8d0e2f4"}"#,
    br#"{"secret":"sipc-model-results-signing-key-2026"}"#,
];
const NAMES: [&str; 9] = [
    "webhook-id",
    "webhook-timestamp",
    "webhook-signature",
    "Stripe-Signature",
    "WEBHOOK-SIGNATURE",
    "X-Hub-Signature-256",
    "X-Hub-Signature",
    "X-Slack-Request-Timestamp",
    "x-slack-signature",
];

#[derive(Arbitrary, Debug)]
struct Header {
    known: Option<u8>,
    name: String,
    value: String,
}

#[derive(Arbitrary, Debug)]
struct Input {
    profile: u8,
    headers: Vec<Header>,
    body: Vec<u8>,
    clock: i32,
}

fuzz_target!(|input: Input| {
    let i = usize::from(input.profile) % Profile::ALL.len();
    let (profile, config) = (Profile::ALL[i], CONFIGS[i]);
    let headers = input
        .headers
        .into_iter()
        .take(8)
        .map(|h| match h.known {
            Some(i) => (NAMES[usize::from(i) % NAMES.len()].to_owned(), h.value),
            None => (h.name, h.value),
        })
        .collect();
    let message = Message { headers, body: input.body };
    let now = NOW.saturating_add_signed(i64::from(input.clock));
    let verifier = profile.verifier(config).expect("the fuzz configs are valid");
    let verdict = verifier.verify(&message, now);
    if let Err(reject) = &verdict {
        assert!(Reject::CODES.contains(&reject.code()), "unknown code {}", reject.code());
    }
    if profile.application_reqs().is_none() {
        return;
    }
    let parsed = ProfileConfig::from_json(config, profile.config_req()).expect("valid");
    let mut app = Application::new(profile, &parsed).expect("valid");
    let received = app.receive(&message, now);
    if let Err(reject) = &received {
        assert!(Reject::CODES.contains(&reject.code()), "unknown code {}", reject.code());
    }
    if received.is_ok() {
        assert!(verdict.is_ok(), "the application accepted what the verifier refused");
        assert_eq!(app.receive(&message, now).map_err(|e| e.code()), Err("replay"));
    }
});
