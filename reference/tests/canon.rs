//! SIPC/1 §3, the RFC 8785 canonical form: REQ-CANON-1 … REQ-CANON-6, proven on the RFC author's
//! test files and 10 000 ECMAScript number lines from `../shared/jcs-testdata`.

mod common;

use sha2::{Digest, Sha256};
use sipc_reference::json::{parse, utf16_cmp, write_value, Number, Value};
use sipc_reference::{canonicalize, Reject};
use std::cmp::Ordering;

fn canon(input: &str) -> String {
    String::from_utf8(canonicalize(input.as_bytes()).unwrap()).unwrap()
}

/// REQ-CANON-1
#[test]
fn req_canon_1_members_sorted_by_utf16_code_units() {
    assert_eq!(
        canon(r#"{"b":1,"a":2,"A":3,"":4}"#),
        r#"{"":4,"A":3,"a":2,"b":1}"#
    );
    // U+1F600 is D83D DE00 in UTF-16 and sorts before U+E000 and U+FFFD, unlike in UTF-8.
    assert_eq!(
        canon("{\"\u{fffd}\":1,\"\u{e000}\":2,\"\u{1f600}\":3,\"\u{7f}\":4}"),
        "{\"\u{7f}\":4,\"\u{1f600}\":3,\"\u{e000}\":2,\"\u{fffd}\":1}"
    );
    assert_eq!(utf16_cmp("\u{1f600}", "\u{e000}"), Ordering::Less);
    assert_eq!(
        "\u{1f600}".cmp("\u{e000}"),
        Ordering::Greater,
        "UTF-8 order differs, on purpose"
    );
    // a prefix sorts first; sorting is applied at every depth; no locale (é after z)
    assert_eq!(canon(r#"{"ab":1,"a":2}"#), r#"{"a":2,"ab":1}"#);
    assert_eq!(
        canon(r#"[{"z":{"y":1,"x":2},"é":0,"e":0}]"#),
        r#"[{"e":0,"z":{"x":2,"y":1},"é":0}]"#
    );
}

/// REQ-CANON-2
#[test]
fn req_canon_2_no_whitespace() {
    assert_eq!(
        canon(" { \"a\" : [ 1 , 2 , { } , [ ] ] ,\n\t\"b\" : \"x y\" } "),
        r#"{"a":[1,2,{},[]],"b":"x y"}"#
    );
}

/// REQ-CANON-3
#[test]
fn req_canon_3_string_escapes() {
    assert_eq!(
        canon(r#""\u0022\u005c\u0008\u000c\u000a\u000d\u0009""#),
        r#""\"\\\b\f\n\r\t""#
    );
    assert_eq!(
        canon(r#""\u0000\u0001\u001f\u000B""#),
        r#""\u0000\u0001\u001f\u000b""#
    );
    assert_eq!(
        canon(r#""\/\u002f\u007f\u0080\u00e9\u20ac\ud83d\ude00""#),
        "\"//\u{7f}\u{80}\u{e9}\u{20ac}\u{1f600}\""
    );
    // no normalization: e + combining acute stays two code points
    assert_eq!(canon("\"e\u{301}\""), "\"e\u{301}\"");
    assert_eq!(canon(r#"{"\u0041\n":"\u00C5"}"#), "{\"A\\n\":\"\u{c5}\"}");
}

/// REQ-CANON-4
#[test]
fn req_canon_4_ecmascript_numbers() {
    for (input, want) in [
        ("-0", "0"),
        ("0.0", "0"),
        ("1.0", "1"),
        ("1e2", "100"),
        ("1E+2", "100"),
        ("-1.5e-3", "-0.0015"),
        ("1e21", "1e+21"),
        ("1e20", "100000000000000000000"),
        ("123456789012345678901", "123456789012345680000"),
        ("0.000001", "0.000001"),
        ("0.0000001", "1e-7"),
        ("1.7976931348623157e308", "1.7976931348623157e+308"),
        ("5e-324", "5e-324"),
        ("4.9e-324", "5e-324"),
        ("1e-400", "0"),
        ("9007199254740993", "9007199254740992"),
        ("0.1", "0.1"),
        ("333333333.33333329", "333333333.3333333"),
        ("1.5e300", "1.5e+300"),
    ] {
        assert_eq!(canon(input), want, "{input}");
    }
}

/// REQ-CANON-5
#[test]
fn req_canon_5_literals_and_array_order() {
    assert_eq!(
        canon("[ true , false , null , [3,1,2] ]"),
        "[true,false,null,[3,1,2]]"
    );
}

/// REQ-CANON-6
#[test]
fn req_canon_6_refuses_what_the_parser_refuses_and_is_idempotent() {
    assert_eq!(canonicalize(br#"{"a":1,"a":2}"#), Err(Reject::Malformed));
    assert_eq!(canonicalize(br#""\ud800""#), Err(Reject::Malformed));
    let once = canonicalize(br#"{"b":[1.0,"\u00e9"],"a":{"d":1e3,"c":null}}"#).unwrap();
    assert_eq!(canonicalize(&once).unwrap(), once);
}

/// Canonical outputs of the tricky cases, pinned (REQ-CANON-1, REQ-CANON-3, REQ-CANON-4).
#[test]
fn req_canon_snapshot_of_canonical_outputs() {
    let cases = [
        r#"{"z":1,"a":{"c":[3,2,1],"b":"\u00e9"},"\ud83d\ude00":0,"\ue000":0}"#,
        r#"["\u0000\u001f\u007f\"\\/",1E+2,-0.0,1e-7,1e21,0.1,9007199254740993]"#,
        r#"{"kind":"job.run","v":1,"ts":1700000000,"nonce":"AAAAAAAAAAAAAAAAAAAAAA","payload":"aGk"}"#,
        "{\"\u{fb33}\":1,\"\u{10346}\":2,\"\u{20ac}\":3,\"\\r\":4,\"1\":5,\"\u{80}\":6,\"\u{f6}\":7}",
        r#"{"headers":{"sig":"x","Sig":"y"},"target":["b","a"],"trace_id":null}"#,
    ];
    let mut out = String::new();
    for case in cases {
        out.push_str(&format!("{case}\n=> {}\n\n", canon(case)));
    }
    insta::assert_snapshot!(out);
}

/// REQ-CANON-1 … REQ-CANON-5 on the RFC 8785 author's files: input/ → output/ and outhex/.
#[test]
fn req_canon_rfc8785_author_test_files() {
    let Some(dir) = common::jcs_testdata() else {
        return;
    };
    let mut checked = 0;
    for entry in std::fs::read_dir(dir.join("input")).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_str().unwrap().to_owned();
        let got =
            canonicalize(&std::fs::read(&path).unwrap()).unwrap_or_else(|e| panic!("{name}: {e}"));
        let want = std::fs::read(dir.join("output").join(&name)).unwrap();
        assert_eq!(
            String::from_utf8_lossy(&got),
            String::from_utf8_lossy(&want),
            "{name}"
        );
        let hex: String =
            std::fs::read_to_string(dir.join("outhex").join(name.replace(".json", ".txt")))
                .unwrap()
                .split_whitespace()
                .collect();
        assert_eq!(
            sipc_reference::sign::lower_hex(&got),
            hex.to_lowercase(),
            "{name} (outhex)"
        );
        assert_eq!(canonicalize(&got).unwrap(), got, "{name}: not idempotent");
        checked += 1;
    }
    assert!(checked >= 6, "only {checked} files in {}", dir.display());
}

/// REQ-CANON-4 on the 10 000 ES6 number lines: formatting from the bits, and parsing the
/// expected text back to the same value.
#[test]
fn req_canon_4_es6_number_test_file() {
    let Some(dir) = common::jcs_testdata() else {
        return;
    };
    let text = std::fs::read(dir.join("numbers/es6testfile-10k.txt")).unwrap();
    assert_eq!(
        sipc_reference::sign::lower_hex(&Sha256::digest(&text)),
        "b9f7a8e75ef22a835685a52ccba7f7d6bdc99e34b010992cbc5864cd12be6892",
        "the number file is not the published one"
    );
    let mut lines = 0;
    for line in std::str::from_utf8(&text).unwrap().lines() {
        let (hex, want) = line.split_once(',').unwrap();
        let value = f64::from_bits(u64::from_str_radix(hex, 16).unwrap());
        let mut got = Vec::new();
        write_value(&mut got, &Value::Number(Number::from_f64(value).unwrap()));
        assert_eq!(std::str::from_utf8(&got).unwrap(), want, "bits {hex}");
        // the same value written another way canonicalizes to the same text
        assert_eq!(
            canon(&format!("{value:e}")),
            want,
            "bits {hex} as {value:e}"
        );
        match parse(want.as_bytes()).unwrap() {
            Value::Number(n) => assert_eq!(n.value(), value, "{want} parses back to another value"),
            other => panic!("{other:?}"),
        }
        lines += 1;
    }
    assert_eq!(lines, 10_000);
}
