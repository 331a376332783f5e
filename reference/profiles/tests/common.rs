//! Shared by the profile tests: configs, messages, header edits.
#![allow(dead_code)]

use sipc_profiles::{Message, Profile, Verifier};

pub const NOW: u64 = 1_700_000_000;
pub const SW_CONFIG: &[u8] = br#"{"secret":"whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw","tolerance_seconds":300,"application":{"max_body_bytes":64,"max_ids":2}}"#;
pub const STRIPE_CONFIG: &[u8] = br#"{"secret":"whsec_test_secret","tolerance_seconds":300,"application":{"max_body_bytes":64,"max_ids":2}}"#;

pub fn sw() -> Verifier {
    Profile::StandardWebhooks.verifier(SW_CONFIG).unwrap()
}

pub fn stripe() -> Verifier {
    Profile::Stripe.verifier(STRIPE_CONFIG).unwrap()
}

pub fn signed(v: &Verifier, id: &str, ts: u64, body: &[u8]) -> Message {
    Message {
        headers: v.sign(id, &ts.to_string(), body),
        body: body.to_vec(),
    }
}

pub fn code(v: &Verifier, m: &Message, now: u64) -> &'static str {
    match v.verify(m, now) {
        Ok(()) => "accept",
        Err(e) => e.code(),
    }
}

/// `m` with header `name`'s value replaced.
pub fn with_header(m: &Message, name: &str, value: &str) -> Message {
    let mut m = m.clone();
    for (n, v) in &mut m.headers {
        if n.eq_ignore_ascii_case(name) {
            *v = value.into();
        }
    }
    m
}

pub fn header(m: &Message, name: &str) -> String {
    m.headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.clone())
        .unwrap()
}
