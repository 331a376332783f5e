//! `envelope.json`: the member table (§4), the payload encoding (§5), strict JSON inside an
//! envelope (§2), absent versus null, and valid envelopes in non-canonical wire forms.

use crate::suite::{meta, Area, Expect, Expect::Accept};
use crate::wire;
use crate::{Ctx, NOW};
use sipc_reference::envelope::{
    MAX_HEADERS, MAX_HEADER_NAME_BYTES, MAX_HEADER_VALUE_BYTES, MAX_KIND_BYTES, MAX_NONCE_BYTES,
    MAX_REPLY_TO_BYTES, MAX_TARGETS, MAX_TARGET_BYTES, MAX_TRACE_ID_BYTES, MIN_NONCE_BYTES,
};
use sipc_reference::json::Value;

const M: Expect = Expect::Reject("malformed");

/// Cases built at run time (their JSON and comments hold the limits), as `member_cases` takes them.
fn borrowed(cases: &[(String, Expect, String)]) -> Vec<(&str, Expect, &str)> {
    cases
        .iter()
        .map(|(json, expect, comment)| (json.as_str(), *expect, comment.as_str()))
        .collect()
}

/// Splices `extra` right after the opening brace of a canonical object.
fn after_brace(wire: &[u8], extra: &str) -> Vec<u8> {
    let mut out = b"{".to_vec();
    out.extend_from_slice(extra.as_bytes());
    out.extend_from_slice(wire.get(1..).unwrap_or_default());
    out
}

/// Replaces the first occurrence of `from` in `wire` by `to`.
fn replace(wire: &[u8], from: &str, to: &[u8]) -> Vec<u8> {
    let from = from.as_bytes();
    match wire.windows(from.len()).position(|w| w == from) {
        Some(at) => [&wire[..at], to, &wire[at + from.len()..]].concat(),
        None => wire.to_vec(),
    }
}

fn member_cases(
    a: &mut Area,
    ctx: &Ctx,
    id: &'static str,
    req: &'static str,
    name: &str,
    cases: &[(&str, Expect, &str)],
) {
    for (json, expect, comment) in cases {
        let env = ctx.env().with(name, json);
        let flags: &[&str] = if matches!(expect, Expect::Accept) {
            &["Valid", "MemberTable"]
        } else {
            &["MemberTable"]
        };
        a.verify(
            meta(
                id,
                &[req, "REQ-ENV-13"],
                flags,
                format!("{name}: {comment}"),
            ),
            NOW,
            ctx.wire(&env),
            *expect,
        );
    }
}

fn q(s: &str) -> String {
    format!("\"{s}\"")
}

pub fn area(ctx: &Ctx) -> Area {
    let mut a = Area::new("envelope");
    a.verify_group(&ctx.config);
    let secret = ctx.secret();

    // SEC-IPC-01: a valid envelope is accepted.
    let base = ctx.env();
    a.verify(
        meta(
            "SEC-IPC-01",
            &["REQ-VERIFY-1", "REQ-VERIFY-3"],
            &["Valid"],
            "a valid minimal envelope",
        ),
        NOW,
        ctx.wire(&base),
        Accept,
    );
    for kind in &ctx.config.allowed_kinds {
        let env = ctx.env().with_str("kind", kind);
        a.verify(
            meta(
                "SEC-IPC-01",
                &["REQ-KIND-1", "REQ-VERIFY-3"],
                &["Valid"],
                format!("a valid envelope of allowed kind {kind}"),
            ),
            NOW,
            ctx.wire(&env),
            Accept,
        );
    }
    let empty = ctx.env().with_str("payload", "");
    a.verify(
        meta(
            "SEC-IPC-01",
            &["REQ-PAYLOAD-2", "REQ-VERIFY-3"],
            &["Valid"],
            "an empty payload",
        ),
        NOW,
        ctx.wire(&empty),
        Accept,
    );

    // SEC-IPC-01b: every optional member is echoed exactly as signed.
    let full = ctx
        .env()
        .with("target", r#"["svc-a","svc-b"]"#)
        .with("trace_id", r#""trace-\u00e9-1""#)
        .with("reply_to", r#""spool/replies/7""#)
        .with("headers", r#"{"content-type":"application/json","sig":"not the signature","\u00e9t\u00e9":"\ud83d\ude00"}"#);
    let sec01b = ["REQ-VERIFY-3", "REQ-ENV-12"];
    a.verify(
        meta(
            "SEC-IPC-01b",
            &sec01b,
            &["Valid"],
            "all optional members echoed unchanged, a header named sig included",
        ),
        NOW,
        ctx.wire(&full),
        Accept,
    );
    let nulls = ctx
        .env()
        .with("target", "null")
        .with("trace_id", "null")
        .with("reply_to", "null");
    a.verify(
        meta(
            "SEC-IPC-01b",
            &sec01b,
            &["Valid", "AbsentVsNull"],
            "null optional members are echoed as null",
        ),
        NOW,
        ctx.wire(&nulls),
        Accept,
    );
    let one = ctx.env().with("target", r#""svc-a""#).with("headers", "{}");
    a.verify(
        meta(
            "SEC-IPC-01b",
            &sec01b,
            &["Valid"],
            "a single target and empty headers",
        ),
        NOW,
        ctx.wire(&one),
        Accept,
    );
    if ctx.config.max_payload_bytes >= 256 {
        let all_bytes: Vec<u8> = (0..=255).collect();
        let env = ctx.env().with_str(
            "payload",
            &sipc_reference::envelope::encode_payload(&all_bytes),
        );
        a.verify(
            meta(
                "SEC-IPC-01b",
                &sec01b,
                &["Valid"],
                "a payload of all 256 byte values is echoed exactly",
            ),
            NOW,
            ctx.wire(&env),
            Accept,
        );
    }

    // Non-canonical wire forms of valid envelopes (REQ-SIG-3).
    let wire_req = ["REQ-SIG-3", "REQ-CANON-1"];
    let wf = ["Valid", "NonCanonicalWire"];
    for (env, what) in [
        (ctx.env(), "the minimal envelope"),
        (
            full.clone().with("nonce", &q(&ctx.nonce())),
            "the envelope with every optional member",
        ),
    ] {
        let signed = env.signed(secret);
        a.verify(
            meta(
                "ENV-WIRE",
                &wire_req,
                &wf,
                format!("{what}, members in reverse order"),
            ),
            NOW,
            wire::reversed(&signed),
            Accept,
        );
        let signed = env.clone().with("nonce", &q(&ctx.nonce())).signed(secret);
        a.verify(
            meta(
                "ENV-WIRE",
                &wire_req,
                &wf,
                format!("{what}, members in signing order (sig last)"),
            ),
            NOW,
            wire::in_order(&signed),
            Accept,
        );
        let signed = env.clone().with("nonce", &q(&ctx.nonce())).signed(secret);
        a.verify(
            meta(
                "ENV-WIRE",
                &["REQ-SIG-3", "REQ-CANON-2"],
                &wf,
                format!("{what}, with spaces, tabs and CR LF"),
            ),
            NOW,
            wire::spaced(&signed),
            Accept,
        );
        let signed = env.clone().with("nonce", &q(&ctx.nonce())).signed(secret);
        a.verify(
            meta(
                "ENV-WIRE",
                &["REQ-SIG-3", "REQ-CANON-3"],
                &wf,
                format!("{what}, every string character escaped"),
            ),
            NOW,
            wire::escaped(&signed),
            Accept,
        );
    }
    // `null` members in a non-canonical form: the general path must keep them as `null`
    // (REQ-ENV-12), not only a canonical fast path (found by the reference's line coverage under
    // the vectors alone: its tree path never saw a `null`).
    let nulls = ctx
        .env()
        .with("target", "null")
        .with("trace_id", "null")
        .with("reply_to", "null");
    a.verify(
        meta(
            "ENV-WIRE",
            &["REQ-SIG-3", "REQ-ENV-12"],
            &["Valid", "NonCanonicalWire", "AbsentVsNull"],
            "target, trace_id and reply_to null, members in reverse order",
        ),
        NOW,
        wire::reversed(&nulls.signed(secret)),
        Accept,
    );
    let utf16 = ctx.env().with(
        "headers",
        "{\"\u{e000}\":\"private use\",\"\u{10000}\":\"astral\",\"z\":\"ascii\"}",
    );
    a.verify(
        meta(
            "ENV-WIRE",
            &["REQ-CANON-1", "REQ-SIG-3"],
            &["Valid", "Utf16Sort"],
            "headers named U+E000 and U+10000: the base sorts by UTF-16 units",
        ),
        NOW,
        wire::in_order(&utf16.signed(secret)),
        Accept,
    );
    let escapes = ctx.env().with(
        "headers",
        r#"{"path":"a/b","del":"\u007f","tab":"\t","quote":"\"","nl":"\n"}"#,
    );
    let signed = escapes.signed(secret);
    a.verify(
        meta(
            "ENV-WIRE",
            &["REQ-CANON-3", "REQ-SIG-3"],
            &["Valid", "EscapeForm"],
            "header values with /, DEL, tab, quote and newline",
        ),
        NOW,
        wire::canonical(&signed),
        Accept,
    );
    a.verify(
        meta(
            "ENV-WIRE",
            &["REQ-CANON-3", "REQ-SIG-3"],
            &["Valid", "EscapeForm", "NonCanonicalWire"],
            "the same headers with \\/ and \\u007f on the wire",
        ),
        NOW,
        replace(
            &replace(
                &wire::canonical(
                    &escapes
                        .clone()
                        .with("nonce", &q(&ctx.nonce()))
                        .signed(secret),
                ),
                "a/b",
                b"a\\/b",
            ),
            "\x7f",
            b"\\u007f",
        ),
        Accept,
    );

    // REQ-ENV-1: the envelope is an object.
    for (text, comment) in [
        ("[]", "an array"),
        ("\"envelope\"", "a string"),
        ("1", "a number"),
        ("null", "null"),
        ("true", "true"),
    ] {
        a.verify(
            meta(
                "ENV-TYPE",
                &["REQ-ENV-1"],
                &["MemberTable"],
                format!("the envelope is {comment}"),
            ),
            NOW,
            text.as_bytes().to_vec(),
            M,
        );
    }
    let signed_array = format!("[{}]", String::from_utf8_lossy(&ctx.wire(&ctx.env())));
    a.verify(
        meta(
            "ENV-TYPE",
            &["REQ-ENV-1"],
            &["MemberTable"],
            "a valid envelope wrapped in an array",
        ),
        NOW,
        signed_array.into_bytes(),
        M,
    );

    // REQ-ENV-2: v.
    let unsupported = Expect::Reject("unsupported_version");
    member_cases(
        &mut a,
        ctx,
        "ENV-V",
        "REQ-ENV-2",
        "v",
        &[
            ("2", unsupported, "2"),
            ("0", unsupported, "0"),
            ("-1", unsupported, "-1"),
            (
                "100000000000000000000",
                unsupported,
                "an integer beyond 64 bits",
            ),
            ("1.0", M, "1.0 is not an integer literal"),
            ("1e0", M, "1e0 is not an integer literal"),
            ("10e-1", M, "10e-1"),
            ("-0", M, "-0"),
            ("\"1\"", M, "a string"),
            ("true", M, "true"),
            ("null", M, "null"),
            ("[1]", M, "an array"),
        ],
    );
    a.verify(
        meta("ENV-V", &["REQ-ENV-2"], &["Version"], "v absent"),
        NOW,
        ctx.wire(&ctx.env().without("v")),
        M,
    );

    // REQ-ENV-3: kind pattern (a valid pattern that is not allowed is kind_not_allowed).
    let not_allowed = Expect::Reject("kind_not_allowed");
    let longest_kind = format!("a{}", "b".repeat(MAX_KIND_BYTES - 1));
    let kind_over = format!("a{}", "b".repeat(MAX_KIND_BYTES));
    let longest_comment = format!("{MAX_KIND_BYTES} bytes matches the pattern");
    let over_comment = format!("{} bytes", MAX_KIND_BYTES + 1);
    let allowed = &ctx.config.allowed_kinds;
    let one_byte = ('a'..='z')
        .map(String::from)
        .find(|k| !allowed.contains(k))
        .unwrap_or_default();
    let classes = if allowed.iter().any(|k| k == "a-b_c.d9") {
        "a-b_c.d8"
    } else {
        "a-b_c.d9"
    };
    member_cases(
        &mut a,
        ctx,
        "ENV-KIND",
        "REQ-ENV-3",
        "kind",
        &[
            (&q(&longest_kind), not_allowed, &longest_comment),
            (&q(&kind_over), M, &over_comment),
            (&q(&one_byte), not_allowed, "1 byte matches the pattern"),
            (&q(classes), not_allowed, "every allowed character class"),
            ("\"\"", M, "empty"),
            ("\"1job\"", M, "a leading digit"),
            ("\".job\"", M, "a leading dot"),
            ("\"Job.run\"", M, "an uppercase letter"),
            ("\"job run\"", M, "a space"),
            ("\"job/run\"", M, "a solidus"),
            ("\"j\\u00f6b\"", M, "a non-ASCII letter"),
            ("\"job\\n\"", M, "a trailing newline"),
            ("1", M, "a number"),
            ("null", M, "null"),
            ("[\"job.run\"]", M, "an array"),
        ],
    );
    a.verify(
        meta("ENV-KIND", &["REQ-ENV-11"], &["MemberTable"], "kind absent"),
        NOW,
        ctx.wire(&ctx.env().without("kind")),
        M,
    );

    // REQ-ENV-4, REQ-PAYLOAD-*.
    let payload = ["REQ-PAYLOAD-1", "REQ-PAYLOAD-2"];
    for (json, expect, comment) in [
        ("\"QQ\"", Accept, "QQ: one byte, zero trailing bits"),
        ("\"QUI\"", Accept, "QUI: two bytes"),
        ("\"QUJD\"", Accept, "QUJD: three bytes"),
        ("\"_-8\"", Accept, "the URL-safe characters - and _"),
        ("\"QR\"", M, "QR: non-zero trailing bits"),
        ("\"QUJ\"", M, "QUJ: non-zero trailing bits"),
        ("\"Q\"", M, "a length of 1 mod 4"),
        ("\"QQ==\"", M, "padding"),
        ("\"QUI=\"", M, "one pad character"),
        ("\"+/8\"", M, "standard-alphabet + and /"),
        ("\"QU JD\"", M, "a space"),
        ("\"QUJD\\n\"", M, "a trailing newline"),
        ("\"QUJD.\"", M, "a dot"),
        ("\"\\u00c0\"", M, "a non-ASCII character"),
    ] {
        let env = ctx.env().with("payload", json);
        let flags: &[&str] = if matches!(expect, Expect::Accept) {
            &["Valid", "Base64"]
        } else {
            &["Base64"]
        };
        a.verify(
            meta("ENV-PAYLOAD", &payload, flags, format!("payload {comment}")),
            NOW,
            ctx.wire(&env),
            expect,
        );
    }
    member_cases(
        &mut a,
        ctx,
        "ENV-PAYLOAD",
        "REQ-ENV-4",
        "payload",
        &[
            ("1", M, "a number"),
            ("null", M, "null"),
            ("[\"QQ\"]", M, "an array"),
            ("{}", M, "an object"),
        ],
    );
    a.verify(
        meta(
            "ENV-PAYLOAD",
            &["REQ-ENV-11"],
            &["MemberTable"],
            "payload absent",
        ),
        NOW,
        ctx.wire(&ctx.env().without("payload")),
        M,
    );

    // REQ-ENV-5: ts.
    member_cases(
        &mut a,
        ctx,
        "ENV-TS",
        "REQ-ENV-5",
        "ts",
        &[
            ("9007199254740992", M, "2^53, one over the maximum"),
            ("-1", M, "negative"),
            ("-0", M, "-0"),
            ("1700000000.0", M, "a fraction"),
            ("1.7e9", M, "an exponent"),
            ("17e8", M, "an integer value with an exponent"),
            ("\"1700000000\"", M, "a string"),
            ("null", M, "null"),
            ("18446744073709551616", M, "2^64"),
        ],
    );
    a.verify(
        meta(
            "ENV-TS",
            &["REQ-ENV-5", "REQ-TTL-2"],
            &["MemberTable"],
            "ts 2^53-1 is well-formed (and from the future)",
        ),
        NOW,
        ctx.wire(&ctx.env_at(9_007_199_254_740_991)),
        Expect::Reject("from_future"),
    );
    a.verify(
        meta(
            "ENV-TS",
            &["REQ-ENV-5", "REQ-TTL-1"],
            &["MemberTable"],
            "ts 0 is well-formed (and expired)",
        ),
        NOW,
        ctx.wire(&ctx.env_at(0)),
        Expect::Reject("expired"),
    );
    a.verify(
        meta("ENV-TS", &["REQ-ENV-11"], &["MemberTable"], "ts absent"),
        NOW,
        ctx.wire(&ctx.env().without("ts")),
        M,
    );

    // REQ-ENV-6: nonce.
    let (min, max) = (MIN_NONCE_BYTES, MAX_NONCE_BYTES);
    let owned = [
        (q(&"A".repeat(min)), Accept, format!("{min} characters")),
        (q(&"z".repeat(max)), Accept, format!("{max} characters")),
        (
            q("Az09_-Az09_-Az09_-Az09"),
            Accept,
            "every allowed character class".into(),
        ),
        (
            q(&"A".repeat(min - 1)),
            M,
            format!("{} characters", min - 1),
        ),
        (
            q(&"z".repeat(max + 1)),
            M,
            format!("{} characters", max + 1),
        ),
        (
            q(&format!("{}+", "A".repeat(min - 1))),
            M,
            "a plus sign".into(),
        ),
        (
            q(&format!("{}=", "A".repeat(min))),
            M,
            "a pad character".into(),
        ),
        (
            q(&format!("{} ", "A".repeat(min))),
            M,
            "a trailing space".into(),
        ),
        (
            q(&format!("{}\\u00e9", "A".repeat(min - 1))),
            M,
            "a non-ASCII letter".into(),
        ),
        ("1234567890123456789012".into(), M, "a number".into()),
        ("null".into(), M, "null".into()),
    ];
    let cases = borrowed(&owned);
    member_cases(&mut a, ctx, "ENV-NONCE", "REQ-ENV-6", "nonce", &cases);
    a.verify(
        meta(
            "ENV-NONCE",
            &["REQ-ENV-11"],
            &["MemberTable"],
            "nonce absent",
        ),
        NOW,
        ctx.wire(&ctx.env().without("nonce")),
        M,
    );

    // REQ-ENV-7: target.
    let (longest, most) = (MAX_TARGET_BYTES, MAX_TARGETS);
    let t_longest = q(&"t".repeat(longest));
    let t_over = q(&"t".repeat(longest + 1));
    let list = |n: usize| format!("[{}]", vec!["\"t\""; n].join(","));
    let owned: Vec<(String, Expect, String)> = vec![
        ("null".into(), Accept, "null".into()),
        ("\"t\"".into(), Accept, "1 byte".into()),
        (t_longest.clone(), Accept, format!("{longest} bytes")),
        (t_over.clone(), M, format!("{} bytes", longest + 1)),
        (
            q(&"\u{e9}".repeat(longest / 2)),
            Accept,
            format!("{} two-byte characters: {longest} bytes", longest / 2),
        ),
        (
            q(&"\u{e9}".repeat(longest / 2 + 1)),
            M,
            format!(
                "{} two-byte characters: {} bytes",
                longest / 2 + 1,
                longest + 2
            ),
        ),
        ("\"\"".into(), M, "empty".into()),
        (list(1), Accept, "a list of 1".into()),
        (list(most), Accept, format!("a list of {most}")),
        (list(most + 1), M, format!("a list of {}", most + 1)),
        ("[]".into(), M, "an empty list".into()),
        ("[\"\"]".into(), M, "a list holding an empty string".into()),
        (
            format!("[\"t\",{t_over}]"),
            M,
            format!("a list holding {} bytes", longest + 1),
        ),
        ("[null]".into(), M, "a list holding null".into()),
        ("[[\"t\"]]".into(), M, "a nested list".into()),
        ("1".into(), M, "a number".into()),
        ("{}".into(), M, "an object".into()),
    ];
    member_cases(
        &mut a,
        ctx,
        "ENV-TARGET",
        "REQ-ENV-7",
        "target",
        &borrowed(&owned),
    );

    // REQ-ENV-8, REQ-ENV-9.
    let trace = MAX_TRACE_ID_BYTES;
    let owned: Vec<(String, Expect, String)> = vec![
        ("null".into(), Accept, "null".into()),
        ("\"\"".into(), Accept, "empty".into()),
        (q(&"x".repeat(trace)), Accept, format!("{trace} bytes")),
        (q(&"x".repeat(trace + 1)), M, format!("{} bytes", trace + 1)),
        (
            q(&"\u{e9}".repeat(trace / 2)),
            Accept,
            format!("{} two-byte characters", trace / 2),
        ),
        (
            q(&"\\u00e9".repeat(trace / 2 + 1)),
            M,
            format!(
                "{} escaped two-byte characters: {} bytes",
                trace / 2 + 1,
                trace + 2
            ),
        ),
        ("1".into(), M, "a number".into()),
        ("[\"x\"]".into(), M, "an array".into()),
    ];
    member_cases(
        &mut a,
        ctx,
        "ENV-TRACE-ID",
        "REQ-ENV-8",
        "trace_id",
        &borrowed(&owned),
    );
    let reply = MAX_REPLY_TO_BYTES;
    let owned: Vec<(String, Expect, String)> = vec![
        ("null".into(), Accept, "null".into()),
        ("\"\"".into(), Accept, "empty".into()),
        (q(&"t".repeat(reply)), Accept, format!("{reply} bytes")),
        (q(&"t".repeat(reply + 1)), M, format!("{} bytes", reply + 1)),
        (
            q(&"\u{20ac}".repeat(reply / 3 + 1)),
            M,
            format!(
                "{} three-byte characters: {} bytes",
                reply / 3 + 1,
                (reply / 3 + 1) * 3
            ),
        ),
        ("false".into(), M, "false".into()),
        ("{}".into(), M, "an object".into()),
    ];
    member_cases(
        &mut a,
        ctx,
        "ENV-REPLY-TO",
        "REQ-ENV-9",
        "reply_to",
        &borrowed(&owned),
    );

    // REQ-ENV-10: headers.
    let headers = |n: usize| {
        format!(
            "{{{}}}",
            (0..n)
                .map(|i| format!("\"h{i:02}\":\"v\""))
                .collect::<Vec<_>>()
                .join(",")
        )
    };
    let (most, name, value) = (MAX_HEADERS, MAX_HEADER_NAME_BYTES, MAX_HEADER_VALUE_BYTES);
    let named = |n: &str| format!("{{{}:\"v\"}}", q(n));
    let valued = |v: &str| format!("{{\"n\":{}}}", q(v));
    let owned: Vec<(String, Expect, String)> = vec![
        ("{}".into(), Accept, "empty".into()),
        (headers(most), Accept, format!("{most} members")),
        (headers(most + 1), M, format!("{} members", most + 1)),
        (
            named(&"n".repeat(name)),
            Accept,
            format!("a name of {name} bytes"),
        ),
        (
            named(&"n".repeat(name + 1)),
            M,
            format!("a name of {} bytes", name + 1),
        ),
        (
            named(&"\\u00e9".repeat(name / 2)),
            Accept,
            format!(
                "a name of {} escaped two-byte characters: {name} bytes",
                name / 2
            ),
        ),
        (
            named(&"\\u00e9".repeat(name / 2 + 1)),
            M,
            format!(
                "a name of {} escaped two-byte characters: {} bytes",
                name / 2 + 1,
                name + 2
            ),
        ),
        ("{\"\":\"v\"}".into(), M, "an empty name".into()),
        (
            valued(&"v".repeat(value)),
            Accept,
            format!("a value of {value} bytes"),
        ),
        (
            valued(&"v".repeat(value + 1)),
            M,
            format!("a value of {} bytes", value + 1),
        ),
        ("{\"n\":\"\"}".into(), Accept, "an empty value".into()),
        ("{\"n\":1}".into(), M, "a number value".into()),
        ("{\"n\":null}".into(), M, "a null value".into()),
        ("{\"n\":[\"v\"]}".into(), M, "an array value".into()),
        ("{\"n\":{}}".into(), M, "an object value".into()),
        ("null".into(), M, "null".into()),
        ("[]".into(), M, "an array".into()),
        ("\"h\"".into(), M, "a string".into()),
    ];
    member_cases(
        &mut a,
        ctx,
        "ENV-HEADERS",
        "REQ-ENV-10",
        "headers",
        &borrowed(&owned),
    );

    // REQ-ENV-11: unknown members.
    for (name, comment) in [
        ("Kind", "Kind (case differs)"),
        ("extra", "an unknown member"),
        ("SIG", "SIG (case differs)"),
        ("payload_b64", "payload_b64"),
        ("", "an empty name"),
    ] {
        let env = ctx.env().with(name, "\"x\"");
        a.verify(
            meta(
                "ENV-MEMBERS",
                &["REQ-ENV-11"],
                &["MemberTable"],
                format!("a signed member {comment}"),
            ),
            NOW,
            ctx.wire(&env),
            M,
        );
    }

    // REQ-ENV-12: absent and null are different signed content.
    for name in ["target", "trace_id", "reply_to"] {
        let signed_absent = ctx.env();
        let wire_null = wire::canonical(
            &signed_absent
                .clone()
                .set(name, Value::Null)
                .with_sig(Value::String(signed_absent.sig(secret))),
        );
        a.verify(
            meta(
                "ENV-NULL",
                &["REQ-ENV-12", "REQ-SIG-4"],
                &["AbsentVsNull"],
                format!("signed without {name}, sent with {name}: null"),
            ),
            NOW,
            wire_null,
            Expect::Reject("bad_signature"),
        );
        let signed_null = ctx.env().with(name, "null");
        let wire_absent = wire::canonical(
            &signed_null
                .clone()
                .without(name)
                .with_sig(Value::String(signed_null.sig(secret))),
        );
        a.verify(
            meta(
                "ENV-NULL",
                &["REQ-ENV-12", "REQ-SIG-4"],
                &["AbsentVsNull"],
                format!("signed with {name}: null, sent without it"),
            ),
            NOW,
            wire_absent,
            Expect::Reject("bad_signature"),
        );
    }
    let signed_empty = ctx.env().with("headers", "{}");
    let without = wire::canonical(
        &signed_empty
            .clone()
            .without("headers")
            .with_sig(Value::String(signed_empty.sig(secret))),
    );
    a.verify(
        meta(
            "ENV-NULL",
            &["REQ-ENV-12", "REQ-SIG-4"],
            &["AbsentVsNull"],
            "signed with headers: {}, sent without headers",
        ),
        NOW,
        without,
        Expect::Reject("bad_signature"),
    );

    // Strict JSON inside an envelope (§2): the faults a lenient parser lets through.
    let good = ctx.wire(&ctx.env());
    let kind = ctx.kind().to_owned();
    let other_kind = ctx
        .config
        .allowed_kinds
        .get(1)
        .cloned()
        .unwrap_or_else(|| kind.clone());
    let dup = ["REQ-JSON-4"];
    a.verify(
        meta(
            "JSON-DUP",
            &dup,
            &["DuplicateKey"],
            "kind twice with the same value",
        ),
        NOW,
        after_brace(&good, &format!("\"kind\":\"{kind}\",")),
        M,
    );
    a.verify(
        meta(
            "JSON-DUP",
            &dup,
            &["DuplicateKey"],
            "kind twice, the first another allowed kind",
        ),
        NOW,
        after_brace(&good, &format!("\"kind\":\"{other_kind}\",")),
        M,
    );
    a.verify(
        meta(
            "JSON-DUP",
            &dup,
            &["DuplicateKey"],
            "kind twice, once escaped as \\u006bind",
        ),
        NOW,
        after_brace(&good, &format!("\"\\u006bind\":\"{other_kind}\",")),
        M,
    );
    let sig = wire::json(&String::from_utf8_lossy(&good))
        .get("sig")
        .and_then(|s| s.as_str())
        .unwrap_or_default()
        .to_owned();
    a.verify(
        meta(
            "JSON-DUP",
            &dup,
            &["DuplicateKey"],
            "sig twice, the first a wrong one",
        ),
        NOW,
        after_brace(&good, &format!("\"sig\":\"{}\",", "0".repeat(64))),
        M,
    );
    a.verify(
        meta("JSON-DUP", &dup, &["DuplicateKey"], "sig twice, both right"),
        NOW,
        after_brace(&good, &format!("\"sig\":\"{sig}\",")),
        M,
    );
    let hdr = ctx.env().with("headers", r#"{"a":"1"}"#);
    a.verify(
        meta(
            "JSON-DUP",
            &dup,
            &["DuplicateKey"],
            "a duplicate header name",
        ),
        NOW,
        replace(
            &ctx.wire(&hdr),
            "{\"a\":\"1\"}",
            b"{\"a\":\"1\",\"a\":\"2\"}",
        ),
        M,
    );
    let tr = ctx.env().with("trace_id", "\"x\"");
    a.verify(
        meta(
            "JSON-SURROGATE",
            &["REQ-JSON-5"],
            &["LoneSurrogate"],
            "trace_id holding a lone surrogate",
        ),
        NOW,
        replace(
            &ctx.wire(&tr),
            "\"trace_id\":\"x\"",
            b"\"trace_id\":\"\\ud800\"",
        ),
        M,
    );
    a.verify(
        meta(
            "JSON-UTF8",
            &["REQ-JSON-1"],
            &["InvalidUtf8"],
            "trace_id holding an overlong encoding",
        ),
        NOW,
        replace(
            &ctx.wire(&tr),
            "\"trace_id\":\"x\"",
            b"\"trace_id\":\"\xc0\xb8\"",
        ),
        M,
    );
    a.verify(
        meta(
            "JSON-UTF8",
            &["REQ-JSON-1"],
            &["InvalidUtf8"],
            "trace_id holding an encoded surrogate",
        ),
        NOW,
        replace(
            &ctx.wire(&tr),
            "\"trace_id\":\"x\"",
            b"\"trace_id\":\"\xed\xa0\x80\"",
        ),
        M,
    );
    a.verify(
        meta(
            "JSON-UTF8",
            &["REQ-JSON-2"],
            &["InvalidUtf8"],
            "a byte order mark before a valid envelope",
        ),
        NOW,
        [b"\xef\xbb\xbf".as_slice(), &good].concat(),
        M,
    );
    a.verify(
        meta(
            "JSON-GRAMMAR",
            &["REQ-JSON-8"],
            &["JsonGrammar"],
            "trace_id holding a raw control character",
        ),
        NOW,
        replace(
            &ctx.wire(&tr),
            "\"trace_id\":\"x\"",
            b"\"trace_id\":\"\x01\"",
        ),
        M,
    );
    for (tail, comment) in [
        (&b"{}"[..], "a second object"),
        (b"\x00", "a NUL"),
        (b",", "a comma"),
        (b"\n\n{", "an unterminated second value"),
    ] {
        a.verify(
            meta(
                "JSON-GRAMMAR",
                &["REQ-JSON-3"],
                &["JsonGrammar"],
                format!("a valid envelope followed by {comment}"),
            ),
            NOW,
            [good.as_slice(), tail].concat(),
            M,
        );
    }
    a.verify(
        meta(
            "JSON-GRAMMAR",
            &["REQ-JSON-8"],
            &["JsonGrammar"],
            "a trailing comma inside the envelope",
        ),
        NOW,
        replace(&good, "}", b",}"),
        M,
    );
    a.verify(
        meta(
            "JSON-GRAMMAR",
            &["REQ-JSON-3"],
            &["JsonGrammar"],
            "an empty envelope text",
        ),
        NOW,
        Vec::new(),
        M,
    );
    a.verify(
        meta(
            "JSON-NUMBER",
            &["REQ-JSON-6"],
            &["NumberForm"],
            "ts with a leading zero",
        ),
        NOW,
        replace(
            &good,
            &format!("\"ts\":{NOW}"),
            format!("\"ts\":0{NOW}").as_bytes(),
        ),
        M,
    );
    a.verify(
        meta(
            "JSON-DEPTH",
            &["REQ-JSON-7"],
            &["DepthLimit"],
            "a header value nested 70 deep",
        ),
        NOW,
        replace(
            &ctx.wire(&hdr),
            "{\"a\":\"1\"}",
            format!("{{\"a\":{}1{}}}", "[".repeat(70), "]".repeat(70)).as_bytes(),
        ),
        M,
    );
    a
}
