//! `json.dumps(json.loads(text), sort_keys=True)` as CPython 3 writes it with its defaults:
//! separators `", "` and `": "`, `ensure_ascii=True` (every character outside `' '`…`'~'`
//! escaped, `\uxxxx` in lowercase, astral characters as surrogate pairs), repeated members
//! reduced to the last, names sorted by code point, `NaN`/`Infinity` written as such.
//! Integers keep their digits (`-0` is `0`); a literal with a fraction or an exponent is a
//! float written by `repr` (`1e16` is `1e+16`, `100.0` stays `100.0`, `1e400` is
//! `Infinity`).

use super::Lax;

/// CPython's limit on the digits of an integer it converts from text (`sys.int_info.
/// default_max_str_digits`): beyond it `json.loads` raises `ValueError`.
pub const MAX_INT_DIGITS: usize = 4300;

/// Why CPython's `json.loads` would fail where the grammar holds: an integer over
/// [`MAX_INT_DIGITS`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TooManyDigits;

/// The `json.dumps(…, sort_keys=True)` of `value`.
pub fn dumps_sorted(value: &Lax) -> Result<Vec<u8>, TooManyDigits> {
    let mut out = Vec::new();
    write(&mut out, value, true)?;
    Ok(out)
}

/// The `json.dumps(…)` of `value` with every default: members in the `dict`'s order.
pub fn dumps(value: &Lax) -> Result<Vec<u8>, TooManyDigits> {
    let mut out = Vec::new();
    write(&mut out, value, false)?;
    Ok(out)
}

/// The members of a parsed object as a `dict` holds them, sorted by name: repeats reduced
/// to the last value.
pub fn sorted_members(members: &[(Vec<u32>, Lax)]) -> Vec<(&[u32], &Lax)> {
    let mut merged = super::merged(members);
    merged.sort_by(|a, b| a.0.cmp(b.0));
    merged
}

/// The text `json.dumps` writes for the number `literal` reads as.
pub fn number(literal: &str) -> Result<String, TooManyDigits> {
    match literal {
        "NaN" | "Infinity" | "-Infinity" => return Ok(literal.to_owned()),
        _ => {}
    }
    if !literal.contains(['.', 'e', 'E']) {
        let digits = literal.trim_start_matches('-');
        if digits.len() > MAX_INT_DIGITS {
            return Err(TooManyDigits);
        }
        return Ok(if digits == "0" {
            "0".into()
        } else {
            literal.into()
        });
    }
    Ok(match literal.parse::<f64>() {
        Ok(v) => float_repr(v),
        Err(_) => "NaN".into(),
    })
}

/// Python's `repr` of a float: the shortest round-trip digits, positional when the decimal
/// exponent is in -4 ..= 15, else `d.ddde±XX`.
pub fn float_repr(v: f64) -> String {
    if v.is_nan() {
        return "NaN".into();
    }
    if v.is_infinite() {
        return if v > 0.0 {
            "Infinity".into()
        } else {
            "-Infinity".into()
        };
    }
    // Rust's `{:e}` gives the shortest round-trip digits: "d.ddde<exp>".
    let sci = format!("{v:e}");
    let (mantissa, exp) = sci.split_once('e').unwrap_or((&sci, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    let negative = mantissa.starts_with('-');
    let digits: String = mantissa.chars().filter(char::is_ascii_digit).collect();
    let sign = if negative { "-" } else { "" };
    let n = i32::try_from(digits.len()).unwrap_or(i32::MAX);
    if (-4..16).contains(&exp) {
        let body = if exp >= 0 {
            let point = usize::try_from(exp.saturating_add(1)).unwrap_or(0);
            if digits.len() <= point {
                format!(
                    "{digits}{}.0",
                    "0".repeat(point.saturating_sub(digits.len()))
                )
            } else {
                let (int, frac) = digits.split_at(point);
                format!("{int}.{frac}")
            }
        } else {
            let zeros = usize::try_from(exp.saturating_neg().saturating_sub(1)).unwrap_or(0);
            format!("0.{}{digits}", "0".repeat(zeros))
        };
        format!("{sign}{body}")
    } else {
        let (first, rest) = digits.split_at(1.min(digits.len()));
        let frac = if n > 1 {
            format!(".{rest}")
        } else {
            String::new()
        };
        let esign = if exp < 0 { '-' } else { '+' };
        format!("{sign}{first}{frac}e{esign}{:02}", exp.unsigned_abs())
    }
}

fn write(out: &mut Vec<u8>, value: &Lax, sort: bool) -> Result<(), TooManyDigits> {
    match value {
        Lax::Null => out.extend_from_slice(b"null"),
        Lax::Bool(true) => out.extend_from_slice(b"true"),
        Lax::Bool(false) => out.extend_from_slice(b"false"),
        Lax::Number(literal) => out.extend_from_slice(number(literal)?.as_bytes()),
        Lax::Str(points) => string(out, points),
        Lax::Array(items) => {
            out.push(b'[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.extend_from_slice(b", ");
                }
                write(out, item, sort)?;
            }
            out.push(b']');
        }
        Lax::Object(members) => {
            out.push(b'{');
            let members = if sort {
                sorted_members(members)
            } else {
                super::merged(members)
            };
            for (i, (name, value)) in members.into_iter().enumerate() {
                if i > 0 {
                    out.extend_from_slice(b", ");
                }
                string(out, name);
                out.extend_from_slice(b": ");
                write(out, value, sort)?;
            }
            out.push(b'}');
        }
    }
    Ok(())
}

/// A string as `json.dumps` writes it with `ensure_ascii=True`.
pub fn string(out: &mut Vec<u8>, points: &[u32]) {
    out.push(b'"');
    for &c in points {
        if let Some(escape) = super::short_escape(c) {
            out.extend_from_slice(escape);
            continue;
        }
        match c {
            0x20..=0x7E => out.push(u8::try_from(c).unwrap_or(b'?')),
            c if c > 0xFFFF => {
                let v = c.wrapping_sub(0x10000);
                let high = 0xD800 | (v >> 10);
                let low = 0xDC00 | (v & 0x3FF);
                out.extend_from_slice(format!("\\u{high:04x}\\u{low:04x}").as_bytes());
            }
            c => out.extend_from_slice(format!("\\u{c:04x}").as_bytes()),
        }
    }
    out.push(b'"');
}
