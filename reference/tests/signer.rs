//! SIPC/1 §11, the signer: REQ-SIGNER-1 … REQ-SIGNER-3.

mod common;

use common::*;
use sipc_reference::hex::lower_hex;
use sipc_reference::json::{parse, Value};
use sipc_reference::sign::{mac, signature_base};
use sipc_reference::{canonicalize, sign, Fields, Member, Target};
use std::collections::BTreeMap;

/// REQ-SIGNER-1
#[test]
fn req_signer_1_whole_envelope_in_canonical_form() {
    let mut headers = BTreeMap::new();
    headers.insert("z".to_owned(), "1".to_owned());
    headers.insert("\u{e000}".to_owned(), "2".to_owned());
    headers.insert("\u{1f600}".to_owned(), "3".to_owned());
    let fields = Fields {
        target: Member::Value(Target::One("svc".into())),
        trace_id: Member::Value("tab\there \"q\"".into()),
        headers: Some(headers),
        ..fields()
    };
    let raw = sign(&config().auth.secret, &fields);
    assert_eq!(
        canonicalize(&raw).unwrap(),
        raw,
        "signer output is not canonical"
    );
    let Value::Object(members) = parse(&raw).unwrap() else {
        panic!()
    };
    assert_eq!(parse(&raw).unwrap().get("v"), parse(b"1").ok().as_ref());
    let sig = sig_of(&raw);
    assert_eq!(sig, lower_hex(&mac(&secret(), &signature_base(&members))));
    let text = String::from_utf8(raw).unwrap();
    assert!(
        text.starts_with(
            "{\"headers\":{\"z\":\"1\",\"\u{1f600}\":\"3\",\"\u{e000}\":\"2\"},\"kind\":"
        ),
        "{text}"
    );
    assert!(
        text.contains("\"trace_id\":\"tab\\there \\\"q\\\"\""),
        "{text}"
    );
}

/// REQ-SIGNER-2
#[test]
fn req_signer_2_payload_encoding_and_optional_members() {
    let raw = sign(
        &config().auth.secret,
        &Fields {
            payload: vec![0xfb, 0xff],
            ..fields()
        },
    );
    let text = String::from_utf8(raw).unwrap();
    assert!(text.contains("\"payload\":\"-_8\""), "{text}");
    for name in ["target", "trace_id", "reply_to", "headers"] {
        assert!(!text.contains(name), "{name} emitted though absent: {text}");
    }
    let nulls = Fields {
        target: Member::Null,
        trace_id: Member::Null,
        reply_to: Member::Null,
        ..fields()
    };
    let text = String::from_utf8(sign(&config().auth.secret, &nulls)).unwrap();
    for name in ["target", "trace_id", "reply_to"] {
        assert!(text.contains(&format!("\"{name}\":null")), "{name}: {text}");
    }
    assert!(!text.contains("headers"));
    let empty = String::from_utf8(sign(
        &config().auth.secret,
        &Fields {
            payload: vec![],
            headers: Some(BTreeMap::new()),
            ..fields()
        },
    ))
    .unwrap();
    assert!(
        empty.contains("\"payload\":\"\"") && empty.contains("\"headers\":{}"),
        "{empty}"
    );
    assert_eq!(
        verify(empty.as_bytes()).map(|a| a.headers),
        Ok(Some(BTreeMap::new()))
    );
}

/// REQ-SIGNER-3: fields that §4 refuses are signed exactly as given, never repaired (the
/// reference's choice of the two the rule allows), and every verifier then refuses the envelope.
#[test]
fn req_signer_3_fields_signed_as_given_never_repaired() {
    let long_trace = "t".repeat(129);
    for (fields, member, want) in [
        (
            Fields {
                kind: "JOB.RUN".into(),
                ..fields()
            },
            "kind",
            "JOB.RUN",
        ),
        (
            Fields {
                nonce: "short-1234".into(),
                ..fields()
            },
            "nonce",
            "short-1234",
        ),
        (
            Fields {
                trace_id: Member::Value(long_trace.clone()),
                ..fields()
            },
            "trace_id",
            long_trace.as_str(),
        ),
    ] {
        let raw = sign(&config().auth.secret, &fields);
        let signed = parse(&raw).unwrap();
        assert_eq!(
            signed.get(member).and_then(Value::as_str),
            Some(want),
            "{member} was changed"
        );
        let Value::Object(members) = &signed else {
            panic!()
        };
        assert_eq!(
            sig_of(&raw),
            lower_hex(&mac(&secret(), &signature_base(members))),
            "{member}: the MAC is not over the fields as given"
        );
        assert_eq!(
            code(&raw),
            "malformed",
            "{member}: a verifier must refuse it"
        );
    }
}

/// REQ-SIG-4: `signature_matches`, the compare the dudect bench times, is the verifier's:
/// true for the MAC of the base, false when any bit of the signature or of the base differs.
#[test]
fn req_sig_4_signature_matches_only_the_mac() {
    let secret = secret();
    let base = signature_base(&sipc_reference::sign::envelope_members(&fields()));
    let right = mac(&secret, &base);
    assert!(sipc_reference::sign::signature_matches(
        &secret, &base, &right
    ));
    for bit in 0..256 {
        let mut wrong = right;
        wrong[bit / 8] ^= 1 << (bit % 8);
        assert!(
            !sipc_reference::sign::signature_matches(&secret, &base, &wrong),
            "Requirement: REQ-SIG-4: a signature with bit {bit} flipped matches"
        );
    }
    let mut other_base = base.clone();
    other_base.push(b' ');
    assert!(!sipc_reference::sign::signature_matches(
        &secret,
        &other_base,
        &right
    ));
}
