//! spec/profiles/hmac-json-insertion-order.md, one test per requirement, named by its REQ id.
//! The expected texts are what Node 20 prints for `JSON.stringify(JSON.parse(text))`.

mod common;

use common::*;
use sipc_profiles::hmac_json::InsertionOrder;
use sipc_profiles::lax_json::{self, js, Dialect, Lax};
use sipc_profiles::{hmac_sha256, Message, Profile, ProfileConfig, Verifier};
use sipc_reference::hex::lower_hex as hex;

const SECRET: &str = "5b1f0c7e9a2d4f6081b3c5d7e9f1a2b4c6d8e0f1a3b5c7d9e1f2a4b6c8d0e2f4";

fn config() -> ProfileConfig {
    ProfileConfig::from_json(
        format!(r#"{{"secret":"{SECRET}"}}"#).as_bytes(),
        "REQ-HJI-1",
    )
    .unwrap()
}

fn verifier() -> Verifier {
    Profile::HmacJsonInsertionOrder
        .verifier_for(&config())
        .unwrap()
}

fn parse(text: &str) -> Lax {
    lax_json::parse(&text.chars().collect::<Vec<_>>(), Dialect::Js).unwrap()
}

fn file(bytes: &[u8]) -> Message {
    Message {
        headers: vec![],
        body: bytes.to_vec(),
    }
}

/// REQ-HJI-1: the key is the secret's text (64 ASCII bytes), not its hex decoding.
#[test]
fn req_hji_1_key_is_the_text() {
    let payload = br#"{"a":1}"#;
    let as_text = hex(&hmac_sha256(SECRET.as_bytes(), &[payload]));
    let decoded: Vec<u8> = (0..32)
        .map(|i| u8::from_str_radix(&SECRET[2 * i..2 * i + 2], 16).unwrap())
        .collect();
    let as_bytes = hex(&hmac_sha256(&decoded, &[payload]));
    let v = verifier();
    assert_eq!(
        code(
            &v,
            &file(format!(r#"{{"a":1,"_hmac":"{as_text}"}}"#).as_bytes()),
            NOW
        ),
        "accept"
    );
    assert_eq!(
        code(
            &v,
            &file(format!(r#"{{"a":1,"_hmac":"{as_bytes}"}}"#).as_bytes()),
            NOW
        ),
        "bad_signature"
    );
    assert_eq!(
        Profile::HmacJsonInsertionOrder
            .verifier(br#"{"secret":""}"#)
            .unwrap_err()
            .code(),
        "config_invalid"
    );
}

/// REQ-HJI-2: the signer's file is `{...payload, _hmac}` and verifies, whatever the clock.
#[test]
fn req_hji_2_sign() {
    let signer = InsertionOrder::new(&config());
    let out = signer.sign(&parse(r#"{"b":1,"10":2}"#)).unwrap();
    let text = String::from_utf8(out.clone()).unwrap();
    assert!(text.starts_with(r#"{"10":2,"b":1,"_hmac":""#), "{text}");
    assert_eq!(code(&verifier(), &file(&out), 0), "accept");
    assert_eq!(code(&verifier(), &file(&out), u64::MAX), "accept");
    assert_eq!(signer.sign(&parse("[1]")), None);
}

/// REQ-HJI-3: lossy UTF-8, then JSON.parse; not JSON or not an object is malformed_body.
#[test]
fn req_hji_3_reading() {
    let v = verifier();
    for body in [
        &b"not json"[..],
        b"[1,2]",
        b"null",
        b"\"x\"",
        b"",
        b"\xEF\xBB\xBF{}",
        b"{\"a\":1,}",
        // Python's json.loads reads these; JSON.parse does not.
        b"{\"a\":NaN}",
        b"{\"a\":Infinity}",
        b"{\"a\":-Infinity}",
        // A raw control character in a string (both readers refuse it).
        b"{\"a\":\"\x01\"}",
    ] {
        assert_eq!(
            code(&v, &file(body), NOW),
            "malformed_body",
            "{:?}",
            String::from_utf8_lossy(body)
        );
    }
    // A byte that is not UTF-8 reads as U+FFFD: the file verifies under the MAC of that text.
    let text = "{\"n\":\"\u{FFFD}\"}";
    let mac = hex(&hmac_sha256(SECRET.as_bytes(), &[text.as_bytes()]));
    let body = [&b"{\"n\":\"\xff\",\"_hmac\":\""[..], mac.as_bytes(), b"\"}"].concat();
    assert_eq!(code(&v, &file(&body), NOW), "accept");
}

/// REQ-HJI-4: no `_hmac`, or an empty one, is no_signature.
#[test]
fn req_hji_4_missing() {
    assert_eq!(code(&verifier(), &file(br#"{"a":1}"#), NOW), "no_signature");
    assert_eq!(
        code(&verifier(), &file(br#"{"a":1,"_hmac":""}"#), NOW),
        "no_signature"
    );
}

/// REQ-HJI-5: JSON.stringify as Node writes it (outputs printed by Node 20), so wire forms
/// that re-serialize alike verify and reordered members do not.
#[test]
fn req_hji_5_stringify() {
    for (input, node) in [
        (
            r#"{"b":1,"10":2,"2":3,"a":{"y":1,"x":[1.0,-0,1e21,1e-7,123456789012345678901234567890,0.1,5e-324,1.7976931348623157e308,1e400]}}"#,
            r#"{"2":3,"10":2,"b":1,"a":{"y":1,"x":[1,0,1e+21,1e-7,1.2345678901234568e+29,0.1,5e-324,1.7976931348623157e+308,null]}}"#,
        ),
        (
            r#"{"a":"\u00e9\ud83d\ude00\ud800x\u001f\u007f/\"\\","a":2,"__proto__":1,"4294967295":0,"4294967294":0,"01":0}"#,
            r#"{"4294967294":0,"a":2,"__proto__":1,"4294967295":0,"01":0}"#,
        ),
        (
            r#"{"k":[true,false,null,{}],"\u0000":"\b\f\n\r\t","é":"\u2028","s":"\ud800\u00e9\ud83d\ude00"}"#,
            "{\"k\":[true,false,null,{}],\"\\u0000\":\"\\b\\f\\n\\r\\t\",\"é\":\"\u{2028}\",\"s\":\"\\ud800é😀\"}",
        ),
        (
            // Array indices first, ascending: "0" is one; "", "00" and 2³² − 1 are not.
            r#"{"b":1,"":7,"00":6,"0":2,"4294967295":3,"4294967294":2,"999999999":5,"1":4}"#,
            r#"{"0":2,"1":4,"999999999":5,"4294967294":2,"b":1,"":7,"00":6,"4294967295":3}"#,
        ),
    ] {
        assert_eq!(String::from_utf8(js::stringify(&parse(input))).unwrap(), node, "{input}");
    }
    let v = verifier();
    let mac = hex(&hmac_sha256(SECRET.as_bytes(), &[br#"{"a":1,"b":[2]}"#]));
    let wire = |text: &str| file(format!("{}\"_hmac\":\"{mac}\"}}", text).as_bytes());
    assert_eq!(
        code(&v, &wire(r#"{ "a" : 1.0 , "b":[ 2e0 ], "#), NOW),
        "accept"
    );
    assert_eq!(code(&v, &wire(r#"{"a":0,"a":1,"b":[2],"#), NOW), "accept");
    assert_eq!(code(&v, &wire(r#"{"b":[2],"a":1,"#), NOW), "bad_signature");
    assert_eq!(
        code(&v, &wire(r#"{"a":1,"b":[2],"c":3,"#), NOW),
        "bad_signature"
    );
    // Where Node would throw (timingSafeEqual on another length, Buffer.from(5)), the
    // reference refuses.
    assert_eq!(
        code(&v, &file(br#"{"a":1,"b":[2],"_hmac":"abc"}"#), NOW),
        "bad_signature"
    );
    assert_eq!(
        code(&v, &file(br#"{"a":1,"b":[2],"_hmac":5}"#), NOW),
        "bad_signature"
    );
}
