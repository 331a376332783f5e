//! The vectors of the `github` profile (spec/profiles/github.md).

use super::build::{Expect, File};
use super::{hex_hmac, NON_UTF8_A, NON_UTF8_B};
use crate::suite::meta;
use crate::NOW;
use sipc_profiles::github::{Github, PREFIX, SIGNATURE_HEADER_SENT};
use sipc_profiles::{Message, Profile, ProfileConfig};
use sipc_reference::json::Value;

const SPEC: &str = "spec/profiles/github.md";

/// The config of the published vectors.
pub const DEFAULT_CONFIG: &str = r#"{"secret":"sipc-github-profile-vector-secret"}"#;

/// GitHub's own test values ("Validating webhook deliveries", "Testing the webhook payload
/// validation").
const DOC_SECRET: &str = "It's a Secret to Everybody";
const DOC_BODY: &[u8] = b"Hello, World!";
const DOC_SIGNATURE: &str = "757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17";

crate::notes::notes! {
    "Valid", "FUNCTIONALITY", &["REQ-GITHUB-1", "REQ-GITHUB-4"],
    "A correctly signed delivery (GitHub's own test value among them).",
    "Refusing it breaks genuine deliveries.";
    "NonUtf8Body", "FUNCTIONALITY", &["REQ-GITHUB-4"],
    "A body that is not UTF-8. The documentation says to handle the payload as UTF-8 and no more.",
    "A verifier that decodes the body as text refuses it, or crashes.";
    "LossyBodyDecoding", "AUTHENTICATION_BYPASS", &["REQ-GITHUB-4"],
    "The signature of one body delivered with another that decodes to the same text with U+FFFD replacements, or signed over that text.",
    "The signature does not bind the body: bytes that were never signed are accepted.";
    "ModifiedContent", "AUTHENTICATION_BYPASS", &["REQ-GITHUB-4"],
    "A signature over other bytes: another body, the body with a newline added or removed.",
    "Deliveries are accepted whose content was not signed.";
    "WrongKey", "AUTHENTICATION_BYPASS", &["REQ-GITHUB-4", "REQ-GITHUB-6"],
    "A signature under another secret.",
    "Anyone who knows another secret forges deliveries.";
    "SignatureMangled", "AUTHENTICATION_BYPASS", &["REQ-GITHUB-4"],
    "The right signature truncated, extended, empty, in base64 or with a changed digit.",
    "A compare that stops early or decodes loosely accepts a signature GitHub never made.";
    "SignatureHexCase", "MALLEABILITY", &["REQ-GITHUB-4"],
    "The right MAC in upper-case hex. The documentation says no more than hex.",
    "The same signature has several accepted spellings (a malleability, not a forgery).";
    "MissingHeader", "MISSING_VALIDATION", &["REQ-GITHUB-1"],
    "No X-Hub-Signature-256, or an empty one.",
    "A delivery is accepted unsigned.";
    "HeaderNameCase", "FUNCTIONALITY", &["REQ-GITHUB-1"],
    "The header's name in other case: HTTP field names are case-insensitive.",
    "Genuine deliveries through proxies that change case are refused.";
    "RepeatedHeader", "PARSER_DIFFERENTIAL", &["REQ-GITHUB-2"],
    "The header sent twice. The documentation is silent; the reference refuses.",
    "The application and the verifier may read different values.";
    "PrefixSyntax", "MISSING_VALIDATION", &["REQ-GITHUB-3"],
    "The right hex behind another prefix: none, SHA256= in upper case, sha1=, a space.",
    "A verifier that strips any prefix, or none, reads signatures GitHub never sends.";
    "SchemeDowngrade", "AUTHENTICATION_BYPASS", &["REQ-GITHUB-5"],
    "Only the legacy SHA-1 X-Hub-Signature, right; or a right SHA-1 beside a wrong SHA-256.",
    "A verifier that falls back to SHA-1 can be downgraded.";
    "Misconfiguration", "MISCONFIGURATION", &["REQ-GITHUB-6"],
    "A config the receiver must refuse: an empty secret, a misspelt member.",
    "A verifier runs with a key other than the one intended.";
    "Signer", "FUNCTIONALITY", &["REQ-GITHUB-7"],
    "The header a signer sends for a given body.",
    "Receivers refuse what the signer sends.";
}

const BODY: &[u8] = br#"{"action":"opened","number":1,"repository":{"full_name":"octo-org/hello-world"},"sender":{"login":"octocat"}}"#;

fn header(value: &str) -> Vec<(String, String)> {
    vec![(SIGNATURE_HEADER_SENT.into(), value.into())]
}

struct Ctx {
    config: Value,
    github: Github,
    secret: String,
}

impl Ctx {
    fn signed(&self, body: &[u8]) -> Message {
        Message {
            headers: self.github.sign(body),
            body: body.to_vec(),
        }
    }

    fn with_header(&self, value: &str) -> Message {
        Message {
            headers: header(value),
            body: BODY.to_vec(),
        }
    }

    fn good(&self) -> String {
        self.github.signature(BODY)
    }
}

/// Every file of the profile for `config`.
pub fn files(config: &Value) -> Result<Vec<File>, String> {
    let parsed = ProfileConfig::from_value(config, "REQ-GITHUB-6").map_err(|e| e.to_string())?;
    let ctx = Ctx {
        config: config.clone(),
        github: Github::new(&parsed),
        secret: parsed.secret.clone(),
    };
    Ok(vec![
        message(&ctx),
        signature(&ctx),
        header_file(&ctx),
        config_file(&ctx),
        sign(&ctx),
    ])
}

fn file(name: &'static str) -> File {
    File::new(Profile::Github, name, NOTES, SPEC)
}

fn message(ctx: &Ctx) -> File {
    let mut f = file("message");
    let doc = super::with_member(&ctx.config, "secret", Value::string(DOC_SECRET));
    f.verify_group(&doc);
    f.verify(
        meta(
            "GITHUB-VALID",
            &["REQ-GITHUB-1", "REQ-GITHUB-4"],
            &["Valid"],
            "GitHub's documented test value: \"Hello, World!\" under \"It's a Secret to Everybody\"",
        ),
        NOW,
        Message {
            headers: header(&format!("{PREFIX}{DOC_SIGNATURE}")),
            body: DOC_BODY.to_vec(),
        },
        Expect::Accept,
    );
    f.verify_group(&ctx.config);
    let valid = |f: &mut File, comment: &str, flag, body: &[u8], expect| {
        f.verify(
            meta(
                "GITHUB-VALID",
                &["REQ-GITHUB-1", "REQ-GITHUB-4"],
                &[flag],
                comment,
            ),
            NOW,
            ctx.signed(body),
            expect,
        );
    };
    valid(&mut f, "a JSON event", "Valid", BODY, Expect::Accept);
    valid(
        &mut f,
        "a JSON event with a multi-byte character",
        "Valid",
        "{\"action\":\"edited\",\"name\":\"Zoë 🐙\"}".as_bytes(),
        Expect::Accept,
    );
    valid(
        &mut f,
        "a form-encoded body (payload=…), GitHub's other content type",
        "Valid",
        b"payload=%7B%22zen%22%3A%22Keep+it+logically+awesome.%22%7D",
        Expect::Accept,
    );
    valid(&mut f, "an empty body", "Valid", b"", Expect::Accept);
    valid(
        &mut f,
        "a body that is not UTF-8",
        "NonUtf8Body",
        NON_UTF8_A,
        Expect::Either,
    );
    let mut swapped = ctx.signed(NON_UTF8_A);
    swapped.body = NON_UTF8_B.to_vec();
    let lossy = String::from_utf8_lossy(NON_UTF8_A).into_owned();
    let over_text = Message {
        headers: header(&format!(
            "{PREFIX}{}",
            ctx.github.signature(lossy.as_bytes())
        )),
        body: NON_UTF8_A.to_vec(),
    };
    for (comment, m) in [
        (
            "signed over one non-UTF-8 body, delivered with another that decodes to the same text",
            swapped,
        ),
        (
            "signed over the U+FFFD text of a non-UTF-8 body, delivered with that body",
            over_text,
        ),
    ] {
        f.verify(
            meta(
                "GITHUB-BODY-BYTES",
                &["REQ-GITHUB-4"],
                &["LossyBodyDecoding"],
                comment,
            ),
            NOW,
            m,
            Expect::Reject("bad_signature"),
        );
    }
    let mut with_newline = BODY.to_vec();
    with_newline.push(b'\n');
    for (comment, sig) in [
        ("signed over another body", ctx.github.signature(b"{\"action\":\"closed\"}")),
        ("signed over the body with a trailing newline", ctx.github.signature(&with_newline)),
        ("signed over the body re-serialized with spaces", ctx.github.signature(
            br#"{"action": "opened", "number": 1, "repository": {"full_name": "octo-org/hello-world"}, "sender": {"login": "octocat"}}"#)),
    ] {
        f.verify(
            meta("GITHUB-CONTENT", &["REQ-GITHUB-4"], &["ModifiedContent"], comment),
            NOW,
            ctx.with_header(&format!("{PREFIX}{sig}")),
            Expect::Reject("bad_signature"),
        );
    }
    for (comment, key) in [
        ("under another secret", b"another-endpoint-secret".to_vec()),
        (
            "under the secret with a trailing newline",
            format!("{}\n", ctx.secret).into_bytes(),
        ),
        ("under an empty key", Vec::new()),
    ] {
        f.verify(
            meta(
                "GITHUB-KEY",
                &["REQ-GITHUB-4", "REQ-GITHUB-6"],
                &["WrongKey"],
                comment,
            ),
            NOW,
            ctx.with_header(&format!("{PREFIX}{}", hex_hmac(&key, &[BODY]))),
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
    let b64 = super::b64(&sipc_reference::hex::decode_any_case(&good).unwrap_or_default());
    let mangled = vec![
        ("truncated by one digit", good[..good.len() - 1].to_owned()),
        ("truncated to 32 digits", good[..32].to_owned()),
        ("an empty signature", String::new()),
        ("extended by one digit", format!("{good}0")),
        ("the MAC in base64 instead of hex", b64),
        ("the last digit changed", last),
        ("a space after the signature", format!("{good} ")),
        ("a space before the signature", format!(" {good}")),
    ];
    super::hex_signature_rows(
        &mut f,
        ("GITHUB-SIG-MANGLED", "GITHUB-SIG-CASE"),
        "REQ-GITHUB-4",
        &good,
        mangled,
        |sig| ctx.with_header(&format!("{PREFIX}{sig}")),
    );
    for (comment, value) in [
        ("the hex without a prefix", good.clone()),
        ("SHA256= in upper case", format!("SHA256={good}")),
        ("sha1= before the SHA-256 hex", format!("sha1={good}")),
        ("sha256: instead of sha256=", format!("sha256:{good}")),
    ] {
        f.verify(
            meta(
                "GITHUB-PREFIX",
                &["REQ-GITHUB-3"],
                &["PrefixSyntax"],
                comment,
            ),
            NOW,
            ctx.with_header(&value),
            Expect::Reject("malformed_header"),
        );
    }
    f
}

fn header_file(ctx: &Ctx) -> File {
    let mut f = file("header");
    f.verify_group(&ctx.config);
    let good = format!("{PREFIX}{}", ctx.good());
    let sha1 = format!(
        "sha1={}",
        sipc_reference::hex::lower_hex(&sha1_hmac(ctx.secret.as_bytes(), BODY))
    );
    let rows: Vec<super::HeaderRow> = vec![
        (
            "GITHUB-HEADER-MISSING",
            "REQ-GITHUB-1",
            &["MissingHeader"],
            "no signature header",
            vec![],
            Expect::Reject("missing_header"),
        ),
        (
            "GITHUB-HEADER-MISSING",
            "REQ-GITHUB-1",
            &["MissingHeader"],
            "an empty X-Hub-Signature-256",
            header(""),
            Expect::Reject("missing_header"),
        ),
        (
            "GITHUB-HEADER-CASE",
            "REQ-GITHUB-1",
            &["HeaderNameCase"],
            "the name in lower case",
            vec![("x-hub-signature-256".into(), good.clone())],
            Expect::Accept,
        ),
        (
            "GITHUB-HEADER-CASE",
            "REQ-GITHUB-1",
            &["HeaderNameCase"],
            "the name in upper case",
            vec![("X-HUB-SIGNATURE-256".into(), good.clone())],
            Expect::Accept,
        ),
        (
            "GITHUB-HEADER-CASE",
            "REQ-GITHUB-1",
            &["Valid"],
            "beside GitHub's other headers (event, delivery, hook id, legacy SHA-1)",
            vec![
                ("X-GitHub-Event".into(), "pull_request".into()),
                (
                    "X-GitHub-Delivery".into(),
                    "72d3162e-cc78-11e3-81ab-4c9367dc0958".into(),
                ),
                ("X-GitHub-Hook-ID".into(), "292430182".into()),
                ("X-Hub-Signature".into(), sha1.clone()),
                (SIGNATURE_HEADER_SENT.into(), good.clone()),
            ],
            Expect::Accept,
        ),
        (
            "GITHUB-HEADER-REPEATED",
            "REQ-GITHUB-2",
            &["RepeatedHeader"],
            "the right header twice",
            vec![
                (SIGNATURE_HEADER_SENT.into(), good.clone()),
                (SIGNATURE_HEADER_SENT.into(), good.clone()),
            ],
            Expect::Either,
        ),
        (
            "GITHUB-HEADER-REPEATED",
            "REQ-GITHUB-2",
            &["RepeatedHeader"],
            "a wrong header, then the right one",
            vec![
                (
                    SIGNATURE_HEADER_SENT.into(),
                    format!("{PREFIX}{}", "0".repeat(64)),
                ),
                (SIGNATURE_HEADER_SENT.into(), good.clone()),
            ],
            Expect::Either,
        ),
        (
            "GITHUB-DOWNGRADE",
            "REQ-GITHUB-5",
            &["SchemeDowngrade"],
            "only the legacy X-Hub-Signature, right (SHA-1)",
            vec![("X-Hub-Signature".into(), sha1.clone())],
            Expect::Reject("missing_header"),
        ),
        (
            "GITHUB-DOWNGRADE",
            "REQ-GITHUB-5",
            &["SchemeDowngrade"],
            "a right SHA-1 X-Hub-Signature beside a wrong X-Hub-Signature-256",
            vec![
                ("X-Hub-Signature".into(), sha1),
                (
                    SIGNATURE_HEADER_SENT.into(),
                    format!("{PREFIX}{}", "0".repeat(64)),
                ),
            ],
            Expect::Reject("bad_signature"),
        ),
    ];
    super::header_rows(&mut f, rows, NOW, BODY);
    f
}

/// HMAC-SHA1, for the legacy header only.
fn sha1_hmac(key: &[u8], body: &[u8]) -> [u8; 20] {
    use hmac::{Hmac, Mac};
    let mut mac = <Hmac<sha1::Sha1> as Mac>::new_from_slice(key).unwrap_or_else(|_| unreachable!());
    mac.update(body);
    mac.finalize().into_bytes().into()
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
            with("secrets", Value::string("x")),
            "secrets",
        ),
    ] {
        f.verify_group(&config);
        f.verify_under_invalid_config(
            meta(
                "GITHUB-CONFIG",
                &["REQ-GITHUB-6"],
                &["Misconfiguration"],
                comment,
            ),
            NOW,
            ctx.signed(BODY),
            field,
        );
    }
    f
}

fn sign(ctx: &Ctx) -> File {
    let mut f = file("sign");
    f.sign_group(&ctx.config);
    for (comment, body) in [("a JSON event", BODY), ("an empty body", b"".as_slice())] {
        f.sign(
            meta("GITHUB-SIGN", &["REQ-GITHUB-7"], &["Signer"], comment),
            "",
            NOW,
            body,
        );
    }
    f
}
