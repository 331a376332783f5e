//! The vectors of the `slack` profile (spec/profiles/slack.md).

use super::build::{Expect, File};
use super::{hex_hmac, TsClass, NON_UTF8_A};
use crate::suite::meta;
use crate::NOW;
use sipc_profiles::slack::Slack;
use sipc_profiles::{Message, Profile, ProfileConfig};
use sipc_reference::json::Value;

const SPEC: &str = "spec/profiles/slack.md";

/// The config of the published vectors: Slack's five minutes.
pub const DEFAULT_CONFIG: &str =
    r#"{"secret":"8f742231b10e8888abcd99sipcslackvector","tolerance_seconds":300}"#;

/// Slack's worked example ("Verifying requests from Slack").
const DOC_SECRET: &str = "8f742231b10e8888abcd99yyyzzz85a5";
const DOC_TIMESTAMP: u64 = 1_531_420_618;
const DOC_BODY: &str = "token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c";
const DOC_SIGNATURE: &str = "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503";

crate::notes::notes! {
    "Valid", "FUNCTIONALITY", &["REQ-SLACK-1", "REQ-SLACK-5"],
    "A correctly signed request inside the window (Slack's worked example among them).",
    "Refusing it breaks genuine requests.";
    "NonUtf8Body", "FUNCTIONALITY", &["REQ-SLACK-5"],
    "A body that is not UTF-8. Slack sends form-encoded or JSON text.",
    "A verifier that decodes the body as text refuses it, or crashes.";
    "ModifiedContent", "AUTHENTICATION_BYPASS", &["REQ-SLACK-5"],
    "A signature over other bytes: another body or timestamp, another separator or version, a part left out.",
    "Requests are accepted whose content was not signed.";
    "WrongKey", "AUTHENTICATION_BYPASS", &["REQ-SLACK-5", "REQ-SLACK-7"],
    "A signature under another secret, or under the secret's hex-decoded bytes.",
    "Anyone who knows another secret forges requests.";
    "SignatureMangled", "AUTHENTICATION_BYPASS", &["REQ-SLACK-5"],
    "The right signature truncated, extended, empty or with a changed digit.",
    "A compare that stops early accepts a signature Slack never made.";
    "SignatureHexCase", "MALLEABILITY", &["REQ-SLACK-5"],
    "The right MAC in upper-case hex. The documentation says hex digest and no more.",
    "The same signature has several accepted spellings (a malleability, not a forgery).";
    "VersionSyntax", "MISSING_VALIDATION", &["REQ-SLACK-4"],
    "The right hex behind another version: none, v1=, V0=.",
    "A verifier that strips any prefix reads signatures Slack never sends.";
    "MissingHeader", "MISSING_VALIDATION", &["REQ-SLACK-1"],
    "No timestamp or no signature header, or an empty one.",
    "A request is accepted unsigned, or without a timestamp.";
    "HeaderNameCase", "FUNCTIONALITY", &["REQ-SLACK-1"],
    "The headers' names in other case: HTTP field names are case-insensitive.",
    "Genuine requests through proxies that change case are refused.";
    "RepeatedHeader", "PARSER_DIFFERENTIAL", &["REQ-SLACK-2"],
    "A header sent twice. The documentation is silent; the reference refuses.",
    "The application and the verifier may read different values.";
    "TimestampSyntax", "MISSING_VALIDATION", &["REQ-SLACK-3"],
    "Timestamps that are not integers, signed over the exact text.",
    "A lax parser reads a different instant than the sender wrote, or crashes.";
    "TimestampLenient", "PARSER_DIFFERENTIAL", &["REQ-SLACK-3"],
    "An integer with a sign, leading zeros or whitespace. The documentation says timestamp and no more.",
    "Implementations differ on genuine-looking timestamps.";
    "ToleranceBoundary", "STALENESS", &["REQ-SLACK-6"],
    "A timestamp exactly five minutes away. 'More than five minutes' is refused; the reference accepts the boundary.",
    "Implementations differ by one second at the edge.";
    "Expired", "STALENESS", &["REQ-SLACK-6"],
    "A timestamp older than five minutes.",
    "Captured requests can be replayed late.";
    "FutureTimestamp", "STALENESS", &["REQ-SLACK-6"],
    "A timestamp more than five minutes ahead: the documentation takes the absolute difference.",
    "A request signed ahead of time stays replayable longer than the window.";
    "Misconfiguration", "MISCONFIGURATION", &["REQ-SLACK-7"],
    "A config the receiver must refuse: an empty secret, a misspelt member, a tolerance over a week.",
    "A verifier runs with a key other than the one intended, or a window silently widened.";
    "Signer", "FUNCTIONALITY", &["REQ-SLACK-8"],
    "The headers a signer sends for a given timestamp and body.",
    "Receivers refuse what the signer sends.";
}

const BODY: &[u8] = b"token=gIkuvaNzQIHg97ATvDxqgjtO&team_id=T0001&team_domain=example&channel_id=C2147483705&user_id=U2147483697&command=%2Fweather&text=94070&trigger_id=13345224609.738474920.8088930838d88f008e0";

struct Ctx {
    config: Value,
    slack: Slack,
    secret: String,
    tol: u64,
}

fn headers(ts: &str, sig: &str) -> Vec<(String, String)> {
    vec![
        ("X-Slack-Request-Timestamp".into(), ts.into()),
        ("X-Slack-Signature".into(), sig.into()),
    ]
}

impl Ctx {
    fn signed(&self, ts: &str, body: &[u8]) -> Message {
        Message {
            headers: self.slack.sign(ts, body),
            body: body.to_vec(),
        }
    }

    fn with_sig(&self, sig: &str) -> Message {
        Message {
            headers: headers(&NOW.to_string(), sig),
            body: BODY.to_vec(),
        }
    }

    fn good(&self) -> String {
        self.slack.signature(&NOW.to_string(), BODY)
    }
}

/// Every file of the profile for `config`.
pub fn files(config: &Value) -> Result<Vec<File>, String> {
    let parsed = ProfileConfig::from_value(config, "REQ-SLACK-7").map_err(|e| e.to_string())?;
    let ctx = Ctx {
        config: config.clone(),
        slack: Slack::new(&parsed),
        secret: parsed.secret.clone(),
        tol: parsed.tolerance,
    };
    Ok(vec![
        message(&ctx),
        signature(&ctx),
        header_file(&ctx),
        timestamp(&ctx),
        config_file(&ctx),
        sign(&ctx),
    ])
}

fn file(name: &'static str) -> File {
    File::new(Profile::Slack, name, NOTES, SPEC)
}

fn message(ctx: &Ctx) -> File {
    let mut f = file("message");
    let doc = super::with_member(&ctx.config, "secret", Value::string(DOC_SECRET));
    f.verify_group(&doc);
    f.verify(
        meta(
            "SLACK-VALID",
            &["REQ-SLACK-1", "REQ-SLACK-5"],
            &["Valid"],
            "Slack's worked example, verified at its own timestamp",
        ),
        DOC_TIMESTAMP,
        Message {
            headers: headers(&DOC_TIMESTAMP.to_string(), DOC_SIGNATURE),
            body: DOC_BODY.as_bytes().to_vec(),
        },
        Expect::Accept,
    );
    f.verify_group(&ctx.config);
    let ts = NOW.to_string();
    for (comment, flag, body, expect) in [
        ("a slash command (form-encoded)", "Valid", BODY, Expect::Accept),
        ("an Events API JSON body", "Valid", br#"{"token":"x","type":"event_callback","event_id":"Ev1","event":{"type":"message","text":"Zo\u00eb"}}"#.as_slice(), Expect::Accept),
        ("an empty body", "Valid", b"".as_slice(), Expect::Accept),
        ("a body that is not UTF-8", "NonUtf8Body", NON_UTF8_A, Expect::Either),
    ] {
        f.verify(
            meta("SLACK-VALID", &["REQ-SLACK-1", "REQ-SLACK-5"], &[flag], comment),
            NOW,
            ctx.signed(&ts, body),
            expect,
        );
    }
    let key = ctx.secret.as_bytes();
    let t = ts.as_bytes();
    for (comment, sig) in [
        (
            "signed over another body",
            hex_hmac(key, &[b"v0:", t, b":", b"token=other"]),
        ),
        (
            "signed over another timestamp",
            hex_hmac(key, &[b"v0:", (NOW - 1).to_string().as_bytes(), b":", BODY]),
        ),
        (
            "signed without the version",
            hex_hmac(key, &[t, b":", BODY]),
        ),
        (
            "signed with v1: instead of v0:",
            hex_hmac(key, &[b"v1:", t, b":", BODY]),
        ),
        (
            "signed with . instead of :",
            hex_hmac(key, &[b"v0.", t, b".", BODY]),
        ),
        ("signed over the body alone", hex_hmac(key, &[BODY])),
        (
            "signed over the timestamp and body without a separator",
            hex_hmac(key, &[b"v0:", t, BODY]),
        ),
    ] {
        f.verify(
            meta(
                "SLACK-CONTENT",
                &["REQ-SLACK-5"],
                &["ModifiedContent"],
                comment,
            ),
            NOW,
            ctx.with_sig(&format!("v0={sig}")),
            Expect::Reject("bad_signature"),
        );
    }
    let hex_key = sipc_reference::hex::decode_any_case(&ctx.secret);
    let mut keys = vec![(
        "under another secret",
        b"another-workspace-signing-secret".to_vec(),
    )];
    if let Some(k) = hex_key {
        keys.push(("under the secret's hex-decoded bytes", k));
    }
    keys.push((
        "under the secret with a trailing newline",
        format!("{}\n", ctx.secret).into_bytes(),
    ));
    for (comment, key) in keys {
        f.verify(
            meta(
                "SLACK-KEY",
                &["REQ-SLACK-5", "REQ-SLACK-7"],
                &["WrongKey"],
                comment,
            ),
            NOW,
            ctx.with_sig(&format!("v0={}", hex_hmac(&key, &[b"v0:", t, b":", BODY]))),
            Expect::Reject("bad_signature"),
        );
    }
    f
}

fn signature(ctx: &Ctx) -> File {
    let mut f = file("signature");
    f.verify_group(&ctx.config);
    let good = ctx.good();
    let last = super::last_digit_changed(&good);
    let mangled = vec![
        ("truncated by one digit", good[..good.len() - 1].to_owned()),
        ("truncated to 32 digits", good[..32].to_owned()),
        ("an empty signature", String::new()),
        ("extended by one digit", format!("{good}0")),
        ("the last digit changed", last),
        ("a space before the signature", format!(" {good}")),
    ];
    super::hex_signature_rows(
        &mut f,
        ("SLACK-SIG-MANGLED", "SLACK-SIG-CASE"),
        "REQ-SLACK-5",
        &good,
        mangled,
        |sig| ctx.with_sig(&format!("v0={sig}")),
    );
    for (comment, value) in [
        ("the hex without a version", good.clone()),
        ("v1= instead of v0=", format!("v1={good}")),
        ("V0= in upper case", format!("V0={good}")),
    ] {
        f.verify(
            meta(
                "SLACK-VERSION",
                &["REQ-SLACK-4"],
                &["VersionSyntax"],
                comment,
            ),
            NOW,
            ctx.with_sig(&value),
            Expect::Reject("malformed_header"),
        );
    }
    f
}

fn header_file(ctx: &Ctx) -> File {
    let mut f = file("header");
    f.verify_group(&ctx.config);
    let ts = NOW.to_string();
    let sig = format!("v0={}", ctx.good());
    let rows: Vec<super::HeaderRow> = vec![
        (
            "SLACK-HEADER-MISSING",
            "REQ-SLACK-1",
            &["MissingHeader"],
            "no timestamp header",
            vec![("X-Slack-Signature".into(), sig.clone())],
            Expect::Reject("missing_header"),
        ),
        (
            "SLACK-HEADER-MISSING",
            "REQ-SLACK-1",
            &["MissingHeader"],
            "no signature header",
            vec![("X-Slack-Request-Timestamp".into(), ts.clone())],
            Expect::Reject("missing_header"),
        ),
        (
            "SLACK-HEADER-MISSING",
            "REQ-SLACK-1",
            &["MissingHeader"],
            "an empty timestamp header",
            headers("", &sig),
            Expect::Reject("missing_header"),
        ),
        (
            "SLACK-HEADER-MISSING",
            "REQ-SLACK-1",
            &["MissingHeader"],
            "an empty signature header",
            headers(&ts, ""),
            Expect::Reject("missing_header"),
        ),
        (
            "SLACK-HEADER-CASE",
            "REQ-SLACK-1",
            &["HeaderNameCase"],
            "the names in lower case",
            vec![
                ("x-slack-request-timestamp".into(), ts.clone()),
                ("x-slack-signature".into(), sig.clone()),
            ],
            Expect::Accept,
        ),
        (
            "SLACK-HEADER-CASE",
            "REQ-SLACK-1",
            &["HeaderNameCase"],
            "the names in upper case, signature first",
            vec![
                ("X-SLACK-SIGNATURE".into(), sig.clone()),
                ("X-SLACK-REQUEST-TIMESTAMP".into(), ts.clone()),
            ],
            Expect::Accept,
        ),
        (
            "SLACK-HEADER-REPEATED",
            "REQ-SLACK-2",
            &["RepeatedHeader"],
            "the signature header twice",
            vec![
                ("X-Slack-Request-Timestamp".into(), ts.clone()),
                ("X-Slack-Signature".into(), sig.clone()),
                ("X-Slack-Signature".into(), sig.clone()),
            ],
            Expect::Either,
        ),
        (
            "SLACK-HEADER-REPEATED",
            "REQ-SLACK-2",
            &["RepeatedHeader"],
            "the timestamp header twice, the second an hour old",
            vec![
                ("X-Slack-Request-Timestamp".into(), ts.clone()),
                ("X-Slack-Request-Timestamp".into(), (NOW - 3600).to_string()),
                ("X-Slack-Signature".into(), sig.clone()),
            ],
            Expect::Either,
        ),
    ];
    super::header_rows(&mut f, rows, NOW, BODY);
    f
}

fn timestamp(ctx: &Ctx) -> File {
    let mut f = file("timestamp");
    f.verify_group(&ctx.config);
    for (comment, text, class) in super::timestamp_texts(&NOW.to_string()) {
        let (flag, expect) = match class {
            TsClass::Lenient => ("TimestampLenient", Expect::Either),
            TsClass::Invalid => ("TimestampSyntax", Expect::Reject("malformed_timestamp")),
        };
        f.verify(
            meta(
                "SLACK-TS-SYNTAX",
                &["REQ-SLACK-3"],
                &[flag],
                format!("{comment}, signed over the text as sent"),
            ),
            NOW,
            ctx.signed(&text, BODY),
            expect,
        );
    }
    for (flag, comment, ts, expect) in
        super::tolerance_rows(NOW, ctx.tol, ("FutureTimestamp", Expect::Reject("future")))
    {
        f.verify(
            meta("SLACK-TOLERANCE", &["REQ-SLACK-6"], &[flag], comment),
            NOW,
            ctx.signed(&ts.to_string(), BODY),
            expect,
        );
    }
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
            "a misspelt member",
            with("signing_secret", Value::string("x")),
            "signing_secret",
        ),
        (
            "a tolerance over a week",
            with("tolerance_seconds", Value::uint(7 * 86400 + 1)),
            "tolerance_seconds",
        ),
    ] {
        f.verify_group(&config);
        f.verify_under_invalid_config(
            meta(
                "SLACK-CONFIG",
                &["REQ-SLACK-7"],
                &["Misconfiguration"],
                comment,
            ),
            NOW,
            ctx.signed(&NOW.to_string(), BODY),
            field,
        );
    }
    f
}

fn sign(ctx: &Ctx) -> File {
    let mut f = file("sign");
    f.sign_group(&ctx.config);
    for (comment, ts, body) in [
        ("a slash command", NOW, BODY),
        ("an empty body, a minute ago", NOW - 60, b"".as_slice()),
    ] {
        f.sign(
            meta("SLACK-SIGN", &["REQ-SLACK-8"], &["Signer"], comment),
            "",
            ts,
            body,
        );
    }
    f
}
