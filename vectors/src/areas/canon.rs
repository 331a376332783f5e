//! `canonicalization.json`: strict JSON (§2) and the RFC 8785 form (§3), through the adapter's
//! `canonicalize` op.

use crate::suite::{meta, Area, Expect, Expect::Accept};

const MALFORMED: Expect = Expect::Reject("malformed");

fn nested(depth: usize, open: &str, inner: &str, close: &str) -> Vec<u8> {
    format!("{}{inner}{}", open.repeat(depth), close.repeat(depth)).into_bytes()
}

pub fn area() -> Area {
    let mut a = Area::new("canonicalization");
    a.canon_group();
    let sort = ["REQ-CANON-1"];
    for (input, comment) in [
        (r#"{"b":1,"a":2}"#, "two members out of order"),
        (r#"{"a":{"d":1,"c":2},"b":[{"z":0,"y":1}]}"#, "sorting at every depth"),
        (r#"{"aa":1,"a":2,"ab":3,"b":4}"#, "a prefix sorts first"),
        (r#"{"a":1,"B":2,"_":3,"A":4}"#, "uppercase before underscore before lowercase"),
        (r#"{"10":1,"9":2,"1":3}"#, "digit names sort as strings, not numbers"),
        ("{\"\u{e000}\":1,\"\u{10000}\":2}", "astral U+10000 (D800 DC00) sorts before U+E000"),
        ("{\"\u{ffff}\":1,\"\u{10ffff}\":2,\"\u{fb33}\":3}", "U+10FFFF (DBFF DFFF) before U+FB33 and U+FFFF"),
        ("{\"\u{20ac}\":\"Euro Sign\",\"\\r\":\"Carriage Return\",\"\u{fb33}\":\"Hebrew Letter Dalet With Dagesh\",\"1\":\"One\",\"\u{1f600}\":\"Emoji: Grinning Face\",\"\u{80}\":\"Control\",\"\u{f6}\":\"Latin Small Letter O With Diaeresis\"}", "the RFC 8785 §3.2.3 sorting example"),
        ("{\"\u{7f}\":1,\"~\":2,\"\u{80}\":3}", "DEL sorts after tilde and before U+0080"),
        (r#"{"\u0062":1,"a":2}"#, "an escaped name sorts by its unescaped value"),
    ] {
        a.canon(meta("CANON-SORT", &sort, &["Utf16Sort"], comment), input.as_bytes(), Accept);
    }
    let esc = ["REQ-CANON-3"];
    for (input, comment) in [
        (r#""\u0041\u0062""#, "escaped ASCII letters are written raw"),
        (r#""a\/b""#, "an escaped solidus is written as /"),
        ("\"a/b\"", "a raw solidus stays raw"),
        (r#""\u007f""#, "DEL is written raw, not escaped"),
        (
            r#""\u001f\u0000\u000b""#,
            "other control characters as lowercase \\u00xx",
        ),
        (r#""\b\f\n\r\t\"\\""#, "the seven short escapes"),
        (
            r#""\u0008\u000C\u000a\u000D\u0009\u0022\u005C""#,
            "long forms of the short escapes become short",
        ),
        (
            r#""\u00e9\u00E9""#,
            "escaped non-ASCII is written as raw UTF-8",
        ),
        (
            "\"é\"",
            "raw non-ASCII stays raw, no normalization (é precomposed)",
        ),
        ("\"e\u{301}\"", "no normalization (e + combining acute)"),
        (
            r#""\u2028\u2029""#,
            "line and paragraph separators are written raw",
        ),
        (
            r#""\ud83d\ude00""#,
            "an escaped surrogate pair is written as one raw code point",
        ),
        (
            r#""\uDBFF\uDFFF""#,
            "U+10FFFF from an uppercase-escaped pair",
        ),
        (
            r#""\ud800\udc00""#,
            "U+10000 from the lowest pair (both halves at the bottom of their ranges)",
        ),
        (
            r#""\ud7ff\ue000""#,
            "the escapes just below and just above the surrogates are ordinary characters",
        ),
        (r#"{"\u0000":"\u001F"}"#, "control characters in names"),
    ] {
        a.canon(
            meta("CANON-ESCAPE", &esc, &["EscapeForm"], comment),
            input.as_bytes(),
            Accept,
        );
    }
    let num = ["REQ-CANON-4", "REQ-JSON-6"];
    for (input, comment) in [
        ("[1.0,1e0,10E-1,0.1e1]", "one in four spellings"),
        ("[-0,-0.0,0e5]", "negative zero is written 0"),
        (
            "[1e20,1e21,123456789012345678901]",
            "plain up to 1e20, exponent from 1e21",
        ),
        (
            "[0.000001,0.0000001,1e-7]",
            "plain down to 1e-6, exponent from 1e-7",
        ),
        (
            "[0.0000012345,1.2345e-7,9.999999999999997e-7,123456789012345680000,1.2345e21]",
            "decimal exponents -6 and 20 are written plain, -7 and 21 with an exponent",
        ),
        (
            "[9007199254740993,9007199254740992,-9007199254740993]",
            "integers beyond 2^53 round to the nearest double",
        ),
        (
            "[0.1,0.2,0.30000000000000004,1.7976931348623157e308]",
            "shortest round-trip digits",
        ),
        (
            "[1.5,-9.75,3.141592653589793]",
            "one digit before the point: no exponent",
        ),
        (
            "[5e-324,2.2250738585072014e-308,4.9406564584124654e-324]",
            "subnormal and smallest values",
        ),
        (
            "[-1.5E+3,1E2,12.50,100e-2]",
            "uppercase exponent and trailing zeros",
        ),
        (
            "[333333333.33333329,1e+23,1.2e-10]",
            "the RFC 8785 number samples",
        ),
        ("[true,false,null,[],{}]", "literals and empty containers"),
    ] {
        a.canon(
            meta("CANON-NUMBER", &num, &["NumberForm"], comment),
            input.as_bytes(),
            Accept,
        );
    }
    for (input, comment) in [
        (
            " \t\r\n{ \"a\" : [ 1 , 2 ] }\n\t ",
            "whitespace of all four kinds around tokens",
        ),
        ("[3,1,2]", "array order is kept"),
    ] {
        a.canon(
            meta(
                "CANON-WHITESPACE",
                &["REQ-CANON-2", "REQ-CANON-5"],
                &["EscapeForm"],
                comment,
            ),
            input.as_bytes(),
            Accept,
        );
    }
    for (input, comment) in [
        ("NaN", "NaN"),
        ("[Infinity]", "Infinity"),
        ("[-Infinity]", "-Infinity"),
        ("[+1]", "a leading plus"),
        ("[01]", "a leading zero"),
        ("[-01]", "a leading zero after minus"),
        ("[.5]", "no integer part"),
        ("[1.]", "no fraction digits"),
        ("[1e]", "no exponent digits"),
        ("[1e+]", "no exponent digits after the sign"),
        ("[-]", "a lone minus"),
        ("[1e400]", "a number that rounds to infinity"),
        ("[-1e400]", "a negative number that rounds to infinity"),
        ("[0x10]", "hexadecimal"),
    ] {
        a.canon(
            meta(
                "JSON-NUMBER",
                &["REQ-JSON-6", "REQ-CANON-6"],
                &["NumberForm"],
                comment,
            ),
            input.as_bytes(),
            MALFORMED,
        );
    }
    let dup = ["REQ-JSON-4", "REQ-CANON-6"];
    for (input, comment) in [
        (r#"{"a":1,"a":2}"#, "the same name twice"),
        (
            r#"{"a":1,"a":1}"#,
            "the same name twice with the same value",
        ),
        (r#"{"a":1,"\u0061":2}"#, "the same name, once escaped"),
        (
            r#"{"\u00e9":1,"é":2}"#,
            "the same non-ASCII name, once escaped",
        ),
        (r#"{"x":{"a":1,"b":2,"a":3}}"#, "a duplicate at depth 2"),
        (
            r#"[{"a":1},{"b":1,"b":2}]"#,
            "a duplicate in an array element",
        ),
    ] {
        a.canon(
            meta("JSON-DUP", &dup, &["DuplicateKey"], comment),
            input.as_bytes(),
            MALFORMED,
        );
    }
    a.canon(
        meta(
            "JSON-DUP",
            &["REQ-JSON-4"],
            &["DuplicateKey"],
            "the same name in two different objects is fine",
        ),
        br#"[{"a":1},{"a":2}]"#,
        Accept,
    );
    a.canon(
        meta(
            "JSON-DUP",
            &["REQ-JSON-4"],
            &["DuplicateKey"],
            "names differing only in case are different",
        ),
        br#"{"a":1,"A":2}"#,
        Accept,
    );
    let sur = ["REQ-JSON-5", "REQ-CANON-6"];
    for (input, comment) in [
        (r#""\ud800""#, "a lone high surrogate"),
        (r#""\udc00""#, "a lone low surrogate"),
        (r#""\udc00\ud800""#, "a reversed pair"),
        (
            r#""\ud800\u0041""#,
            "a high surrogate followed by a non-surrogate escape",
        ),
        (
            r#""\ud800x""#,
            "a high surrogate followed by a raw character",
        ),
        (r#""\ud800\ud800""#, "two high surrogates"),
        (r#""\udc00\udc00""#, "two low surrogates"),
        (
            r#""\u0041\udc00""#,
            "a non-surrogate escape followed by a low surrogate",
        ),
        (
            r#""\udbff\ue000""#,
            "a high surrogate followed by the escape just above the low range",
        ),
        (r#"{"\udfff":1}"#, "a lone surrogate in a name"),
    ] {
        a.canon(
            meta("JSON-SURROGATE", &sur, &["LoneSurrogate"], comment),
            input.as_bytes(),
            MALFORMED,
        );
    }
    let utf8 = ["REQ-JSON-1", "REQ-CANON-6"];
    for (input, comment) in [
        (&b"\"\xc0\xaf\""[..], "an overlong solidus (C0 AF)"),
        (b"\"\xe0\x80\xaf\"", "a three-byte overlong form"),
        (b"\"\xed\xa0\x80\"", "an encoded surrogate (ED A0 80)"),
        (b"\"\xf4\x90\x80\x80\"", "a code point above U+10FFFF"),
        (b"\"\x80\"", "a lone continuation byte"),
        (b"\"\xe2\x82\"", "a truncated sequence"),
        (b"\"\xff\"", "the byte FF"),
        (b"\xef\xbb\xbf{}", "a byte order mark"),
    ] {
        let req: &[&str] = if input.starts_with(b"\xef") {
            &["REQ-JSON-2"]
        } else {
            &utf8
        };
        a.canon(
            meta("JSON-UTF8", req, &["InvalidUtf8"], comment),
            input,
            MALFORMED,
        );
    }
    let grammar = ["REQ-JSON-3", "REQ-JSON-8"];
    for (input, comment) in [
        (&b""[..], "an empty text"),
        (b"  ", "only whitespace"),
        (b"{} {}", "two values"),
        (b"{}\x00", "a NUL after the value"),
        (b"{},", "a comma after the value"),
        (b"\x0b{}", "a vertical tab is not whitespace"),
        (b"\x0c{}", "a form feed is not whitespace"),
        (b"\xc2\xa0{}", "a no-break space is not whitespace"),
        (b"[1,]", "a trailing comma in an array"),
        (b"{\"a\":1,}", "a trailing comma in an object"),
        (b"{a:1}", "an unquoted name"),
        (b"['a']", "single quotes"),
        (b"[1]//c", "a line comment"),
        (b"/*c*/[1]", "a block comment"),
        (b"[\"a\x00\"]", "a raw NUL in a string"),
        (b"[\"a\x1f\"]", "a raw U+001F in a string"),
        (b"[\"a\nb\"]", "a raw line feed in a string"),
        (b"[\"\\x41\"]", "an unknown escape \\x"),
        (b"[\"\\'\"]", "an unknown escape \\'"),
        (b"[\"\\U0041\"]", "an uppercase \\U escape"),
        (b"[\"\\u004\"]", "three hex digits after \\u"),
        (b"[\"\\u00G1\"]", "a non-hex digit after \\u"),
        (b"[\"abc", "the end of input inside a string"),
        (b"{\"a\":", "the end of input after a colon"),
        (b"[1,2", "the end of input inside an array"),
        (b"[True]", "a capitalized literal"),
        (b"[nul]", "a truncated literal"),
        (b"{\"a\" 1}", "a missing colon"),
        (b"{\"a\":1 \"b\":2}", "a missing comma"),
    ] {
        a.canon(
            meta("JSON-GRAMMAR", &grammar, &["JsonGrammar"], comment),
            input,
            MALFORMED,
        );
    }
    let depth = ["REQ-JSON-7", "REQ-VERIFY-4"];
    a.canon(
        meta(
            "JSON-DEPTH",
            &depth,
            &["DepthLimit"],
            "64 nested arrays are accepted",
        ),
        &nested(64, "[", "", "]"),
        Accept,
    );
    a.canon(
        meta(
            "JSON-DEPTH",
            &depth,
            &["DepthLimit"],
            "65 nested arrays are refused",
        ),
        &nested(65, "[", "", "]"),
        MALFORMED,
    );
    a.canon(
        meta(
            "JSON-DEPTH",
            &depth,
            &["DepthLimit"],
            "64 nested objects are accepted",
        ),
        &nested(64, "{\"a\":", "1", "}"),
        Accept,
    );
    a.canon(
        meta(
            "JSON-DEPTH",
            &depth,
            &["DepthLimit"],
            "65 nested objects are refused",
        ),
        &nested(65, "{\"a\":", "1", "}"),
        MALFORMED,
    );
    a.canon(
        meta(
            "JSON-DEPTH",
            &depth,
            &["DepthLimit"],
            "63 arrays around one object: 64 levels",
        ),
        &nested(63, "[", "{}", "]"),
        Accept,
    );
    a.canon(
        meta(
            "JSON-DEPTH",
            &depth,
            &["DepthLimit"],
            "64 arrays around one object: 65 levels",
        ),
        &nested(64, "[", "{}", "]"),
        MALFORMED,
    );
    a.canon(
        meta(
            "JSON-DEPTH",
            &depth,
            &["DepthLimit"],
            "100 000 unclosed brackets",
        ),
        "[".repeat(100_000).as_bytes(),
        MALFORMED,
    );
    a
}
