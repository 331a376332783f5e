//! Properties over random inputs: sign→verify, single-byte mutations, canonicalization
//! idempotence and round trip, and no panic on arbitrary bytes (REQ-VERIFY-4, REQ-CANON-6).

mod common;

use common::*;
use proptest::prelude::*;
use sipc_reference::json::{parse, Number, Value};
use sipc_reference::{canonicalize, sign, Config, Fields, Member, Target, Verifier};
use std::collections::BTreeMap;

fn wide_config(kind: &str) -> Config {
    Config {
        max_payload_bytes: 4096,
        allowed_kinds: vec![kind.to_owned()],
        ..config()
    }
}

fn opt_string(max_chars: usize) -> impl Strategy<Value = Member<String>> {
    prop_oneof![
        Just(Member::Absent),
        Just(Member::Null),
        proptest::string::string_regex(&format!("\\PC{{0,{max_chars}}}"))
            .unwrap()
            .prop_map(Member::Value),
    ]
}

fn target() -> impl Strategy<Value = Member<Target>> {
    let address = "[a-z0-9:/._\u{e9}\u{1f600}-]{1,20}";
    prop_oneof![
        Just(Member::Absent),
        Just(Member::Null),
        address.prop_map(|a| Member::Value(Target::One(a))),
        proptest::collection::vec(address, 1..5).prop_map(|a| Member::Value(Target::Many(a))),
    ]
}

fn arb_fields() -> impl Strategy<Value = Fields> {
    (
        "[a-z][a-z0-9._-]{0,20}",
        proptest::collection::vec(any::<u8>(), 0..300),
        0u64..=(1 << 53) - 1,
        "[A-Za-z0-9_-]{22,40}",
        target(),
        opt_string(30),
        opt_string(60),
        proptest::option::of(proptest::collection::btree_map(
            "\\PC{1,20}",
            "\\PC{0,40}",
            0..5,
        )),
    )
        .prop_map(
            |(kind, payload, ts, nonce, target, trace_id, reply_to, headers)| Fields {
                kind,
                payload,
                ts,
                nonce,
                target,
                trace_id,
                reply_to,
                headers,
            },
        )
}

/// Arbitrary JSON values, objects with unique names.
fn arb_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<f64>()
            .prop_filter_map("finite", Number::from_f64)
            .prop_map(Value::Number),
        any::<i64>().prop_map(|i| Value::Number(Number::from_f64(i as f64).unwrap())),
        "\\PC{0,12}|[\u{0}-\u{1f}\"\\\\/\u{7f}\u{e000}\u{1f600}]{0,6}".prop_map(Value::String),
    ];
    leaf.prop_recursive(6, 64, 6, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            proptest::collection::btree_map("\\PC{0,6}|[\u{e000}\u{1f600}a]{1,3}", inner, 0..6)
                .prop_map(|m: BTreeMap<String, Value>| Value::Object(m.into_iter().collect())),
        ]
    })
}

/// A non-canonical but equal text for `value`: members reversed, whitespace, every non-ASCII
/// or special character escaped, numbers in exponent form.
fn noisy(value: &Value, out: &mut String) {
    match value {
        Value::Null => out.push_str(" null "),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => out.push_str(&format!("{:e}", n.value())),
        Value::String(s) => noisy_string(s, out),
        Value::Array(items) => {
            out.push_str("[ ");
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(" ,\n");
                }
                noisy(item, out);
            }
            out.push_str("\t]");
        }
        Value::Object(members) => {
            out.push_str("{\r\n");
            for (i, (name, item)) in members.iter().rev().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                noisy_string(name, out);
                out.push_str(" : ");
                noisy(item, out);
            }
            out.push('}');
        }
    }
}

fn noisy_string(s: &str, out: &mut String) {
    out.push('"');
    for unit in s.encode_utf16() {
        match unit {
            0x20..=0x7e
                if unit != u16::from(b'"')
                    && unit != u16::from(b'\\')
                    && unit != u16::from(b'a') =>
            {
                out.push(char::from(unit as u8))
            }
            _ => out.push_str(&format!("\\u{unit:04X}")),
        }
    }
    out.push('"');
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    /// REQ-SIGNER-1, REQ-VERIFY-3: what is signed verifies to exactly the same fields.
    #[test]
    fn sign_then_verify_accepts(fields in arb_fields()) {
        let config = wide_config(&fields.kind);
        let raw = sign(&config.auth.secret, &fields);
        prop_assert_eq!(Verifier::new(config).unwrap().verify(&raw, fields.ts), Ok(fields));
    }

    /// REQ-SIG-4, REQ-ENV-12: any single-byte change is refused or verifies to the same message.
    #[test]
    fn single_byte_change_is_refused_or_identical(fields in arb_fields(), at in any::<prop::sample::Index>(), byte in any::<u8>()) {
        let config = wide_config(&fields.kind);
        let mut raw = sign(&config.auth.secret, &fields);
        let i = at.index(raw.len());
        prop_assume!(raw[i] != byte);
        raw[i] = byte;
        if let Ok(accepted) = Verifier::new(config).unwrap().verify(&raw, fields.ts) {
            prop_assert_eq!(accepted, fields);
        }
    }

    /// REQ-CANON-6: canonicalization is idempotent.
    #[test]
    fn canonicalize_is_idempotent(value in arb_value()) {
        let mut text = String::new();
        noisy(&value, &mut text);
        let once = canonicalize(text.as_bytes()).unwrap();
        prop_assert_eq!(canonicalize(&once).unwrap(), once);
    }

    /// REQ-CANON-1 … REQ-CANON-5: parse(canonicalize(x)) equals x, whatever form x was written in.
    #[test]
    fn parse_of_canonical_equals_the_value(value in arb_value()) {
        let mut text = String::new();
        noisy(&value, &mut text);
        let canonical = canonicalize(text.as_bytes()).unwrap();
        prop_assert_eq!(parse(&canonical).unwrap(), value.clone());
        let mut direct = Vec::new();
        sipc_reference::json::write_value(&mut direct, &value);
        prop_assert_eq!(canonical, direct);
    }

    /// REQ-VERIFY-4: arbitrary bytes end in a code, never a panic; nothing is recorded.
    #[test]
    fn arbitrary_bytes_never_panic(raw in proptest::collection::vec(any::<u8>(), 0..400), now in any::<u64>()) {
        let mut v = Verifier::new(config()).unwrap();
        prop_assert!(v.verify(&raw, now).is_err());
        prop_assert_eq!(v.live_nonces(), 0);
        let _ = canonicalize(&raw);
        let _ = Config::from_json(&raw);
    }

    /// REQ-VERIFY-4: JSON-shaped garbage (the likelier path into deep code) never panics either.
    #[test]
    fn json_shaped_garbage_never_panics(raw in "[\\[\\]{}\",:0-9a-z\\\\eE.+ -]{0,300}") {
        let mut v = Verifier::new(config()).unwrap();
        let _ = v.verify(raw.as_bytes(), NOW);
        let _ = canonicalize(raw.as_bytes());
    }
}
