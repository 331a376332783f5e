//! spec/profiles/stripe.md, one test per requirement, named by its REQ id.

mod common;

use common::*;
use sipc_profiles::{Application, Message, Profile, ProfileConfig};

const BODY: &[u8] = br#"{"id":"evt_1","object":"event"}"#;

fn base() -> Message {
    signed(&stripe(), "", NOW, BODY)
}

fn with_value(value: &str) -> Message {
    with_header(&base(), "stripe-signature", value)
}

/// REQ-STRIPE-1: the header is required, non-empty, its name in any case.
#[test]
fn req_stripe_1_header() {
    let v = stripe();
    assert_eq!(
        code(
            &v,
            &Message {
                headers: vec![],
                body: BODY.to_vec()
            },
            NOW
        ),
        "missing_header"
    );
    assert_eq!(code(&v, &with_value(""), NOW), "missing_header");
    let mut m = base();
    m.headers[0].0 = "STRIPE-SIGNATURE".into();
    assert_eq!(code(&v, &m, NOW), "accept");
}

/// REQ-STRIPE-2: a repeated header is refused.
#[test]
fn req_stripe_2_repeated() {
    let mut m = base();
    m.headers.push(m.headers[0].clone());
    assert_eq!(code(&stripe(), &m, NOW), "duplicate_header");
}

/// REQ-STRIPE-3: comma-separated key=value items; one t; other schemes ignored.
#[test]
fn req_stripe_3_parameters() {
    let v = stripe();
    let sig = v.sign("", &NOW.to_string(), BODY)[0]
        .1
        .split("v1=")
        .nth(1)
        .unwrap()
        .to_owned();
    let t = NOW;
    for (value, want) in [
        (format!("t={t},v1={sig}"), "accept"),
        (format!("v1={sig},t={t}"), "accept"),
        (format!("t={t},v0={sig},v1={sig},v9=x"), "accept"),
        (format!("t={t},v1=00,v1={sig}"), "accept"),
        (format!("v1={sig}"), "malformed_header"),
        (format!("t={t},t={t},v1={sig}"), "malformed_header"),
        (format!("t={t},,v1={sig}"), "malformed_header"),
        (format!("t={t},junk,v1={sig}"), "malformed_header"),
        (format!("t={t},=x,v1={sig}"), "malformed_header"),
        (format!("t={t},v0={sig}"), "no_signature"),
        (format!("t={t},v1={sig}=x"), "bad_signature"),
    ] {
        assert_eq!(code(&v, &with_value(&value), NOW), want, "{value}");
    }
}

/// REQ-STRIPE-4: canonical decimal t, signed as text.
#[test]
fn req_stripe_4_timestamp() {
    let v = stripe();
    for text in [
        "+1700000000",
        "01700000000",
        "1700000000.5",
        "NaN",
        "1e9",
        "-5",
        "9007199254740992",
    ] {
        let m = Message {
            headers: v.sign("", text, BODY),
            body: BODY.to_vec(),
        };
        assert_eq!(code(&v, &m, NOW), "malformed_timestamp", "{text}");
    }
}

/// REQ-STRIPE-5: t.body under the secret's UTF-8 bytes; body bytes as received.
#[test]
fn req_stripe_5_signed_payload() {
    let v = stripe();
    let mut m = base();
    m.body.push(b' ');
    assert_eq!(code(&v, &m, NOW), "bad_signature");
    for body in [&b""[..], b"not json", b"\xff"] {
        assert_eq!(code(&v, &signed(&v, "", NOW, body), NOW), "accept");
    }
    let other = Profile::Stripe
        .verifier(br#"{"secret":"whsec_other"}"#)
        .unwrap();
    assert_eq!(
        code(&v, &signed(&other, "", NOW, BODY), NOW),
        "bad_signature"
    );
}

/// REQ-STRIPE-6: lowercase hex; any v1 may match; upper case is another text.
#[test]
fn req_stripe_6_signature() {
    let v = stripe();
    let value = header(&base(), "stripe-signature");
    assert_eq!(
        code(
            &v,
            &with_value(
                &value
                    .to_ascii_uppercase()
                    .replace("T=", "t=")
                    .replace("V1=", "v1=")
            ),
            NOW
        ),
        "bad_signature"
    );
    assert_eq!(
        code(&v, &with_value(&value[..value.len() - 1]), NOW),
        "bad_signature"
    );
    // Any one v1 match is enough, so the same one twice is too (a XOR of the compares would
    // refuse it).
    let sig = value.split(',').find(|p| p.starts_with("v1=")).unwrap();
    for twice in [format!("{value},{sig}"), format!("{value},v1=00,{sig}")] {
        assert_eq!(code(&v, &with_value(&twice), NOW), "accept", "{twice}");
    }
}

/// REQ-STRIPE-7: older than the tolerance is expired; further ahead is future; both ends
/// inclusive.
#[test]
fn req_stripe_7_tolerance() {
    let v = stripe();
    let at = |ts: u64| code(&v, &signed(&v, "", ts, BODY), NOW);
    assert_eq!(at(NOW - 300), "accept");
    assert_eq!(at(NOW - 301), "expired");
    assert_eq!(at(NOW + 300), "accept");
    assert_eq!(at(NOW + 301), "future");
}

/// REQ-STRIPE-8: a non-empty secret without surrounding whitespace.
#[test]
fn req_stripe_8_secret() {
    for bad in [
        r#"{"secret":""}"#,
        r#"{"secret":" whsec_x"}"#,
        r#"{"secret":"whsec_x\n"}"#,
        r#"{"tolerance_seconds":300}"#,
    ] {
        let e = Profile::Stripe.verifier(bad.as_bytes()).unwrap_err();
        assert_eq!(
            (e.code(), e.field()),
            ("config_invalid", Some("secret")),
            "{bad}"
        );
    }
    let e = Profile::Stripe
        .verifier(br#"{"secret":"x","extra":1}"#)
        .unwrap_err();
    assert_eq!(e.field(), Some("extra"));
}

/// REQ-STRIPE-9: t=<timestamp>,v1=<hex> over exactly what is given.
#[test]
fn req_stripe_9_signer() {
    let v = stripe();
    let h = v.sign("", "1700000000", BODY);
    assert_eq!(h.len(), 1);
    assert!(h[0].1.starts_with("t=1700000000,v1=") && h[0].1.len() == 16 + 64);
}

fn app() -> Application {
    let config = ProfileConfig::from_json(STRIPE_CONFIG, "REQ-STRIPE-8").unwrap();
    Application::new(Profile::Stripe, &config).unwrap()
}

/// REQ-STRIPE-APP-1: each event id once inside the window; no id, no delivery.
#[test]
fn req_stripe_app_1_event_ids() {
    let v = stripe();
    let mut a = app();
    assert_eq!(a.receive(&base(), NOW), Ok(()));
    assert_eq!(
        a.receive(&signed(&v, "", NOW + 3, BODY), NOW + 3)
            .unwrap_err()
            .code(),
        "replay"
    );
    assert_eq!(
        a.receive(&signed(&v, "", NOW, br#"{"object":"event"}"#), NOW)
            .unwrap_err()
            .code(),
        "malformed_body"
    );
    assert_eq!(
        a.receive(&signed(&v, "", NOW, br#"{"id":"a","id":"b"}"#), NOW)
            .unwrap_err()
            .code(),
        "malformed_body"
    );
}

/// REQ-STRIPE-APP-2: the body limit first.
#[test]
fn req_stripe_app_2_body_limit() {
    let v = stripe();
    let mut a = app();
    let body = format!(r#"{{"id":"e","pad":"{}"}}"#, "x".repeat(64));
    let mut m = signed(&v, "", NOW, body.as_bytes());
    m.headers.clear();
    assert_eq!(a.receive(&m, NOW).unwrap_err().code(), "oversize");
}
