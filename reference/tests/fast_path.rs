//! The canonical fast path (`wire.rs`) against the general path (parse, check, canonicalize):
//! every envelope gets the same answer from both, accepted fields or refusal code alike.
//! The fast path may only *recognise* envelopes; it must never decide differently.

mod common;

use common::*;
use proptest::prelude::*;
use sipc_reference::envelope::{max_encoded_payload, MAX_TS};
use sipc_reference::{Accepted, Config, Fields, Member, Reject, Target, Verifier};
use std::collections::BTreeMap;

/// Both paths, each on a fresh verifier, twice in a row (the second is a replay when the first
/// was accepted) and at `now`.
fn both(config: &Config, raw: &[u8], now: u64) -> [Result<Accepted, Reject>; 2] {
    let mut fast = Verifier::new(config.clone()).expect("valid config");
    let mut general = Verifier::new(config.clone()).expect("valid config");
    let results = [
        (fast.verify(raw, now), general.verify_general(raw, now)),
        (fast.verify(raw, now), general.verify_general(raw, now)),
    ];
    for (f, g) in &results {
        assert_eq!(
            f,
            g,
            "fast and general paths differ on {}",
            String::from_utf8_lossy(raw)
        );
    }
    [results[0].0.clone(), results[1].0.clone()]
}

/// [`both`], for envelopes whose answer the caller does not inspect further.
fn agree(config: &Config, raw: &[u8], now: u64) {
    let [_first, _second] = both(config, raw, now);
}

fn replace(raw: &[u8], from: &str, to: &str) -> Vec<u8> {
    let text = String::from_utf8(raw.to_vec()).expect("UTF-8 envelope");
    assert!(text.contains(from), "{from} not in {text}");
    text.replacen(from, to, 1).into_bytes()
}

/// A JSON string of `n` letters `a`.
fn long(n: usize) -> String {
    format!("\"{}\"", "a".repeat(n))
}

/// A JSON array of `n` strings `"a"`.
fn many(n: usize) -> String {
    format!("[{}]", vec!["\"a\""; n].join(","))
}

/// A JSON object of `n` headers `"hNN":"v"`, in canonical order.
fn headers(n: usize) -> String {
    let members: Vec<String> = (0..n).map(|i| format!("\"h{i:02}\":\"v\"")).collect();
    format!("{{{}}}", members.join(","))
}

/// REQ-VERIFY-1, REQ-ENV-2, REQ-ENV-5, REQ-KIND-1, REQ-SIZE-2, REQ-SIZE-3, REQ-PAYLOAD-2,
/// REQ-ENV-6, REQ-SIG-2, REQ-ENV-7 … REQ-ENV-11: canonical envelopes at and past every limit
/// the fast path checks itself, signed so that each gets as far as its member allows.
#[test]
fn signed_canonical_envelopes_at_every_limit() {
    let cases: Vec<(&str, String)> = vec![
        ("v", "2".into()),
        ("v", "1.0".into()),
        ("v", "\"1\"".into()),
        ("v", "<absent>".into()),
        ("ts", "1.7e9".into()),
        ("ts", "1700000000.5".into()),
        ("ts", MAX_TS.to_string()),
        ("ts", (MAX_TS + 1).to_string()),
        ("ts", "-1".into()),
        ("ts", "0".into()),
        ("ts", "<absent>".into()),
        ("kind", "\"job.cancel\"".into()),
        ("kind", "\"job.other\"".into()),
        ("kind", "\"Job.run\"".into()),
        ("kind", long(65)),
        ("kind", "7".into()),
        ("payload", format!("\"{}\"", b64(&[7; 64]))),
        ("payload", format!("\"{}\"", b64(&[7; 65]))),
        ("payload", format!("\"{}\"", "A".repeat(88))),
        ("payload", format!("\"{}\"", "A".repeat(89))),
        ("payload", "\"QR\"".into()),
        ("payload", "\"QQ==\"".into()),
        ("payload", "\"Q\"".into()),
        ("payload", "\"QU+B\"".into()),
        ("payload", "\"\"".into()),
        ("payload", "null".into()),
        ("nonce", long(21)),
        ("nonce", long(22)),
        ("nonce", long(128)),
        ("nonce", long(129)),
        ("nonce", "\"AAAAAAAAAAAAAAAAAAAA.A\"".into()),
        ("target", "null".into()),
        ("target", "\"\"".into()),
        ("target", long(256)),
        ("target", long(257)),
        ("target", "[]".into()),
        ("target", many(1)),
        ("target", many(32)),
        ("target", many(33)),
        ("target", "[\"a\",1]".into()),
        ("target", "{}".into()),
        ("trace_id", "null".into()),
        ("trace_id", long(128)),
        ("trace_id", long(129)),
        ("trace_id", "\"é€𝄞\"".into()),
        ("trace_id", "\"line\\nfeed\"".into()),
        ("reply_to", long(256)),
        ("reply_to", long(257)),
        ("reply_to", "false".into()),
        ("headers", "{}".into()),
        ("headers", headers(32)),
        ("headers", headers(33)),
        ("headers", "null".into()),
        ("headers", "{\"\":\"v\"}".into()),
        ("headers", format!("{{\"h\":{}}}", long(1024))),
        ("headers", format!("{{\"h\":{}}}", long(1025))),
        ("headers", "{\"h\":1}".into()),
        // RFC 8785 order: U+10000 (surrogates D800 DC00) sorts before U+E000.
        ("headers", "{\"\u{e000}\":\"a\",\"\u{10000}\":\"b\"}".into()),
        ("extra", "1".into()),
    ];
    let mut accepted = 0;
    for (name, json) in &cases {
        let raw = signed_with(&[(name, json)]);
        if both(&config(), &raw, NOW)[0].is_ok() {
            accepted += 1;
        }
    }
    // The table is not all refusals: the fast path is exercised on accepted envelopes too.
    assert!(accepted >= 20, "only {accepted} accepted");
}

/// REQ-JSON-*, REQ-CANON-*, REQ-SIG-3: wire forms that are *not* canonical but carry a valid
/// signature (the MAC is over the canonical form), and wire forms that break the grammar.
#[test]
fn non_canonical_and_broken_wire_forms() {
    let raw = signed_with(&[
        ("target", "[\"a\",\"b\"]"),
        ("trace_id", "\"t\""),
        ("headers", "{\"a\":\"1\",\"b\":\"2\"}"),
    ]);
    let sig = sig_of(&raw);
    let sig_member = format!(",\"sig\":\"{sig}\"");
    let edits: Vec<Vec<u8>> = vec![
        raw.clone(),
        replace(&raw, "\"kind\":\"job.run\"", "\"kind\":\"job\\u002erun\""),
        replace(&raw, "\"kind\":", "\"k\\u0069nd\":"),
        replace(&raw, "\"v\":1", "\"v\":1.0"),
        replace(&raw, "\"v\":1", "\"v\":1e0"),
        replace(&raw, "\"v\":1", "\"v\" : 1"),
        replace(
            &raw,
            "{\"a\":\"1\",\"b\":\"2\"}",
            "{\"b\":\"2\",\"a\":\"1\"}",
        ),
        replace(
            &raw,
            "{\"a\":\"1\",\"b\":\"2\"}",
            "{\"a\":\"1\",\"a\":\"2\"}",
        ),
        replace(&raw, "\"t\"", "\"\\u0074\""),
        replace(&raw, "\"t\"", "\"t\\/\""),
        replace(&raw, &sig_member, ""),
        replace(&raw, &sig_member, &format!("{sig_member}{sig_member}")),
        replace(&raw, &sig, &sig.to_uppercase()),
        replace(&raw, &sig, &sig[..63]),
        // A pair of two digits outside lowercase hex, the rest right: sig_malformed, not a MAC
        // over whatever the pair decodes to.
        replace(&raw, &sig, &format!("GG{}", &sig[2..])),
        replace(&raw, &sig, &format!("AB{}", &sig[2..])),
        replace(&raw, "\"payload\":\"", "\"payload\":\"\\u0061"),
        replace(&raw, "\"payload\":\"", "\"payload\":\"a\x01"),
        replace(&raw, "\"payload\":\"", "\"payload\":\"\u{e9}"),
        replace(
            &raw,
            "\"payload\":\"aGVsbG8\"",
            "\"payload\":\"aGVsbG8\\\"\"",
        ),
        replace(&raw, "\"target\":[", "\"target\" :["),
        replace(&raw, "\"ts\":", "\"tt\":"),
        [raw.as_slice(), b" "].concat(),
        [raw.as_slice(), b"\n"].concat(),
        [b"\xEF\xBB\xBF", raw.as_slice()].concat(),
        raw[..raw.len() - 1].to_vec(),
        [&raw[..raw.len() - 1], b",}".as_slice()].concat(),
    ];
    for edit in &edits {
        agree(&config(), edit, NOW);
    }
    // Only the canonical one is the fast path's; every other form is the general path's.
    let verifier = Verifier::new(config()).expect("valid config");
    assert!(verifier.takes_fast_path(&edits[0]));
    for edit in &edits[1..] {
        assert!(
            !verifier.takes_fast_path(edit),
            "the fast path took a non-canonical form: {}",
            String::from_utf8_lossy(edit)
        );
    }
    for pair in ["GG", "AB"] {
        let raw = replace(&raw, &sig, &format!("{pair}{}", &sig[2..]));
        assert_eq!(
            both(&config(), &raw, NOW)[0],
            Err(Reject::SigMalformed),
            "{pair}"
        );
    }
    // Non-canonical but validly signed: accepted by both, with the same fields.
    assert!(both(&config(), &edits[1], NOW)[0].is_ok());
    assert!(both(&config(), &edits[6], NOW)[0].is_ok());
}

/// The fast path is taken by every canonical envelope whose strings need no escape, with every
/// optional member, at every limit: a fast path that declined them would answer the same and
/// only be slower, so no verdict would show it (wire.rs; the benches measure the speed). (An
/// empty `target` array is left to the general path, by design.)
#[test]
fn the_fast_path_takes_every_plain_canonical_envelope() {
    let all = [
        ("target", many(2)),
        ("trace_id", long(8)),
        ("reply_to", long(8)),
        ("headers", headers(2)),
    ];
    let cases: Vec<Vec<(&str, String)>> = vec![
        vec![],
        vec![("kind", "\"job.cancel\"".into())],
        vec![("payload", "\"\"".into())],
        vec![(
            "payload",
            format!("\"{}\"", b64(&[7; MAX_PAYLOAD as usize])),
        )],
        vec![("nonce", long(22))],
        vec![("nonce", long(128))],
        vec![("target", long(1))],
        vec![("target", long(256))],
        vec![("target", many(32))],
        vec![("target", "null".into())],
        vec![("trace_id", long(128))],
        vec![("trace_id", "\"a b ~\\u007f\"".into())],
        vec![("trace_id", "null".into())],
        vec![("trace_id", "\"\u{e9}\u{20ac}\u{1d11e}\"".into())],
        vec![("reply_to", long(256))],
        vec![("reply_to", "null".into())],
        vec![("headers", "{}".into())],
        vec![("headers", headers(32))],
        vec![("headers", format!("{{\"h\":{}}}", long(1024)))],
        all.to_vec(),
    ];
    let verifier = Verifier::new(config()).expect("valid config");
    for patch in &cases {
        let patch: Vec<(&str, &str)> = patch.iter().map(|(n, j)| (*n, j.as_str())).collect();
        let raw = signed_with(&patch);
        assert!(
            verifier.takes_fast_path(&raw),
            "the fast path declined {}",
            String::from_utf8_lossy(&raw)
        );
        assert!(both(&config(), &raw, NOW)[0].is_ok(), "{patch:?} is valid");
    }
    // Recognised, then refused by a later step (kind, time, decoded size).
    let max_encoded = "A".repeat(max_encoded_payload(MAX_PAYLOAD) as usize);
    for (patch, refusal) in [
        (
            ("kind", "\"job.other\"".to_string()),
            Reject::KindNotAllowed,
        ),
        (("ts", "0".into()), Reject::Expired),
        (("ts", MAX_TS.to_string()), Reject::FromFuture),
        (("payload", format!("\"{max_encoded}\"")), Reject::Oversize),
    ] {
        let raw = signed_with(&[(patch.0, patch.1.as_str())]);
        assert!(
            verifier.takes_fast_path(&raw),
            "the fast path declined {}",
            String::from_utf8_lossy(&raw)
        );
        assert_eq!(both(&config(), &raw, NOW)[0], Err(refusal), "{patch:?}");
    }
}

fn arb_fields() -> impl Strategy<Value = Fields> {
    let text = "[a-z\u{e9}\u{e000}\u{10000}\n\"\\\\ ]{0,6}";
    (
        prop_oneof![
            Just("job.run"),
            Just("job.cancel"),
            Just("job.x"),
            Just("Job")
        ],
        proptest::collection::vec(any::<u8>(), 0..70),
        prop_oneof![Just(NOW), Just(NOW - TTL), Just(NOW + TTL + 1), Just(0u64)],
        prop_oneof![
            Just(NONCE.to_string()),
            "[A-Za-z0-9_-]{20,24}",
            "[A-Za-z0-9_.-]{126,130}"
        ],
        prop_oneof![
            Just(Member::Absent),
            Just(Member::Null),
            text.prop_map(|t| Member::Value(Target::One(t))),
            proptest::collection::vec(text, 0..3).prop_map(|t| Member::Value(Target::Many(t))),
        ],
        prop_oneof![
            Just(Member::Absent),
            Just(Member::Null),
            text.prop_map(Member::Value)
        ],
        proptest::option::of(proptest::collection::btree_map(text, text, 0..4)),
    )
        .prop_map(
            |(kind, payload, ts, nonce, target, trace_id, headers)| Fields {
                kind: kind.into(),
                payload,
                ts,
                nonce,
                target,
                trace_id,
                reply_to: Member::Absent,
                headers: headers.map(|h: BTreeMap<String, String>| h),
            },
        )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    /// REQ-VERIFY-1: signed envelopes of random content, and copies with one byte changed,
    /// removed or doubled, get the same answer from both paths.
    #[test]
    fn random_envelopes_and_one_byte_edits(fields in arb_fields(), at in any::<prop::sample::Index>(), byte in any::<u8>(), edit in 0..4u8) {
        let raw = sipc_reference::sign(&config().auth.secret, &fields);
        agree(&config(), &raw, NOW);
        let i = at.index(raw.len());
        let mut edited = raw.clone();
        match edit {
            0 => edited[i] = byte,
            1 => { edited.remove(i); }
            2 => edited.insert(i, raw[i]),
            _ => edited.insert(i, byte),
        }
        agree(&config(), &edited, NOW);
    }
}
