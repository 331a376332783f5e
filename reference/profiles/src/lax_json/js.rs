//! `JSON.stringify(JSON.parse(text))` as ECMAScript defines it: repeated members keep their
//! first place and their last value; integer-index names (`"0"` … `"4294967294"`) come
//! first in numeric order, then the other names in insertion order; numbers are binary64
//! written by `Number.prototype.toString` (`1.0` is `1`, `-0` is `0`, an overflow is
//! `Infinity`, written `null`); strings are raw UTF-8 with `\b \t \n \f \r \" \\` and
//! `\u00xx` escapes and each lone surrogate as `\udxxx` (well-formed `JSON.stringify`).

use super::Lax;

/// The `JSON.stringify` of `value` (which holds no `undefined`, function or symbol: a parsed
/// text has none).
pub fn stringify(value: &Lax) -> Vec<u8> {
    let mut out = Vec::new();
    write(&mut out, value);
    out
}

/// The members of a parsed object in the order a JavaScript object holds them (repeats
/// merged: first place, last value).
pub fn object_order(members: &[(Vec<u32>, Lax)]) -> Vec<(&[u32], &Lax)> {
    let (mut indices, names): (Vec<_>, Vec<_>) = super::merged(members)
        .into_iter()
        .partition(|(n, _)| array_index(n).is_some());
    indices.sort_by_key(|(n, _)| array_index(n));
    indices.extend(names);
    indices
}

/// The value of a canonical array index name: decimal digits without a leading zero, below
/// 2³² − 1.
fn array_index(name: &[u32]) -> Option<u64> {
    if name.is_empty() || name.len() > 10 || (name.len() > 1 && name.first() == Some(&0x30)) {
        return None;
    }
    let mut value = 0u64;
    for &c in name {
        let digit = char::from_u32(c)?.to_digit(10)?;
        value = value.checked_mul(10)?.checked_add(u64::from(digit))?;
    }
    (value < u64::from(u32::MAX)).then_some(value)
}

/// `Number.prototype.toString` of the binary64 nearest to `literal`, or `null` when it is
/// not finite.
pub fn number(literal: &str) -> String {
    match literal.parse::<f64>() {
        Ok(v) if v.is_finite() => ryu_js::Buffer::new().format_finite(v).to_owned(),
        _ => "null".to_owned(),
    }
}

fn write(out: &mut Vec<u8>, value: &Lax) {
    match value {
        Lax::Null => out.extend_from_slice(b"null"),
        Lax::Bool(true) => out.extend_from_slice(b"true"),
        Lax::Bool(false) => out.extend_from_slice(b"false"),
        Lax::Number(literal) => out.extend_from_slice(number(literal).as_bytes()),
        Lax::Str(points) => string(out, points),
        Lax::Array(items) => {
            out.push(b'[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                write(out, item);
            }
            out.push(b']');
        }
        Lax::Object(members) => {
            out.push(b'{');
            for (i, (name, value)) in object_order(members).into_iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                string(out, name);
                out.push(b':');
                write(out, value);
            }
            out.push(b'}');
        }
    }
}

/// A string as `JSON.stringify` writes it.
pub fn string(out: &mut Vec<u8>, points: &[u32]) {
    out.push(b'"');
    for &c in points {
        if let Some(escape) = super::short_escape(c) {
            out.extend_from_slice(escape);
            continue;
        }
        match c {
            c if c < 0x20 || (0xD800..=0xDFFF).contains(&c) => {
                out.extend_from_slice(format!("\\u{c:04x}").as_bytes());
            }
            c => {
                let ch = char::from_u32(c).unwrap_or('\u{FFFD}');
                let mut buf = [0u8; 4];
                out.extend_from_slice(ch.encode_utf8(&mut buf).as_bytes());
            }
        }
    }
    out.push(b'"');
}
