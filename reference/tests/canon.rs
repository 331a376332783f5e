//! SIPC/1 §3, the RFC 8785 canonical form: REQ-CANON-1 … REQ-CANON-6, proven on the RFC author's
//! test files and the first 10⁶ lines of the author's ES6 number sequence (`vectors/rfc8785/`).

use sha2::{Digest, Sha256};
use sipc_reference::hex::lower_hex;
use sipc_reference::json::{parse, utf16_cmp, write_value, Number, Value};
use sipc_reference::{canonicalize, Reject, Rule};
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
    assert_eq!(
        canonicalize(br#"{"a":1,"a":2}"#),
        Err(Reject::Malformed(Rule::Json4))
    );
    assert_eq!(
        canonicalize(br#""\ud800""#),
        Err(Reject::Malformed(Rule::Json5))
    );
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

/// The RFC 8785 author's test files, in `vectors/rfc8785/` (source and licence there), built in:
/// a missing file is a compile error, never a skipped test.
const RFC8785_FILES: [(&str, &[u8], &[u8], &str); 6] = {
    macro_rules! pair {
        ($name:literal) => {
            (
                $name,
                include_bytes!(concat!("../../vectors/rfc8785/input/", $name, ".json")),
                include_bytes!(concat!("../../vectors/rfc8785/output/", $name, ".json")),
                include_str!(concat!("../../vectors/rfc8785/outhex/", $name, ".txt")),
            )
        };
    }
    [
        pair!("arrays"),
        pair!("french"),
        pair!("structures"),
        pair!("unicode"),
        pair!("values"),
        pair!("weird"),
    ]
};

/// REQ-CANON-1 … REQ-CANON-5 on the RFC 8785 author's files: input/ → output/ and outhex/.
#[test]
fn req_canon_rfc8785_author_test_files() {
    for (name, input, output, outhex) in RFC8785_FILES {
        let got = canonicalize(input).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(
            String::from_utf8_lossy(&got),
            String::from_utf8_lossy(output),
            "{name}"
        );
        let hex: String = outhex.split_whitespace().collect();
        assert_eq!(lower_hex(&got), hex.to_lowercase(), "{name} (outhex)");
        assert_eq!(canonicalize(&got).unwrap(), got, "{name}: not idempotent");
    }
}

/// The RFC 8785 author's ES6 number test sequence, from its definition (vectors/rfc8785/README.md):
/// 168 fixed edge cases, 2 000 consecutive doubles from the smallest normal one, then the
/// doubles of a SHA-256 chain that starts from 32 zero bytes (0, NaN and infinities skipped).
struct Es6Numbers {
    fixed: Vec<u64>,
    index: usize,
    block: [u8; 32],
    /// How many of the block's four words are still unused.
    unused_words: usize,
}

/// How many consecutive values follow the fixed ones.
const ES6_SERIAL_COUNT: usize = 2_000;
/// The first of them: the smallest normal double.
const ES6_SERIAL_START: u64 = 0x0010_0000_0000_0000;

impl Es6Numbers {
    fn new() -> Es6Numbers {
        let fixed: Vec<u64> = include_str!("../../vectors/rfc8785/es6-static-bits.txt")
            .lines()
            .map(|hex| u64::from_str_radix(hex, 16).unwrap())
            .collect();
        assert_eq!(fixed.len(), 168, "es6-static-bits.txt holds 168 values");
        Es6Numbers {
            fixed,
            index: 0,
            block: [0; 32],
            unused_words: 0,
        }
    }
}

impl Iterator for Es6Numbers {
    type Item = f64;

    fn next(&mut self) -> Option<f64> {
        let serial_end = self.fixed.len() + ES6_SERIAL_COUNT;
        let value = if let Some(&bits) = self.fixed.get(self.index) {
            f64::from_bits(bits)
        } else if self.index < serial_end {
            f64::from_bits(ES6_SERIAL_START + (self.index - self.fixed.len()) as u64)
        } else {
            loop {
                if self.unused_words == 0 {
                    self.block = Sha256::digest(self.block).into();
                    self.unused_words = 4;
                }
                let at = (4 - self.unused_words) * 8;
                self.unused_words -= 1;
                let word: [u8; 8] = self.block[at..at + 8].try_into().unwrap();
                let value = f64::from_bits(u64::from_le_bytes(word));
                if value != 0.0 && value.is_finite() {
                    break value;
                }
            }
        };
        self.index += 1;
        Some(value)
    }
}

/// REQ-CANON-4 on the RFC 8785 author's ES6 number sequence, generated in-repo: the first 10⁶
/// lines `<bits as hex>,<canonical text>` hash to the published SHA-256 (at 10⁴ and 10⁶ lines).
/// On the first 10⁴ values, the canonical text also parses back to the same double, and the
/// same value written another way canonicalizes to the same text.
#[test]
fn req_canon_4_es6_number_sequence_published_hashes() {
    const PUBLISHED: [(usize, &str); 2] = [
        (
            10_000,
            "b9f7a8e75ef22a835685a52ccba7f7d6bdc99e34b010992cbc5864cd12be6892",
        ),
        (
            1_000_000,
            "49415fee2c56c77864931bd3624faad425c3c577d6d74e89a83bc725506dad16",
        ),
    ];
    let mut hash = Sha256::new();
    let mut line = Vec::new();
    let mut checked = Vec::new();
    for (n, value) in Es6Numbers::new().take(1_000_000).enumerate() {
        line.clear();
        line.extend_from_slice(format!("{:x},", value.to_bits()).as_bytes());
        let text_start = line.len();
        write_value(&mut line, &Value::Number(Number::from_f64(value).unwrap()));
        if n < 10_000 {
            let text = std::str::from_utf8(&line[text_start..]).unwrap();
            assert_eq!(canon(&format!("{value:e}")), text, "{value:e}");
            match parse(text.as_bytes()).unwrap() {
                Value::Number(parsed) => assert_eq!(parsed.value(), value, "{text}"),
                other => panic!("{other:?}"),
            }
        }
        line.push(b'\n');
        hash.update(&line);
        if let Some((lines, _)) = PUBLISHED.iter().find(|(lines, _)| *lines == n + 1) {
            checked.push((*lines, lower_hex(&hash.clone().finalize())));
        }
    }
    let want: Vec<(usize, String)> = PUBLISHED
        .iter()
        .map(|(lines, hex)| (*lines, (*hex).to_owned()))
        .collect();
    assert_eq!(checked, want);
}
