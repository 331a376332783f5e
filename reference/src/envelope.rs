//! The envelope model and its member table (SIPC/1 §4, §5: REQ-ENV-*, REQ-PAYLOAD-*, REQ-SIZE-2/3).

use crate::hex::parse_sig_hex;
use crate::json::{member, Value};
use crate::{Reject, Rule};
use std::collections::BTreeMap;

/// The largest `ts` (and the largest JSON integer exactly representable as binary64): 2⁵³ − 1.
pub const MAX_TS: u64 = (1 << 53) - 1;

// The limits of the member table (SIPC/1 §4), in UTF-8 bytes of the unescaped string
// (REQ-ENV-13). `wire.rs` and the vector generator use these, never the numbers.

/// The longest `kind`: `^[a-z][a-z0-9._-]{0,63}$` is 1 to 64 bytes (REQ-ENV-3).
pub const MAX_KIND_BYTES: usize = 64;
/// The shortest `nonce` (REQ-ENV-6).
pub const MIN_NONCE_BYTES: usize = 22;
/// The longest `nonce` (REQ-ENV-6).
pub const MAX_NONCE_BYTES: usize = 128;
/// The longest address in `target` (REQ-ENV-7); the shortest is 1 byte.
pub const MAX_TARGET_BYTES: usize = 256;
/// The most addresses in a `target` list (REQ-ENV-7); the fewest is 1.
pub const MAX_TARGETS: usize = 32;
/// The longest `trace_id` (REQ-ENV-8).
pub const MAX_TRACE_ID_BYTES: usize = 128;
/// The longest `reply_to` (REQ-ENV-9).
pub const MAX_REPLY_TO_BYTES: usize = 256;
/// The most members of `headers` (REQ-ENV-10).
pub const MAX_HEADERS: usize = 32;
/// The longest header name (REQ-ENV-10); the shortest is 1 byte.
pub const MAX_HEADER_NAME_BYTES: usize = 128;
/// The longest header value (REQ-ENV-10).
pub const MAX_HEADER_VALUE_BYTES: usize = 1024;

/// An optional envelope member: absent, `null`, or a value. Absent and `null` are different
/// signed content and are never folded into each other (REQ-ENV-12).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Member<T> {
    /// The member is not in the envelope.
    #[default]
    Absent,
    /// The member is present with the value `null`.
    Null,
    /// The member is present with a value.
    Value(T),
}

/// The `target` member: one address or a list of 1–32 addresses (REQ-ENV-7).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// `"target": "a"`
    One(String),
    /// `"target": ["a", "b"]`
    Many(Vec<String>),
}

/// The content of an envelope: what the signer signs and what an accepted envelope yields.
///
/// `headers` is a map, so two wire forms of the same signed content give equal `Fields`
/// whatever their member order.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Fields {
    /// The message kind, `^[a-z][a-z0-9._-]{0,63}$` (REQ-ENV-3).
    pub kind: String,
    /// The payload bytes (decoded; base64url on the wire, REQ-PAYLOAD-1).
    pub payload: Vec<u8>,
    /// Unix seconds (REQ-ENV-5).
    pub ts: u64,
    /// `^[A-Za-z0-9_-]{22,128}$` (REQ-ENV-6).
    pub nonce: String,
    /// REQ-ENV-7.
    pub target: Member<Target>,
    /// REQ-ENV-8.
    pub trace_id: Member<String>,
    /// REQ-ENV-9.
    pub reply_to: Member<String>,
    /// REQ-ENV-10; `None` when the member is absent (`null` is not allowed for headers).
    pub headers: Option<BTreeMap<String, String>>,
}

/// An accepted envelope is exactly its signed fields, payload decoded (REQ-VERIFY-3).
pub type Accepted = Fields;

/// `^[a-z][a-z0-9._-]{0,63}$` (REQ-ENV-3, REQ-CONFIG-11).
pub fn is_valid_kind(kind: &str) -> bool {
    let mut bytes = kind.bytes();
    matches!(bytes.next(), Some(b'a'..=b'z'))
        && kind.len() <= MAX_KIND_BYTES
        && bytes.all(|b| matches!(b, b'a'..=b'z' | b'0'..=b'9' | b'.' | b'_' | b'-'))
}

/// `^[A-Za-z0-9_-]{22,128}$` (REQ-ENV-6).
pub fn is_valid_nonce(nonce: &str) -> bool {
    (MIN_NONCE_BYTES..=MAX_NONCE_BYTES).contains(&nonce.len())
        && nonce
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
}

/// An envelope whose members passed steps 3–5 of REQ-VERIFY-1; payload not yet decoded.
pub(crate) struct Checked<'a> {
    pub kind: &'a str,
    pub payload_b64: &'a [u8],
    pub ts: u64,
    pub nonce: &'a str,
    pub target: Member<Target>,
    pub trace_id: Member<String>,
    pub reply_to: Member<String>,
    pub headers: Option<BTreeMap<String, String>>,
    pub sig: [u8; 32],
}

/// Steps 3, 4 and 5 of REQ-VERIFY-1 on a parsed envelope.
pub(crate) fn check(envelope: &Value) -> Result<Checked<'_>, Reject> {
    // REQ-ENV-1: the envelope is an object.
    let Value::Object(members) = envelope else {
        return Err(Reject::Malformed(Rule::Env1));
    };
    check_version(members)?;
    let mut kind = None;
    let mut payload_b64 = None;
    let mut ts = None;
    let mut nonce = None;
    let mut target = Member::Absent;
    let mut trace_id = Member::Absent;
    let mut reply_to = Member::Absent;
    let mut headers = None;
    for (name, value) in members {
        match name.as_str() {
            "v" | "sig" => {}
            "kind" => {
                kind = Some(
                    value
                        .as_str()
                        .filter(|k| is_valid_kind(k))
                        .ok_or(Reject::Malformed(Rule::Env3))?,
                )
            }
            "payload" => {
                payload_b64 = Some(
                    value
                        .as_str()
                        .ok_or(Reject::Malformed(Rule::Env4))?
                        .as_bytes(),
                )
            }
            "ts" => ts = Some(ts_value(value)?),
            "nonce" => {
                nonce = Some(
                    value
                        .as_str()
                        .filter(|n| is_valid_nonce(n))
                        .ok_or(Reject::Malformed(Rule::Env6))?,
                )
            }
            "target" => target = target_value(value)?,
            "trace_id" => trace_id = optional_string(value, MAX_TRACE_ID_BYTES, Rule::Env8)?,
            "reply_to" => reply_to = optional_string(value, MAX_REPLY_TO_BYTES, Rule::Env9)?,
            "headers" => headers = Some(headers_value(value)?),
            // REQ-ENV-11: no other member.
            _ => return Err(Reject::Malformed(Rule::Env11)),
        }
    }
    // REQ-ENV-11: the required members.
    let (Some(kind), Some(payload_b64), Some(ts), Some(nonce)) = (kind, payload_b64, ts, nonce)
    else {
        return Err(Reject::Malformed(Rule::Env11));
    };
    let sig = check_sig(members)?;
    Ok(Checked {
        kind,
        payload_b64,
        ts,
        nonce,
        target,
        trace_id,
        reply_to,
        headers,
        sig,
    })
}

/// REQ-ENV-2: `v` is present and an integer literal; an integer other than 1 is a version
/// this verifier does not speak.
fn check_version(members: &[(String, Value)]) -> Result<(), Reject> {
    let Some(Value::Number(v)) = member(members, "v") else {
        return Err(Reject::Malformed(Rule::Env2));
    };
    match v.integer_literal() {
        None => Err(Reject::Malformed(Rule::Env2)),
        Some(1) => Ok(()),
        Some(_) => Err(Reject::UnsupportedVersion),
    }
}

/// REQ-ENV-5: a non-negative integer literal no larger than 2⁵³ − 1.
fn ts_value(value: &Value) -> Result<u64, Reject> {
    let bad = Reject::Malformed(Rule::Env5);
    let Value::Number(n) = value else {
        return Err(bad);
    };
    n.integer_literal()
        .and_then(|i| u64::try_from(i).ok())
        .filter(|&ts| ts <= MAX_TS)
        .ok_or(bad)
}

/// REQ-ENV-7: null, a string of 1–256 bytes, or an array of 1–32 such strings.
fn target_value(value: &Value) -> Result<Member<Target>, Reject> {
    let address = |v: &Value| match v {
        Value::String(s) if (1..=MAX_TARGET_BYTES).contains(&s.len()) => Ok(s.clone()),
        _ => Err(Reject::Malformed(Rule::Env7)),
    };
    match value {
        Value::Null => Ok(Member::Null),
        Value::String(_) => address(value).map(|s| Member::Value(Target::One(s))),
        Value::Array(items) if (1..=MAX_TARGETS).contains(&items.len()) => items
            .iter()
            .map(address)
            .collect::<Result<Vec<_>, _>>()
            .map(|all| Member::Value(Target::Many(all))),
        _ => Err(Reject::Malformed(Rule::Env7)),
    }
}

/// REQ-ENV-8, REQ-ENV-9: null or a string of at most `max` UTF-8 bytes (REQ-ENV-13); `rule`
/// names the member's requirement.
fn optional_string(value: &Value, max: usize, rule: Rule) -> Result<Member<String>, Reject> {
    match value {
        Value::Null => Ok(Member::Null),
        Value::String(s) if s.len() <= max => Ok(Member::Value(s.clone())),
        _ => Err(Reject::Malformed(rule)),
    }
}

/// REQ-ENV-10: an object of at most 32 members, names of 1–128 bytes, string values of at
/// most 1024 bytes.
fn headers_value(value: &Value) -> Result<BTreeMap<String, String>, Reject> {
    let bad = Reject::Malformed(Rule::Env10);
    let Value::Object(members) = value else {
        return Err(bad);
    };
    if members.len() > MAX_HEADERS {
        return Err(bad);
    }
    members
        .iter()
        .map(|(name, value)| match value {
            Value::String(s)
                if (1..=MAX_HEADER_NAME_BYTES).contains(&name.len())
                    && s.len() <= MAX_HEADER_VALUE_BYTES =>
            {
                Ok((name.clone(), s.clone()))
            }
            _ => Err(bad.clone()),
        })
        .collect()
}

/// REQ-SIG-1, REQ-SIG-2: `sig` is present and exactly 64 lowercase hex digits.
fn check_sig(members: &[(String, Value)]) -> Result<[u8; 32], Reject> {
    let sig = member(members, "sig").ok_or(Reject::SigMissing)?;
    let hex = sig.as_str().ok_or(Reject::SigMalformed)?.as_bytes();
    parse_sig_hex(hex).ok_or(Reject::SigMalformed)
}

/// The longest encoded payload that may be decoded for a limit of `max_payload_bytes`:
/// 4·⌈max/3⌉ (REQ-SIZE-2).
pub fn max_encoded_payload(max_payload_bytes: u64) -> u64 {
    max_payload_bytes.div_ceil(3).saturating_mul(4)
}

/// Step 7 of REQ-VERIFY-1: length check *before* decoding (REQ-SIZE-2), canonical base64url
/// without padding (REQ-PAYLOAD-1, REQ-PAYLOAD-2), then the decoded length (REQ-SIZE-3).
pub(crate) fn decode_payload(encoded: &[u8], max_payload_bytes: u64) -> Result<Vec<u8>, Reject> {
    let encoded_len = u64::try_from(encoded.len()).unwrap_or(u64::MAX);
    if encoded_len > max_encoded_payload(max_payload_bytes) {
        return Err(Reject::Oversize);
    }
    let decoded = crate::base64url::decode(encoded).ok_or_else(|| {
        // REQ-PAYLOAD-1 for a character outside the alphabet, else REQ-PAYLOAD-2 (length or
        // unused bits).
        let alphabet = |b: &u8| b.is_ascii_alphanumeric() || *b == b'-' || *b == b'_';
        Reject::Malformed(if encoded.iter().all(alphabet) {
            Rule::Payload2
        } else {
            Rule::Payload1
        })
    })?;
    check_decoded_len(&decoded, max_payload_bytes)?;
    Ok(decoded)
}

/// REQ-SIZE-3: the decoded payload is at most `max_payload_bytes` long.
pub(crate) fn check_decoded_len(decoded: &[u8], max_payload_bytes: u64) -> Result<(), Reject> {
    if u64::try_from(decoded.len()).unwrap_or(u64::MAX) > max_payload_bytes {
        return Err(Reject::Oversize);
    }
    Ok(())
}

/// The payload as it is written on the wire: base64url, no padding (REQ-SIGNER-2).
pub fn encode_payload(payload: &[u8]) -> String {
    crate::base64url::encode(payload)
}
