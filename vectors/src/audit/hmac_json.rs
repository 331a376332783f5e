//! The audit probes of the two home-grown HMAC-JSON schemes.

use super::{step, Fact, Layer, Probes, Property};
use crate::profiles::build::Expect::{Accept, Either, Reject};
use crate::profiles::{default_config, hex_hmac, secret_text, with_member};
use crate::NOW;
use sipc_profiles::hmac_json::{InsertionOrder, SortedKeys};
use sipc_profiles::lax_json::{self, Dialect, Lax};
use sipc_profiles::{Message, Profile, ProfileConfig};
use sipc_reference::json::Value;

const YEAR: u64 = 365 * 86_400;

fn file(bytes: Vec<u8>) -> Message {
    Message {
        headers: Vec::new(),
        body: bytes,
    }
}

fn parse(text: &str, dialect: Dialect) -> Lax {
    lax_json::parse(&text.chars().collect::<Vec<_>>(), dialect).unwrap_or(Lax::Null)
}

/// The probes and facts of `profile`, one of the two HMAC-JSON schemes.
pub(super) fn probes(profile: Profile) -> (Probes, Vec<Fact>) {
    let config = default_config(profile);
    let secret = secret_text(&config);
    let parsed = ProfileConfig::from_value(&config, profile.config_req())
        .unwrap_or_else(|_| unreachable!("the published config is valid"));
    let node = profile == Profile::HmacJsonInsertionOrder;
    let (dialect, member) = if node {
        (Dialect::Js, "_hmac")
    } else {
        (Dialect::Python, "hmac")
    };
    // What the scheme's own signer writes for `payload` (the Python signer at `ts`).
    let sign = |payload: &str, ts: f64| -> Vec<u8> {
        let lax = parse(payload, dialect);
        if node {
            InsertionOrder::new(&parsed).sign(&lax)
        } else {
            SortedKeys::new(&parsed).sign(&lax, ts)
        }
        .unwrap_or_default()
    };
    // `wire` (an object's text) with the MAC member set to `mac` (a JSON value's text).
    let with_mac = |wire: &str, mac: &str| -> Vec<u8> {
        let body = wire.trim_end().strip_suffix('}').unwrap_or(wire);
        format!("{body},\"{member}\":{mac}}}").into_bytes()
    };
    let mac_of = |canonical: &[u8]| hex_hmac(secret.as_bytes(), &[canonical]);
    let payload =
        r#"{"kind":"task.run","id":"t-0042","args":{"path":"/spool/in/42.json"},"score":1.5}"#;
    let good = file(sign(payload, NOW as f64 + 0.5));
    let mut a = Probes::new(profile, config.clone());

    // REQ-AUDIT-1.
    a.verify(
        Property::Freshness,
        "a message signed a year ago",
        NOW + YEAR,
        good.clone(),
        Reject("expired"),
    );
    if !node {
        let stale = file(sign(payload, (NOW - YEAR) as f64 + 0.5));
        a.verify(
            Property::Freshness,
            "a result whose signed timestamp is a year old",
            NOW,
            stale,
            Reject("expired"),
        );
        let ahead = file(sign(payload, (NOW + YEAR) as f64 + 0.5));
        a.verify(
            Property::Freshness,
            "a result whose signed timestamp is a year ahead",
            NOW,
            ahead,
            Reject("future"),
        );
    }

    // REQ-AUDIT-2.
    a.sequence(
        Property::Replay,
        "the same message twice, a minute apart",
        vec![
            step(NOW, good.clone(), Accept),
            step(NOW + 60, good.clone(), Reject("replay")),
        ],
        false,
    );

    // REQ-AUDIT-3.
    a.verify(
        Property::Coverage,
        "a value changed after signing",
        NOW,
        file(
            String::from_utf8_lossy(&good.body)
                .replace("t-0042", "t-0043")
                .into_bytes(),
        ),
        Reject("bad_signature"),
    );
    if node {
        // Node reads the file as UTF-8 with replacement: the MAC covers the text, not the bytes.
        let text = "{\"kind\":\"note\",\"text\":\"\u{FFFD}\"}";
        let mac = mac_of(text.as_bytes());
        let body = format!("{{\"kind\":\"note\",\"text\":\"\u{1}\",\"_hmac\":\"{mac}\"}}")
            .replace('\u{1}', "\u{7f}");
        let mut bytes = body.into_bytes();
        if let Some(at) = bytes.iter().position(|b| *b == 0x7f) {
            bytes[at] = 0xFE;
        }
        a.verify(
            Property::Coverage,
            "a file with byte 0xFE where the signer wrote U+FFFD: the bytes are outside the MAC",
            NOW,
            file(bytes),
            Reject("bad_signature"),
        );
    } else {
        let text = String::from_utf8_lossy(&good.body).into_owned();
        let retimed = text.replacen(&format!("{}.5", NOW), &format!("{}.5", NOW + 3600), 1);
        a.verify(
            Property::Coverage,
            "the signed timestamp moved an hour later",
            NOW,
            file(retimed.into_bytes()),
            Reject("bad_signature"),
        );
    }

    // REQ-AUDIT-4: what the other language's standard library writes for the same payload.
    if node {
        let python_default = r#"{"kind": "task.run", "name": "Zo\u00eb", "score": 1.0}"#;
        let python_compact = r#"{"kind":"task.run","name":"Zo\u00eb","score":1.0}"#;
        let ascii = r#"{"kind":"task.run","id":"t-0042"}"#;
        for (comment, signed_text) in [
            (
                "a Python signer: json.dumps(payload) with its defaults",
                python_default,
            ),
            (
                "a Python signer: json.dumps(payload, separators=(',', ':'))",
                python_compact,
            ),
            (
                "a Python signer, compact, on an ASCII payload without floats",
                ascii,
            ),
        ] {
            a.verify(
                Property::Interoperability,
                comment,
                NOW,
                file(with_mac(
                    signed_text,
                    &format!("\"{}\"", mac_of(signed_text.as_bytes())),
                )),
                Accept,
            );
        }
    } else {
        let node_text =
            "{\"kind\":\"task.run\",\"name\":\"Zoë\",\"score\":1,\"timestamp\":1700000000.5}";
        a.verify(
            Property::Interoperability,
            "a Node signer: JSON.stringify of the result with its members sorted",
            NOW,
            file(with_mac(
                node_text,
                &format!("\"{}\"", mac_of(node_text.as_bytes())),
            )),
            Accept,
        );
    }

    // REQ-AUDIT-5.
    let weak = with_member(&config, "secret", Value::string("k"));
    let weak_parsed = ProfileConfig {
        secret: "k".into(),
        ..parsed.clone()
    };
    let under_weak = if node {
        InsertionOrder::new(&weak_parsed).sign(&parse(payload, dialect))
    } else {
        SortedKeys::new(&weak_parsed).sign(&parse(payload, dialect), NOW as f64)
    };
    a.weak_key(
        "the config's secret set to \"k\" (1 byte of key)",
        weak,
        NOW,
        file(under_weak.unwrap_or_default()),
    );

    // REQ-AUDIT-6.
    let repeated = String::from_utf8_lossy(&good.body).replacen(
        "\"kind\":\"task.run\"",
        "\"kind\":\"task.delete\",\"kind\":\"task.run\"",
        1,
    );
    let repeated = if node {
        repeated
    } else {
        String::from_utf8_lossy(&good.body).replacen(
            "\"kind\": \"task.run\"",
            "\"kind\": \"task.delete\", \"kind\": \"task.run\"",
            1,
        )
    };
    a.verify(Property::Malleability, "a repeated member whose first value is not the signed one (a first-wins parser reads task.delete)", NOW, file(repeated.into_bytes()), Reject("malformed_body"));
    let canonical = if node {
        lax_json::js::stringify(&parse(payload, dialect))
    } else {
        Vec::new()
    };
    let upper = String::from_utf8_lossy(&good.body).into_owned();
    let mac = lax_mac(&upper, dialect, member);
    a.verify(
        Property::Malleability,
        "the MAC in upper-case hex",
        NOW,
        file(
            upper
                .replacen(&mac, &mac.to_ascii_uppercase(), 1)
                .into_bytes(),
        ),
        Reject("bad_signature"),
    );
    if node {
        let codes: Vec<String> = mac_of(&canonical).bytes().map(|b| b.to_string()).collect();
        a.verify(
            Property::Malleability,
            "_hmac as the array of the hex string's character codes (Buffer.from takes arrays)",
            NOW,
            file(with_mac(payload, &format!("[{}]", codes.join(",")))),
            Reject("bad_signature"),
        );
    }

    // REQ-AUDIT-7: any answer but a crash.
    let deep = format!(
        "{{\"kind\":\"x\",\"a\":{}1{},\"{member}\":\"00\"}}",
        "[".repeat(100_000),
        "]".repeat(100_000)
    );
    let mut odd: Vec<(&str, Vec<u8>)> = vec![
        (
            "the MAC member 3 characters long",
            with_mac(payload, "\"abc\""),
        ),
        ("the MAC member a number", with_mac(payload, "5")),
        ("the MAC member true", with_mac(payload, "true")),
        ("a file that is null", b"null".to_vec()),
        ("an object nested 100 000 deep", deep.into_bytes()),
    ];
    if !node {
        odd.extend([
            ("no hmac member", payload.as_bytes().to_vec()),
            ("a body that is a list", b"[1, 2]".to_vec()),
            (
                "the MAC member 64 non-ASCII characters",
                with_mac(payload, &format!("\"{}\"", "é".repeat(64))),
            ),
            (
                "a 5 000-digit integer",
                with_mac(&format!("{{\"n\":{}}}", "9".repeat(5000)), "\"00\""),
            ),
        ]);
    }
    for (comment, bytes) in odd {
        a.verify(Property::Robustness, comment, NOW, file(bytes), Either);
    }
    (a, facts(node))
}

/// The MAC member's value in a signed file.
fn lax_mac(text: &str, dialect: Dialect, member: &str) -> String {
    match parse(text, dialect) {
        Lax::Object(members) => match lax_json::member(&members, member) {
            Some(Lax::Str(points)) => lax_json::lossy(points),
            _ => String::new(),
        },
        _ => String::new(),
    }
}

fn facts(node: bool) -> Vec<Fact> {
    use Property::*;
    let f = |property, scheme, layer, severity, fix| Fact {
        property,
        scheme,
        layer,
        severity,
        fix,
    };
    if node {
        vec![
            f(Freshness, "No timestamp: a signed file verifies forever.", Layer::Scheme, "high", "Move to SIPC/1: `ts` (Unix seconds) is signed and checked against ttl_seconds both ways; the payload object becomes the base64url `payload`, its kind the envelope's `kind`."),
            f(Replay, "No id or nonce: the same file dropped twice into the spool is processed twice.", Layer::Scheme, "critical", "Move to SIPC/1: a signed `nonce`, kept in the verifier's replay cache for the window; map the payload's own id, if any, into `nonce` or `trace_id`."),
            f(Coverage, "The MAC covers JSON.stringify of the parsed text, not the file: bytes that are not UTF-8 read as U+FFFD and are outside it; nothing names the recipient or the spool folder.", Layer::Scheme, "medium", "Move to SIPC/1: the MAC is over a canonical form of parsed, strictly validated JSON (invalid UTF-8 refused); put the recipient in the signed `target`."),
            f(Interoperability, "The signed bytes are whatever Node's JSON.stringify writes: a Python peer's json.dumps (spaces, \\u escapes, 1.0) never matches; only compact, ASCII, float-free payloads do.", Layer::Scheme, "medium", "Move to SIPC/1: RFC 8785 (JCS) canonical form, which every language can produce; vectors in vectors/testvectors/ check a peer's canonicalizer."),
            f(KeyHandling, "The key is the 64 hex characters as text, not the 32 bytes they encode; nothing checks its length.", Layer::Scheme, "low", "Move to SIPC/1: auth.secret_hex is decoded to bytes, at least 32 of them, and a shorter one refuses to start."),
            f(Malleability, "A repeated member (JSON.parse keeps the last) and _hmac as an array of character codes (Buffer.from) both verify: one signature, several readings and spellings.", Layer::Scheme, "high", "Move to SIPC/1: duplicate members and lone surrogates are refused before the MAC; sig is exactly 64 lowercase hex digits."),
            f(Robustness, "crypto.timingSafeEqual throws on buffers of different lengths, Buffer.from throws on a number or a boolean, null._hmac throws: none of it is caught.", Layer::Scheme, "medium", "Check that _hmac is a 64-character lowercase hex string before comparing, and the file an object; or move to SIPC/1, whose verifier returns a code for every input."),
        ]
    } else {
        vec![
            f(Freshness, "`timestamp` (time.time()) is signed and never checked: the proposal's replay claim does not hold.", Layer::Scheme, "high", "Check abs(now - timestamp) <= window before accepting; or move to SIPC/1, whose integer `ts` is checked against ttl_seconds both ways."),
            f(Replay, "No nonce, although the proposal claims 'timestamp + nonce': the same result verifies any number of times.", Layer::Scheme, "critical", "Move to SIPC/1: a signed `nonce` kept in the verifier's replay cache; the result becomes the `payload`, its type the `kind`."),
            f(Coverage, "Everything but `hmac` is re-serialized under the MAC, the timestamp included; nothing names the recipient.", Layer::Scheme, "low", "Put the intended consumer in the signed content (SIPC/1's `target`)."),
            f(Interoperability, "The signed bytes are whatever CPython's json.dumps(sort_keys=True) writes (', ', ': ', ensure_ascii, repr floats, NaN): a Node signer's JSON.stringify never matches.", Layer::Scheme, "medium", "Move to SIPC/1: RFC 8785 (JCS) canonical form, which JavaScript and Python both produce."),
            f(KeyHandling, "hmac.new takes any bytes: nothing fixes how the secret is stored or checks its length.", Layer::Scheme, "low", "Decode a hex or base64 secret to at least 32 bytes and refuse shorter ones (SIPC/1's auth.secret_hex)."),
            f(Malleability, "A repeated member (json.loads keeps the last) verifies: a first-wins parser downstream reads another value.", Layer::Scheme, "high", "Refuse duplicate members (object_pairs_hook) before the MAC, as SIPC/1 does."),
            f(Robustness, "result.pop('hmac') raises KeyError (missing) or TypeError (a list), compare_digest raises TypeError (a number, non-ASCII text), json.loads raises ValueError on a 5 000-digit integer and RecursionError on deep nesting.", Layer::Scheme, "medium", "Validate the shape (a dict, hmac a 64-character hex str) before comparing, and catch ValueError and RecursionError from json.loads; or move to SIPC/1."),
        ]
    }
}
