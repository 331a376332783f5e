//! RFC 8785 (JCS) serialization of a [`Value`] (REQ-CANON-1 … REQ-CANON-6).

use super::parse::parse;
use super::value::Value;
use crate::Reject;
use std::cmp::Ordering;

/// The canonical (RFC 8785) form of one strict JSON text.
///
/// Any input the strict parser refuses is [`Reject::Malformed`] (REQ-CANON-6); the output is a
/// fixed point: canonicalizing it again gives the same bytes.
pub fn canonicalize(input: &[u8]) -> Result<Vec<u8>, Reject> {
    let value = parse(input)?;
    let mut out = Vec::with_capacity(input.len());
    write_value(&mut out, &value);
    Ok(out)
}

/// Appends the canonical form of `value` to `out`.
///
/// Recursion follows the value's nesting, which the parser caps at
/// [`MAX_DEPTH`](super::parse::MAX_DEPTH) for every value read from input.
pub fn write_value(out: &mut Vec<u8>, value: &Value) {
    match value {
        Value::Null => out.extend_from_slice(b"null"),
        Value::Bool(true) => out.extend_from_slice(b"true"),
        Value::Bool(false) => out.extend_from_slice(b"false"),
        // REQ-CANON-4: ECMAScript Number.prototype.toString of the binary64 value.
        Value::Number(n) => {
            out.extend_from_slice(ryu_js::Buffer::new().format_finite(n.value()).as_bytes())
        }
        Value::String(s) => write_string(out, s),
        Value::Array(items) => {
            out.push(b'[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                write_value(out, item);
            }
            out.push(b']');
        }
        Value::Object(members) => write_members(out, members.iter().map(|(n, v)| (n.as_str(), v))),
    }
}

/// Appends a canonical object made of `members`: sorted by UTF-16 code units (REQ-CANON-1).
pub(crate) fn write_members<'a>(
    out: &mut Vec<u8>,
    members: impl Iterator<Item = (&'a str, &'a Value)>,
) {
    let mut sorted: Vec<(&str, &Value)> = members.collect();
    sorted.sort_by(|a, b| utf16_cmp(a.0, b.0));
    out.push(b'{');
    for (i, (name, value)) in sorted.into_iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        write_string(out, name);
        out.push(b':');
        write_value(out, value);
    }
    out.push(b'}');
}

/// Orders two names by their UTF-16 code units, as RFC 8785 §3.2.3 requires: astral characters
/// (surrogates 0xD800–0xDFFF) sort *before* U+E000–U+FFFF, unlike UTF-8 byte order.
pub fn utf16_cmp(a: &str, b: &str) -> Ordering {
    a.encode_utf16().cmp(b.encode_utf16())
}

/// REQ-CANON-3: the six short escapes, `\u00xx` (lowercase) for other controls, all else raw.
fn write_string(out: &mut Vec<u8>, s: &str) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    out.push(b'"');
    for &b in s.as_bytes() {
        match b {
            b'"' => out.extend_from_slice(b"\\\""),
            b'\\' => out.extend_from_slice(b"\\\\"),
            0x08 => out.extend_from_slice(b"\\b"),
            0x0C => out.extend_from_slice(b"\\f"),
            b'\n' => out.extend_from_slice(b"\\n"),
            b'\r' => out.extend_from_slice(b"\\r"),
            b'\t' => out.extend_from_slice(b"\\t"),
            0x00..=0x1F => {
                out.extend_from_slice(b"\\u00");
                for nibble in [b >> 4, b & 0x0F] {
                    out.push(HEX.get(usize::from(nibble)).copied().unwrap_or(b'0'));
                }
            }
            _ => out.push(b),
        }
    }
    out.push(b'"');
}
