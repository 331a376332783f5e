//! SIPC/1 §4–§8 on single envelopes: REQ-ENV-*, REQ-PAYLOAD-*, REQ-SIZE-*, REQ-SIG-*, REQ-KIND-1,
//! REQ-VERIFY-*.

mod common;

use common::*;
use sipc_reference::envelope::{is_valid_kind, is_valid_nonce};
use sipc_reference::hex::lower_hex;
use sipc_reference::json::parse;
use sipc_reference::sign::{mac, signature_base};
use sipc_reference::{Config, Member, Reject, Rule, Target, Verifier};
use std::collections::BTreeMap;

fn json_string(s: &str) -> String {
    format!("\"{s}\"")
}

fn assert_codes(cases: &[(&[(&str, &str)], &str)]) {
    for (patch, want) in cases {
        assert_eq!(code(&signed_with(patch)), *want, "patch {patch:?}");
    }
}

#[test]
fn baseline_message_is_accepted() {
    assert_eq!(verify(&signed_with(&[])), Ok(fields()));
}

/// REQ-ENV-1
#[test]
fn req_env_1_envelope_is_an_object() {
    for raw in ["[]", "[{\"v\":1}]", "\"x\"", "1", "null", "true"] {
        assert_eq!(code(raw.as_bytes()), "malformed", "{raw}");
    }
}

/// REQ-ENV-2
#[test]
fn req_env_2_version() {
    assert_codes(&[
        (&[("v", "<absent>")], "malformed"),
        (&[("v", "\"1\"")], "malformed"),
        (&[("v", "true")], "malformed"),
        (&[("v", "null")], "malformed"),
        (&[("v", "[1]")], "malformed"),
        (&[("v", "2")], "unsupported_version"),
        (&[("v", "0")], "unsupported_version"),
        (&[("v", "-1")], "unsupported_version"),
    ]);
    let huge = rewritten(
        &[("v", "2")],
        "\"v\":2}",
        "\"v\":100000000000000000000000000000000000000000001}",
    );
    assert_eq!(code(&huge), "unsupported_version");
    // `1.0`, `1e0` and `-0.0e0`... canonicalize to `1` or `0`, so the MAC still matches: only
    // the integer-literal rule refuses them
    for literal in ["1.0", "1e0", "10e-1", "1E0"] {
        assert_eq!(
            code(&rewritten(&[], "\"v\":1}", &format!("\"v\":{literal}}}"))),
            "malformed",
            "{literal}"
        );
    }
    assert_eq!(
        code(&rewritten(&[("v", "0")], "\"v\":0}", "\"v\":-0}")),
        "malformed"
    );
}

/// A correctly signed envelope whose text `from` is then replaced by `to` (once, must occur).
fn rewritten(patch: &[(&str, &str)], from: &str, to: &str) -> Vec<u8> {
    let text = String::from_utf8(signed_with(patch)).unwrap();
    assert!(text.contains(from), "{from} not in {text}");
    text.replacen(from, to, 1).into_bytes()
}

/// REQ-ENV-3
#[test]
fn req_env_3_kind_pattern() {
    let max = format!("a{}", "z".repeat(63));
    for good in ["a", "job.run", "a0._-", &max] {
        assert!(is_valid_kind(good), "{good}");
        let mut config = config();
        config.allowed_kinds = vec![good.to_owned()];
        let raw = signed_with(&[("kind", &json_string(good))]);
        assert_eq!(outcome(&verify_with(config, &raw, NOW)), "accept", "{good}");
    }
    for bad in [
        "",
        "Job.run",
        "1job",
        ".job",
        "_a",
        "job run",
        "job/run",
        "jöb",
        "job\\n",
        "a\\u0000",
        &format!("{max}z"),
    ] {
        assert_codes(&[(&[("kind", &json_string(bad))], "malformed")]);
    }
    assert_codes(&[
        (&[("kind", "null")], "malformed"),
        (&[("kind", "[\"job.run\"]")], "malformed"),
    ]);
}

/// REQ-ENV-4
#[test]
fn req_env_4_payload_is_a_string() {
    assert_codes(&[
        (&[("payload", "null")], "malformed"),
        (&[("payload", "104")], "malformed"),
        (&[("payload", "[\"aGk\"]")], "malformed"),
        (&[("payload", "{}")], "malformed"),
        (&[("payload", "\"\"")], "accept"),
    ]);
}

/// REQ-ENV-5
#[test]
fn req_env_5_ts_integer_literal_in_range() {
    for bad in [
        "-1",
        "\"1700000000\"",
        "null",
        "9007199254740992",
        "18446744073709551616",
        "-1700000000",
    ] {
        assert_codes(&[(&[("ts", bad)], "malformed")]);
    }
    // the same value written as a non-integer literal: the MAC matches, the literal rule refuses
    for literal in ["1700000000.0", "17e8", "1.7e9", "1.7E+9", "1700000000e0"] {
        assert_eq!(
            code(&rewritten(
                &[],
                "\"ts\":1700000000",
                &format!("\"ts\":{literal}")
            )),
            "malformed",
            "{literal}"
        );
    }
    let zero = Config { ..config() };
    assert_eq!(
        outcome(&verify_with(zero.clone(), &signed_with(&[("ts", "0")]), 30)),
        "accept"
    );
    assert_eq!(
        outcome(&verify_with(
            zero,
            &rewritten(&[("ts", "0")], "\"ts\":0", "\"ts\":-0"),
            30
        )),
        "malformed"
    );
    // both ends of the range are accepted
    let at = |ts: u64| {
        outcome(&verify_with(
            config(),
            &signed_with(&[("ts", &ts.to_string())]),
            ts,
        ))
    };
    assert_eq!(at(0), "accept");
    assert_eq!(at((1 << 53) - 1), "accept");
}

/// REQ-ENV-6
#[test]
fn req_env_6_nonce_pattern() {
    let n = |len: usize| "n".repeat(len);
    for good in [n(22), n(128), "aZ09_-aZ09_-aZ09_-aZ09".to_owned()] {
        assert!(is_valid_nonce(&good));
        assert_codes(&[(&[("nonce", &json_string(&good))], "accept")]);
    }
    for bad in [
        n(21),
        n(129),
        format!("{}+", n(21)),
        format!("{}/", n(21)),
        format!("{}=", n(21)),
        format!("{}.", n(21)),
        format!("{} ", n(21)),
        format!("{}é", n(21)),
    ] {
        assert_codes(&[(&[("nonce", &json_string(&bad))], "malformed")]);
    }
    assert_codes(&[(&[("nonce", "12345678901234567890123")], "malformed")]);
}

/// REQ-ENV-7
#[test]
fn req_env_7_target() {
    let s = |len: usize| json_string(&"t".repeat(len));
    let list = |n: usize| format!("[{}]", vec![s(1); n].join(","));
    assert_codes(&[
        (&[("target", "null")], "accept"),
        (&[("target", &s(1))], "accept"),
        (&[("target", &s(256))], "accept"),
        (&[("target", &list(1))], "accept"),
        (&[("target", &list(32))], "accept"),
        (&[("target", &format!("[{}]", s(256)))], "accept"),
        (&[("target", "\"\"")], "malformed"),
        (&[("target", &s(257))], "malformed"),
        (&[("target", "[]")], "malformed"),
        (&[("target", &list(33))], "malformed"),
        (&[("target", "[\"\"]")], "malformed"),
        (&[("target", &format!("[{}]", s(257)))], "malformed"),
        (&[("target", "[1]")], "malformed"),
        (&[("target", "[null]")], "malformed"),
        (&[("target", "[[\"a\"]]")], "malformed"),
        (&[("target", "{}")], "malformed"),
        (&[("target", "7")], "malformed"),
    ]);
}

/// REQ-ENV-8, REQ-ENV-9
#[test]
fn req_env_8_and_9_trace_id_and_reply_to() {
    for (name, max) in [("trace_id", 128), ("reply_to", 256)] {
        let s = |len: usize| json_string(&"r".repeat(len));
        assert_codes(&[
            (&[(name, "null")], "accept"),
            (&[(name, "\"\"")], "accept"),
            (&[(name, &s(max))], "accept"),
            (&[(name, &s(max + 1))], "malformed"),
            (&[(name, "1")], "malformed"),
            (&[(name, "[\"a\"]")], "malformed"),
            (&[(name, "{}")], "malformed"),
        ]);
    }
}

fn headers_json(pairs: &[(String, String)]) -> String {
    let body: Vec<String> = pairs
        .iter()
        .map(|(k, v)| format!("{}:{}", json_string(k), json_string(v)))
        .collect();
    format!("{{{}}}", body.join(","))
}

/// REQ-ENV-10
#[test]
fn req_env_10_headers() {
    let many = |n: usize| {
        headers_json(
            &(0..n)
                .map(|i| (format!("h{i}"), "v".into()))
                .collect::<Vec<_>>(),
        )
    };
    let one = |name: &str, value: &str| headers_json(&[(name.to_owned(), value.to_owned())]);
    assert_codes(&[
        (&[("headers", "{}")], "accept"),
        (&[("headers", &many(32))], "accept"),
        (&[("headers", &many(33))], "malformed"),
        (&[("headers", "null")], "malformed"),
        (&[("headers", "[]")], "malformed"),
        (&[("headers", &one("ключ", "значение"))], "accept"),
        (&[("headers", &one(&"n".repeat(128), ""))], "accept"),
        (&[("headers", &one(&"n".repeat(129), ""))], "malformed"),
        (&[("headers", &one("", "v"))], "malformed"),
        (&[("headers", &one("n", &"v".repeat(1024)))], "accept"),
        (&[("headers", &one("n", &"v".repeat(1025)))], "malformed"),
        (&[("headers", "{\"n\":1}")], "malformed"),
        (&[("headers", "{\"n\":null}")], "malformed"),
        (&[("headers", "{\"n\":[\"v\"]}")], "malformed"),
        (&[("headers", "{\"n\":{}}")], "malformed"),
    ]);
}

/// REQ-ENV-11
#[test]
fn req_env_11_required_and_unknown_members() {
    assert_codes(&[
        (&[("kind", "<absent>")], "malformed"),
        (&[("payload", "<absent>")], "malformed"),
        (&[("ts", "<absent>")], "malformed"),
        (&[("nonce", "<absent>")], "malformed"),
        (&[("extra", "1")], "malformed"),
        (&[("Kind", "\"job.run\"")], "malformed"),
        (&[("", "null")], "malformed"),
        (&[("sig ", "null")], "malformed"),
        (&[("v\u{0}", "1")], "malformed"),
    ]);
}

/// REQ-ENV-12
#[test]
fn req_env_12_absent_and_null_are_different_signed_content() {
    for name in ["target", "trace_id", "reply_to"] {
        // signed with the member absent, then `null` added: the MAC no longer matches
        let absent = signed_with(&[]);
        let mut text = String::from_utf8(absent).unwrap();
        text.insert_str(1, &format!("\"{name}\":null,"));
        assert_eq!(code(text.as_bytes()), "bad_signature", "{name}: null added");
        // signed with null, then removed
        let with_null = String::from_utf8(signed_with(&[(name, "null")])).unwrap();
        let stripped = with_null.replace(&format!("\"{name}\":null,"), "");
        assert_ne!(stripped, with_null);
        assert_eq!(
            code(stripped.as_bytes()),
            "bad_signature",
            "{name}: null removed"
        );
        // and the accepted message tells them apart
        let accepted = verify(with_null.as_bytes()).unwrap();
        let got = match name {
            "target" => matches!(accepted.target, Member::Null),
            "trace_id" => accepted.trace_id == Member::Null,
            _ => accepted.reply_to == Member::Null,
        };
        assert!(got, "{name} should be reported as null: {accepted:?}");
        assert_eq!(verify(&signed_with(&[])).unwrap().trace_id, Member::Absent);
    }
}

/// REQ-ENV-13
#[test]
fn req_env_13_lengths_are_utf8_bytes_of_the_unescaped_value() {
    let e = |n: usize| "é".repeat(n);
    let escaped = |n: usize| json_string(&"\\u00e9".repeat(n));
    assert_codes(&[
        (&[("trace_id", &json_string(&e(64)))], "accept"),
        (&[("trace_id", &json_string(&e(65)))], "malformed"),
        (&[("trace_id", &escaped(64))], "accept"),
        (&[("trace_id", &escaped(65))], "malformed"),
        (&[("target", &json_string(&"😀".repeat(64)))], "accept"),
        (
            &[("target", &json_string(&format!("{}a", "😀".repeat(64))))],
            "malformed",
        ),
        // 22 ASCII characters written as 132 bytes of escapes is still a 22-byte nonce
        (&[("nonce", &json_string(&"\\u0041".repeat(22)))], "accept"),
    ]);
}

/// REQ-PAYLOAD-1
#[test]
fn req_payload_1_base64url_without_padding() {
    for bad in [
        "aGk=",
        "aGk==",
        "aGVsbG8+",
        "aGVsbG8/",
        "aGV sbG8",
        "aGVs\\nbG8",
        "aGVsbG8*",
        "aGVsbG8\\u0000",
    ] {
        assert_codes(&[(&[("payload", &json_string(bad))], "malformed")]);
    }
    let raw = signed_with(&[("payload", "\"-_8\"")]);
    assert_eq!(verify(&raw).unwrap().payload, vec![0xfb, 0xff]);
}

/// REQ-PAYLOAD-2
#[test]
fn req_payload_2_canonical_encoding() {
    assert_codes(&[
        (&[("payload", "\"QQ\"")], "accept"),
        (&[("payload", "\"QR\"")], "malformed"),
        (&[("payload", "\"QUI\"")], "accept"),
        (&[("payload", "\"QUJ\"")], "malformed"),
        (&[("payload", "\"Q\"")], "malformed"),
        (&[("payload", "\"QUJDR\"")], "malformed"),
        (&[("payload", "\"\"")], "accept"),
    ]);
    assert_eq!(
        verify(&signed_with(&[("payload", "\"\"")]))
            .unwrap()
            .payload,
        Vec::<u8>::new()
    );
}

/// REQ-SIZE-1
#[test]
fn req_size_1_raw_envelope_limit_before_parsing() {
    let raw = signed_with(&[]);
    let len = raw.len() as u64;
    let limited = |max: u64| Config {
        max_envelope_bytes: Some(max),
        ..config()
    };
    assert_eq!(outcome(&verify_with(limited(len), &raw, NOW)), "accept");
    assert_eq!(
        outcome(&verify_with(limited(len - 1), &raw, NOW)),
        "oversize"
    );
    // over the limit is oversize even when it is not JSON at all
    let junk = vec![b'['; 200];
    assert_eq!(outcome(&verify_with(limited(199), &junk, NOW)), "oversize");
    assert_eq!(outcome(&verify_with(limited(200), &junk, NOW)), "malformed");
    // the default limit is 4*ceil(max_payload/3) + 16384
    assert_eq!(config().envelope_limit(), 88 + 16_384);
    let padded = format!("{}{}", String::from_utf8(raw).unwrap(), " ".repeat(16_472));
    assert_eq!(code(&padded.as_bytes()[..16_472]), "accept");
    assert_eq!(code(&padded.as_bytes()[..16_473]), "oversize");
}

/// REQ-SIZE-2
#[test]
fn req_size_2_encoded_payload_limit_before_decoding() {
    // max_payload_bytes = 64 → at most 4*ceil(64/3) = 88 characters are decoded
    assert_codes(&[
        (&[("payload", &json_string(&"!".repeat(89)))], "oversize"),
        (&[("payload", &json_string(&"!".repeat(88)))], "malformed"),
        (&[("payload", &json_string(&"A".repeat(89)))], "oversize"),
    ]);
}

/// REQ-SIZE-3
#[test]
fn req_size_3_decoded_payload_limit() {
    let payload = |n: usize| json_string(&b64(&vec![7u8; n]));
    assert_codes(&[
        (&[("payload", &payload(64))], "accept"),
        (&[("payload", &payload(65))], "oversize"),
    ]);
    // 66 bytes encode to 88 characters: within the encoded limit, over the decoded one
    assert_eq!(b64(&[0u8; 66]).len(), 88);
    assert_codes(&[(&[("payload", &payload(66))], "oversize")]);
    let one = Config {
        max_payload_bytes: 1,
        ..config()
    };
    assert_eq!(
        outcome(&verify_with(
            one.clone(),
            &signed_with(&[("payload", "\"QQ\"")]),
            NOW
        )),
        "accept"
    );
    assert_eq!(
        outcome(&verify_with(
            one,
            &signed_with(&[("payload", "\"QUI\"")]),
            NOW
        )),
        "oversize"
    );
}

/// REQ-SIG-1
#[test]
fn req_sig_1_missing() {
    let unsigned = sipc_reference::sign::envelope_members(&fields());
    let mut raw = Vec::new();
    sipc_reference::json::write_value(&mut raw, &sipc_reference::json::Value::Object(unsigned));
    assert_eq!(code(&raw), "sig_missing");
}

/// REQ-SIG-2
#[test]
fn req_sig_2_malformed() {
    let good = sig_of(&signed_with(&[]));
    for bad in [
        good.to_uppercase(),
        good[..63].to_owned(),
        format!("{good}0"),
        format!("{}g", &good[..63]),
        format!("0x{}", &good[..62]),
        format!(" {}", &good[..63]),
    ] {
        let mut text = String::from_utf8(signed_with(&[])).unwrap();
        text = text.replace(&good, &bad);
        assert_eq!(code(text.as_bytes()), "sig_malformed", "{bad}");
    }
    for bad in ["null", "0", "[]", "{}", "true"] {
        let text = String::from_utf8(signed_with(&[]))
            .unwrap()
            .replace(&format!("\"{good}\""), bad);
        assert_eq!(code(text.as_bytes()), "sig_malformed", "{bad}");
    }
}

/// REQ-SIG-3
#[test]
fn req_sig_3_base_is_prefix_plus_canonical_object_without_top_level_sig() {
    let members = members_with(&[("headers", r#"{"sig":"kept"}"#)]);
    let base = signature_base(&members);
    assert!(base.starts_with(&[0x53, 0x49, 0x50, 0x43, 0x2d, 0x31, 0x0a]));
    assert_eq!(
        std::str::from_utf8(&base).unwrap(),
        "SIPC-1\n{\"headers\":{\"sig\":\"kept\"},\"kind\":\"job.run\",\"nonce\":\"AAAAAAAAAAAAAAAAAAAAAA\",\"payload\":\"aGVsbG8\",\"ts\":1700000000,\"v\":1}"
    );
    assert_eq!(
        code(&signed_with(&[("headers", r#"{"sig":"kept"}"#)])),
        "accept"
    );
    // the worked example of the spec: base.txt and envelope.json agree with the reference
    let examples = repo_root().join("spec/examples");
    let config = Config::from_json(&std::fs::read(examples.join("config.json")).unwrap()).unwrap();
    let envelope = std::fs::read(examples.join("envelope.json")).unwrap();
    let sipc_reference::json::Value::Object(members) = parse(&envelope).unwrap() else {
        panic!()
    };
    let base = std::fs::read(examples.join("base.txt")).unwrap();
    assert_eq!(signature_base(&members), base);
    let sig = sig_of(&envelope);
    assert_eq!(sig, lower_hex(&mac(&config.auth.secret, &base)));
    assert_eq!(
        Verifier::new(config)
            .unwrap()
            .verify(&envelope, 1_700_000_000)
            .unwrap()
            .trace_id,
        Member::Value("trace-0001".into())
    );
}

/// REQ-SIG-3: verifiers canonicalize; they do not hash the bytes received.
#[test]
fn req_sig_3_non_canonical_wire_forms_verify() {
    let canonical = String::from_utf8(signed_with(&[
        ("trace_id", "\"a/b\""),
        ("target", "[\"x\",\"y\"]"),
    ]))
    .unwrap();
    let sig = sig_of(canonical.as_bytes());
    let reordered = format!(
        "\n{{ \"sig\" : \"{sig}\",\t\"ts\":1700000000 , \"v\":1,\"trace_id\":\"a\\/b\", \"target\":[ \"x\" , \"\\u0079\" ],\r\n \"payload\":\"aGVsbG8\",\"nonce\":\"AAAAAAAAAAAAAAAAAAAAAA\",\"kind\":\"job\\u002erun\" }}\n"
    );
    assert_eq!(verify(reordered.as_bytes()), verify(canonical.as_bytes()));
    assert_eq!(code(reordered.as_bytes()), "accept");
    // a member whose value changes (here: the order of target addresses) does not verify
    assert_eq!(
        code(
            reordered
                .replace("[ \"x\" , \"\\u0079\" ]", "[\"y\",\"x\"]")
                .as_bytes()
        ),
        "bad_signature"
    );
}

/// REQ-SIG-4
#[test]
fn req_sig_4_hmac_sha256_over_the_base() {
    let good = sig_of(&signed_with(&[]));
    let text = String::from_utf8(signed_with(&[])).unwrap();
    for i in 0..64 {
        let mut bad = good.clone().into_bytes();
        bad[i] = if bad[i] == b'0' { b'1' } else { b'0' };
        let forged = text.replace(&good, std::str::from_utf8(&bad).unwrap());
        assert_eq!(code(forged.as_bytes()), "bad_signature", "digit {i}");
    }
    // another key, or a changed signed member, does not verify
    let other_key = sipc_reference::sign::sign_members(&[1u8; 32], members_with(&[]));
    assert_eq!(code(&other_key), "bad_signature");
    assert_eq!(
        code(text.replace("aGVsbG8", "aGVsbG4").as_bytes()),
        "bad_signature"
    );
    assert_eq!(
        code(text.replace("job.run", "job.cancel").as_bytes()),
        "bad_signature"
    );
}

/// REQ-SIG-5: the whole MAC is compared; no prefix of it suffices. (Constant time is a property
/// of the code path, `hmac::Mac::verify_slice`, not something a test can time.)
#[test]
fn req_sig_5_full_length_comparison() {
    let good = sig_of(&signed_with(&[]));
    let text = String::from_utf8(signed_with(&[])).unwrap();
    for keep in [16, 32, 62, 63] {
        let mut bad = good[..keep].to_owned();
        bad.push_str(
            &good[keep..]
                .chars()
                .map(|c| if c == 'f' { 'e' } else { 'f' })
                .collect::<String>(),
        );
        assert_eq!(
            code(text.replace(&good, &bad).as_bytes()),
            "bad_signature",
            "first {keep} digits right"
        );
    }
}

/// REQ-KIND-1
#[test]
fn req_kind_1_exact_match_only() {
    for kind in [
        "job",
        "job.r",
        "job.runs",
        "job.run.x",
        "job.cancel2",
        "xjob.run",
        "job-run",
    ] {
        assert_codes(&[(&[("kind", &json_string(kind))], "kind_not_allowed")]);
    }
    assert_codes(&[(&[("kind", "\"job.cancel\"")], "accept")]);
    // a kind outside the pattern never reaches the whitelist
    assert_codes(&[(&[("kind", "\"JOB.RUN\"")], "malformed")]);
}

/// REQ-VERIFY-1: with two faults, the earlier step decides.
#[test]
fn req_verify_1_first_failing_step_wins() {
    assert_codes(&[
        (&[("v", "2"), ("extra", "1")], "unsupported_version"),
        (&[("v", "2"), ("kind", "\"Bad\"")], "unsupported_version"),
        (&[("v", "\"2\""), ("kind", "\"nope\"")], "malformed"),
        (&[("extra", "1"), ("kind", "\"nope\"")], "malformed"),
        (
            &[
                ("kind", "\"nope\""),
                ("payload", &json_string(&"!".repeat(200))),
            ],
            "kind_not_allowed",
        ),
        (&[("payload", "\"a=\""), ("ts", "0")], "malformed"),
        (
            &[("payload", &json_string(&"A".repeat(200))), ("ts", "0")],
            "oversize",
        ),
    ]);
    let text = String::from_utf8(signed_with(&[("kind", "\"nope\"")])).unwrap();
    let sig = sig_of(text.as_bytes());
    assert_eq!(
        code(text.replace(&format!(",\"sig\":\"{sig}\""), "").as_bytes()),
        "sig_missing"
    );
    assert_eq!(
        code(text.replace(&sig, &sig.to_uppercase()).as_bytes()),
        "sig_malformed"
    );
    // expired / from_future come before the MAC
    let forged_old = String::from_utf8(signed_with(&[("ts", "1")]))
        .unwrap()
        .replace("aGVsbG8", "aGVsbG4");
    assert_eq!(code(forged_old.as_bytes()), "expired");
    let forged_future = String::from_utf8(signed_with(&[("ts", "1800000000")]))
        .unwrap()
        .replace("aGVsbG8", "aGVsbG4");
    assert_eq!(code(forged_future.as_bytes()), "from_future");
    // oversize comes before parsing
    let small = Config {
        max_envelope_bytes: Some(10),
        ..config()
    };
    assert_eq!(
        outcome(&verify_with(small, b"{\"v\":2,,,,,,,,,,,", NOW)),
        "oversize"
    );
    assert_eq!(code(b"{\"v\":2,"), "malformed");
}

/// REQ-VERIFY-2: the codes in the spec's table are exactly the reference's codes.
#[test]
fn req_verify_2_stable_codes_match_the_spec_table() {
    let spec = std::fs::read_to_string(repo_root().join("spec/SIPC-1.md")).unwrap();
    let section = spec
        .split("## 1. Error codes")
        .nth(1)
        .unwrap()
        .split("## 2.")
        .next()
        .unwrap();
    let in_spec: Vec<&str> = section
        .lines()
        .filter_map(|l| l.strip_prefix("| `"))
        .filter_map(|l| l.split('`').next())
        .collect();
    assert_eq!(in_spec, Reject::CODES.to_vec());
    let all = [
        Reject::Oversize,
        Reject::Malformed(Rule::Json4),
        Reject::UnsupportedVersion,
        Reject::SigMissing,
        Reject::SigMalformed,
        Reject::KindNotAllowed,
        Reject::Expired,
        Reject::FromFuture,
        Reject::BadSignature,
        Reject::Replay,
        Reject::ReplayCacheFull,
        Reject::ReplayStoreUnavailable,
        Reject::ConfigInvalid {
            field: "auth.mode".into(),
        },
    ];
    assert_eq!(
        all.iter().map(Reject::code).collect::<Vec<_>>(),
        Reject::CODES.to_vec()
    );
    let mut display = String::new();
    for reject in all.iter().chain([&Reject::ConfigInvalid {
        field: String::new(),
    }]) {
        display.push_str(&format!("{reject}\n"));
        assert!(reject.to_string().starts_with(reject.code()));
    }
    insta::assert_snapshot!("reject_display", display);
}

/// REQ-VERIFY-3
#[test]
fn req_verify_3_accepted_message_carries_every_field() {
    let mut headers = BTreeMap::new();
    headers.insert("content-type".to_owned(), "text/plain".to_owned());
    headers.insert("é".to_owned(), String::new());
    let sent = sipc_reference::Fields {
        payload: vec![0, 1, 2, 255],
        target: Member::Value(Target::Many(vec!["a".into(), "b".into()])),
        trace_id: Member::Value("t-1".into()),
        reply_to: Member::Null,
        headers: Some(headers),
        ..fields()
    };
    let raw = sipc_reference::sign(&config().auth.secret, &sent);
    assert_eq!(verify(&raw), Ok(sent));
    let one = sipc_reference::Fields {
        target: Member::Value(Target::One("svc".into())),
        ..fields()
    };
    assert_eq!(
        verify(&sipc_reference::sign(&config().auth.secret, &one)),
        Ok(one)
    );
}

/// REQ-VERIFY-4: large hostile inputs end in a code, quickly and without a crash.
#[test]
fn req_verify_4_hostile_inputs_end_in_a_code() {
    let big = Config {
        max_payload_bytes: 16_777_216,
        ..config()
    };
    let mut v = Verifier::new(big).unwrap();
    let many_members = format!(
        "{{{}\"v\":1}}",
        (0..50_000)
            .map(|i| format!("\"m{i}\":[],"))
            .collect::<String>()
    );
    for (input, want) in [
        ("[".repeat(1_000_000), Reject::Malformed(Rule::Json7)),
        ("{\"a\":".repeat(300_000), Reject::Malformed(Rule::Json7)),
        // the first unknown member, in document order, breaks the member table
        (many_members, Reject::Malformed(Rule::Env11)),
        (
            format!("{{\"v\":1,\"payload\":\"{}\"}}", "A".repeat(5_000_000)),
            Reject::Malformed(Rule::Env11),
        ),
        ("\"\\ud800".repeat(100_000), Reject::Malformed(Rule::Json5)),
    ] {
        assert_eq!(v.verify(input.as_bytes(), NOW), Err(want));
    }
    assert_eq!(v.live_nonces(), 0);
}

/// REQ-VERIFY-2: a `malformed` refusal keeps its stable code and names the rule it broke, so
/// that an implementer whose verdict differs can find it: one envelope per rule of §4 and §5.
#[test]
fn req_verify_2_malformed_names_the_rule_it_broke() {
    let cases: Vec<(Vec<u8>, Rule)> = vec![
        (b"[1]".to_vec(), Rule::Env1),
        (signed_with(&[("v", "<absent>")]), Rule::Env2),
        (b"{\"v\":1.0}".to_vec(), Rule::Env2),
        (signed_with(&[("kind", "\"Job.run\"")]), Rule::Env3),
        (signed_with(&[("payload", "5")]), Rule::Env4),
        (signed_with(&[("ts", "-1")]), Rule::Env5),
        (signed_with(&[("nonce", "\"short\"")]), Rule::Env6),
        (signed_with(&[("target", "[]")]), Rule::Env7),
        (signed_with(&[("trace_id", "1")]), Rule::Env8),
        (signed_with(&[("reply_to", "false")]), Rule::Env9),
        (signed_with(&[("headers", "null")]), Rule::Env10),
        (signed_with(&[("Kind", "\"job.run\"")]), Rule::Env11),
        (signed_with(&[("nonce", "<absent>")]), Rule::Env11),
        (signed_with(&[("payload", "\"aGVsbG8=\"")]), Rule::Payload1),
        (signed_with(&[("payload", "\"aGVsbG9\"")]), Rule::Payload2),
        // `-` and `_` are in the alphabet: bad trailing bits or length, not a bad character.
        (signed_with(&[("payload", "\"Q-\"")]), Rule::Payload2),
        (signed_with(&[("payload", "\"Q_\"")]), Rule::Payload2),
        (signed_with(&[("payload", "\"QUJD_\"")]), Rule::Payload2),
        (b"{\"v\":1,\"v\":1}".to_vec(), Rule::Json4),
        (b"\xef\xbb\xbf{}".to_vec(), Rule::Json2),
    ];
    for (raw, rule) in cases {
        let got = verify(&raw);
        assert_eq!(
            got,
            Err(Reject::Malformed(rule)),
            "{}",
            String::from_utf8_lossy(&raw)
        );
        let reject = got.unwrap_err();
        assert_eq!(reject.code(), "malformed");
        assert_eq!(reject.req(), Some(rule.req()));
        assert!(reject.to_string().contains(rule.req()), "{reject}");
    }
    assert_eq!(Reject::Expired.req(), None);
}
