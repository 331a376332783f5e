//! No input makes the profiles panic, and what a signer signs its verifier accepts
//! (proptest; the fuzz targets `profile_verify` and `profile_sign_verify` go further).

mod common;

use common::*;
use proptest::prelude::*;
use sipc_profiles::{Application, Message, Profile, ProfileConfig};

fn header_name() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("webhook-id".to_owned()),
        Just("webhook-timestamp".to_owned()),
        Just("webhook-signature".to_owned()),
        Just("Stripe-Signature".to_owned()),
        ".{0,12}",
    ]
}

fn message() -> impl Strategy<Value = Message> {
    (
        prop::collection::vec((header_name(), ".{0,80}"), 0..6),
        prop::collection::vec(any::<u8>(), 0..80),
    )
        .prop_map(|(headers, body)| Message { headers, body })
}

proptest! {
    #[test]
    fn arbitrary_messages_never_panic(m in message(), now in any::<u64>()) {
        for v in [sw(), stripe()] {
            let _ = v.verify(&m, now);
        }
        for (profile, config) in [(Profile::StandardWebhooks, SW_CONFIG), (Profile::Stripe, STRIPE_CONFIG)] {
            let config = ProfileConfig::from_json(config, profile.config_req()).unwrap();
            let mut app = Application::new(profile, &config).unwrap();
            let _ = app.receive(&m, now);
        }
    }

    #[test]
    fn arbitrary_configs_never_panic(text in prop::collection::vec(any::<u8>(), 0..120)) {
        for p in Profile::ALL {
            let _ = p.verifier(&text);
        }
    }

    #[test]
    fn signed_messages_verify(id in "[a-zA-Z0-9_]{1,30}", ts in 0u64..(1 << 40), body in prop::collection::vec(any::<u8>(), 0..200)) {
        for v in [sw(), stripe()] {
            let m = signed(&v, &id, ts, &body);
            prop_assert_eq!(v.verify(&m, ts), Ok(()));
            let mut changed = m.clone();
            changed.body.push(0);
            prop_assert_eq!(v.verify(&changed, ts).unwrap_err().code(), "bad_signature");
        }
    }
}
