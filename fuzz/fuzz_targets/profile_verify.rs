//! Arbitrary messages into each profile's verifier and application (spec/profiles/): no panic,
//! every refusal a code of the profiles, and the application never accepts what the verifier
//! refuses. Headers are drawn from the profiles' own names (in any case) and arbitrary ones,
//! so that the parsers behind them are reached.
#![no_main]

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use sipc_profiles::{Application, Message, Profile, ProfileConfig, Reject};

const NOW: u64 = 1_700_000_000;
const CONFIGS: [&[u8]; 2] = [
    br#"{"secret":"whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw","application":{"max_body_bytes":256,"max_ids":4}}"#,
    br#"{"secret":"whsec_test_secret","application":{"max_body_bytes":256,"max_ids":4}}"#,
];
const NAMES: [&str; 5] = ["webhook-id", "webhook-timestamp", "webhook-signature", "Stripe-Signature", "WEBHOOK-SIGNATURE"];

#[derive(Arbitrary, Debug)]
struct Header {
    known: Option<u8>,
    name: String,
    value: String,
}

#[derive(Arbitrary, Debug)]
struct Input {
    stripe: bool,
    headers: Vec<Header>,
    body: Vec<u8>,
    clock: i32,
}

fuzz_target!(|input: Input| {
    let (profile, config) = if input.stripe {
        (Profile::Stripe, CONFIGS[1])
    } else {
        (Profile::StandardWebhooks, CONFIGS[0])
    };
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
    let parsed = ProfileConfig::from_json(config, profile.config_req()).expect("valid");
    let mut app = Application::new(profile, &parsed).expect("valid");
    let received = app.receive(&message, now);
    for outcome in [&verdict, &received] {
        if let Err(reject) = outcome {
            assert!(Reject::CODES.contains(&reject.code()), "unknown code {}", reject.code());
        }
    }
    if received.is_ok() {
        assert!(verdict.is_ok(), "the application accepted what the verifier refused");
        assert_eq!(app.receive(&message, now).map_err(|e| e.code()), Err("replay"));
    }
});
