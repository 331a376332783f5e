//! `signature.json`: missing, malformed and wrong signatures (§6), and the order of the checks
//! around them (§8).

use crate::suite::{meta, Area, Expect, Expect::Accept};
use crate::wire::{self, Env};
use crate::{Ctx, NOW};
use sipc_reference::hex::lower_hex;
use sipc_reference::json::Value;
use sipc_reference::sign::{mac, SIG_PREFIX};

const BAD: Expect = Expect::Reject("bad_signature");
const MALFORMED_SIG: Expect = Expect::Reject("sig_malformed");

fn flip_hex(sig: &str, at: usize) -> String {
    sig.char_indices()
        .map(|(i, c)| {
            if i == at {
                if c == '0' {
                    '1'
                } else {
                    '0'
                }
            } else {
                c
            }
        })
        .collect()
}

fn hex_mac(secret: &[u8], base: &[u8]) -> String {
    lower_hex(&mac(secret, base))
}

pub fn area(ctx: &Ctx) -> Area {
    let mut a = Area::new("signature");
    a.verify_group(&ctx.config);
    let secret = ctx.secret();

    // SEC-IPC-02b: no signature.
    let miss = ["REQ-SIG-1", "REQ-VERIFY-1"];
    a.verify(
        meta(
            "SEC-IPC-02b",
            &miss,
            &["MissingSig"],
            "a valid message without sig",
        ),
        NOW,
        ctx.env().unsigned(),
        Expect::Reject("sig_missing"),
    );
    a.verify(
        meta(
            "SEC-IPC-02b",
            &miss,
            &["MissingSig"],
            "sig only inside headers",
        ),
        NOW,
        ctx.env()
            .with(
                "headers",
                r#"{"sig":"0000000000000000000000000000000000000000000000000000000000000000"}"#,
            )
            .unsigned(),
        Expect::Reject("sig_missing"),
    );
    a.verify(
        meta(
            "SEC-IPC-02b",
            &miss,
            &["MissingSig", "VerifyOrder"],
            "no sig and a kind that is not allowed: sig_missing comes first",
        ),
        NOW,
        ctx.env().with_str("kind", ctx.disallowed_kind()).unsigned(),
        Expect::Reject("sig_missing"),
    );
    a.verify(
        meta(
            "SEC-IPC-02b",
            &miss,
            &["MissingSig", "VerifyOrder"],
            "no sig and an expired ts",
        ),
        NOW,
        ctx.env_at(0).unsigned(),
        Expect::Reject("sig_missing"),
    );
    a.verify(
        meta(
            "SEC-IPC-02b",
            &["REQ-SIG-1", "REQ-ENV-11"],
            &["MissingSig"],
            "the signature in a member named Sig",
        ),
        NOW,
        {
            let e = ctx.env();
            let s = e.sig(secret);
            wire::canonical(&e.with_str("Sig", &s).members)
        },
        Expect::Reject("malformed"),
    );

    // REQ-SIG-2: the form of sig.
    let fmt = ["REQ-SIG-2"];
    let forms: Vec<(&str, fn(&str) -> String)> = vec![
        ("the right MAC in uppercase hex", |r| {
            format!("\"{}\"", r.to_uppercase())
        }),
        ("63 hex digits", |r| format!("\"{}\"", &r[..63])),
        ("65 hex digits", |r| format!("\"{r}0\"")),
        ("32 hex digits", |r| format!("\"{}\"", &r[..32])),
        ("an empty string", |_| "\"\"".to_owned()),
        ("a non-hex letter", |r| format!("\"{}g\"", &r[..63])),
        ("a leading space", |r| format!("\" {}\"", &r[..63])),
        ("a 0x prefix", |r| format!("\"0x{}\"", &r[..62])),
        ("null", |_| "null".to_owned()),
        ("a number", |_| "1".to_owned()),
        ("the right MAC inside an array", |r| format!("[\"{r}\"]")),
        ("an object", |_| "{}".to_owned()),
    ];
    for (comment, form) in forms {
        let env = ctx.env();
        let json = form(&env.sig(secret));
        a.verify(
            meta(
                "SIG-FORMAT",
                &fmt,
                &["SigFormat"],
                format!("sig is {comment}"),
            ),
            NOW,
            env.wire_sig(&json),
            MALFORMED_SIG,
        );
    }

    // SEC-IPC-02: a wrong MAC is refused, whatever is wrong with it.
    let mac_req = ["REQ-SIG-4", "REQ-SIG-5"];
    for (at, comment) in [
        (63, "the last hex digit changed"),
        (0, "the first hex digit changed"),
        (16, "the 17th hex digit changed"),
        (32, "the 33rd hex digit changed"),
    ] {
        let env = ctx.env();
        a.verify(
            meta(
                "SEC-IPC-02",
                &mac_req,
                &["ModifiedMac"],
                format!("sig with {comment}"),
            ),
            NOW,
            env.wire_sig(&format!("\"{}\"", flip_hex(&env.sig(secret), at))),
            BAD,
        );
    }
    let env = ctx.env();
    let s = env.sig(secret);
    a.verify(
        meta(
            "SEC-IPC-02",
            &mac_req,
            &["ModifiedMac"],
            "the first 16 hex digits right, the rest zero",
        ),
        NOW,
        env.wire_sig(&format!("\"{}{}\"", &s[..16], "0".repeat(48))),
        BAD,
    );
    let env = ctx.env();
    let s = env.sig(secret);
    a.verify(
        meta(
            "SEC-IPC-02",
            &mac_req,
            &["ModifiedMac"],
            "the first 32 hex digits right, the rest zero",
        ),
        NOW,
        env.wire_sig(&format!("\"{}{}\"", &s[..32], "0".repeat(32))),
        BAD,
    );
    let env = ctx.env();
    let s = env.sig(secret);
    a.verify(
        meta(
            "SEC-IPC-02",
            &mac_req,
            &["ModifiedMac"],
            "the last 16 hex digits right, the rest zero",
        ),
        NOW,
        env.wire_sig(&format!("\"{}{}\"", "0".repeat(48), &s[48..])),
        BAD,
    );
    let env = ctx.env();
    a.verify(
        meta("SEC-IPC-02", &mac_req, &["ModifiedMac"], "sig of 64 zeros"),
        NOW,
        env.wire_sig(&format!("\"{}\"", "0".repeat(64))),
        BAD,
    );
    let mut other_secret = secret.to_vec();
    if let Some(b) = other_secret.last_mut() {
        *b ^= 1;
    }
    a.verify(
        meta(
            "SEC-IPC-02",
            &["REQ-SIG-4"],
            &["ModifiedMac"],
            "signed with another secret (last bit flipped)",
        ),
        NOW,
        ctx.env().wire(&other_secret),
        BAD,
    );
    if let Some((&last, short)) = secret.split_last() {
        // HMAC pads short keys with zeros, so only a non-zero last byte makes a different key.
        if last != 0 {
            a.verify(
                meta(
                    "SEC-IPC-02",
                    &["REQ-SIG-4"],
                    &["ModifiedMac"],
                    "signed with the secret less its last byte",
                ),
                NOW,
                ctx.env().wire(short),
                BAD,
            );
        }
    }

    // Content changed after signing.
    let tamper = ["REQ-SIG-3", "REQ-SIG-4"];
    let other_kind = ctx.config.allowed_kinds.get(1).cloned();
    let mut cases: Vec<(&str, Box<dyn Fn(Env) -> Env>)> = vec![
        (
            "the payload changed",
            Box::new(|e: Env| e.with_str("payload", "QQ")),
        ),
        (
            "ts one second later",
            Box::new(|e: Env| e.with("ts", &(NOW + 1).to_string())),
        ),
        (
            "another nonce",
            Box::new(|e: Env| e.with_str("nonce", "tampered-nonce-0000000")),
        ),
        (
            "a trace_id added",
            Box::new(|e: Env| e.with_str("trace_id", "t")),
        ),
        (
            "a header added",
            Box::new(|e: Env| e.with("headers", r#"{"x":"y"}"#)),
        ),
        (
            "a target added",
            Box::new(|e: Env| e.with_str("target", "svc")),
        ),
    ];
    if let Some(k) = other_kind {
        cases.push((
            "the kind changed to another allowed kind",
            Box::new(move |e: Env| e.with_str("kind", &k)),
        ));
    }
    for (comment, change) in cases {
        let env = ctx.env();
        let sig = Value::String(env.sig(secret));
        let changed = change(env);
        a.verify(
            meta(
                "SEC-IPC-02",
                &tamper,
                &["TamperedContent"],
                format!("a genuine sig, then {comment}"),
            ),
            NOW,
            wire::canonical(&changed.with_sig(sig)),
            BAD,
        );
    }
    let env = ctx.env().with("headers", r#"{"role":"user"}"#);
    let sig = Value::String(env.sig(secret));
    let changed = env.with("headers", r#"{"role":"admin"}"#);
    a.verify(
        meta(
            "SEC-IPC-02",
            &tamper,
            &["TamperedContent"],
            "a genuine sig, then a header value changed",
        ),
        NOW,
        wire::canonical(&changed.with_sig(sig)),
        BAD,
    );
    let env = ctx.env().with("target", r#"["a","b"]"#);
    let sig = Value::String(env.sig(secret));
    let changed = env.with("target", r#"["b","a"]"#);
    a.verify(
        meta(
            "SEC-IPC-02",
            &tamper,
            &["TamperedContent"],
            "a genuine sig, then the target list reordered",
        ),
        NOW,
        wire::canonical(&changed.with_sig(sig)),
        BAD,
    );
    let one = ctx.env();
    let two = ctx.env().with_str("payload", "QQ");
    a.verify(
        meta(
            "SEC-IPC-02",
            &tamper,
            &["TamperedContent"],
            "the sig of another genuine message",
        ),
        NOW,
        wire::canonical(&two.with_sig(Value::String(one.sig(secret)))),
        BAD,
    );

    // MACs over the wrong signature base.
    let base_req = ["REQ-SIG-3"];
    let wrong_bases: Vec<(&str, Box<dyn Fn(&Env) -> Vec<u8>>)> = vec![
        (
            "the canonical form without the SIPC-1 prefix",
            Box::new(|e: &Env| e.unsigned()),
        ),
        (
            "the prefix without its line feed",
            Box::new(|e: &Env| [b"SIPC-1".as_slice(), &e.unsigned()].concat()),
        ),
        (
            "the prefix SIPC-1 followed by CR LF",
            Box::new(|e: &Env| [b"SIPC-1\r\n".as_slice(), &e.unsigned()].concat()),
        ),
        (
            "the members in signing order, not sorted",
            Box::new(|e: &Env| [SIG_PREFIX.as_slice(), &wire::in_order(&e.members)].concat()),
        ),
        (
            "the base with a trailing newline",
            Box::new(|e: &Env| [SIG_PREFIX.as_slice(), &e.unsigned(), b"\n"].concat()),
        ),
        (
            "the base with an empty sig member included",
            Box::new(|e: &Env| {
                [
                    SIG_PREFIX.as_slice(),
                    &wire::canonical(&e.with_sig(Value::String(String::new()))),
                ]
                .concat()
            }),
        ),
        (
            "the base without v",
            Box::new(|e: &Env| {
                [SIG_PREFIX.as_slice(), &e.clone().without("v").unsigned()].concat()
            }),
        ),
    ];
    for (comment, base) in wrong_bases {
        let env = ctx.env();
        let sig = hex_mac(secret, &base(&env));
        a.verify(
            meta(
                "SIG-BASE",
                &base_req,
                &["WrongBase"],
                format!("a MAC over {comment}"),
            ),
            NOW,
            env.wire_sig(&format!("\"{sig}\"")),
            BAD,
        );
    }
    let env = ctx.env();
    let ascii_key = lower_hex(secret);
    a.verify(
        meta(
            "SIG-BASE",
            &["REQ-SIG-4"],
            &["WrongBase"],
            "a MAC keyed with the ASCII of secret_hex instead of its bytes",
        ),
        NOW,
        env.wire_sig(&format!(
            "\"{}\"",
            hex_mac(
                ascii_key.as_bytes(),
                &[SIG_PREFIX.as_slice(), &env.unsigned()].concat()
            )
        )),
        BAD,
    );
    let env = ctx
        .env()
        .with("headers", "{\"\u{e000}\":\"a\",\"\u{10000}\":\"b\"}");
    let utf8_sorted = format!("{{{}}}", {
        let mut members: Vec<(String, Value)> = env.members.clone();
        members.sort_by(|x, y| x.0.as_bytes().cmp(y.0.as_bytes()));
        members
            .iter()
            .map(|(n, v)| {
                let v = match (n.as_str(), v) {
                    ("headers", _) => "{\"\u{e000}\":\"a\",\"\u{10000}\":\"b\"}".to_owned(),
                    _ => String::from_utf8_lossy(&crate::text::compact(v)).into_owned(),
                };
                format!("\"{n}\":{v}")
            })
            .collect::<Vec<_>>()
            .join(",")
    });
    let sig = hex_mac(
        secret,
        &[SIG_PREFIX.as_slice(), utf8_sorted.as_bytes()].concat(),
    );
    a.verify(
        meta(
            "SIG-BASE",
            &["REQ-CANON-1", "REQ-SIG-3"],
            &["WrongBase", "Utf16Sort"],
            "a MAC over header names sorted by code point (U+E000 before U+10000)",
        ),
        NOW,
        env.wire_sig(&format!("\"{sig}\"")),
        BAD,
    );
    let env = ctx.env().with("headers", r#"{"sig":"kept","a":"1"}"#);
    let without_nested = env.clone().with("headers", r#"{"a":"1"}"#);
    a.verify(
        meta(
            "SIG-BASE",
            &["REQ-SIG-3"],
            &["WrongBase"],
            "a MAC over the base with the nested headers.sig removed too",
        ),
        NOW,
        env.wire_sig(&format!("\"{}\"", without_nested.sig(secret))),
        BAD,
    );
    let env = ctx.env().with("headers", r#"{"sig":"kept","a":"1"}"#);
    a.verify(
        meta(
            "SIG-BASE",
            &["REQ-SIG-3"],
            &["Valid"],
            "a header named sig is signed like any other header",
        ),
        NOW,
        ctx.wire(&env),
        Accept,
    );
    let env = ctx.env().with("headers", r#"{"p":"a/b"}"#);
    let escaped_base = [SIG_PREFIX.as_slice(), &wire::in_order(&env.members)].concat();
    let escaped_base = String::from_utf8_lossy(&escaped_base).replace("a/b", "a\\/b");
    a.verify(
        meta(
            "SIG-BASE",
            &["REQ-CANON-3", "REQ-SIG-3"],
            &["WrongBase", "EscapeForm"],
            "a MAC over the base with / escaped as \\/",
        ),
        NOW,
        env.wire_sig(&format!("\"{}\"", hex_mac(secret, escaped_base.as_bytes()))),
        BAD,
    );

    // Order of checks around the signature (REQ-VERIFY-1).
    let order = ["REQ-VERIFY-1"];
    a.verify(
        meta(
            "VERIFY-ORDER",
            &order,
            &["VerifyOrder"],
            "a malformed member and a wrong sig: malformed first",
        ),
        NOW,
        ctx.env()
            .with("ts", "-1")
            .wire_sig(&format!("\"{}\"", "0".repeat(64))),
        Expect::Reject("malformed"),
    );
    a.verify(
        meta(
            "VERIFY-ORDER",
            &order,
            &["VerifyOrder"],
            "v 2 and a malformed sig: unsupported_version first",
        ),
        NOW,
        ctx.env().with("v", "2").wire_sig("null"),
        Expect::Reject("unsupported_version"),
    );
    a.verify(
        meta(
            "VERIFY-ORDER",
            &order,
            &["VerifyOrder"],
            "a malformed sig and a kind not allowed: sig_malformed first",
        ),
        NOW,
        ctx.env()
            .with_str("kind", ctx.disallowed_kind())
            .wire_sig("\"ABC\""),
        MALFORMED_SIG,
    );
    a.verify(
        meta(
            "VERIFY-ORDER",
            &order,
            &["VerifyOrder"],
            "a kind not allowed and a wrong sig: kind_not_allowed first",
        ),
        NOW,
        ctx.env()
            .with_str("kind", ctx.disallowed_kind())
            .wire_sig(&format!("\"{}\"", "0".repeat(64))),
        Expect::Reject("kind_not_allowed"),
    );
    a.verify(
        meta(
            "VERIFY-ORDER",
            &order,
            &["VerifyOrder"],
            "a bad payload encoding and a wrong sig: malformed first",
        ),
        NOW,
        ctx.env()
            .with_str("payload", "QR")
            .wire_sig(&format!("\"{}\"", "0".repeat(64))),
        Expect::Reject("malformed"),
    );
    a.verify(
        meta(
            "VERIFY-ORDER",
            &order,
            &["VerifyOrder"],
            "an expired ts and a wrong sig: expired first",
        ),
        NOW,
        ctx.env_at(NOW - ctx.ttl() - 1)
            .wire_sig(&format!("\"{}\"", "0".repeat(64))),
        Expect::Reject("expired"),
    );
    a.verify(
        meta(
            "VERIFY-ORDER",
            &order,
            &["VerifyOrder"],
            "a future ts and a wrong sig: from_future first",
        ),
        NOW,
        ctx.env_at(NOW + ctx.ttl() + 1)
            .wire_sig(&format!("\"{}\"", "0".repeat(64))),
        Expect::Reject("from_future"),
    );
    a
}
