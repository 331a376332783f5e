//! spec/profiles/hmac-json-sorted-keys.md, one test per requirement, named by its REQ id.
//! The expected texts are what CPython 3.11 prints for
//! `json.dumps(json.loads(text), sort_keys=True)`.

mod common;

use common::*;
use sipc_profiles::hmac_json::SortedKeys;
use sipc_profiles::lax_json::{self, python, Dialect, Lax};
use sipc_profiles::{hmac_sha256, Message, Profile, ProfileConfig, Verifier};
use sipc_reference::hex::lower_hex as hex;

const SECRET: &str = "sipc-model-results-signing-key-2026";

fn config() -> ProfileConfig {
    ProfileConfig::from_json(
        format!(r#"{{"secret":"{SECRET}"}}"#).as_bytes(),
        "REQ-HJS-1",
    )
    .unwrap()
}

fn verifier() -> Verifier {
    Profile::HmacJsonSortedKeys.verifier_for(&config()).unwrap()
}

fn parse(text: &str) -> Lax {
    lax_json::parse(&text.chars().collect::<Vec<_>>(), Dialect::Python).unwrap()
}

fn body(bytes: &[u8]) -> Message {
    Message {
        headers: vec![],
        body: bytes.to_vec(),
    }
}

/// REQ-HJS-1: the key is the secret's UTF-8 bytes; an empty secret is refused.
#[test]
fn req_hjs_1_key() {
    let mac = hex(&hmac_sha256(SECRET.as_bytes(), &[br#"{"a": 1}"#]));
    assert_eq!(
        code(
            &verifier(),
            &body(format!(r#"{{"a":1,"hmac":"{mac}"}}"#).as_bytes()),
            NOW
        ),
        "accept"
    );
    let other = hex(&hmac_sha256(b"another", &[br#"{"a": 1}"#]));
    assert_eq!(
        code(
            &verifier(),
            &body(format!(r#"{{"a":1,"hmac":"{other}"}}"#).as_bytes()),
            NOW
        ),
        "bad_signature"
    );
    assert_eq!(
        Profile::HmacJsonSortedKeys
            .verifier(br#"{"secret":""}"#)
            .unwrap_err()
            .code(),
        "config_invalid"
    );
}

/// REQ-HJS-2: the signer adds a float `timestamp`, then `hmac`; the message verifies at any
/// clock (the timestamp is never checked).
#[test]
fn req_hjs_2_sign() {
    let signer = SortedKeys::new(&config());
    let out = signer
        .sign(&parse(r#"{"model":"m","score":0.5}"#), 1_700_000_000.25)
        .unwrap();
    let text = String::from_utf8(out.clone()).unwrap();
    assert!(
        text.starts_with(r#"{"model": "m", "score": 0.5, "timestamp": 1700000000.25, "hmac": ""#),
        "{text}"
    );
    assert_eq!(code(&verifier(), &body(&out), 0), "accept");
    assert_eq!(code(&verifier(), &body(&out), u64::MAX), "accept");
}

/// REQ-HJS-3: strict UTF-8, json.loads (NaN and Infinity read), an object.
#[test]
fn req_hjs_3_reading() {
    for b in [
        &b"not json"[..],
        b"\xff{}",
        b"\xEF\xBB\xBF{}",
        b"",
        b"[1]",
        b"\"s\"",
        b"nan",
        // A raw control character in a string (json.loads refuses it: strict=True).
        b"{\"a\":\"\x1f\"}",
    ] {
        assert_eq!(
            code(&verifier(), &body(b), NOW),
            "malformed_body",
            "{:?}",
            String::from_utf8_lossy(b)
        );
    }
    let mac = hex(&hmac_sha256(SECRET.as_bytes(), &[br#"{"x": NaN}"#]));
    assert_eq!(
        code(
            &verifier(),
            &body(format!(r#"{{"x":NaN,"hmac":"{mac}"}}"#).as_bytes()),
            NOW
        ),
        "accept"
    );
}

/// REQ-HJS-4: json.dumps(sort_keys=True) as CPython writes it (outputs printed by CPython
/// 3.11): re-serializing wire forms verify; a missing or non-string hmac is refused where
/// Python would raise.
#[test]
fn req_hjs_4_dumps() {
    for (input, cpython) in [
        (
            r#"{"b":1,"10":2,"2":3,"a":{"y":1,"x":[1.0,-0,1e21,1e-7,123456789012345678901234567890,0.1,5e-324,1.7976931348623157e308,1e400]}}"#,
            r#"{"10": 2, "2": 3, "a": {"x": [1.0, 0, 1e+21, 1e-07, 123456789012345678901234567890, 0.1, 5e-324, 1.7976931348623157e+308, Infinity], "y": 1}, "b": 1}"#,
        ),
        (
            r#"{"a":"\u00e9\ud83d\ude00\ud800x\u001f\u007f/\"\\","a":2,"__proto__":1,"4294967295":0,"4294967294":0,"01":0}"#,
            r#"{"01": 0, "4294967294": 0, "4294967295": 0, "__proto__": 1, "a": 2}"#,
        ),
        (
            r#"{"k":[true,false,null,{}],"\u0000":"\b\f\n\r\t","é":"\u2028","s":"\ud800\u00e9\ud83d\ude00"}"#,
            r#"{"\u0000": "\b\f\n\r\t", "k": [true, false, null, {}], "s": "\ud800\u00e9\ud83d\ude00", "\u00e9": "\u2028"}"#,
        ),
        (
            r#"{"f":[1E2,1e16,1e15,0.0001,0.00001,-0.0,1.5e300,2.5e-7,1e22,123.456,-0,7,1e400,-1e400],"n":NaN,"i":-Infinity}"#,
            r#"{"f": [100.0, 1e+16, 1000000000000000.0, 0.0001, 1e-05, -0.0, 1.5e+300, 2.5e-07, 1e+22, 123.456, 0, 7, Infinity, -Infinity], "i": -Infinity, "n": NaN}"#,
        ),
        (
            // The last code point of the BMP is one escape; the first above it, a pair.
            "{\"s\":\"\u{FFFF}\u{10000}\u{10FFFF}\\uffff\\ud800\\udc00\"}",
            r#"{"s": "\uffff\ud800\udc00\udbff\udfff\uffff\ud800\udc00"}"#,
        ),
    ] {
        assert_eq!(
            String::from_utf8(python::dumps_sorted(&parse(input)).unwrap()).unwrap(),
            cpython,
            "{input}"
        );
    }
    let v = verifier();
    let mac = hex(&hmac_sha256(
        SECRET.as_bytes(),
        &[br#"{"a": 1.0, "b": "\u00e9"}"#],
    ));
    let wire = |text: &str| body(format!("{}\"hmac\":\"{mac}\"}}", text).as_bytes());
    assert_eq!(code(&v, &wire(r#"{"b":"é","a":1.00,"#), NOW), "accept");
    assert_eq!(code(&v, &wire(r#"{"a":1e0,"b":"\u00e9","#), NOW), "accept");
    assert_eq!(code(&v, &wire(r#"{"a":1,"b":"é","#), NOW), "bad_signature");
    assert_eq!(
        code(&v, &body(br#"{"a":1.0,"b":"x"}"#), NOW),
        "no_signature"
    );
    assert_eq!(
        code(&v, &body(br#"{"a":1.0,"hmac":5}"#), NOW),
        "bad_signature"
    );
    let digits = format!(r#"{{"n":{},"hmac":"00"}}"#, "9".repeat(4301));
    assert_eq!(code(&v, &body(digits.as_bytes()), NOW), "malformed_body");
    // CPython's limit is on digits, the sign apart: 4 300 of them are written back as read.
    for literal in ["9".repeat(4300), format!("-{}", "9".repeat(4300))] {
        assert_eq!(python::number(&literal).as_deref(), Ok(literal.as_str()));
    }
    assert!(python::number(&format!("-{}", "9".repeat(4301))).is_err());
}

/// The reader's nesting cap (`lax_json::MAX_DEPTH`, 128 levels): the deepest nesting read is
/// read, one level more is refused, arrays and objects alike.
#[test]
fn nesting_is_read_to_max_depth_and_no_deeper() {
    let depth = lax_json::MAX_DEPTH;
    for (open, inner, close) in [("[", "", "]"), (r#"{"a":"#, "1", "}")] {
        let text = |d: usize| -> Vec<char> {
            format!("{}{inner}{}", open.repeat(d), close.repeat(d))
                .chars()
                .collect()
        };
        assert!(
            lax_json::parse(&text(depth), Dialect::Python).is_ok(),
            "{open}"
        );
        assert!(
            lax_json::parse(&text(depth + 1), Dialect::Python).is_err(),
            "{open}"
        );
        assert!(
            lax_json::parse(&text(depth + 1), Dialect::Js).is_err(),
            "{open}"
        );
    }
}
