//! The vectors of the `standard-webhooks` profile (spec/profiles/standard-webhooks.md).

use super::build::{Expect, File};
use super::{b64_variants, flip_case_at, TsClass, NON_UTF8_A, NON_UTF8_B};
use crate::suite::meta;
use crate::NOW;
use sipc_profiles::standard_webhooks::{
    StandardWebhooks, ID_HEADER, SIGNATURE_HEADER, TIMESTAMP_HEADER,
};
use sipc_profiles::{Message, Profile, ProfileConfig};
use sipc_reference::json::Value;

const SPEC: &str = "spec/profiles/standard-webhooks.md";

/// The config of the published vectors: a 32-byte key, the libraries' five minutes.
pub const DEFAULT_CONFIG: &str = r#"{"secret":"whsec_c2lwYy1zdGFuZGFyZC13ZWJob29rcy12ZWN0b3Ita2V5IQ==","tolerance_seconds":300,"application":{"max_body_bytes":1024,"max_ids":1000}}"#;

/// Another key, for signatures the receiver must not trust.
const OTHER_SECRET: &str = "whsec_b3RoZXIta2V5LW9mLWFub3RoZXItZW5kcG9pbnQ=";

crate::notes::notes! {
    "Valid", "FUNCTIONALITY", &["REQ-SW-5", "REQ-SW-8"],
    "A correctly signed message inside the tolerance window.",
    "Refusing it breaks genuine deliveries.";
    "NonJsonBody", "FUNCTIONALITY", &["REQ-SW-5"],
    "A body that is not JSON: the scheme signs the body's bytes, whatever they are.",
    "A verifier that parses the body before (or while) verifying refuses or crashes on genuine deliveries.";
    "NonUtf8Body", "FUNCTIONALITY", &["REQ-SW-5"],
    "A body that is not UTF-8. The specification speaks of JSON payloads and says nothing of bytes that are not text.",
    "A verifier that decodes the body as text refuses it, or crashes.";
    "LossyBodyDecoding", "AUTHENTICATION_BYPASS", &["REQ-SW-5"],
    "The signature of one non-UTF-8 body delivered with another that decodes to the same text with U+FFFD replacements.",
    "The signature does not bind the body: bytes that were never signed are accepted.";
    "ModifiedContent", "AUTHENTICATION_BYPASS", &["REQ-SW-5"],
    "A signature over other bytes: another body, id or timestamp, other separators, a part left out.",
    "Messages are accepted whose content was not signed.";
    "WrongKey", "AUTHENTICATION_BYPASS", &["REQ-SW-6"],
    "A signature under another key, or under the secret's text instead of its decoded bytes.",
    "Anyone who knows another key, or the key's encoding rule, forges messages.";
    "KeyRotation", "FUNCTIONALITY", &["REQ-SW-7", "REQ-SW-8"],
    "Several signatures, one of them under the current key, in either order.",
    "Deliveries fail during a key rotation.";
    "SignatureMangled", "AUTHENTICATION_BYPASS", &["REQ-SW-8"],
    "The right signature truncated, extended, with a letter's case changed, or hex instead of base64.",
    "A compare that stops early or decodes loosely accepts a signature the sender never made.";
    "SignatureTrailingData", "MALLEABILITY", &["REQ-SW-7", "REQ-SW-8"],
    "The right signature followed by more: characters after the padding, a comma and another value.",
    "A verifier that reads only a prefix accepts a signature the sender never sent (a malleability, not a forgery).";
    "SignatureEncoding", "MALLEABILITY", &["REQ-SW-8"],
    "The right MAC in another base64 form: no padding, the URL alphabet, other unused trailing bits. The specification says base64 and no more.",
    "The same signature has several accepted spellings (a malleability, not a forgery).";
    "UnknownVersion", "AUTHENTICATION_BYPASS", &["REQ-SW-7"],
    "The right MAC under a version other than v1 (v1a, v2, V1), or none.",
    "A verifier that ignores the version accepts signatures of a scheme it does not implement.";
    "EmptySignatureEntry", "ROBUSTNESS", &["REQ-SW-7"],
    "Leading, trailing or doubled spaces in the signature list. The specification says space delimited and no more.",
    "Genuine deliveries with stray spaces are refused, or crash the verifier.";
    "MalformedSignatureEntry", "ROBUSTNESS", &["REQ-SW-7"],
    "An entry without a comma, or with two, beside a good signature. The specification does not say whether one bad entry spoils the list.",
    "A verifier crashes on the header, or is refused where another accepts.";
    "MissingHeader", "MISSING_VALIDATION", &["REQ-SW-1"],
    "A required header absent or empty.",
    "A message is accepted without the data the signature should cover.";
    "HeaderNameCase", "FUNCTIONALITY", &["REQ-SW-1"],
    "Header names in other case: HTTP field names are case-insensitive.",
    "Genuine deliveries through proxies that change case are refused.";
    "RepeatedHeader", "PARSER_DIFFERENTIAL", &["REQ-SW-2"],
    "A header sent twice. The specification is silent; the reference refuses.",
    "The application and the verifier may read different values of the same header.";
    "VendorHeaderNames", "FUNCTIONALITY", &["REQ-SW-1"],
    "The svix-id, svix-timestamp and svix-signature names of one vendor's older scheme, which the specification does not define.",
    "A verifier accepts headers the profile does not define (same key, so not a forgery).";
    "DelimiterInId", "AUTHENTICATION_BYPASS", &["REQ-SW-3"],
    "An id with a full stop, including one that shifts the id/timestamp/body boundary of a genuine signature. The specification asks senders not to use one; it does not say what a verifier does.",
    "The signed content splits into id, timestamp and body in more than one way.";
    "TimestampSyntax", "MISSING_VALIDATION", &["REQ-SW-4"],
    "Timestamps that are not integers (fractions, exponents, digit separators, non-ASCII digits, words, huge or negative values), with a signature over the exact header text.",
    "A lax parser reads a different instant than the sender wrote, or crashes.";
    "TimestampLenient", "PARSER_DIFFERENTIAL", &["REQ-SW-4"],
    "An integer written with a sign, leading zeros or surrounding whitespace. The specification says integer and no more.",
    "Implementations differ on genuine-looking timestamps.";
    "TimestampReRendered", "PARSER_DIFFERENTIAL", &["REQ-SW-4", "REQ-SW-5"],
    "A lax timestamp with a signature over the number re-written in canonical form, not over the header's text.",
    "The verifier authenticates a value it re-wrote: the header the application reads is not what was signed.";
    "ToleranceBoundary", "STALENESS", &["REQ-SW-9"],
    "A timestamp exactly the tolerance away, in either direction. The specification does not say whether the bound is inclusive.",
    "Implementations differ by one second at the edge of the window.";
    "Expired", "STALENESS", &["REQ-SW-9"],
    "A timestamp older than the tolerance.",
    "Captured messages can be replayed late.";
    "FromFuture", "STALENESS", &["REQ-SW-9"],
    "A timestamp further ahead than the tolerance.",
    "A message signed ahead of time stays replayable longer than the window.";
    "Replay", "REPLAY", &["REQ-SW-APP-1"],
    "Application: the same id delivered twice inside the window, and an id recorded only once authenticated.",
    "A replayed delivery is processed twice.";
    "Oversize", "DENIAL_OF_SERVICE", &["REQ-SW-APP-2"],
    "Application: a body one byte over the limit, and one exactly at it.",
    "Large bodies are hashed and parsed before anything refuses them.";
    "Misconfiguration", "MISCONFIGURATION", &["REQ-SW-6"],
    "A config the receiver must refuse: a secret without its prefix, not base64, a key too short or too long, a bad or misspelt member.",
    "A verifier runs with a key other than the one intended, or a limit silently ignored.";
    "Signer", "FUNCTIONALITY", &["REQ-SW-10"],
    "The headers a signer sends for a given id, timestamp and body.",
    "Receivers refuse what the signer sends.";
}

struct Ctx {
    config: Value,
    sw: StandardWebhooks,
    other: StandardWebhooks,
    tol: u64,
}

fn signer(secret: &str, tol: u64) -> Result<StandardWebhooks, String> {
    let config = ProfileConfig {
        secret: secret.into(),
        tolerance: tol,
        max_body_bytes: 0,
        max_ids: 1,
    };
    StandardWebhooks::new(&config).map_err(|e| format!("config: {e}"))
}

fn headers(id: &str, ts: &str, sig: &str) -> Vec<(String, String)> {
    vec![
        (ID_HEADER.into(), id.into()),
        (TIMESTAMP_HEADER.into(), ts.into()),
        (SIGNATURE_HEADER.into(), sig.into()),
    ]
}

const ID: &str = "msg_2KWPBgLlAfxdpx2AI54pPJ85f4W";
const BODY: &[u8] = br#"{"type":"contact.created","data":{"id":"1f81eb52"}}"#;

impl Ctx {
    fn ts(&self) -> String {
        NOW.to_string()
    }

    /// A message with the given parts, signed correctly.
    fn signed(&self, id: &str, ts: &str, body: &[u8]) -> Message {
        let sig = format!("v1,{}", self.sw.signature(id, ts, body));
        Message {
            headers: headers(id, ts, &sig),
            body: body.to_vec(),
        }
    }

    /// The base message at `NOW`.
    fn base(&self) -> Message {
        self.signed(ID, &self.ts(), BODY)
    }

    /// The base parts with `sig` as the whole signature header.
    fn with_sig(&self, sig: &str) -> Message {
        Message {
            headers: headers(ID, &self.ts(), sig),
            body: BODY.to_vec(),
        }
    }

    fn good(&self) -> String {
        self.sw.signature(ID, &self.ts(), BODY)
    }
}

/// Every file of the profile for `config` (the default when `None`).
pub fn files(config: &Value) -> Result<Vec<File>, String> {
    let parsed = ProfileConfig::from_value(config, "REQ-SW-6").map_err(|e| e.to_string())?;
    let ctx = Ctx {
        config: config.clone(),
        sw: StandardWebhooks::new(&parsed).map_err(|e| e.to_string())?,
        other: signer(OTHER_SECRET, parsed.tolerance)?,
        tol: parsed.tolerance,
    };
    Ok(vec![
        message(&ctx),
        signature(&ctx),
        header(&ctx),
        timestamp(&ctx, parsed.tolerance),
        application(&ctx, parsed.max_body_bytes),
        config_file(&ctx),
        sign(&ctx),
    ])
}

fn file(name: &'static str) -> File {
    File::new(Profile::StandardWebhooks, name, NOTES, SPEC)
}

fn message(ctx: &Ctx) -> File {
    let mut f = file("message");
    f.verify_group(&ctx.config);
    let ts = ctx.ts();
    let valid = |f: &mut File, comment: &str, flags: &[&'static str], body: &[u8], expect| {
        f.verify(
            meta("SW-VALID", &["REQ-SW-5", "REQ-SW-8"], flags, comment),
            NOW,
            ctx.signed(ID, &ctx.ts(), body),
            expect,
        );
    };
    valid(&mut f, "a JSON body", &["Valid"], BODY, Expect::Accept);
    valid(&mut f, "an empty body", &["Valid"], b"", Expect::Accept);
    valid(
        &mut f,
        "a body of text that is not JSON",
        &["NonJsonBody"],
        b"hello, world",
        Expect::Accept,
    );
    valid(
        &mut f,
        "a JSON body with a multi-byte character",
        &["Valid"],
        "{\"name\":\"Zoë\"}".as_bytes(),
        Expect::Accept,
    );
    valid(
        &mut f,
        "a body with NUL and control bytes (valid UTF-8)",
        &["NonJsonBody"],
        b"\x00\x01\x02\x7f",
        Expect::Accept,
    );
    valid(
        &mut f,
        "a body that is not UTF-8",
        &["NonUtf8Body"],
        NON_UTF8_A,
        Expect::Either,
    );
    valid(
        &mut f,
        "a body of 0xFF bytes",
        &["NonUtf8Body"],
        b"\xff\xfe\xfd",
        Expect::Either,
    );
    let mut swapped = ctx.signed(ID, &ts, NON_UTF8_A);
    swapped.body = NON_UTF8_B.to_vec();
    f.verify(
        meta(
            "SW-BODY-BYTES",
            &["REQ-SW-5"],
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
        let sig = format!("v1,{}", ctx.sw.signature(ID, &ts, lossy.as_bytes()));
        let m = Message {
            headers: headers(ID, &ts, &sig),
            body: body.to_vec(),
        };
        f.verify(
            meta(
                "SW-BODY-BYTES",
                &["REQ-SW-5"],
                &["LossyBodyDecoding"],
                comment,
            ),
            NOW,
            m,
            Expect::Reject("bad_signature"),
        );
    }
    // MAC over other bytes.
    let body = BODY;
    let other = |f: &mut File, comment: &str, parts: &[&[u8]]| {
        let sig = format!("v1,{}", ctx.sw.signature_of(parts));
        f.verify(
            meta("SW-MAC-OTHER", &["REQ-SW-5"], &["ModifiedContent"], comment),
            NOW,
            ctx.with_sig(&sig),
            Expect::Reject("bad_signature"),
        );
    };
    let (id, t) = (ID.as_bytes(), ts.as_bytes());
    other(&mut f, "the MAC of the body alone", &[body]);
    other(
        &mut f,
        "the MAC of id.timestamp without the body",
        &[id, b".", t],
    );
    other(
        &mut f,
        "the MAC of id.timestamp. with a newline after the body",
        &[id, b".", t, b".", body, b"\n"],
    );
    other(
        &mut f,
        "the MAC with other separators (id:timestamp:body)",
        &[id, b":", t, b":", body],
    );
    other(
        &mut f,
        "the MAC of timestamp.id.body (parts swapped)",
        &[t, b".", id, b".", body],
    );
    other(
        &mut f,
        "the MAC of timestamp.body (Stripe's content)",
        &[t, b".", body],
    );
    other(
        &mut f,
        "the MAC of another body",
        &[id, b".", t, b".", br#"{"type":"contact.deleted"}"#],
    );
    let mut changed = ctx.base();
    changed.body.push(b' ');
    f.verify(
        meta(
            "SW-MAC-OTHER",
            &["REQ-SW-5"],
            &["ModifiedContent"],
            "the body with a space appended",
        ),
        NOW,
        changed,
        Expect::Reject("bad_signature"),
    );
    let mut changed = ctx.base();
    if let Some((_, id)) = changed.headers.first_mut() {
        id.push('x');
    }
    f.verify(
        meta(
            "SW-MAC-OTHER",
            &["REQ-SW-5"],
            &["ModifiedContent"],
            "the id changed",
        ),
        NOW,
        changed,
        Expect::Reject("bad_signature"),
    );
    let mut changed = ctx.base();
    if let Some((_, t)) = changed.headers.get_mut(1) {
        *t = (NOW - 1).to_string();
    }
    f.verify(
        meta(
            "SW-MAC-OTHER",
            &["REQ-SW-5"],
            &["ModifiedContent"],
            "the timestamp moved one second, inside the window",
        ),
        NOW,
        changed,
        Expect::Reject("bad_signature"),
    );
    // Other keys.
    let sig = format!("v1,{}", ctx.other.signature(ID, &ts, BODY));
    f.verify(
        meta(
            "SW-KEY-OTHER",
            &["REQ-SW-6"],
            &["WrongKey"],
            "signed with another endpoint's key",
        ),
        NOW,
        ctx.with_sig(&sig),
        Expect::Reject("bad_signature"),
    );
    for (comment, secret_text) in [
        (
            "keyed with the secret's text, whsec_ prefix included (Stripe's rule)",
            super::secret_text(&ctx.config),
        ),
        (
            "keyed with the secret's base64 text without the prefix",
            super::secret_text(&ctx.config)
                .trim_start_matches("whsec_")
                .to_owned(),
        ),
    ] {
        let sig = format!(
            "v1,{}",
            super::b64_hmac(
                secret_text.as_bytes(),
                &[ID.as_bytes(), b".", ts.as_bytes(), b".", BODY]
            )
        );
        f.verify(
            meta("SW-KEY-OTHER", &["REQ-SW-6"], &["WrongKey"], comment),
            NOW,
            ctx.with_sig(&sig),
            Expect::Reject("bad_signature"),
        );
    }
    // Rotation.
    let old = ctx.other.signature(ID, &ts, BODY);
    let good = ctx.good();
    for (comment, header) in [
        (
            "the old key's signature, then the current one",
            format!("v1,{old} v1,{good}"),
        ),
        (
            "the current key's signature, then the old one",
            format!("v1,{good} v1,{old}"),
        ),
        (
            "three signatures, the current one last",
            format!("v1,{old} v1,{old} v1,{good}"),
        ),
    ] {
        f.verify(
            meta(
                "SW-ROTATION",
                &["REQ-SW-7", "REQ-SW-8"],
                &["KeyRotation"],
                comment,
            ),
            NOW,
            ctx.with_sig(&header),
            Expect::Accept,
        );
    }
    f
}

fn signature(ctx: &Ctx) -> File {
    let mut f = file("signature");
    f.verify_group(&ctx.config);
    let good = ctx.good();
    let mangled = |f: &mut File, comment: &str, sig: String| {
        f.verify(
            meta(
                "SW-SIG-MANGLED",
                &["REQ-SW-8"],
                &["SignatureMangled"],
                comment,
            ),
            NOW,
            ctx.with_sig(&format!("v1,{sig}")),
            Expect::Reject("bad_signature"),
        );
    };
    mangled(
        &mut f,
        "truncated by one character",
        good[..good.len() - 1].to_owned(),
    );
    mangled(&mut f, "truncated to 16 characters", good[..16].to_owned());
    mangled(&mut f, "an empty signature", String::new());
    let trailing = |f: &mut File, comment: &str, header: String| {
        f.verify(
            meta(
                "SW-SIG-TRAILING",
                &["REQ-SW-7", "REQ-SW-8"],
                &["SignatureTrailingData"],
                comment,
            ),
            NOW,
            ctx.with_sig(&header),
            Expect::Reject("bad_signature"),
        );
    };
    trailing(
        &mut f,
        "extended by one character after the padding",
        format!("v1,{good}A"),
    );
    trailing(
        &mut f,
        "extended by a second padding block",
        format!("v1,{good}AAA="),
    );
    trailing(
        &mut f,
        "the right signature with a comma and more after it",
        format!("v1,{good},{good}"),
    );
    trailing(
        &mut f,
        "signatures separated by a comma instead of a space",
        format!("v1,{good},v1,{good}"),
    );
    mangled(&mut f, "one letter's case changed", flip_case_at(&good));
    mangled(
        &mut f,
        "the MAC in hex instead of base64",
        super::b64_to_hex(&good),
    );
    mangled(
        &mut f,
        "the first byte of the MAC changed",
        super::b64_flip_first_byte(&good),
    );
    for (comment, variant) in b64_variants(&good) {
        f.verify(
            meta(
                "SW-SIG-ENCODING",
                &["REQ-SW-8"],
                &["SignatureEncoding"],
                comment,
            ),
            NOW,
            ctx.with_sig(&format!("v1,{variant}")),
            Expect::Either,
        );
    }
    let version = |f: &mut File, comment: &str, header: String, expect| {
        f.verify(
            meta(
                "SW-SIG-VERSION",
                &["REQ-SW-7"],
                &["UnknownVersion"],
                comment,
            ),
            NOW,
            ctx.with_sig(&header),
            expect,
        );
    };
    version(
        &mut f,
        "the right MAC under v2",
        format!("v2,{good}"),
        Expect::Reject("no_signature"),
    );
    version(
        &mut f,
        "the right MAC under v1a (the asymmetric scheme)",
        format!("v1a,{good}"),
        Expect::Reject("no_signature"),
    );
    version(
        &mut f,
        "the right MAC under V1 (upper case)",
        format!("V1,{good}"),
        Expect::Reject("no_signature"),
    );
    version(
        &mut f,
        "the right MAC under v1 with a space before the comma",
        format!("v1 ,{good}"),
        Expect::Reject("malformed_header"),
    );
    version(
        &mut f,
        "the right MAC with an empty version",
        format!(",{good}"),
        Expect::Reject("malformed_header"),
    );
    version(
        &mut f,
        "the right MAC without a version",
        good.clone(),
        Expect::Reject("malformed_header"),
    );
    version(
        &mut f,
        "v1=<sig> (Stripe's syntax)",
        format!("v1={good}"),
        Expect::Reject("malformed_header"),
    );
    version(
        &mut f,
        "an unknown version, then the right v1 signature",
        format!("v2,AAAA v1,{good}"),
        Expect::Accept,
    );
    version(&mut f, "a v1a signature, then the right v1 one", format!("v1a,hnO3f9T8Ytu9HwrXslvumlUpqtNVqkhqw/enGzPCXe5BdqzCInXqYXFymVJaA7AZdpXwVLPo3mNl8EM+m7TBAg== v1,{good}"), Expect::Accept);
    let list = |f: &mut File, flag, comment: &str, header: String, expect| {
        f.verify(
            meta("SW-SIG-LIST", &["REQ-SW-7"], &[flag], comment),
            NOW,
            ctx.with_sig(&header),
            expect,
        );
    };
    list(
        &mut f,
        "EmptySignatureEntry",
        "a leading space",
        format!(" v1,{good}"),
        Expect::Either,
    );
    list(
        &mut f,
        "EmptySignatureEntry",
        "a trailing space",
        format!("v1,{good} "),
        Expect::Either,
    );
    list(
        &mut f,
        "EmptySignatureEntry",
        "two spaces between two signatures",
        format!("v1,{good}  v1,{good}"),
        Expect::Either,
    );
    list(
        &mut f,
        "MalformedSignatureEntry",
        "an entry without a comma before the right signature",
        format!("junk v1,{good}"),
        Expect::Either,
    );
    list(
        &mut f,
        "MalformedSignatureEntry",
        "an entry with two commas before the right signature",
        format!("v1,a,b v1,{good}"),
        Expect::Either,
    );
    list(
        &mut f,
        "EmptySignatureEntry",
        "a comma after the version and a space before the MAC",
        format!("v1, {good}"),
        Expect::Reject("malformed_header"),
    );
    list(
        &mut f,
        "EmptySignatureEntry",
        "signatures separated by a tab",
        format!("v1,{good}\tv1,{good}"),
        Expect::Reject("bad_signature"),
    );
    f
}

fn header(ctx: &Ctx) -> File {
    let mut f = file("header");
    f.verify_group(&ctx.config);
    let base = ctx.base();
    for (i, name) in [ID_HEADER, TIMESTAMP_HEADER, SIGNATURE_HEADER]
        .iter()
        .enumerate()
    {
        let mut m = base.clone();
        m.headers.remove(i);
        f.verify(
            meta(
                "SW-HEADER-MISSING",
                &["REQ-SW-1"],
                &["MissingHeader"],
                format!("no {name}"),
            ),
            NOW,
            m,
            Expect::Reject("missing_header"),
        );
        let mut m = base.clone();
        if let Some((_, v)) = m.headers.get_mut(i) {
            v.clear();
        }
        f.verify(
            meta(
                "SW-HEADER-MISSING",
                &["REQ-SW-1"],
                &["MissingHeader"],
                format!("{name} empty"),
            ),
            NOW,
            m,
            Expect::Reject("missing_header"),
        );
    }
    f.verify(
        meta(
            "SW-HEADER-MISSING",
            &["REQ-SW-1"],
            &["MissingHeader"],
            "no headers at all",
        ),
        NOW,
        Message {
            headers: Vec::new(),
            body: BODY.to_vec(),
        },
        Expect::Reject("missing_header"),
    );
    for (comment, case) in [("names in title case", 0), ("names in upper case", 1)] {
        let mut m = base.clone();
        for (n, _) in &mut m.headers {
            *n = if case == 0 {
                n.split('-')
                    .map(|w| {
                        let mut c = w.chars();
                        c.next()
                            .map(|f| f.to_ascii_uppercase().to_string() + c.as_str())
                            .unwrap_or_default()
                    })
                    .collect::<Vec<_>>()
                    .join("-")
            } else {
                n.to_ascii_uppercase()
            };
        }
        f.verify(
            meta(
                "SW-HEADER-CASE",
                &["REQ-SW-1"],
                &["HeaderNameCase"],
                comment,
            ),
            NOW,
            m,
            Expect::Accept,
        );
    }
    let mut m = base.clone();
    m.headers.reverse();
    f.verify(
        meta(
            "SW-HEADER-CASE",
            &["REQ-SW-1"],
            &["Valid"],
            "the headers in another order",
        ),
        NOW,
        m,
        Expect::Accept,
    );
    let mut m = base.clone();
    m.headers
        .insert(0, ("content-type".into(), "application/json".into()));
    m.headers
        .push(("x-forwarded-for".into(), "127.0.0.1".into()));
    f.verify(
        meta(
            "SW-HEADER-CASE",
            &["REQ-SW-1"],
            &["Valid"],
            "other headers around them",
        ),
        NOW,
        m,
        Expect::Accept,
    );
    for (i, name) in [ID_HEADER, TIMESTAMP_HEADER, SIGNATURE_HEADER]
        .iter()
        .enumerate()
    {
        let mut m = base.clone();
        if let Some(h) = m.headers.get(i).cloned() {
            m.headers.push(h);
        }
        f.verify(
            meta(
                "SW-HEADER-REPEAT",
                &["REQ-SW-2"],
                &["RepeatedHeader"],
                format!("{name} twice, the same value"),
            ),
            NOW,
            m,
            Expect::Either,
        );
    }
    let stale = (NOW - 10 * ctx.tol).to_string();
    let mut m = ctx.signed(ID, &stale, BODY);
    m.headers.push((TIMESTAMP_HEADER.into(), ctx.ts()));
    f.verify(
        meta(
            "SW-HEADER-REPEAT",
            &["REQ-SW-2"],
            &["RepeatedHeader"],
            "a stale signed timestamp, then a second, fresh timestamp header",
        ),
        NOW,
        m,
        Expect::Either,
    );
    let mut m = base.clone();
    for (n, _) in &mut m.headers {
        *n = n.replace("webhook-", "svix-");
    }
    f.verify(
        meta(
            "SW-HEADER-VENDOR",
            &["REQ-SW-1"],
            &["VendorHeaderNames"],
            "svix-id, svix-timestamp, svix-signature instead",
        ),
        NOW,
        m,
        Expect::Either,
    );
    // The delimiter between id, timestamp and body.
    f.verify(
        meta(
            "SW-DELIMITER",
            &["REQ-SW-3"],
            &["DelimiterInId"],
            "an id with a full stop, signed as given",
        ),
        NOW,
        ctx.signed("msg.1", &ctx.ts(), BODY),
        Expect::Either,
    );
    let later = (NOW + 1).to_string();
    let genuine = ctx.signed(
        ID,
        &ctx.ts(),
        format!("{later}.{}", String::from_utf8_lossy(BODY)).as_bytes(),
    );
    let sig = genuine
        .headers
        .get(2)
        .map(|(_, v)| v.clone())
        .unwrap_or_default();
    let shifted = Message {
        headers: headers(&format!("{ID}.{}", ctx.ts()), &later, &sig),
        body: BODY.to_vec(),
    };
    f.verify(meta("SW-DELIMITER", &["REQ-SW-3"], &["DelimiterInId"], "a genuine signature whose body began with `T.`, re-split: the id takes the timestamp, the timestamp the body's prefix"), NOW, shifted, Expect::Either);
    let sig = format!(
        "v1,{}",
        ctx.sw
            .signature_of(&[ID.as_bytes(), b".", ctx.ts().as_bytes(), b".5.", BODY])
    );
    let fraction = Message {
        headers: headers(ID, &format!("{}.5", ctx.ts()), &sig),
        body: BODY.to_vec(),
    };
    f.verify(
        meta(
            "SW-DELIMITER",
            &["REQ-SW-4"],
            &["TimestampSyntax"],
            "a timestamp with a fraction, the full stop read as a delimiter by the signature",
        ),
        NOW,
        fraction,
        Expect::Reject("malformed_timestamp"),
    );
    f
}

fn timestamp(ctx: &Ctx, tol: u64) -> File {
    let mut f = file("timestamp");
    f.verify_group(&ctx.config);
    let t = ctx.ts();
    for (comment, text, class) in super::timestamp_texts(&t) {
        let (flag, expect) = match class {
            TsClass::Lenient => ("TimestampLenient", Expect::Either),
            TsClass::Invalid => ("TimestampSyntax", Expect::Reject("malformed_timestamp")),
        };
        f.verify(
            meta(
                "SW-TS-SYNTAX",
                &["REQ-SW-4"],
                &[flag],
                format!("{comment}, signed over the text as sent"),
            ),
            NOW,
            ctx.signed(ID, &text, BODY),
            expect,
        );
    }
    for (comment, text, _) in super::timestamp_texts(&t) {
        for reading in super::lax_readings(&text) {
            let sig = format!("v1,{}", ctx.sw.signature(ID, &reading, BODY));
            let m = Message {
                headers: headers(ID, &text, &sig),
                body: BODY.to_vec(),
            };
            f.verify(
                meta(
                    "SW-TS-RERENDERED",
                    &["REQ-SW-4", "REQ-SW-5"],
                    &["TimestampReRendered"],
                    format!("{comment}, signed over {reading} as a lax parser reads it"),
                ),
                NOW,
                m,
                Expect::Reject("malformed_timestamp"),
            );
        }
    }
    for (flag, comment, ts, expect) in
        super::tolerance_rows(NOW, tol, ("FromFuture", Expect::Reject("future")))
    {
        f.verify(
            meta("SW-TOLERANCE", &["REQ-SW-9"], &[flag], comment),
            NOW,
            ctx.signed(ID, &ts.to_string(), BODY),
            expect,
        );
    }
    f
}

fn application(ctx: &Ctx, max_body: u64) -> File {
    let mut f = file("application");
    f.application_group(&ctx.config);
    let limit = usize::try_from(max_body).unwrap_or(usize::MAX).min(1 << 20);
    let messages = super::AppMessages {
        base: ctx.base(),
        resent: ctx.signed(ID, &(NOW + 5).to_string(), BODY),
        other: ctx.signed("msg_other", &ctx.ts(), BODY),
        at_limit: (
            ctx.signed("msg_size_a", &ctx.ts(), &vec![b'a'; limit]),
            ctx.signed("msg_size_b", &ctx.ts(), &vec![b'a'; limit + 1]),
        ),
    };
    super::application_families(
        &mut f,
        ("SW-APP-REPLAY", "SW-APP-SIZE"),
        ("REQ-SW-APP-1", "REQ-SW-APP-2", "REQ-SW-9"),
        messages,
        ctx.tol,
        limit,
    );
    f
}

fn config_file(ctx: &Ctx) -> File {
    let mut f = file("config");
    let secret = super::secret_text(&ctx.config);
    let with = |name: &str, value: Value| super::with_member(&ctx.config, name, value);
    // Each message is signed with the key the config holds (where it has one), so that only
    // the config can be the reason to refuse.
    let key16 = [7u8; 16];
    let key66 = [0u8; 66];
    let bare = secret.trim_start_matches("whsec_").to_owned();
    let bare_key = super::b64_bytes(&bare);
    let signed_with = |key: &[u8]| {
        let ts = ctx.ts();
        let sig = format!(
            "v1,{}",
            super::b64_hmac(key, &[ID.as_bytes(), b".", ts.as_bytes(), b".", BODY])
        );
        Message {
            headers: headers(ID, &ts, &sig),
            body: BODY.to_vec(),
        }
    };
    for (comment, config, message, field) in [
        (
            "the secret without its whsec_ prefix",
            with("secret", Value::string(&bare)),
            signed_with(&bare_key),
            "secret",
        ),
        (
            "a secret that is not base64",
            with("secret", Value::string("whsec_not base64!")),
            ctx.base(),
            "secret",
        ),
        (
            "a 16-byte key",
            with(
                "secret",
                Value::string(&format!("whsec_{}", super::b64(&key16))),
            ),
            signed_with(&key16),
            "secret",
        ),
        (
            "a 66-byte key",
            with(
                "secret",
                Value::string(&format!("whsec_{}", super::b64(&key66))),
            ),
            signed_with(&key66),
            "secret",
        ),
        (
            "a negative tolerance",
            with("tolerance_seconds", crate::wire::json("-1")),
            ctx.base(),
            "tolerance_seconds",
        ),
        (
            "a misspelt member",
            with("tolerance", Value::uint(300)),
            ctx.base(),
            "tolerance",
        ),
    ] {
        f.verify_group(&config);
        f.verify_under_invalid_config(
            meta("SW-CONFIG", &["REQ-SW-6"], &["Misconfiguration"], comment),
            NOW,
            message,
            field,
        );
    }
    f
}

fn sign(ctx: &Ctx) -> File {
    let mut f = file("sign");
    f.sign_group(&ctx.config);
    f.sign(
        meta("SW-SIGN", &["REQ-SW-10"], &["Signer"], "a JSON body"),
        ID,
        NOW,
        BODY,
    );
    f.sign(
        meta("SW-SIGN", &["REQ-SW-10"], &["Signer"], "an empty body"),
        "msg_empty",
        NOW,
        b"",
    );
    f.sign(
        meta(
            "SW-SIGN",
            &["REQ-SW-10"],
            &["Signer"],
            "a body that is not UTF-8",
        ),
        "msg_bytes",
        NOW,
        NON_UTF8_A,
    );
    f
}
