//! The vectors of the two home-grown HMAC-JSON profiles
//! (spec/profiles/hmac-json-insertion-order.md, spec/profiles/hmac-json-sorted-keys.md).
//!
//! Only inputs the schemes *as described* define are here: where the description's verifier
//! throws (a `_hmac` of another length, a missing `hmac`, a body that is a list), the scheme
//! says nothing, and `sipc audit` shows the throw instead (vectors/testvectors/audit/).

use super::build::{Expect, File};
use super::NON_UTF8_A;
use crate::suite::meta;
use crate::NOW;
use sipc_profiles::hmac_json::{InsertionOrder, SortedKeys, INSERTION_MAC, SORTED_MAC};
use sipc_profiles::lax_json::{self, Dialect, Lax};
use sipc_profiles::{Message, Profile, ProfileConfig};
use sipc_reference::json::Value;

/// The insertion-order scheme's config: 32 random bytes written as 64 hex characters, as its
/// runtime generates them (the key is the 64 characters).
pub const INSERTION_CONFIG: &str =
    r#"{"secret":"5b1f0c7e9a2d4f6081b3c5d7e9f1a2b4c6d8e0f1a3b5c7d9e1f2a4b6c8d0e2f4"}"#;
/// The sorted-keys scheme's config.
pub const SORTED_CONFIG: &str = r#"{"secret":"sipc-model-results-signing-key-2026"}"#;

/// The payload most tests start from, as a JavaScript or Python program builds it.
const PAYLOAD: &str = r#"{"kind":"task.result","id":"t-0001","agent":"planner","args":{"path":"/spool/in/7.json","retries":2},"score":0.75}"#;

crate::notes::notes! {
    "Valid", "FUNCTIONALITY", &["REQ-HJI-2", "REQ-HJI-5", "REQ-HJS-2", "REQ-HJS-4"],
    "A payload signed as the scheme's signer signs it.",
    "Refusing it breaks the scheme's own messages.";
    "ReSerialization", "MALLEABILITY", &["REQ-HJI-5", "REQ-HJS-4"],
    "Another wire form of a signed payload that re-serializes to the signed bytes: whitespace, escapes, number spellings, repeated members. The scheme as described accepts it.",
    "One signature, many accepted messages; a repeated member lets two parsers of the same file read different values.";
    "LossyBodyDecoding", "MALLEABILITY", &["REQ-HJI-3"],
    "A file that is not UTF-8, signed over its U+FFFD text: Node's 'utf8' reading accepts it, and any other byte in that place.",
    "The signature does not bind the file's bytes.";
    "MemberOrder", "INTEROPERABILITY", &["REQ-HJI-5"],
    "The signed members in another order: JSON.stringify keeps the order read, so the MAC no longer matches.",
    "A signer that orders members differently (another language, a sorted dump) is refused.";
    "ModifiedContent", "AUTHENTICATION_BYPASS", &["REQ-HJI-5", "REQ-HJS-4"],
    "The signed payload changed: a value, a member added or removed, a number changed.",
    "Messages are accepted whose content was not signed.";
    "WrongKey", "AUTHENTICATION_BYPASS", &["REQ-HJI-1", "REQ-HJS-1"],
    "A MAC under another key: another secret, or the hex secret's 32 decoded bytes instead of its 64 characters.",
    "Anyone who knows another key forges messages; a peer reading the key the other way is refused.";
    "SignatureMangled", "AUTHENTICATION_BYPASS", &["REQ-HJI-5", "REQ-HJS-4"],
    "The right MAC with a digit changed, in upper case, or replaced by zeros.",
    "A loose compare accepts a MAC the signer never made.";
    "MissingMac", "MISSING_VALIDATION", &["REQ-HJI-4"],
    "No _hmac member, an empty one, or the MAC under the other scheme's member name.",
    "A message is accepted unsigned.";
    "MalformedBody", "MISSING_VALIDATION", &["REQ-HJI-3", "REQ-HJS-3"],
    "A body that is not JSON, not an object, or (Python) not UTF-8.",
    "A verifier crashes, or accepts what it cannot read.";
    "Misconfiguration", "MISCONFIGURATION", &["REQ-HJI-1", "REQ-HJS-1"],
    "A config the receiver must refuse: an empty secret, a misspelt member.",
    "A verifier runs with a key other than the one intended.";
}

/// One of the two schemes, with what its vectors need.
struct Scheme {
    profile: Profile,
    config: Value,
    secret: String,
    prefix: &'static str,
}

impl Scheme {
    fn dialect(&self) -> Dialect {
        match self.profile {
            Profile::HmacJsonSortedKeys => Dialect::Python,
            _ => Dialect::Js,
        }
    }

    fn req(&self, n: u8) -> &'static str {
        match (self.profile, n) {
            (Profile::HmacJsonSortedKeys, 1) => "REQ-HJS-1",
            (Profile::HmacJsonSortedKeys, 2) => "REQ-HJS-2",
            (Profile::HmacJsonSortedKeys, 3) => "REQ-HJS-3",
            (Profile::HmacJsonSortedKeys, _) => "REQ-HJS-4",
            (_, 1) => "REQ-HJI-1",
            (_, 2) => "REQ-HJI-2",
            (_, 3) => "REQ-HJI-3",
            (_, 4) => "REQ-HJI-4",
            _ => "REQ-HJI-5",
        }
    }

    fn member(&self) -> &'static str {
        match self.profile {
            Profile::HmacJsonSortedKeys => SORTED_MAC,
            _ => INSERTION_MAC,
        }
    }

    fn parse(&self, text: &str) -> Lax {
        let chars: Vec<char> = text.chars().collect();
        lax_json::parse(&chars, self.dialect()).unwrap_or(Lax::Null)
    }

    /// The MAC of the payload `text` under `key`, as the scheme computes it.
    fn mac_with(&self, key: &str, text: &str) -> String {
        let config = ProfileConfig {
            secret: key.to_owned(),
            tolerance: 300,
            max_body_bytes: 1 << 20,
            max_ids: 1,
        };
        let payload = self.parse(text);
        match self.profile {
            Profile::HmacJsonSortedKeys => SortedKeys::new(&config).mac(&payload),
            _ => InsertionOrder::new(&config).mac(&payload),
        }
        .unwrap_or_default()
    }

    fn mac(&self, text: &str) -> String {
        self.mac_with(&self.secret, text)
    }

    /// What the scheme's signer writes for the payload `text`.
    fn signed(&self, text: &str) -> Vec<u8> {
        let config = ProfileConfig {
            secret: self.secret.clone(),
            tolerance: 300,
            max_body_bytes: 1 << 20,
            max_ids: 1,
        };
        let payload = self.parse(text);
        match self.profile {
            // time.time() at the vectors' NOW, with a fraction as the signer's clock has.
            Profile::HmacJsonSortedKeys => {
                SortedKeys::new(&config).sign(&payload, NOW as f64 + 0.25)
            }
            _ => InsertionOrder::new(&config).sign(&payload),
        }
        .unwrap_or_default()
    }

    /// `wire` (an object's text) with the MAC member `mac` added last, as `prefix` writes it.
    fn with_mac(&self, wire: &str, mac: &str) -> Vec<u8> {
        let body = wire.trim_end().strip_suffix('}').unwrap_or(wire);
        let sep = if body.trim_end().ends_with('{') {
            ""
        } else {
            self.prefix
        };
        format!("{body}{sep}\"{}\":\"{mac}\"}}", self.member()).into_bytes()
    }

    fn file(&self, name: &'static str) -> File {
        let spec = match self.profile {
            Profile::HmacJsonSortedKeys => "spec/profiles/hmac-json-sorted-keys.md",
            _ => "spec/profiles/hmac-json-insertion-order.md",
        };
        File::new(self.profile, name, NOTES, spec)
    }
}

fn body(bytes: Vec<u8>) -> Message {
    Message {
        headers: Vec::new(),
        body: bytes,
    }
}

/// Every file of `profile` for `config`.
pub fn files(profile: Profile, config: &Value) -> Result<Vec<File>, String> {
    let parsed =
        ProfileConfig::from_value(config, profile.config_req()).map_err(|e| e.to_string())?;
    let scheme = Scheme {
        profile,
        config: config.clone(),
        secret: parsed.secret,
        prefix: match profile {
            Profile::HmacJsonSortedKeys => ", ",
            _ => ",",
        },
    };
    Ok(vec![
        message(&scheme),
        signature(&scheme),
        config_file(&scheme),
    ])
}

fn message(s: &Scheme) -> File {
    let mut f = s.file("message");
    f.verify_group(&s.config);
    let valid = [s.req(2), s.req(5)];
    let mut payloads = vec![
        ("the task result every test starts from", PAYLOAD),
        ("an empty payload", "{}"),
        (
            "non-ASCII text and an emoji",
            r#"{"kind":"note","text":"Zoë 🐙 naïve"}"#,
        ),
        (
            "control characters, quotes and a backslash in a string",
            r#"{"kind":"note","text":"a\"b\\c\n\t\u0001"}"#,
        ),
        (
            "nested arrays and objects, null and booleans",
            r#"{"kind":"batch","items":[1,[2,{"x":null}],true,false],"meta":{}}"#,
        ),
        (
            "numbers: negative, fractional, large and small exponents",
            r#"{"kind":"metrics","a":-3,"b":0.1,"c":1e21,"d":1.5e-7,"e":123456789012}"#,
        ),
    ];
    if s.dialect() == Dialect::Js {
        payloads.push((
            "integer-like member names, which JSON.stringify moves first",
            r#"{"kind":"map","b":1,"10":2,"2":3}"#,
        ));
    } else {
        payloads.push((
            "NaN and Infinity, which json.dumps writes",
            r#"{"kind":"metrics","loss":NaN,"bound":Infinity,"low":-Infinity}"#,
        ));
        payloads.push((
            "a float the signer writes with an exponent (1e+16)",
            r#"{"kind":"metrics","big":1e16,"tiny":0.00001}"#,
        ));
    }
    for (comment, payload) in payloads {
        f.verify(
            meta("HMACJSON-VALID", &valid, &["Valid"], comment),
            NOW,
            body(s.signed(payload)),
            Expect::Accept,
        );
    }
    let mac = s.mac(PAYLOAD);
    let pretty = "{\n  \"kind\": \"task.result\",\n  \"id\": \"t-0001\",\n  \"agent\": \"planner\",\n  \"args\": {\"path\": \"/spool/in/7.json\", \"retries\": 2},\n  \"score\": 0.75\n}";
    let mut forms = vec![
        (
            "pretty-printed, with the MAC of the compact form",
            pretty.to_owned(),
        ),
        (
            "letters written as \\u escapes",
            PAYLOAD.replace("planner", "\\u0070lanner"),
        ),
        (
            "the slash escaped as \\/",
            PAYLOAD.replace("/spool/in/", "\\/spool\\/in\\/"),
        ),
        (
            "a member repeated, its first value not the signed one",
            PAYLOAD.replacen(
                "{\"kind\":\"task.result\"",
                "{\"kind\":\"task.cancel\",\"kind\":\"task.result\"",
                1,
            ),
        ),
        (
            "2 written 2.0 and 0.75 written 7.5e-1",
            PAYLOAD
                .replace("\"retries\":2", "\"retries\":2.0")
                .replace("0.75", "7.5e-1"),
        ),
    ];
    if s.dialect() == Dialect::Python {
        forms.retain(|(c, _)| !c.starts_with("2 written"));
        forms.push((
            "0.75 written 7.5E-1 and 75e-2",
            PAYLOAD.replace("0.75", "7.5E-1"),
        ));
        forms.push(("members in another order (json.dumps sorts them)", r#"{"score":0.75,"args":{"retries":2,"path":"/spool/in/7.json"},"id":"t-0001","agent":"planner","kind":"task.result"}"#.to_owned()));
    } else {
        forms.push((
            "integer-like names in document order: JSON.parse moves them first again",
            r#"{"kind":"map","b":1,"10":2,"2":3}"#.to_owned(),
        ));
    }
    for (comment, wire) in forms {
        let signed_over = if wire.contains("\"10\"") {
            r#"{"kind":"map","b":1,"10":2,"2":3}"#
        } else {
            PAYLOAD
        };
        f.verify(
            meta(
                "HMACJSON-RESERIALIZED",
                &[s.req(5)],
                &["ReSerialization"],
                comment,
            ),
            NOW,
            body(s.with_mac(&wire, &s.mac(signed_over))),
            Expect::Accept,
        );
    }
    if s.dialect() == Dialect::Js {
        let lossy = String::from_utf8_lossy(NON_UTF8_A).into_owned();
        let mut bytes = s.with_mac(&lossy, &s.mac(&lossy));
        // The U+FFFD (3 bytes) back to the one byte that is not UTF-8.
        let text = String::from_utf8_lossy(&bytes).replacen('\u{FFFD}', "\u{1}", 1);
        bytes = text.into_bytes();
        if let Some(at) = bytes.iter().position(|b| *b == 1) {
            bytes[at] = 0xFF;
        }
        f.verify(
            meta(
                "HMACJSON-LOSSY",
                &[s.req(3)],
                &["LossyBodyDecoding"],
                "a file with a byte that is not UTF-8, signed over its U+FFFD text",
            ),
            NOW,
            body(bytes),
            Expect::Accept,
        );
        let reordered = r#"{"id":"t-0001","kind":"task.result","agent":"planner","args":{"path":"/spool/in/7.json","retries":2},"score":0.75}"#;
        f.verify(
            meta(
                "HMACJSON-ORDER",
                &[s.req(5)],
                &["MemberOrder"],
                "the signed members in another order",
            ),
            NOW,
            body(s.with_mac(reordered, &mac)),
            Expect::Reject("bad_signature"),
        );
    }
    for (comment, wire) in [
        ("a value changed", PAYLOAD.replace("planner", "executor")),
        (
            "a member added",
            PAYLOAD.replace("\"score\":0.75", "\"score\":0.75,\"admin\":true"),
        ),
        ("a member removed", PAYLOAD.replace(",\"score\":0.75", "")),
        (
            "a number changed",
            PAYLOAD.replace("\"retries\":2", "\"retries\":3"),
        ),
        (
            "a path changed inside a nested object",
            PAYLOAD.replace("/spool/in/7.json", "/etc/passwd"),
        ),
    ] {
        f.verify(
            meta(
                "HMACJSON-CONTENT",
                &[s.req(5)],
                &["ModifiedContent"],
                comment,
            ),
            NOW,
            body(s.with_mac(&wire, &mac)),
            Expect::Reject("bad_signature"),
        );
    }
    let mut keys = vec![("under another secret", "another-runtime-secret".to_owned())];
    if let Some(bytes) = sipc_reference::hex::decode_any_case(&s.secret) {
        keys.push((
            "under the hex secret's 32 decoded bytes",
            String::from_utf8_lossy(&bytes).into_owned(),
        ));
        // Non-UTF-8 bytes cannot be a text key: the MAC under the raw bytes, by hand.
        let raw = super::hex_hmac(&bytes, &[lax_canonical(s, PAYLOAD).as_slice()]);
        f.verify(
            meta(
                "HMACJSON-KEY",
                &[s.req(1), s.req(5)],
                &["WrongKey"],
                "under the hex secret's 32 decoded bytes (a Python peer's bytes.fromhex)",
            ),
            NOW,
            body(s.with_mac(PAYLOAD, &raw)),
            Expect::Reject("bad_signature"),
        );
        keys.pop();
    }
    keys.push((
        "under the secret in upper case",
        s.secret.to_ascii_uppercase(),
    ));
    for (comment, key) in keys {
        f.verify(
            meta(
                "HMACJSON-KEY",
                &[s.req(1), s.req(5)],
                &["WrongKey"],
                comment,
            ),
            NOW,
            body(s.with_mac(PAYLOAD, &s.mac_with(&key, PAYLOAD))),
            Expect::Reject("bad_signature"),
        );
    }
    f
}

/// The bytes the scheme MACs for the payload `text`.
fn lax_canonical(s: &Scheme, text: &str) -> Vec<u8> {
    let payload = s.parse(text);
    match s.dialect() {
        Dialect::Js => lax_json::js::stringify(&payload),
        Dialect::Python => lax_json::python::dumps_sorted(&payload).unwrap_or_default(),
    }
}

fn signature(s: &Scheme) -> File {
    let mut f = s.file("signature");
    f.verify_group(&s.config);
    let mac = s.mac(PAYLOAD);
    let mut last = mac.clone();
    let flipped = if last.pop() == Some('0') { '1' } else { '0' };
    last.push(flipped);
    for (comment, m) in [
        ("the last digit changed", last),
        ("in upper case", mac.to_ascii_uppercase()),
        ("64 zeros", "0".repeat(64)),
    ] {
        f.verify(
            meta(
                "HMACJSON-SIG-MANGLED",
                &[s.req(5)],
                &["SignatureMangled"],
                comment,
            ),
            NOW,
            body(s.with_mac(PAYLOAD, &m)),
            Expect::Reject("bad_signature"),
        );
    }
    if s.dialect() == Dialect::Python {
        // compare_digest takes strings of any length: these are defined for this scheme.
        for (comment, m) in [
            ("truncated to 32 digits", mac[..32].to_owned()),
            ("empty", String::new()),
        ] {
            f.verify(
                meta(
                    "HMACJSON-SIG-MANGLED",
                    &[s.req(5)],
                    &["SignatureMangled"],
                    comment,
                ),
                NOW,
                body(s.with_mac(PAYLOAD, &m)),
                Expect::Reject("bad_signature"),
            );
        }
    } else {
        let other = if s.member() == INSERTION_MAC {
            SORTED_MAC
        } else {
            INSERTION_MAC
        };
        let under_other = format!(
            "{},\"{other}\":\"{mac}\"}}",
            PAYLOAD.strip_suffix('}').unwrap_or(PAYLOAD)
        );
        for (comment, bytes) in [
            ("no MAC member", PAYLOAD.as_bytes().to_vec()),
            ("an empty MAC member", s.with_mac(PAYLOAD, "")),
            (
                "the MAC under the other scheme's member name",
                under_other.into_bytes(),
            ),
        ] {
            f.verify(
                meta("HMACJSON-MISSING", &[s.req(4)], &["MissingMac"], comment),
                NOW,
                body(bytes),
                Expect::Reject("no_signature"),
            );
        }
    }
    let mut malformed: Vec<(&str, Vec<u8>)> = vec![
        ("not JSON", b"kind=task.result".to_vec()),
        ("truncated JSON", s.signed(PAYLOAD)[..20].to_vec()),
        (
            "a UTF-8 byte order mark first",
            [b"\xEF\xBB\xBF".as_slice(), &s.signed(PAYLOAD)].concat(),
        ),
        ("an empty file", Vec::new()),
    ];
    if s.dialect() == Dialect::Js {
        malformed.push(("a JSON array", b"[1,2]".to_vec()));
        malformed.push(("a JSON string", b"\"_hmac\"".to_vec()));
    } else {
        malformed.push(("bytes that are not UTF-8", NON_UTF8_A.to_vec()));
    }
    for (comment, bytes) in malformed {
        f.verify(
            meta(
                "HMACJSON-MALFORMED",
                &[s.req(3)],
                &["MalformedBody"],
                comment,
            ),
            NOW,
            body(bytes),
            Expect::Reject("malformed_body"),
        );
    }
    f
}

fn config_file(s: &Scheme) -> File {
    let mut f = s.file("config");
    let with = |name: &str, value: Value| super::with_member(&s.config, name, value);
    for (comment, config, field) in [
        (
            "an empty secret",
            with("secret", Value::string("")),
            "secret",
        ),
        ("a misspelt member", with("key", Value::string("x")), "key"),
    ] {
        f.verify_group(&config);
        f.verify_under_invalid_config(
            meta(
                "HMACJSON-CONFIG",
                &[s.req(1)],
                &["Misconfiguration"],
                comment,
            ),
            NOW,
            body(s.signed(PAYLOAD)),
            field,
        );
    }
    f
}
