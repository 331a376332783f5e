//! What each header profile's signer signs its verifier accepts at the signed timestamp, and
//! one changed body byte makes it `bad_signature` (REQ-SW-5/8/10, REQ-STRIPE-5/6/9,
//! REQ-GITHUB-4/7, REQ-SLACK-5/8); what each HMAC-JSON signer writes for a JSON object its
//! verifier accepts (REQ-HJI-2, REQ-HJS-2).
#![no_main]

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use sipc_profiles::hmac_json::{InsertionOrder, SortedKeys};
use sipc_profiles::lax_json::{self, Dialect, Lax};
use sipc_profiles::{Message, Profile, ProfileConfig, Verifier, MAX_TIMESTAMP};

const CONFIGS: [&[u8]; 6] = [
    br#"{"secret":"whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"}"#,
    br#"{"secret":"whsec_test_secret"}"#,
    br#"{"secret":"It's a Secret to Everybody"}"#,
    br#"{"secret":"8f742231b10e8888abcd99yyyzzz85a5"}"#,
    br#"{"secret":"5b1f0c7e9a2d4f6081b3c5d7e9f1a2b4c6d8e0f1a3b5c7d9e1f2a4b6c8d0e2f4"}"#,
    br#"{"secret":"sipc-model-results-signing-key-2026"}"#,
];

#[derive(Arbitrary, Debug)]
struct Input {
    profile: u8,
    id: String,
    ts: u64,
    body: Vec<u8>,
    flip: usize,
    float_ts: f64,
}

fuzz_target!(|input: Input| {
    let i = usize::from(input.profile) % Profile::ALL.len();
    let profile = Profile::ALL[i];
    let verifier = profile.verifier(CONFIGS[i]).expect("valid config");
    let ts = input.ts % (MAX_TIMESTAMP + 1);
    let message = match &verifier {
        Verifier::InsertionOrder(_) | Verifier::SortedKeys(_) => {
            let dialect = if profile == Profile::HmacJsonSortedKeys { Dialect::Python } else { Dialect::Js };
            let text: Vec<char> = String::from_utf8_lossy(&input.body).chars().collect();
            let Ok(payload @ Lax::Object(_)) = lax_json::parse(&text, dialect) else {
                return;
            };
            // A payload that already holds the MAC member is signed over it, then verified
            // without it: unverifiable in the schemes themselves (JavaScript's spread and
            // Python's dict assignment keep the old member's place).
            let member = if dialect == Dialect::Js { "_hmac" } else { "hmac" };
            if let Lax::Object(members) = &payload {
                if lax_json::member(members, member).is_some() {
                    return;
                }
            }
            let config = ProfileConfig::from_json(CONFIGS[i], profile.config_req()).expect("valid");
            let signed = match profile {
                Profile::HmacJsonSortedKeys => SortedKeys::new(&config).sign(&payload, input.float_ts),
                _ => InsertionOrder::new(&config).sign(&payload),
            };
            // None: a number over CPython's digit limit, which its signer cannot write either.
            let Some(body) = signed else { return };
            let message = Message { headers: Vec::new(), body };
            assert_eq!(verifier.verify(&message, ts), Ok(()), "{message:?}");
            return;
        }
        _ => Message {
            headers: verifier.sign(&input.id, &ts.to_string(), &input.body),
            body: input.body,
        },
    };
    let id_ok = !input.id.is_empty() && !input.id.contains('.');
    let verdict = verifier.verify(&message, ts);
    if profile != Profile::StandardWebhooks || id_ok {
        assert_eq!(verdict, Ok(()), "{message:?}");
        if !message.body.is_empty() {
            let mut changed = message.clone();
            let i = input.flip % changed.body.len();
            changed.body[i] ^= 1;
            assert_eq!(verifier.verify(&changed, ts).map_err(|e| e.code()), Err("bad_signature"));
        }
    } else {
        assert!(verdict.is_err());
    }
});
