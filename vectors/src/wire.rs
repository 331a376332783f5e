//! Envelopes for the vectors: members to sign, and the many wire forms of one signed object.

use crate::text;
use crate::verdict::b64;
use sipc_reference::hex::lower_hex;
use sipc_reference::json::{parse, utf16_cmp, write_value, Value};
use sipc_reference::sign::{mac, signature_base};

/// `("name", text)` when `bytes` are UTF-8, else `("name_b64", base64)`: readable vectors where
/// possible, exact bytes always.
pub fn bytes_field(name: &str, bytes: &[u8]) -> (String, Value) {
    match std::str::from_utf8(bytes) {
        Ok(text) => (name.to_owned(), Value::String(text.to_owned())),
        Err(_) => (format!("{name}_b64"), Value::String(b64(bytes))),
    }
}

/// Parses a JSON text written in the generator's source; the generator's own texts are valid.
pub fn json(text: &str) -> Value {
    parse(text.as_bytes())
        .unwrap_or_else(|e| Value::String(format!("<bad JSON in generator: {e}>")))
}

/// The members of an envelope object, without `sig`, in the order they will be written by the
/// order-keeping forms.
#[derive(Clone, Debug)]
pub struct Env {
    /// Name and value of each member.
    pub members: Vec<(String, Value)>,
}

impl Env {
    /// Sets member `name` to the JSON text `value` (appending it when new).
    pub fn with(self, name: &str, value: &str) -> Env {
        self.set(name, json(value))
    }

    /// Sets member `name` to `value` (appending it when new).
    pub fn set(mut self, name: &str, value: Value) -> Env {
        match self.members.iter_mut().find(|(n, _)| n == name) {
            Some((_, v)) => *v = value,
            None => self.members.push((name.to_owned(), value)),
        }
        self
    }

    /// Sets member `name` to a string.
    pub fn with_str(self, name: &str, value: &str) -> Env {
        self.set(name, Value::String(value.to_owned()))
    }

    /// The value of member `name` (`null` when absent).
    pub fn get(&self, name: &str) -> Value {
        self.members
            .iter()
            .find(|(n, _)| n == name)
            .map_or(Value::Null, |(_, v)| v.clone())
    }

    /// Removes member `name`.
    pub fn without(mut self, name: &str) -> Env {
        self.members.retain(|(n, _)| n != name);
        self
    }

    /// The right `sig` for these members under `secret` (REQ-SIG-3, REQ-SIG-4).
    pub fn sig(&self, secret: &[u8]) -> String {
        lower_hex(&mac(secret, &signature_base(&self.members)))
    }

    /// The members followed by `"sig": <sig>`.
    pub fn with_sig(&self, sig: Value) -> Vec<(String, Value)> {
        let mut members = self.members.clone();
        members.push(("sig".to_owned(), sig));
        members
    }

    /// The members with the right `sig`.
    pub fn signed(&self, secret: &[u8]) -> Vec<(String, Value)> {
        self.with_sig(Value::String(self.sig(secret)))
    }

    /// The canonical signed wire form.
    pub fn wire(&self, secret: &[u8]) -> Vec<u8> {
        canonical(&self.signed(secret))
    }

    /// The canonical wire form with `sig` set to the JSON text `sig`.
    pub fn wire_sig(&self, sig: &str) -> Vec<u8> {
        canonical(&self.with_sig(json(sig)))
    }

    /// The canonical wire form without any `sig`.
    pub fn unsigned(&self) -> Vec<u8> {
        canonical(&self.members)
    }
}

/// The RFC 8785 form of an object with these members, except that numbers keep their literal
/// (`1.0` stays `1.0`): the canonical wire form of a valid envelope, and the way to send a
/// non-integer `v` or `ts` in an otherwise canonical envelope.
pub fn canonical(members: &[(String, Value)]) -> Vec<u8> {
    text::compact(&sorted(&Value::Object(members.to_vec())))
}

/// `value` with the members of every object sorted by UTF-16 code units (REQ-CANON-1).
fn sorted(value: &Value) -> Value {
    match value {
        Value::Array(items) => Value::Array(items.iter().map(sorted).collect()),
        Value::Object(members) => {
            let mut members: Vec<(String, Value)> = members
                .iter()
                .map(|(n, v)| (n.clone(), sorted(v)))
                .collect();
            members.sort_by(|a, b| utf16_cmp(&a.0, &b.0));
            Value::Object(members)
        }
        other => other.clone(),
    }
}

/// Compact, members in the order given (not sorted).
pub fn in_order(members: &[(String, Value)]) -> Vec<u8> {
    text::compact(&Value::Object(members.to_vec()))
}

/// Compact, members in reverse order.
pub fn reversed(members: &[(String, Value)]) -> Vec<u8> {
    let mut members = members.to_vec();
    members.reverse();
    in_order(&members)
}

/// Members in order, with CR LF, tabs and spaces around every token.
pub fn spaced(members: &[(String, Value)]) -> Vec<u8> {
    let mut out = b" \r\n{\t".to_vec();
    for (i, (name, value)) in members.iter().enumerate() {
        if i > 0 {
            out.extend_from_slice(b" ,\r\n\t");
        }
        write_value(&mut out, &Value::String(name.clone()));
        out.extend_from_slice(b" :\t ");
        out.extend(text::pretty(value).iter().copied().filter(|b| *b != b'\n'));
    }
    out.extend_from_slice(b"\n}\r\n ");
    out
}

/// Every character of every string, names included, written as `\uXXXX` escapes (UTF-16 units,
/// uppercase hex); members in order.
pub fn escaped(members: &[(String, Value)]) -> Vec<u8> {
    let mut out = b"{".to_vec();
    for (i, (name, value)) in members.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        escape_string(&mut out, name);
        out.push(b':');
        escape_value(&mut out, value);
    }
    out.push(b'}');
    out
}

fn escape_string(out: &mut Vec<u8>, s: &str) {
    out.push(b'"');
    for unit in s.encode_utf16() {
        out.extend_from_slice(format!("\\u{unit:04X}").as_bytes());
    }
    out.push(b'"');
}

fn escape_value(out: &mut Vec<u8>, value: &Value) {
    match value {
        Value::String(s) => escape_string(out, s),
        Value::Array(items) => {
            out.push(b'[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                escape_value(out, item);
            }
            out.push(b']');
        }
        Value::Object(members) => out.extend(escaped(members)),
        other => out.extend(text::compact(other)),
    }
}
