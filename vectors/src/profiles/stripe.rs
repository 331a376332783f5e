//! The vectors of the `stripe` profile (spec/profiles/stripe.md).

use super::build::{Expect, File, Step};
use super::{flip_case_at, hex_hmac, TsClass, NON_UTF8_A, NON_UTF8_B};
use crate::suite::meta;
use crate::NOW;
use sipc_profiles::stripe::{Stripe, SIGNATURE_HEADER_SENT};
use sipc_profiles::{Message, Profile, ProfileConfig};
use sipc_reference::json::Value;

const SPEC: &str = "spec/profiles/stripe.md";

/// The config of the published vectors: a secret shaped like Stripe's, the libraries' five
/// minutes.
pub const DEFAULT_CONFIG: &str = r#"{"secret":"whsec_sipcStripeProfileVectorSecret0123456789","tolerance_seconds":300,"application":{"max_body_bytes":1024,"max_ids":1000}}"#;

/// Another endpoint's secret.
const OTHER_SECRET: &str = "whsec_anotherEndpointsSecretNotThisOne98765";

crate::notes::notes! {
    "Valid", "FUNCTIONALITY", &["REQ-STRIPE-5", "REQ-STRIPE-6"],
    "A correctly signed event inside the tolerance.",
    "Refusing it breaks genuine deliveries.";
    "EmptyBody", "FUNCTIONALITY", &["REQ-STRIPE-5"],
    "An empty body. Stripe always sends a JSON event; the documentation does not say what a verifier does with an empty one.",
    "Implementations differ on a body Stripe never sends.";
    "NonJsonBody", "FUNCTIONALITY", &["REQ-STRIPE-5"],
    "A body that is not JSON. Stripe sends JSON events; the signature covers bytes.",
    "Implementations differ on a body Stripe never sends.";
    "NonUtf8Body", "FUNCTIONALITY", &["REQ-STRIPE-5"],
    "A body that is not UTF-8. The documentation speaks of the JSON payload only.",
    "A verifier that decodes the body as text refuses it, or crashes.";
    "LossyBodyDecoding", "AUTHENTICATION_BYPASS", &["REQ-STRIPE-5"],
    "The signature of one non-UTF-8 body delivered with another that decodes to the same text with U+FFFD replacements.",
    "The signature does not bind the body: bytes that were never signed are accepted.";
    "ModifiedContent", "AUTHENTICATION_BYPASS", &["REQ-STRIPE-5"],
    "A signature over other bytes: another body or timestamp, another separator, a part left out.",
    "Events are accepted whose content was not signed.";
    "WrongKey", "AUTHENTICATION_BYPASS", &["REQ-STRIPE-5", "REQ-STRIPE-8"],
    "A signature under another secret, or under the secret's base64-decoded bytes (the Standard Webhooks rule).",
    "Anyone who knows another secret forges events.";
    "KeyRotation", "FUNCTIONALITY", &["REQ-STRIPE-6"],
    "Several v1 signatures, one under the current secret, in either order.",
    "Deliveries fail while a secret is rolled.";
    "SchemeDowngrade", "AUTHENTICATION_BYPASS", &["REQ-STRIPE-3", "REQ-STRIPE-6"],
    "The right MAC under v0 or another scheme only, or a bad v1 beside a good v0.",
    "A verifier that trusts other schemes can be downgraded.";
    "SignatureMangled", "AUTHENTICATION_BYPASS", &["REQ-STRIPE-6"],
    "The right signature truncated, extended, in base64, or with a changed digit.",
    "A compare that stops early or decodes loosely accepts a signature Stripe never made.";
    "SignatureHexCase", "MALLEABILITY", &["REQ-STRIPE-6"],
    "The right MAC in upper-case hex. The documentation compares strings and says no more.",
    "The same signature has several accepted spellings (a malleability, not a forgery).";
    "MissingHeader", "MISSING_VALIDATION", &["REQ-STRIPE-1"],
    "No Stripe-Signature header, or an empty one.",
    "An event is accepted unsigned.";
    "HeaderNameCase", "FUNCTIONALITY", &["REQ-STRIPE-1"],
    "The header's name in other case: HTTP field names are case-insensitive.",
    "Genuine deliveries through proxies that change case are refused.";
    "RepeatedHeader", "PARSER_DIFFERENTIAL", &["REQ-STRIPE-2"],
    "The header sent twice. The documentation is silent; the reference refuses.",
    "The application and the verifier may read different values.";
    "MissingTimestamp", "MISSING_VALIDATION", &["REQ-STRIPE-3"],
    "A header with signatures and no t.",
    "An event is accepted without a timestamp, so forever.";
    "DuplicateTimestamp", "PARSER_DIFFERENTIAL", &["REQ-STRIPE-3"],
    "Two t parameters, the signature over one of them. The documentation is silent; the reference refuses.",
    "Implementations read different timestamps from the same header.";
    "ParameterSyntax", "ROBUSTNESS", &["REQ-STRIPE-3"],
    "Empty items, items without =, a value with a second =. The documentation splits on , and = and says no more.",
    "A verifier crashes on the header, or reads another value than its neighbour.";
    "TimestampSyntax", "MISSING_VALIDATION", &["REQ-STRIPE-4"],
    "Timestamps that are not integers (fractions, exponents, digit separators, non-ASCII digits, words, huge or negative values), with a signature over the exact text.",
    "A lax parser reads a different instant than the sender wrote, or crashes.";
    "TimestampLenient", "PARSER_DIFFERENTIAL", &["REQ-STRIPE-4"],
    "An integer written with a sign, leading zeros or surrounding whitespace. The documentation says timestamp and no more.",
    "Implementations differ on genuine-looking timestamps.";
    "TimestampReRendered", "PARSER_DIFFERENTIAL", &["REQ-STRIPE-4", "REQ-STRIPE-5"],
    "A lax timestamp with the signature over the number re-written, not over the header's text.",
    "The verifier authenticates a value it re-wrote: the header the application reads is not what was signed.";
    "TimestampNaN", "STALENESS", &["REQ-STRIPE-4", "REQ-STRIPE-7"],
    "A t that does not parse, with the signature over NaN, JavaScript's rendering of a failed parseInt.",
    "The age check compares NaN and is false: a signed event with such a t never expires.";
    "ToleranceBoundary", "STALENESS", &["REQ-STRIPE-7"],
    "A timestamp exactly the tolerance old. The documentation does not say whether the bound is inclusive.",
    "Implementations differ by one second at the edge.";
    "Expired", "STALENESS", &["REQ-STRIPE-7"],
    "A timestamp older than the tolerance.",
    "Captured events can be replayed late.";
    "FutureTimestamp", "STALENESS", &["REQ-STRIPE-7"],
    "A timestamp ahead of the clock by more than the tolerance. The documentation speaks of the difference between the timestamp and the current time; its libraries check age only.",
    "An event signed ahead of time stays replayable longer than the window.";
    "Replay", "REPLAY", &["REQ-STRIPE-APP-1"],
    "Application: the same event id delivered twice inside the window.",
    "A replayed event is processed twice.";
    "Oversize", "DENIAL_OF_SERVICE", &["REQ-STRIPE-APP-2"],
    "Application: a body one byte over the limit, and one exactly at it.",
    "Large bodies are hashed and parsed before anything refuses them.";
    "Misconfiguration", "MISCONFIGURATION", &["REQ-STRIPE-8"],
    "A config the receiver must refuse: an empty secret, one with surrounding whitespace, a misspelt member.",
    "A verifier runs with a key other than the one intended, or a limit silently ignored.";
    "Signer", "FUNCTIONALITY", &["REQ-STRIPE-9"],
    "The header a signer sends for a given timestamp and body.",
    "Receivers refuse what the signer sends.";
}

struct Ctx {
    config: Value,
    stripe: Stripe,
    secret: String,
    other: Stripe,
    tol: u64,
}

const BODY: &[u8] =
    br#"{"id":"evt_1NG8Du2eZvKYlo2CUI79vXWy","object":"event","type":"payment_intent.succeeded"}"#;

fn header(value: &str) -> Vec<(String, String)> {
    vec![(SIGNATURE_HEADER_SENT.into(), value.into())]
}

impl Ctx {
    fn ts(&self) -> String {
        NOW.to_string()
    }

    fn signed(&self, ts: &str, body: &[u8]) -> Message {
        Message {
            headers: header(&format!("t={ts},v1={}", self.stripe.signature(ts, body))),
            body: body.to_vec(),
        }
    }

    fn base(&self) -> Message {
        self.signed(&self.ts(), BODY)
    }

    fn with_header(&self, value: &str) -> Message {
        Message {
            headers: header(value),
            body: BODY.to_vec(),
        }
    }

    fn good(&self) -> String {
        self.stripe.signature(&self.ts(), BODY)
    }
}

/// Every file of the profile for `config`.
pub fn files(config: &Value) -> Result<Vec<File>, String> {
    let parsed = ProfileConfig::from_value(config, "REQ-STRIPE-8").map_err(|e| e.to_string())?;
    let other = ProfileConfig {
        secret: OTHER_SECRET.into(),
        ..parsed.clone()
    };
    let ctx = Ctx {
        config: config.clone(),
        stripe: Stripe::new(&parsed).map_err(|e| e.to_string())?,
        secret: parsed.secret.clone(),
        other: Stripe::new(&other).map_err(|e| e.to_string())?,
        tol: parsed.tolerance,
    };
    Ok(vec![
        message(&ctx),
        signature(&ctx),
        header_file(&ctx),
        timestamp(&ctx),
        application(&ctx, parsed.max_body_bytes),
        config_file(&ctx),
        sign(&ctx),
    ])
}

fn file(name: &'static str) -> File {
    File::new(Profile::Stripe, name, NOTES, SPEC)
}

fn message(ctx: &Ctx) -> File {
    let mut f = file("message");
    f.verify_group(&ctx.config);
    let ts = ctx.ts();
    let valid = |f: &mut File, comment: &str, flag, body: &[u8], expect| {
        f.verify(
            meta(
                "STRIPE-VALID",
                &["REQ-STRIPE-5", "REQ-STRIPE-6"],
                &[flag],
                comment,
            ),
            NOW,
            ctx.signed(&ctx.ts(), body),
            expect,
        );
    };
    valid(&mut f, "a JSON event", "Valid", BODY, Expect::Accept);
    valid(
        &mut f,
        "a JSON event with a multi-byte character",
        "Valid",
        "{\"id\":\"evt_1\",\"object\":\"event\",\"name\":\"Zoë\"}".as_bytes(),
        Expect::Accept,
    );
    valid(&mut f, "an empty body", "EmptyBody", b"", Expect::Either);
    valid(
        &mut f,
        "a body of text that is not JSON",
        "NonJsonBody",
        b"hello, world",
        Expect::Either,
    );
    valid(
        &mut f,
        "a body that is not UTF-8",
        "NonUtf8Body",
        NON_UTF8_A,
        Expect::Either,
    );
    let mut swapped = ctx.signed(&ts, NON_UTF8_A);
    swapped.body = NON_UTF8_B.to_vec();
    f.verify(
        meta(
            "STRIPE-BODY-BYTES",
            &["REQ-STRIPE-5"],
            &["LossyBodyDecoding"],
            "signed over one non-UTF-8 body, delivered with another that decodes to the same text",
        ),
        NOW,
        swapped,
        Expect::Reject("bad_signature"),
    );
    let lossy = String::from_utf8_lossy(NON_UTF8_A).into_owned();
    for (comment, body) in [
        (
            "signed over the U+FFFD text of a non-UTF-8 body, delivered with that body",
            NON_UTF8_A,
        ),
        (
            "signed over the U+FFFD text of one non-UTF-8 body, delivered with another",
            NON_UTF8_B,
        ),
    ] {
        let m = Message {
            headers: header(&format!(
                "t={ts},v1={}",
                ctx.stripe.signature(&ts, lossy.as_bytes())
            )),
            body: body.to_vec(),
        };
        f.verify(
            meta(
                "STRIPE-BODY-BYTES",
                &["REQ-STRIPE-5"],
                &["LossyBodyDecoding"],
                comment,
            ),
            NOW,
            m,
            Expect::Reject("bad_signature"),
        );
    }
    let t = ts.as_bytes();
    let other = |f: &mut File, comment: &str, parts: &[&[u8]]| {
        let v = format!("t={},v1={}", ctx.ts(), ctx.stripe.signature_of(parts));
        f.verify(
            meta(
                "STRIPE-MAC-OTHER",
                &["REQ-STRIPE-5"],
                &["ModifiedContent"],
                comment,
            ),
            NOW,
            ctx.with_header(&v),
            Expect::Reject("bad_signature"),
        );
    };
    other(&mut f, "the MAC of the body alone", &[BODY]);
    other(&mut f, "the MAC of the timestamp alone", &[t]);
    other(
        &mut f,
        "the MAC with another separator (t:body)",
        &[t, b":", BODY],
    );
    other(
        &mut f,
        "the MAC of body.t (parts swapped)",
        &[BODY, b".", t],
    );
    other(
        &mut f,
        "the MAC of t.body with a newline after the body",
        &[t, b".", BODY, b"\n"],
    );
    other(
        &mut f,
        "the MAC of another event",
        &[t, b".", br#"{"id":"evt_2","object":"event"}"#],
    );
    let mut changed = ctx.base();
    changed.body.push(b'\n');
    f.verify(
        meta(
            "STRIPE-MAC-OTHER",
            &["REQ-STRIPE-5"],
            &["ModifiedContent"],
            "the body with a newline appended",
        ),
        NOW,
        changed,
        Expect::Reject("bad_signature"),
    );
    let v = format!("t={},v1={}", NOW - 1, ctx.good());
    f.verify(
        meta(
            "STRIPE-MAC-OTHER",
            &["REQ-STRIPE-5"],
            &["ModifiedContent"],
            "t moved one second, inside the window",
        ),
        NOW,
        ctx.with_header(&v),
        Expect::Reject("bad_signature"),
    );
    let v = format!("t={ts},v1={}", ctx.other.signature(&ts, BODY));
    f.verify(
        meta(
            "STRIPE-KEY-OTHER",
            &["REQ-STRIPE-5"],
            &["WrongKey"],
            "signed with another endpoint's secret",
        ),
        NOW,
        ctx.with_header(&v),
        Expect::Reject("bad_signature"),
    );
    let decoded = base64_key(&ctx.secret);
    let v = format!("t={ts},v1={}", hex_hmac(&decoded, &[t, b".", BODY]));
    f.verify(meta("STRIPE-KEY-OTHER", &["REQ-STRIPE-5"], &["WrongKey"], "keyed with the base64 decoding of the secret after whsec_ (the Standard Webhooks rule)"), NOW, ctx.with_header(&v), Expect::Reject("bad_signature"));
    let stripped = ctx.secret.trim_start_matches("whsec_");
    let v = format!(
        "t={ts},v1={}",
        hex_hmac(stripped.as_bytes(), &[t, b".", BODY])
    );
    f.verify(
        meta(
            "STRIPE-KEY-OTHER",
            &["REQ-STRIPE-5"],
            &["WrongKey"],
            "keyed with the secret without its whsec_ prefix",
        ),
        NOW,
        ctx.with_header(&v),
        Expect::Reject("bad_signature"),
    );
    let old = ctx.other.signature(&ts, BODY);
    let good = ctx.good();
    for (comment, v) in [
        (
            "the old secret's v1, then the current one",
            format!("t={ts},v1={old},v1={good}"),
        ),
        (
            "the current secret's v1, then the old one",
            format!("t={ts},v1={good},v1={old}"),
        ),
        ("signatures before t", format!("v1={old},v1={good},t={ts}")),
        (
            "a v0 (test mode) beside the right v1",
            format!("t={ts},v1={good},v0={old}"),
        ),
        (
            "an unknown scheme beside the right v1",
            format!("t={ts},v2=abc,v1={good}"),
        ),
    ] {
        f.verify(
            meta(
                "STRIPE-ROTATION",
                &["REQ-STRIPE-3", "REQ-STRIPE-6"],
                &["KeyRotation"],
                comment,
            ),
            NOW,
            ctx.with_header(&v),
            Expect::Accept,
        );
    }
    for (comment, v, expect) in [
        (
            "the right MAC under v0 only",
            format!("t={ts},v0={good}"),
            "no_signature",
        ),
        (
            "the right MAC under v2 only",
            format!("t={ts},v2={good}"),
            "no_signature",
        ),
        (
            "the right MAC under V1 (upper case)",
            format!("t={ts},V1={good}"),
            "no_signature",
        ),
        (
            "a bad v1 beside the right MAC under v0",
            format!("t={ts},v1={old},v0={good}"),
            "bad_signature",
        ),
    ] {
        f.verify(
            meta(
                "STRIPE-DOWNGRADE",
                &["REQ-STRIPE-3", "REQ-STRIPE-6"],
                &["SchemeDowngrade"],
                comment,
            ),
            NOW,
            ctx.with_header(&v),
            Expect::Reject(expect),
        );
    }
    f
}

/// The bytes a Standard Webhooks library would use as the key: base64 after `whsec_`.
fn base64_key(secret: &str) -> Vec<u8> {
    use base64::Engine;
    let text = secret.trim_start_matches("whsec_");
    base64::engine::general_purpose::STANDARD_NO_PAD
        .decode(text.trim_end_matches('='))
        .unwrap_or_else(|_| text.as_bytes().to_vec())
}

fn signature(ctx: &Ctx) -> File {
    let mut f = file("signature");
    f.verify_group(&ctx.config);
    let ts = ctx.ts();
    let good = ctx.good();
    let mangled = |f: &mut File, comment: &str, sig: String| {
        let v = format!("t={ts},v1={sig}");
        f.verify(
            meta(
                "STRIPE-SIG-MANGLED",
                &["REQ-STRIPE-6"],
                &["SignatureMangled"],
                comment,
            ),
            NOW,
            ctx.with_header(&v),
            Expect::Reject("bad_signature"),
        );
    };
    mangled(
        &mut f,
        "truncated by one digit",
        good[..good.len() - 1].to_owned(),
    );
    mangled(&mut f, "truncated to 32 digits", good[..32].to_owned());
    mangled(&mut f, "an empty signature", String::new());
    mangled(&mut f, "extended by one digit", format!("{good}0"));
    mangled(&mut f, "the MAC in base64 instead of hex", {
        use base64::Engine;
        base64::engine::general_purpose::STANDARD
            .encode(sipc_reference::hex::decode_any_case(&good).unwrap_or_default())
    });
    let mut last = good.clone();
    let flipped = match last.pop() {
        Some('0') => '1',
        _ => '0',
    };
    last.push(flipped);
    mangled(&mut f, "the last digit changed", last);
    mangled(&mut f, "a space before the signature", format!(" {good}"));
    f.verify(
        meta(
            "STRIPE-SIG-CASE",
            &["REQ-STRIPE-6"],
            &["SignatureHexCase"],
            "the right MAC in upper-case hex",
        ),
        NOW,
        ctx.with_header(&format!("t={ts},v1={}", good.to_ascii_uppercase())),
        Expect::Either,
    );
    f.verify(
        meta(
            "STRIPE-SIG-CASE",
            &["REQ-STRIPE-6"],
            &["SignatureHexCase"],
            "the right MAC with one hex letter in upper case",
        ),
        NOW,
        ctx.with_header(&format!("t={ts},v1={}", flip_case_at(&good))),
        Expect::Either,
    );
    f
}

fn header_file(ctx: &Ctx) -> File {
    let mut f = file("header");
    f.verify_group(&ctx.config);
    let ts = ctx.ts();
    let good = ctx.good();
    f.verify(
        meta(
            "STRIPE-HEADER-MISSING",
            &["REQ-STRIPE-1"],
            &["MissingHeader"],
            "no Stripe-Signature header",
        ),
        NOW,
        Message {
            headers: Vec::new(),
            body: BODY.to_vec(),
        },
        Expect::Reject("missing_header"),
    );
    f.verify(
        meta(
            "STRIPE-HEADER-MISSING",
            &["REQ-STRIPE-1"],
            &["MissingHeader"],
            "an empty Stripe-Signature header",
        ),
        NOW,
        ctx.with_header(""),
        Expect::Reject("missing_header"),
    );
    let mut m = ctx.base();
    m.headers
        .insert(0, ("X-Stripe-Signature".into(), "t=1,v1=00".into()));
    f.verify(
        meta(
            "STRIPE-HEADER-CASE",
            &["REQ-STRIPE-1"],
            &["Valid"],
            "another header whose name ends like it, before it",
        ),
        NOW,
        m,
        Expect::Accept,
    );
    for (comment, name) in [
        ("the name in lower case", "stripe-signature"),
        ("the name in upper case", "STRIPE-SIGNATURE"),
    ] {
        let mut m = ctx.base();
        if let Some((n, _)) = m.headers.first_mut() {
            *n = name.into();
        }
        f.verify(
            meta(
                "STRIPE-HEADER-CASE",
                &["REQ-STRIPE-1"],
                &["HeaderNameCase"],
                comment,
            ),
            NOW,
            m,
            Expect::Accept,
        );
    }
    let mut m = ctx.base();
    if let Some(h) = m.headers.first().cloned() {
        m.headers.push(h);
    }
    f.verify(
        meta(
            "STRIPE-HEADER-REPEAT",
            &["REQ-STRIPE-2"],
            &["RepeatedHeader"],
            "the header twice, the same value",
        ),
        NOW,
        m,
        Expect::Either,
    );
    let mut m = ctx.base();
    m.headers
        .insert(0, (SIGNATURE_HEADER_SENT.into(), "t=1,v1=00".into()));
    f.verify(
        meta(
            "STRIPE-HEADER-REPEAT",
            &["REQ-STRIPE-2"],
            &["RepeatedHeader"],
            "a bad header first, then the good one",
        ),
        NOW,
        m,
        Expect::Either,
    );
    let param = |f: &mut File, flag, comment: &str, v: String, expect| {
        f.verify(
            meta("STRIPE-HEADER-PARAMS", &["REQ-STRIPE-3"], &[flag], comment),
            NOW,
            ctx.with_header(&v),
            expect,
        );
    };
    param(
        &mut f,
        "MissingTimestamp",
        "no t",
        format!("v1={good}"),
        Expect::Reject("malformed_header"),
    );
    param(
        &mut f,
        "MissingTimestamp",
        "t with no value",
        format!("t=,v1={good}"),
        Expect::Reject("malformed_timestamp"),
    );
    param(
        &mut f,
        "MissingTimestamp",
        "T in upper case",
        format!("T={ts},v1={good}"),
        Expect::Reject("malformed_header"),
    );
    let stale = (NOW - 10 * ctx.tol).to_string();
    let stale_sig = ctx.stripe.signature(&stale, BODY);
    param(
        &mut f,
        "DuplicateTimestamp",
        "t twice, the same value",
        format!("t={ts},t={ts},v1={good}"),
        Expect::Either,
    );
    param(
        &mut f,
        "DuplicateTimestamp",
        "a stale t, then a fresh t; the signature over the fresh one",
        format!("t={stale},t={ts},v1={good}"),
        Expect::Either,
    );
    param(
        &mut f,
        "DuplicateTimestamp",
        "a fresh t, then a stale t; the signature over the stale one",
        format!("t={ts},t={stale},v1={stale_sig}"),
        Expect::Either,
    );
    param(
        &mut f,
        "ParameterSyntax",
        "an empty item between t and v1",
        format!("t={ts},,v1={good}"),
        Expect::Either,
    );
    param(
        &mut f,
        "ParameterSyntax",
        "a trailing comma",
        format!("t={ts},v1={good},"),
        Expect::Either,
    );
    param(
        &mut f,
        "ParameterSyntax",
        "an item without =",
        format!("t={ts},junk,v1={good}"),
        Expect::Either,
    );
    param(
        &mut f,
        "ParameterSyntax",
        "the right signature with =junk after it",
        format!("t={ts},v1={good}=junk"),
        Expect::Either,
    );
    param(
        &mut f,
        "ParameterSyntax",
        "a space after the comma",
        format!("t={ts}, v1={good}"),
        Expect::Reject("no_signature"),
    );
    param(
        &mut f,
        "ParameterSyntax",
        "a space before t",
        format!(" t={ts},v1={good}"),
        Expect::Reject("malformed_header"),
    );
    param(
        &mut f,
        "ParameterSyntax",
        "semicolons instead of commas",
        format!("t={ts};v1={good}"),
        Expect::Reject("malformed_timestamp"),
    );
    f
}

fn timestamp(ctx: &Ctx) -> File {
    let mut f = file("timestamp");
    f.verify_group(&ctx.config);
    let t = ctx.ts();
    for (comment, text, class) in super::timestamp_texts(&t) {
        let (flag, expect) = match class {
            TsClass::Lenient => ("TimestampLenient", Expect::Either),
            // Digits beyond 2^53 - 1 spell a far-future instant, which Stripe's documentation
            // neither allows nor forbids (REQ-STRIPE-7).
            TsClass::Invalid if text.bytes().all(|b| b.is_ascii_digit()) => {
                ("FutureTimestamp", Expect::Either)
            }
            TsClass::Invalid => ("TimestampSyntax", Expect::Reject("malformed_timestamp")),
        };
        if text.contains(',') {
            continue;
        }
        f.verify(
            meta(
                "STRIPE-TS-SYNTAX",
                &["REQ-STRIPE-4"],
                &[flag],
                format!("{comment}, signed over the text as sent"),
            ),
            NOW,
            ctx.signed(&text, BODY),
            expect,
        );
    }
    for (comment, text, _) in super::timestamp_texts(&t) {
        if text.contains(',') {
            continue;
        }
        for reading in super::lax_readings(&text) {
            let v = format!("t={text},v1={}", ctx.stripe.signature(&reading, BODY));
            let flag = if reading == "NaN" {
                "TimestampNaN"
            } else {
                "TimestampReRendered"
            };
            f.verify(
                meta(
                    "STRIPE-TS-RERENDERED",
                    &["REQ-STRIPE-4", "REQ-STRIPE-5", "REQ-STRIPE-7"],
                    &[flag],
                    format!("{comment}, signed over {reading} as a lax parser reads it"),
                ),
                NOW,
                ctx.with_header(&v),
                Expect::Reject("malformed_timestamp"),
            );
        }
    }
    for (flag, comment, ts, expect) in
        super::tolerance_rows(NOW, ctx.tol, ("FutureTimestamp", Expect::Either))
    {
        f.verify(
            meta("STRIPE-TOLERANCE", &["REQ-STRIPE-7"], &[flag], comment),
            NOW,
            ctx.signed(&ts.to_string(), BODY),
            expect,
        );
    }
    f
}

fn application(ctx: &Ctx, max_body: u64) -> File {
    let mut f = file("application");
    f.application_group(&ctx.config);
    let limit = usize::try_from(max_body).unwrap_or(usize::MAX).min(1 << 20);
    let padded = |n: usize, id: &str| {
        let head = format!("{{\"id\":\"{id}\",\"pad\":\"");
        let fill = n.saturating_sub(head.len() + 2);
        let mut body = head.into_bytes();
        body.extend(std::iter::repeat_n(b'a', fill));
        body.extend_from_slice(b"\"}");
        body
    };
    let messages = super::AppMessages {
        base: ctx.base(),
        resent: ctx.signed(&(NOW + 5).to_string(), BODY),
        other: ctx.signed(&ctx.ts(), br#"{"id":"evt_other","object":"event"}"#),
        at_limit: (
            ctx.signed(&ctx.ts(), &padded(limit, "evt_size_a")),
            ctx.signed(&ctx.ts(), &padded(limit + 1, "evt_size_b")),
        ),
    };
    super::application_families(
        &mut f,
        ("STRIPE-APP-REPLAY", "STRIPE-APP-SIZE"),
        ("REQ-STRIPE-APP-1", "REQ-STRIPE-APP-2", "REQ-STRIPE-7"),
        messages,
        ctx.tol,
        limit,
    );
    let no_id = ctx.signed(&ctx.ts(), br#"{"object":"event"}"#);
    f.application(
        meta(
            "STRIPE-APP-REPLAY",
            &["REQ-STRIPE-APP-1"],
            &["Replay"],
            "an authentic body without an event id: nothing to de-duplicate on",
        ),
        vec![Step {
            now: NOW,
            message: no_id,
            expect: Expect::Reject("malformed_body"),
        }],
    );
    f
}

fn config_file(ctx: &Ctx) -> File {
    let mut f = file("config");
    let with = |name: &str, value: Value| super::with_member(&ctx.config, name, value);
    for (comment, config, field) in [
        (
            "an empty secret",
            with("secret", Value::string("")),
            "secret",
        ),
        (
            "the secret with a trailing newline (pasted from a file)",
            with("secret", Value::string(&format!("{}\n", ctx.secret))),
            "secret",
        ),
        (
            "the secret with a leading space",
            with("secret", Value::string(&format!(" {}", ctx.secret))),
            "secret",
        ),
        (
            "a misspelt member",
            with("tolerance", Value::uint(300)),
            "tolerance",
        ),
    ] {
        f.verify_group(&config);
        f.verify_under_invalid_config(
            meta(
                "STRIPE-CONFIG",
                &["REQ-STRIPE-8"],
                &["Misconfiguration"],
                comment,
            ),
            NOW,
            ctx.base(),
            field,
        );
    }
    f
}

fn sign(ctx: &Ctx) -> File {
    let mut f = file("sign");
    f.sign_group(&ctx.config);
    f.sign(
        meta(
            "STRIPE-SIGN",
            &["REQ-STRIPE-9"],
            &["Signer"],
            "a JSON event",
        ),
        "",
        NOW,
        BODY,
    );
    f.sign(
        meta(
            "STRIPE-SIGN",
            &["REQ-STRIPE-9"],
            &["Signer"],
            "another timestamp",
        ),
        "",
        NOW - 60,
        BODY,
    );
    f
}
