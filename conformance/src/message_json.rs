//! An accepted message as JSON: the verdict object shared by `sipc verify` and, later, the
//! adapter protocol (binary values as standard base64 in `_b64` fields).

use base64::Engine;
use sipc_reference::json::{write_value, Value};
use sipc_reference::sign::envelope_members;
use sipc_reference::Accepted;

fn string(s: &str) -> Value {
    Value::String(s.to_owned())
}

/// `{"verdict":"accept","kind":…,"payload_b64":…,"ts":…,"nonce":…}` plus `target`, `trace_id`,
/// `reply_to` and `headers` when they were present (as `null` when they were `null`): the
/// envelope's own members, less `v`, with the payload in standard base64.
pub fn accepted(message: &Accepted) -> Value {
    let mut members = vec![("verdict".to_owned(), string("accept"))];
    for (name, value) in envelope_members(message) {
        match name.as_str() {
            "v" => {}
            "payload" => members.push((
                "payload_b64".to_owned(),
                Value::String(base64::engine::general_purpose::STANDARD.encode(&message.payload)),
            )),
            _ => members.push((name, value)),
        }
    }
    Value::Object(members)
}

/// `{"verdict":"reject","error":"<code>"}`
pub fn rejected(code: &str) -> Value {
    Value::Object(vec![
        ("verdict".to_owned(), string("reject")),
        ("error".to_owned(), string(code)),
    ])
}

/// Canonical bytes of `value`.
pub fn to_bytes(value: &Value) -> Vec<u8> {
    let mut out = Vec::new();
    write_value(&mut out, value);
    out
}
