//! `envelope.json`: the member table (§4), the payload encoding (§5), strict JSON inside an
//! envelope (§2), absent versus null, and valid envelopes in non-canonical wire forms.

use crate::suite::{meta, Area, Expect, Expect::Accept};
use crate::wire;
use crate::{Ctx, NOW};
use sipc_reference::envelope::{
    encode_payload, max_encoded_payload, MAX_HEADERS, MAX_HEADER_NAME_BYTES,
    MAX_HEADER_VALUE_BYTES, MAX_KIND_BYTES, MAX_NONCE_BYTES, MAX_REPLY_TO_BYTES, MAX_TARGETS,
    MAX_TARGET_BYTES, MAX_TRACE_ID_BYTES, MIN_NONCE_BYTES,
};
use sipc_reference::json::Value;

const MALFORMED: Expect = Expect::Reject("malformed");
/// The payload sweep covers every decoded length up to this (encoded lengths 0 to 16).
const PAYLOAD_SWEEP_BYTES: usize = 12;

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

fn quoted(s: &str) -> String {
    format!("\"{s}\"")
}

pub fn area(ctx: &Ctx) -> Area {
    let mut a = Area::new("envelope");
    a.verify_group(&ctx.config);
    valid_envelopes(&mut a, ctx);
    let full = optional_members_echoed(&mut a, ctx);
    non_canonical_wire_forms(&mut a, ctx, &full);
    not_an_object(&mut a, ctx);
    version(&mut a, ctx);
    kind_pattern(&mut a, ctx);
    payload_encoding(&mut a, ctx);
    timestamp(&mut a, ctx);
    nonce(&mut a, ctx);
    target(&mut a, ctx);
    trace_id_and_reply_to(&mut a, ctx);
    headers(&mut a, ctx);
    unknown_members(&mut a, ctx);
    absent_versus_null(&mut a, ctx);
    strict_json(&mut a, ctx);
    a
}

/// SEC-IPC-01: a valid envelope is accepted, each allowed kind, the empty payload.
fn valid_envelopes(a: &mut Area, ctx: &Ctx) {
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
}

/// SEC-IPC-01b: every optional member is echoed exactly as signed; returns that envelope.
fn optional_members_echoed(a: &mut Area, ctx: &Ctx) -> wire::Env {
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
        let env = ctx.env().with_str("payload", &encode_payload(&all_bytes));
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
    full
}

/// ENV-WIRE: valid envelopes in non-canonical wire forms (REQ-SIG-3): the MAC is over the canonical form.
fn non_canonical_wire_forms(a: &mut Area, ctx: &Ctx, full: &wire::Env) {
    let secret = ctx.secret();
    // Non-canonical wire forms of valid envelopes (REQ-SIG-3).
    let wire_req = ["REQ-SIG-3", "REQ-CANON-1"];
    let wf = ["Valid", "NonCanonicalWire"];
    for (env, what) in [
        (ctx.env(), "the minimal envelope"),
        (
            full.clone().with("nonce", &quoted(&ctx.nonce())),
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
        let signed = env
            .clone()
            .with("nonce", &quoted(&ctx.nonce()))
            .signed(secret);
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
        let signed = env
            .clone()
            .with("nonce", &quoted(&ctx.nonce()))
            .signed(secret);
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
        let signed = env
            .clone()
            .with("nonce", &quoted(&ctx.nonce()))
            .signed(secret);
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
                        .with("nonce", &quoted(&ctx.nonce()))
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
}

/// REQ-ENV-1: the envelope is an object.
fn not_an_object(a: &mut Area, ctx: &Ctx) {
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
            MALFORMED,
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
        MALFORMED,
    );
}

/// REQ-ENV-2: `v`.
fn version(a: &mut Area, ctx: &Ctx) {
    // REQ-ENV-2: v.
    let unsupported = Expect::Reject("unsupported_version");
    member_cases(
        a,
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
            ("1.0", MALFORMED, "1.0 is not an integer literal"),
            ("1e0", MALFORMED, "1e0 is not an integer literal"),
            ("10e-1", MALFORMED, "10e-1"),
            ("-0", MALFORMED, "-0"),
            ("\"1\"", MALFORMED, "a string"),
            ("true", MALFORMED, "true"),
            ("null", MALFORMED, "null"),
            ("[1]", MALFORMED, "an array"),
        ],
    );
    a.verify(
        meta("ENV-V", &["REQ-ENV-2"], &["Version"], "v absent"),
        NOW,
        ctx.wire(&ctx.env().without("v")),
        MALFORMED,
    );
}

/// REQ-ENV-3: the kind pattern.
fn kind_pattern(a: &mut Area, ctx: &Ctx) {
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
        a,
        ctx,
        "ENV-KIND",
        "REQ-ENV-3",
        "kind",
        &[
            (&quoted(&longest_kind), not_allowed, &longest_comment),
            (&quoted(&kind_over), MALFORMED, &over_comment),
            (
                &quoted(&one_byte),
                not_allowed,
                "1 byte matches the pattern",
            ),
            (
                &quoted(classes),
                not_allowed,
                "every allowed character class",
            ),
            ("\"\"", MALFORMED, "empty"),
            ("\"1job\"", MALFORMED, "a leading digit"),
            ("\".job\"", MALFORMED, "a leading dot"),
            ("\"Job.run\"", MALFORMED, "an uppercase letter"),
            ("\"job run\"", MALFORMED, "a space"),
            ("\"job/run\"", MALFORMED, "a solidus"),
            ("\"j\\u00f6b\"", MALFORMED, "a non-ASCII letter"),
            ("\"job\\n\"", MALFORMED, "a trailing newline"),
            ("1", MALFORMED, "a number"),
            ("null", MALFORMED, "null"),
            ("[\"job.run\"]", MALFORMED, "an array"),
        ],
    );
    a.verify(
        meta("ENV-KIND", &["REQ-ENV-11"], &["MemberTable"], "kind absent"),
        NOW,
        ctx.wire(&ctx.env().without("kind")),
        MALFORMED,
    );
}

/// REQ-ENV-4, REQ-PAYLOAD-*: the payload string and its encoding.
fn payload_encoding(a: &mut Area, ctx: &Ctx) {
    // REQ-ENV-4, REQ-PAYLOAD-*.
    let payload = ["REQ-PAYLOAD-1", "REQ-PAYLOAD-2"];
    for (json, expect, comment) in [
        ("\"QQ\"", Accept, "QQ: one byte, zero trailing bits"),
        ("\"QUI\"", Accept, "QUI: two bytes"),
        ("\"QUJD\"", Accept, "QUJD: three bytes"),
        ("\"_-8\"", Accept, "the URL-safe characters - and _"),
        ("\"QR\"", MALFORMED, "QR: non-zero trailing bits"),
        ("\"QUJ\"", MALFORMED, "QUJ: non-zero trailing bits"),
        ("\"Q\"", MALFORMED, "a length of 1 mod 4"),
        ("\"QQ==\"", MALFORMED, "padding"),
        ("\"QUI=\"", MALFORMED, "one pad character"),
        ("\"+/8\"", MALFORMED, "standard-alphabet + and /"),
        ("\"QU JD\"", MALFORMED, "a space"),
        ("\"QUJD\\n\"", MALFORMED, "a trailing newline"),
        ("\"QUJD.\"", MALFORMED, "a dot"),
        ("\"\\u00c0\"", MALFORMED, "a non-ASCII character"),
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
    // Every encoded length from 0 to 16 characters: each residue mod 4 (and mod 3 and 5 of the
    // padding and block arithmetic an implementation may get wrong), valid ones accepted, the
    // lengths of 1 mod 4 refused.
    let max_payload = ctx.config.max_payload_bytes;
    for bytes in 0..=PAYLOAD_SWEEP_BYTES {
        if bytes as u64 > max_payload {
            break;
        }
        let data: Vec<u8> = (0..bytes).map(|i| 0x41 + i as u8).collect();
        let text = encode_payload(&data);
        a.verify(
            meta(
                "ENV-PAYLOAD",
                &payload,
                &["Valid", "Base64"],
                format!("payload of {bytes} bytes: {} characters", text.len()),
            ),
            NOW,
            ctx.wire(&ctx.env().with_str("payload", &text)),
            Accept,
        );
    }
    for chars in (5..=PAYLOAD_SWEEP_BYTES + 4).step_by(4) {
        if chars as u64 > max_encoded_payload(max_payload) {
            break;
        }
        let text: String = "QUJDRUZHSElKS0xN".chars().take(chars).collect();
        a.verify(
            meta(
                "ENV-PAYLOAD",
                &payload,
                &["Base64"],
                format!("payload of {chars} characters (1 mod 4): no byte string encodes to it"),
            ),
            NOW,
            ctx.wire(&ctx.env().with_str("payload", &text)),
            MALFORMED,
        );
    }
    member_cases(
        a,
        ctx,
        "ENV-PAYLOAD",
        "REQ-ENV-4",
        "payload",
        &[
            ("1", MALFORMED, "a number"),
            ("null", MALFORMED, "null"),
            ("[\"QQ\"]", MALFORMED, "an array"),
            ("{}", MALFORMED, "an object"),
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
        MALFORMED,
    );
}

/// REQ-ENV-5: `ts`.
fn timestamp(a: &mut Area, ctx: &Ctx) {
    // REQ-ENV-5: ts.
    member_cases(
        a,
        ctx,
        "ENV-TS",
        "REQ-ENV-5",
        "ts",
        &[
            ("9007199254740992", MALFORMED, "2^53, one over the maximum"),
            ("-1", MALFORMED, "negative"),
            ("-0", MALFORMED, "-0"),
            ("1700000000.0", MALFORMED, "a fraction"),
            ("1.7e9", MALFORMED, "an exponent"),
            ("17e8", MALFORMED, "an integer value with an exponent"),
            ("\"1700000000\"", MALFORMED, "a string"),
            ("null", MALFORMED, "null"),
            ("18446744073709551616", MALFORMED, "2^64"),
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
        MALFORMED,
    );
}

/// REQ-ENV-6: `nonce`.
fn nonce(a: &mut Area, ctx: &Ctx) {
    // REQ-ENV-6: nonce.
    let (min, max) = (MIN_NONCE_BYTES, MAX_NONCE_BYTES);
    let owned = [
        (
            quoted(&"A".repeat(min)),
            Accept,
            format!("{min} characters"),
        ),
        (
            quoted(&"z".repeat(max)),
            Accept,
            format!("{max} characters"),
        ),
        (
            quoted("Az09_-Az09_-Az09_-Az09"),
            Accept,
            "every allowed character class".into(),
        ),
        (
            quoted(&"A".repeat(min - 1)),
            MALFORMED,
            format!("{} characters", min - 1),
        ),
        (
            quoted(&"z".repeat(max + 1)),
            MALFORMED,
            format!("{} characters", max + 1),
        ),
        (
            quoted(&format!("{}+", "A".repeat(min - 1))),
            MALFORMED,
            "a plus sign".into(),
        ),
        (
            quoted(&format!("{}=", "A".repeat(min))),
            MALFORMED,
            "a pad character".into(),
        ),
        (
            quoted(&format!("{} ", "A".repeat(min))),
            MALFORMED,
            "a trailing space".into(),
        ),
        (
            quoted(&format!("{}\\u00e9", "A".repeat(min - 1))),
            MALFORMED,
            "a non-ASCII letter".into(),
        ),
        (
            "1234567890123456789012".into(),
            MALFORMED,
            "a number".into(),
        ),
        ("null".into(), MALFORMED, "null".into()),
    ];
    let cases = borrowed(&owned);
    member_cases(a, ctx, "ENV-NONCE", "REQ-ENV-6", "nonce", &cases);
    a.verify(
        meta(
            "ENV-NONCE",
            &["REQ-ENV-11"],
            &["MemberTable"],
            "nonce absent",
        ),
        NOW,
        ctx.wire(&ctx.env().without("nonce")),
        MALFORMED,
    );
}

/// REQ-ENV-7: `target`.
fn target(a: &mut Area, ctx: &Ctx) {
    // REQ-ENV-7: target.
    let (longest, most) = (MAX_TARGET_BYTES, MAX_TARGETS);
    let t_longest = quoted(&"t".repeat(longest));
    let t_over = quoted(&"t".repeat(longest + 1));
    let list = |n: usize| format!("[{}]", vec!["\"t\""; n].join(","));
    let owned: Vec<(String, Expect, String)> = vec![
        ("null".into(), Accept, "null".into()),
        ("\"t\"".into(), Accept, "1 byte".into()),
        (t_longest.clone(), Accept, format!("{longest} bytes")),
        (t_over.clone(), MALFORMED, format!("{} bytes", longest + 1)),
        (
            quoted(&"\u{e9}".repeat(longest / 2)),
            Accept,
            format!("{} two-byte characters: {longest} bytes", longest / 2),
        ),
        (
            quoted(&"\u{e9}".repeat(longest / 2 + 1)),
            MALFORMED,
            format!(
                "{} two-byte characters: {} bytes",
                longest / 2 + 1,
                longest + 2
            ),
        ),
        ("\"\"".into(), MALFORMED, "empty".into()),
        (list(1), Accept, "a list of 1".into()),
        (list(most), Accept, format!("a list of {most}")),
        (list(most + 1), MALFORMED, format!("a list of {}", most + 1)),
        ("[]".into(), MALFORMED, "an empty list".into()),
        (
            "[\"\"]".into(),
            MALFORMED,
            "a list holding an empty string".into(),
        ),
        (
            format!("[\"t\",{t_over}]"),
            MALFORMED,
            format!("a list holding {} bytes", longest + 1),
        ),
        ("[null]".into(), MALFORMED, "a list holding null".into()),
        ("[[\"t\"]]".into(), MALFORMED, "a nested list".into()),
        ("1".into(), MALFORMED, "a number".into()),
        ("{}".into(), MALFORMED, "an object".into()),
    ];
    member_cases(
        a,
        ctx,
        "ENV-TARGET",
        "REQ-ENV-7",
        "target",
        &borrowed(&owned),
    );
}

/// REQ-ENV-8, REQ-ENV-9: `trace_id` and `reply_to`.
fn trace_id_and_reply_to(a: &mut Area, ctx: &Ctx) {
    // REQ-ENV-8, REQ-ENV-9.
    let trace = MAX_TRACE_ID_BYTES;
    let owned: Vec<(String, Expect, String)> = vec![
        ("null".into(), Accept, "null".into()),
        ("\"\"".into(), Accept, "empty".into()),
        (quoted(&"x".repeat(trace)), Accept, format!("{trace} bytes")),
        (
            quoted(&"x".repeat(trace + 1)),
            MALFORMED,
            format!("{} bytes", trace + 1),
        ),
        (
            quoted(&"\u{e9}".repeat(trace / 2)),
            Accept,
            format!("{} two-byte characters", trace / 2),
        ),
        (
            quoted(&"\\u00e9".repeat(trace / 2 + 1)),
            MALFORMED,
            format!(
                "{} escaped two-byte characters: {} bytes",
                trace / 2 + 1,
                trace + 2
            ),
        ),
        ("1".into(), MALFORMED, "a number".into()),
        ("[\"x\"]".into(), MALFORMED, "an array".into()),
    ];
    member_cases(
        a,
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
        (quoted(&"t".repeat(reply)), Accept, format!("{reply} bytes")),
        (
            quoted(&"t".repeat(reply + 1)),
            MALFORMED,
            format!("{} bytes", reply + 1),
        ),
        (
            quoted(&"\u{20ac}".repeat(reply / 3 + 1)),
            MALFORMED,
            format!(
                "{} three-byte characters: {} bytes",
                reply / 3 + 1,
                (reply / 3 + 1) * 3
            ),
        ),
        ("false".into(), MALFORMED, "false".into()),
        ("{}".into(), MALFORMED, "an object".into()),
    ];
    member_cases(
        a,
        ctx,
        "ENV-REPLY-TO",
        "REQ-ENV-9",
        "reply_to",
        &borrowed(&owned),
    );
}

/// REQ-ENV-10: `headers`.
fn headers(a: &mut Area, ctx: &Ctx) {
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
    let named = |n: &str| format!("{{{}:\"v\"}}", quoted(n));
    let valued = |v: &str| format!("{{\"n\":{}}}", quoted(v));
    let owned: Vec<(String, Expect, String)> = vec![
        ("{}".into(), Accept, "empty".into()),
        (headers(most), Accept, format!("{most} members")),
        (
            headers(most + 1),
            MALFORMED,
            format!("{} members", most + 1),
        ),
        (
            named(&"n".repeat(name)),
            Accept,
            format!("a name of {name} bytes"),
        ),
        (
            named(&"n".repeat(name + 1)),
            MALFORMED,
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
            MALFORMED,
            format!(
                "a name of {} escaped two-byte characters: {} bytes",
                name / 2 + 1,
                name + 2
            ),
        ),
        ("{\"\":\"v\"}".into(), MALFORMED, "an empty name".into()),
        (
            valued(&"v".repeat(value)),
            Accept,
            format!("a value of {value} bytes"),
        ),
        (
            valued(&"v".repeat(value + 1)),
            MALFORMED,
            format!("a value of {} bytes", value + 1),
        ),
        ("{\"n\":\"\"}".into(), Accept, "an empty value".into()),
        ("{\"n\":1}".into(), MALFORMED, "a number value".into()),
        ("{\"n\":null}".into(), MALFORMED, "a null value".into()),
        ("{\"n\":[\"v\"]}".into(), MALFORMED, "an array value".into()),
        ("{\"n\":{}}".into(), MALFORMED, "an object value".into()),
        ("null".into(), MALFORMED, "null".into()),
        ("[]".into(), MALFORMED, "an array".into()),
        ("\"h\"".into(), MALFORMED, "a string".into()),
    ];
    member_cases(
        a,
        ctx,
        "ENV-HEADERS",
        "REQ-ENV-10",
        "headers",
        &borrowed(&owned),
    );
}

/// REQ-ENV-11: unknown and missing members.
fn unknown_members(a: &mut Area, ctx: &Ctx) {
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
            MALFORMED,
        );
    }
}

/// REQ-ENV-12: absent and null are different signed content.
fn absent_versus_null(a: &mut Area, ctx: &Ctx) {
    let secret = ctx.secret();
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
}

/// §2 inside an envelope: the faults a lenient parser lets through.
fn strict_json(a: &mut Area, ctx: &Ctx) {
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
        MALFORMED,
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
        MALFORMED,
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
        MALFORMED,
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
        MALFORMED,
    );
    a.verify(
        meta("JSON-DUP", &dup, &["DuplicateKey"], "sig twice, both right"),
        NOW,
        after_brace(&good, &format!("\"sig\":\"{sig}\",")),
        MALFORMED,
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
        MALFORMED,
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
        MALFORMED,
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
        MALFORMED,
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
        MALFORMED,
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
        MALFORMED,
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
        MALFORMED,
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
            MALFORMED,
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
        MALFORMED,
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
        MALFORMED,
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
        MALFORMED,
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
        MALFORMED,
    );
}
