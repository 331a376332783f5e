//! `size.json`: the raw envelope limit and the payload limits (REQ-SIZE-*), exactly at and one
//! over each, and the order of the size checks.

use crate::suite::{meta, Area, Expect, Expect::Accept};
use crate::{Ctx, NOW};
use sipc_reference::envelope::{
    encode_payload, max_encoded_payload, MAX_HEADERS, MAX_HEADER_VALUE_BYTES,
};
use sipc_reference::Config;

const OVERSIZE: Expect = Expect::Reject("oversize");
/// Vectors whose envelope would be larger than this are left out (a huge user limit).
const LARGEST_VECTOR: u64 = 1 << 20;

pub fn area(ctx: &Ctx) -> Area {
    let mut a = Area::new("size");
    a.verify_group(&ctx.config);
    let max_payload = ctx.config.max_payload_bytes;
    let limit = ctx.config.envelope_limit();
    let max_encoded = max_encoded_payload(max_payload);
    let fits = |wire: &[u8]| (wire.len() as u64) <= limit.min(LARGEST_VECTOR);
    let frame = ["REQ-SIZE-1", "REQ-VERIFY-1"];
    let pay3 = ["REQ-SIZE-3"];

    // The decoded payload limit (REQ-SIZE-3).
    let at = usize::try_from(max_payload).unwrap_or(usize::MAX);
    let payload_cases: Vec<(Vec<u8>, Expect, &[&str], String)> = vec![
        (
            vec![0x5a; at],
            Accept,
            &["Valid", "Oversize"],
            format!("a payload of exactly max_payload_bytes ({max_payload})"),
        ),
        (
            vec![0x5a; at.saturating_sub(1)],
            Accept,
            &["Valid", "Oversize"],
            "a payload one byte under the limit".into(),
        ),
        (
            vec![0x5a; at.saturating_add(1)],
            OVERSIZE,
            &["Oversize"],
            "a payload one byte over the limit".into(),
        ),
        (
            vec![0x5a; at.saturating_add(2)],
            OVERSIZE,
            &["Oversize"],
            "a payload two bytes over the limit".into(),
        ),
    ];
    for (payload, expect, flags, comment) in payload_cases {
        if (payload.len() as u64) > LARGEST_VECTOR {
            continue;
        }
        let env = ctx.env().with_str("payload", &encode_payload(&payload));
        let wire = ctx.wire(&env);
        if fits(&wire) {
            a.verify(meta("SEC-IPC-05", &pay3, flags, comment), NOW, wire, expect);
        }
    }
    encoded_limit_cases(ctx, &mut a, &ctx.config);
    // The raw envelope limit (REQ-SIZE-1), before parsing.
    let base = ctx.wire(&ctx.env());
    if limit <= LARGEST_VECTOR && (base.len() as u64) < limit {
        a.verify(
            meta(
                "SEC-IPC-05",
                &frame,
                &["Valid", "Oversize"],
                format!(
                    "a valid envelope padded with spaces to exactly max_envelope_bytes ({limit})"
                ),
            ),
            NOW,
            padded(&base, limit),
            Accept,
        );
        a.verify(
            meta(
                "SEC-IPC-05",
                &frame,
                &["Oversize"],
                "a valid envelope padded to max_envelope_bytes + 1",
            ),
            NOW,
            padded(&ctx.wire(&ctx.env()), limit + 1),
            OVERSIZE,
        );
        let n = usize::try_from(limit + 1).unwrap_or(0);
        a.verify(
            meta(
                "SEC-IPC-05",
                &frame,
                &["Oversize", "SizeBeforeDecode"],
                "max_envelope_bytes + 1 bytes that are not JSON: oversize before parsing",
            ),
            NOW,
            vec![b'x'; n],
            OVERSIZE,
        );
        a.verify(
            meta(
                "SEC-IPC-05",
                &frame,
                &["Oversize", "DepthLimit"],
                "max_envelope_bytes + 1 opening brackets: oversize before parsing",
            ),
            NOW,
            vec![b'['; n],
            OVERSIZE,
        );
        a.verify(
            meta(
                "SEC-IPC-05",
                &frame,
                &["Oversize"],
                "max_envelope_bytes + 1 bytes of invalid UTF-8",
            ),
            NOW,
            vec![0xff; n],
            OVERSIZE,
        );
        // The limit counts bytes: an envelope of at most `limit` characters, holding two-byte
        // ones, and otherwise valid, is over.
        let mut headers = Vec::new();
        while headers.len() < MAX_HEADERS {
            headers.push(format!(
                "\"h{}\":\"{}\"",
                headers.len(),
                "\u{e9}".repeat(MAX_HEADER_VALUE_BYTES / 2)
            ));
            let env = ctx
                .env()
                .with("headers", &format!("{{{}}}", headers.join(",")));
            let w = ctx.wire(&env);
            if (w.len() as u64) > limit {
                let chars = String::from_utf8_lossy(&w).chars().count();
                if chars as u64 <= limit {
                    a.verify(
                        meta(
                            "SEC-IPC-05",
                            &frame,
                            &["Oversize"],
                            format!(
                                "{chars} characters but {} bytes: the limit counts bytes",
                                w.len()
                            ),
                        ),
                        NOW,
                        w,
                        OVERSIZE,
                    );
                }
                break;
            }
        }
        let pad_value = "p".repeat(usize::try_from(limit).unwrap_or(0));
        let big = ctx
            .env()
            .with_str("trace_id", &pad_value[..pad_value.len().min(100)])
            .with(
                "headers",
                &format!(
                    "{{\"pad\":\"{}\"}}",
                    &pad_value[..pad_value.len().min(MAX_HEADER_VALUE_BYTES)]
                ),
            );
        let big_wire = ctx.wire(&big);
        if (big_wire.len() as u64) > limit {
            a.verify(
                meta(
                    "SIZE-FRAME",
                    &frame,
                    &["Oversize"],
                    "a validly signed envelope over max_envelope_bytes",
                ),
                NOW,
                big_wire,
                OVERSIZE,
            );
        }
    }
    let order = ["REQ-VERIFY-1", "REQ-SIZE-2"];
    let enc = usize::try_from(max_encoded).unwrap_or(usize::MAX);
    let env = ctx
        .env()
        .with_str("kind", ctx.disallowed_kind())
        .with_str("payload", &"A".repeat(enc + 4));
    let wire = ctx.wire(&env);
    if fits(&wire) {
        a.verify(
            meta(
                "SIZE-ORDER",
                &order,
                &["VerifyOrder"],
                "an oversize payload of a kind not allowed: kind_not_allowed first",
            ),
            NOW,
            wire,
            Expect::Reject("kind_not_allowed"),
        );
    }
    let env = ctx.env_at(0).with_str("payload", &"A".repeat(enc + 4));
    let wire = ctx.wire(&env);
    if fits(&wire) {
        a.verify(
            meta(
                "SIZE-ORDER",
                &order,
                &["VerifyOrder"],
                "an oversize payload in an expired envelope: oversize first",
            ),
            NOW,
            wire,
            OVERSIZE,
        );
    }
    default_envelope_limit(ctx, &mut a);
    multiple_of_three_limit(ctx, &mut a);
    a
}

/// REQ-SIZE-2: the encoded payload limit 4·⌈max_payload_bytes/3⌉ of `config`, checked before
/// decoding: at it, one and four characters over, and over it with characters that are not
/// base64url at all (`oversize`, not `malformed`).
fn encoded_limit_cases(ctx: &Ctx, a: &mut Area, config: &Config) {
    let max_payload = config.max_payload_bytes;
    let max_encoded = max_encoded_payload(max_payload);
    let limit = config.envelope_limit();
    let fits = |wire: &[u8]| (wire.len() as u64) <= limit.min(LARGEST_VECTOR);
    let pay2 = ["REQ-SIZE-2", "REQ-VERIFY-1"];
    let pay3 = ["REQ-SIZE-3"];
    let enc = usize::try_from(max_encoded).unwrap_or(usize::MAX);
    let enc_cases: Vec<(String, Expect, &[&str], &[&str], String)> = vec![
        (
            "A".repeat(enc),
            if max_payload.is_multiple_of(3) {
                Accept
            } else {
                OVERSIZE
            },
            &pay3,
            &["Oversize"],
            format!(
                "exactly 4*ceil(max/3) = {max_encoded} characters, decoding to {} bytes",
                max_encoded / 4 * 3
            ),
        ),
        (
            "A".repeat(enc + 1),
            OVERSIZE,
            &pay2,
            &["Oversize", "SizeBeforeDecode"],
            "one character over 4*ceil(max/3), and not valid base64 (length 1 mod 4)".into(),
        ),
        (
            "A".repeat(enc + 4),
            OVERSIZE,
            &pay2,
            &["Oversize"],
            "four characters over 4*ceil(max/3), valid base64".into(),
        ),
        (
            "!".repeat(enc + 1),
            OVERSIZE,
            &pay2,
            &["Oversize", "SizeBeforeDecode"],
            "one character over the limit, none of them base64".into(),
        ),
        (
            format!("{}=", "A".repeat(enc)),
            OVERSIZE,
            &pay2,
            &["Oversize", "SizeBeforeDecode"],
            "the limit plus a pad character".into(),
        ),
        (
            format!("{}\u{e9}", "A".repeat(enc.saturating_sub(1))),
            OVERSIZE,
            &pay2,
            &["Oversize", "SizeBeforeDecode"],
            "4*ceil(max/3) characters, the last one two bytes: the limit counts UTF-8 bytes".into(),
        ),
    ];
    for (payload, expect, req, flags, comment) in enc_cases {
        let env = ctx.env().with_str("payload", &payload);
        let wire = ctx.wire(&env);
        if fits(&wire) {
            a.verify(meta("SEC-IPC-05", req, flags, comment), NOW, wire, expect);
        }
    }
}

/// REQ-SIZE-2 where ⌈max/3⌉ is exact: the encoded limit's cases again under the same config
/// with `max_payload_bytes` rounded down to a multiple of 3 (the published one is not), in a
/// group of its own. There `4·max/3` characters decode to exactly the limit and one more is
/// `oversize` by the encoded limit alone, which `4·(max/3 + 1)` would let through to decoding.
fn multiple_of_three_limit(ctx: &Ctx, a: &mut Area) {
    let max = ctx.config.max_payload_bytes;
    if max < 3 || max.is_multiple_of(3) {
        return;
    }
    let config = ctx.config_with(|c| c.max_payload_bytes = max - max % 3);
    a.verify_group(&config);
    encoded_limit_cases(ctx, a, &config);
}

/// `wire` padded with spaces (whitespace after the value) to `len` bytes.
fn padded(wire: &[u8], len: u64) -> Vec<u8> {
    let mut out = wire.to_vec();
    out.resize(usize::try_from(len).unwrap_or(0), b' ');
    out
}

/// REQ-CONFIG-10: under the same config less `max_envelope_bytes`, the default limit
/// 4·⌈max_payload_bytes/3⌉ + 16 384 applies: a valid envelope padded to exactly it is accepted,
/// one byte more is `oversize`. In a group of its own, so that no other test hides a wrong default.
fn default_envelope_limit(ctx: &Ctx, a: &mut Area) {
    let config = ctx.config_with(|c| c.max_envelope_bytes = None);
    let limit = config.envelope_limit();
    let base = ctx.wire(&ctx.env());
    if limit > LARGEST_VECTOR || (base.len() as u64) >= limit {
        return;
    }
    a.verify_group(&config);
    let req = ["REQ-CONFIG-10", "REQ-SIZE-1"];
    a.verify(
        meta(
            "SIZE-DEFAULT",
            &req,
            &["Valid", "DefaultLimit"],
            format!(
                "no max_envelope_bytes: a valid envelope padded to exactly the default limit \
                 4*ceil(max_payload_bytes/3) + 16384 = {limit}"
            ),
        ),
        NOW,
        padded(&base, limit),
        Accept,
    );
    a.verify(
        meta(
            "SIZE-DEFAULT",
            &req,
            &["Oversize", "DefaultLimit"],
            format!(
                "no max_envelope_bytes: a valid envelope padded to the default limit + 1 = {}",
                limit + 1
            ),
        ),
        NOW,
        padded(&ctx.wire(&ctx.env()), limit + 1),
        OVERSIZE,
    );
}
