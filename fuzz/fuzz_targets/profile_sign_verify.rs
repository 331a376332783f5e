//! What each profile's signer signs its verifier accepts at the signed timestamp, and one
//! changed body byte makes it `bad_signature` (REQ-SW-5/8/10, REQ-STRIPE-5/6/9).
#![no_main]

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use sipc_profiles::{Message, Profile, MAX_TIMESTAMP};

#[derive(Arbitrary, Debug)]
struct Input {
    stripe: bool,
    id: String,
    ts: u64,
    body: Vec<u8>,
    flip: usize,
}

fuzz_target!(|input: Input| {
    let (profile, config): (Profile, &[u8]) = if input.stripe {
        (Profile::Stripe, br#"{"secret":"whsec_test_secret"}"#)
    } else {
        (Profile::StandardWebhooks, br#"{"secret":"whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"}"#)
    };
    let verifier = profile.verifier(config).expect("valid config");
    let ts = input.ts % (MAX_TIMESTAMP + 1);
    let id_ok = !input.id.is_empty() && !input.id.contains('.');
    let message = Message {
        headers: verifier.sign(&input.id, &ts.to_string(), &input.body),
        body: input.body,
    };
    let verdict = verifier.verify(&message, ts);
    if input.stripe || id_ok {
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
