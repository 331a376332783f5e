//! Reading the members of a config object: the shared helpers of `mod.rs` and
//! `transport.rs` (a leaf: it uses neither).

use crate::json::{member, Value};
use crate::Reject;

/// Largest value of any integer member of a config: 2⁵³ − 1.
pub(super) const MAX_INTEGER: i128 = (1 << 53) - 1;

pub(super) fn object<'a>(value: &'a Value, field: &str) -> Result<&'a [(String, Value)], Reject> {
    match value {
        Value::Object(members) => Ok(members),
        _ => Err(Reject::config(field)),
    }
}

/// REQ-CONFIG-1: the first member (in document order) that the level does not define.
pub(super) fn no_unknown(
    members: &[(String, Value)],
    known: &[&str],
    prefix: &str,
) -> Result<(), Reject> {
    match members
        .iter()
        .find(|(name, _)| !known.contains(&name.as_str()))
    {
        Some((name, _)) => Err(Reject::config(format!("{prefix}{name}"))),
        None => Ok(()),
    }
}

pub(super) fn string(
    members: &[(String, Value)],
    name: &str,
    field: &str,
    rule: fn(&str) -> bool,
) -> Result<String, Reject> {
    match member(members, name) {
        Some(Value::String(s)) if rule(s) => Ok(s.clone()),
        _ => Err(Reject::config(field)),
    }
}

/// REQ-CONFIG-12: integers are integer literals (no fraction, exponent or `-0`) in range.
pub(super) fn integer(
    members: &[(String, Value)],
    name: &str,
    field: &str,
    rule: impl Fn(u64) -> bool,
) -> Result<u64, Reject> {
    match member(members, name) {
        Some(Value::Number(n)) => n
            .integer_literal()
            .filter(|i| (0..=MAX_INTEGER).contains(i))
            .and_then(|i| u64::try_from(i).ok())
            .filter(|&v| rule(v))
            .ok_or_else(|| Reject::config(field)),
        _ => Err(Reject::config(field)),
    }
}
