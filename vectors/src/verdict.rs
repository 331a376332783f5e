//! The JSON shapes shared by the vectors, the adapter protocol and `sipc verify`: an accepted
//! message, a refusal, and the fields of a `sign` request. Binary values are standard base64
//! (with padding) in members whose names end in `_b64` (spec/ADAPTER.md).

use base64::Engine;
use sipc_reference::json::Value;
use sipc_reference::sign::envelope_members;
use sipc_reference::Fields;

/// Standard base64 with padding, the encoding of every `_b64` member.
pub fn b64(bytes: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

/// Decodes a `_b64` member.
pub fn from_b64(text: &str) -> Option<Vec<u8>> {
    base64::engine::general_purpose::STANDARD.decode(text).ok()
}

/// The envelope's members less `v`, with `payload` replaced by `payload_b64` (decoded payload in
/// standard base64): `kind`, `payload_b64`, `ts`, `nonce`, then `target`, `trace_id`,
/// `reply_to` and `headers` when present (as `null` when `null`, REQ-VERIFY-3, REQ-ENV-12).
/// It is also the shape of the `fields` of a `sign` request.
pub fn accepted_fields(message: &Fields) -> Value {
    let mut members = Vec::new();
    for (name, value) in envelope_members(message) {
        match name.as_str() {
            "v" => {}
            "payload" => members.push((
                "payload_b64".to_owned(),
                Value::String(b64(&message.payload)),
            )),
            _ => members.push((name, value)),
        }
    }
    Value::Object(members)
}

/// `{"verdict":"accept", …accepted_fields}`
pub fn accepted(message: &Fields) -> Value {
    let mut members = vec![("verdict".to_owned(), Value::String("accept".into()))];
    if let Value::Object(fields) = accepted_fields(message) {
        members.extend(fields);
    }
    Value::Object(members)
}

/// `{"verdict":"reject","error":"<code>"}`
pub fn rejected(code: &str) -> Value {
    Value::Object(vec![
        ("verdict".to_owned(), Value::String("reject".into())),
        ("error".to_owned(), Value::String(code.into())),
    ])
}

/// HTTP header fields as the profiles' vectors and adapter messages carry them: an array of
/// `[name, value]` pairs, in order (spec/ADAPTER.md, "Profiles").
pub fn header_pairs_value(headers: &[(String, String)]) -> Value {
    Value::Array(
        headers
            .iter()
            .map(|(n, v)| Value::Array(vec![Value::string(n), Value::string(v)]))
            .collect(),
    )
}

/// Reads what [`header_pairs_value`] writes; `None` unless every item is two strings.
pub fn header_pairs(value: &Value) -> Option<Vec<(String, String)>> {
    match value {
        Value::Array(pairs) => pairs
            .iter()
            .map(|pair| match pair {
                Value::Array(items) => match items.as_slice() {
                    [Value::String(n), Value::String(v)] => Some((n.clone(), v.clone())),
                    _ => None,
                },
                _ => None,
            })
            .collect(),
        _ => None,
    }
}
