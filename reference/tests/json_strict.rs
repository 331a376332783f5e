//! SIPC/1 §2, strict JSON: REQ-JSON-1 … REQ-JSON-8, through both `parse` and `canonicalize`.

use sipc_reference::json::{parse, Value, MAX_DEPTH};
use sipc_reference::{canonicalize, Reject, Rule};

/// `input` is refused as `malformed`, naming `rule`, by the parser and by `canonicalize`.
fn refused(rule: Rule, input: &[u8]) {
    assert_eq!(
        parse(input),
        Err(Reject::Malformed(rule)),
        "parse of {:?}",
        String::from_utf8_lossy(input)
    );
    assert_eq!(
        canonicalize(input),
        Err(Reject::Malformed(rule)),
        "canonicalize of {input:?}"
    );
}

fn accepted(input: &[u8]) -> Value {
    parse(input).unwrap_or_else(|e| panic!("refused {:?}: {e}", String::from_utf8_lossy(input)))
}

/// REQ-JSON-1
#[test]
fn req_json_1_invalid_utf8_refused() {
    for bad in [
        &b"\"\xff\""[..],
        b"\"\xc0\xaf\"",         // overlong '/'
        b"\"\xed\xa0\x80\"",     // encoded high surrogate (CESU-8)
        b"\"\xf4\x90\x80\x80\"", // above U+10FFFF
        b"\"\xe2\x82\"",         // truncated sequence
        b"{\"a\xfe\":1}",
    ] {
        refused(Rule::Json1, bad);
    }
    assert_eq!(
        accepted("\"h\u{e9}\u{1F600}\"".as_bytes()),
        Value::String("h\u{e9}\u{1F600}".into())
    );
}

/// REQ-JSON-2
#[test]
fn req_json_2_bom_refused() {
    refused(Rule::Json2, b"\xef\xbb\xbf{}");
    refused(Rule::Json2, b"\xef\xbb\xbf1");
    // a BOM inside a string is just U+FEFF
    assert_eq!(
        accepted(b"\"\xef\xbb\xbf\""),
        Value::String("\u{feff}".into())
    );
}

/// REQ-JSON-3
#[test]
fn req_json_3_exactly_one_value() {
    for bad in [
        &b""[..],
        b" ",
        b"{}{}",
        b"{} x",
        b"1 2",
        b"{}\0",
        b"[],",
        b"\"a\"\"b\"",
        b"{}\x0c",
        b"\xc2\xa0{}",
        // an unbalanced closing bracket is something after the value
        b"[1]]",
        b"{\"a\":1}}",
    ] {
        refused(Rule::Json3, bad);
    }
    assert_eq!(accepted(b" \t\r\n{} \t\r\n"), Value::Object(vec![]));
    assert_eq!(canonicalize(b"\n[1]\n").unwrap(), b"[1]");
}

/// REQ-JSON-4
#[test]
fn req_json_4_duplicate_names_refused_at_any_depth() {
    for bad in [
        r#"{"a":1,"a":1}"#,
        r#"{"a":1,"b":2,"a":3}"#,
        r#"{"a":1,"\u0061":2}"#,
        r#"{"x":{"y":null,"y":null}}"#,
        r#"[[{"k":[],"k":{}}]]"#,
        r#"{"sig":"a","sig":"b"}"#,
        r#"{"é":1,"\u00e9":2}"#,
    ] {
        refused(Rule::Json4, bad.as_bytes());
    }
    // names that differ only in case, or in normalization form, are different names
    accepted(r#"{"a":1,"A":2}"#.as_bytes());
    accepted("{\"\u{e9}\":1,\"e\u{301}\":2}".as_bytes());
}

/// REQ-JSON-4: uniqueness is checked without quadratic cost on a hostile object.
#[test]
fn req_json_4_many_members_duplicate_at_end() {
    let mut text = String::from("{");
    for i in 0..20_000 {
        text.push_str(&format!("\"k{i}\":0,"));
    }
    text.push_str("\"k7\":0}");
    refused(Rule::Json4, text.as_bytes());
}

/// REQ-JSON-5
#[test]
fn req_json_5_lone_surrogates_refused() {
    for bad in [
        r#""\ud800""#,
        r#""\udbff x""#,
        r#""\udc00""#,
        r#""\ud800\ud800""#,
        r#""\ud800\u0041""#,
        r#""\ud800\n""#,
        r#""\udfff\ud800""#,
        r#"{"\ud83d":1}"#,
    ] {
        refused(Rule::Json5, bad.as_bytes());
    }
    assert_eq!(
        accepted(br#""\ud83d\ude00""#),
        Value::String("\u{1F600}".into())
    );
    assert_eq!(
        accepted(br#""\uDBFF\uDFFF""#),
        Value::String("\u{10FFFF}".into())
    );
}

/// REQ-JSON-6
#[test]
fn req_json_6_number_grammar_and_range() {
    for bad in [
        "NaN",
        "Infinity",
        "-Infinity",
        "+1",
        "01",
        "-01",
        ".5",
        "1.",
        "1.e5",
        "1e",
        "1e+",
        "-",
        "--1",
        "0x10",
        "1e400",
        "-1e400",
        "1E309",
        "[1,NaN]",
        "1_000",
    ] {
        refused(Rule::Json6, bad.as_bytes());
    }
    // A non-ASCII digit starts no JSON token at all: REQ-JSON-8's, as any other stray byte.
    refused(Rule::Json8, "١".as_bytes());
    for good in [
        "0", "-0", "1.5", "1e5", "1E-5", "-0.0e+0", "1e308", "4.9e-324", "1e-400",
    ] {
        accepted(good.as_bytes());
    }
}

/// REQ-JSON-7
#[test]
fn req_json_7_depth_64_accepted_65_refused() {
    assert_eq!(MAX_DEPTH, 64);
    let nest = |n: usize, open: &str, close: &str| format!("{}{}", open.repeat(n), close.repeat(n));
    accepted(nest(64, "[", "]").as_bytes());
    refused(Rule::Json7, nest(65, "[", "]").as_bytes());
    let objects = |n: usize| format!("{}1{}", "{\"a\":".repeat(n), "}".repeat(n));
    accepted(objects(64).as_bytes());
    refused(Rule::Json7, objects(65).as_bytes());
    // mixed: 32 arrays holding 32 objects is 64; one more array is 65
    let mixed = |arrays: usize| {
        format!(
            "{}{}null{}{}",
            "[".repeat(arrays),
            "{\"k\":".repeat(32),
            "}".repeat(32),
            "]".repeat(arrays)
        )
    };
    accepted(mixed(32).as_bytes());
    refused(Rule::Json7, mixed(33).as_bytes());
}

/// REQ-JSON-7: no stack overflow on deep input, closed or not.
#[test]
fn req_json_7_deep_input_is_clean_malformed() {
    refused(Rule::Json7, "[".repeat(100_000).as_bytes());
    refused(Rule::Json7, "{\"a\":".repeat(100_000).as_bytes());
    refused(
        Rule::Json7,
        format!("{}{}", "[".repeat(100_000), "]".repeat(100_000)).as_bytes(),
    );
}

/// REQ-JSON-8
#[test]
fn req_json_8_rfc8259_violations_refused() {
    for bad in [
        "\"a\u{0}b\"",
        "\"\t\"",
        "\"\n\"",
        "\"\u{1f}\"",
        r#""\x41""#,
        r#""\'""#,
        r#""\U0041""#,
        r#""\u41""#,
        r#""\u004""#,
        r#""\u00g1""#,
        "'a'",
        "{'a':1}",
        "{a:1}",
        "[1,]",
        "{\"a\":1,}",
        "[,1]",
        "/*c*/1",
        "1 // c",
        "[1 2]",
        "{\"a\" 1}",
        "{\"a\":}",
        "{1:1}",
        "[",
        "{",
        "\"abc",
        "tru",
        "nul",
        "True",
        "\"\\",
    ] {
        refused(Rule::Json8, bad.as_bytes());
    }
    // what RFC 8259 allows stays allowed
    assert_eq!(
        accepted(br#""\/\b\f\n\r\t\"\\\u0000""#),
        Value::String("/\u{8}\u{c}\n\r\t\"\\\u{0}".into())
    );
    assert_eq!(
        accepted("\"\u{7f}\"".as_bytes()),
        Value::String("\u{7f}".into())
    );
}

/// REQ-CANON-4: numbers compare by value, not by literal: `1.0` equals `1` and `-0` equals `0`,
/// and different values differ.
#[test]
fn req_canon_4_numbers_equal_by_value() {
    let value = |text: &str| parse(text.as_bytes()).unwrap();
    assert_eq!(value("1.0"), value("1"));
    assert_eq!(value("-0"), value("0"));
    assert_eq!(value("[1e2]"), value("[100]"));
    assert_ne!(value("1"), value("2"));
    assert_ne!(value("[0.1]"), value("[0.10000000000000002]"));
}
