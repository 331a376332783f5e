//! The receiver's config and its validation (SIPC/1 §10: REQ-CONFIG-1 … REQ-CONFIG-12).
//!
//! [`Config::from_json`] and [`Config::validate`] apply the same per-field rules in the same
//! order, so both report the same first failure (REQ-CONFIG-12).

use crate::envelope::is_valid_kind;
use crate::hex::{decode_any_case, lower_hex};
use crate::json::{member, parse, Value};
use crate::Reject;

/// Largest `ttl_seconds` (one day).
pub const MAX_TTL_SECONDS: u64 = 86_400;
/// Largest `nonce_cache_size`.
pub const MAX_NONCE_CACHE_SIZE: u64 = 10_000_000;
/// Largest `max_payload_bytes` (16 MiB).
pub const MAX_PAYLOAD_BYTES: u64 = 16_777_216;
/// Shortest secret, in bytes after hex decoding.
pub const MIN_SECRET_BYTES: usize = 32;
/// Largest value of any integer member of a config: 2⁵³ − 1.
const MAX_INTEGER: i128 = (1 << 53) - 1;

/// A receiver's config: transport, bind policy, key, limits and kinds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Config {
    /// Must be `tcp_local` (REQ-CONFIG-2).
    pub transport: String,
    /// Must be exactly `127.0.0.1` or `::1` (REQ-CONFIG-3).
    pub bind_host: String,
    /// 0–65535; 0 asks for an ephemeral port (REQ-CONFIG-4). Wider than `u16` so that a
    /// config can hold, and [`Config::validate`] refuse, a port such as 70000.
    pub bind_port: u64,
    /// The `auth` object.
    pub auth: Auth,
    /// Largest decoded payload, 1–16 777 216 (REQ-CONFIG-9).
    pub max_payload_bytes: u64,
    /// Largest raw envelope; `None` means [`Config::default_max_envelope_bytes`] (REQ-CONFIG-10).
    pub max_envelope_bytes: Option<u64>,
    /// The kinds accepted, exact strings (REQ-CONFIG-11, REQ-KIND-1).
    pub allowed_kinds: Vec<String>,
}

/// The `auth` object of a [`Config`].
#[derive(Clone, PartialEq, Eq)]
pub struct Auth {
    /// Must be `hmac` (REQ-CONFIG-5).
    pub mode: String,
    /// The HMAC key, decoded from `secret_hex`; at least 32 bytes (REQ-CONFIG-6).
    pub secret: Vec<u8>,
    /// 1–86 400 (REQ-CONFIG-7).
    pub ttl_seconds: u64,
    /// 1–10 000 000 (REQ-CONFIG-8).
    pub nonce_cache_size: u64,
}

/// The secret is never printed.
impl std::fmt::Debug for Auth {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Auth")
            .field("mode", &self.mode)
            .field("secret", &format_args!("<{} bytes>", self.secret.len()))
            .field("ttl_seconds", &self.ttl_seconds)
            .field("nonce_cache_size", &self.nonce_cache_size)
            .finish()
    }
}

const TOP_MEMBERS: [&str; 7] = [
    "transport",
    "bind_host",
    "bind_port",
    "auth",
    "max_payload_bytes",
    "max_envelope_bytes",
    "allowed_kinds",
];
const AUTH_MEMBERS: [&str; 4] = ["mode", "secret_hex", "ttl_seconds", "nonce_cache_size"];

// One rule per field, shared by `from_json` and `validate`.

fn check_transport(v: &str) -> bool {
    v == "tcp_local"
}
fn check_bind_host(v: &str) -> bool {
    v == "127.0.0.1" || v == "::1"
}
fn check_bind_port(v: u64) -> bool {
    v <= 65_535
}
fn check_mode(v: &str) -> bool {
    v == "hmac"
}
fn check_secret(v: &[u8]) -> bool {
    v.len() >= MIN_SECRET_BYTES
}
fn check_ttl(v: u64) -> bool {
    (1..=MAX_TTL_SECONDS).contains(&v)
}
fn check_cache_size(v: u64) -> bool {
    (1..=MAX_NONCE_CACHE_SIZE).contains(&v)
}
fn check_max_payload(v: u64) -> bool {
    (1..=MAX_PAYLOAD_BYTES).contains(&v)
}
fn check_max_envelope(v: Option<u64>) -> bool {
    v.is_none_or(|v| v >= 1)
}
fn check_kinds(kinds: &[String]) -> bool {
    let mut sorted: Vec<&String> = kinds.iter().collect();
    sorted.sort_unstable();
    !kinds.is_empty()
        && kinds.iter().all(|k| is_valid_kind(k))
        && sorted.windows(2).all(|w| w.first() != w.get(1))
}

impl Config {
    /// Parses and validates a config document (REQ-CONFIG-1 … REQ-CONFIG-12).
    ///
    /// The document must be strict JSON (the envelope parser's rules, REQ-JSON-*) holding one
    /// object; otherwise the error's field is the empty string.
    pub fn from_json(input: &[u8]) -> Result<Config, Reject> {
        let value = parse(input).map_err(|_| Reject::config(""))?;
        Config::from_value(&value)
    }

    /// Validates an already parsed config object (used by adapters that receive the config
    /// inside a larger JSON message).
    pub fn from_value(value: &Value) -> Result<Config, Reject> {
        let top = object(value, "")?;
        no_unknown(top, &TOP_MEMBERS, "")?;
        let transport = string(top, "transport", "transport", check_transport)?;
        let bind_host = string(top, "bind_host", "bind_host", check_bind_host)?;
        let bind_port = integer(top, "bind_port", "bind_port", check_bind_port)?;
        let auth_value = member(top, "auth").ok_or_else(|| Reject::config("auth"))?;
        let auth = object(auth_value, "auth")?;
        no_unknown(auth, &AUTH_MEMBERS, "auth.")?;
        let mode = string(auth, "mode", "auth.mode", check_mode)?;
        let secret = secret(auth)?;
        let ttl_seconds = integer(auth, "ttl_seconds", "auth.ttl_seconds", check_ttl)?;
        let nonce_cache_size = integer(
            auth,
            "nonce_cache_size",
            "auth.nonce_cache_size",
            check_cache_size,
        )?;
        let max_payload_bytes = integer(
            top,
            "max_payload_bytes",
            "max_payload_bytes",
            check_max_payload,
        )?;
        let max_envelope_bytes = match member(top, "max_envelope_bytes") {
            None => None,
            Some(_) => Some(integer(
                top,
                "max_envelope_bytes",
                "max_envelope_bytes",
                |v| check_max_envelope(Some(v)),
            )?),
        };
        let allowed_kinds = kinds(top)?;
        let config = Config {
            transport,
            bind_host,
            bind_port,
            auth: Auth {
                mode,
                secret,
                ttl_seconds,
                nonce_cache_size,
            },
            max_payload_bytes,
            max_envelope_bytes,
            allowed_kinds,
        };
        // Every field was checked above by the same rules; this keeps the two paths honest.
        config.validate()?;
        Ok(config)
    }

    /// Checks every field, in the order of REQ-CONFIG-12, and names the first that is wrong.
    pub fn validate(&self) -> Result<(), Reject> {
        let checks: [(bool, &str); 10] = [
            (check_transport(&self.transport), "transport"),
            (check_bind_host(&self.bind_host), "bind_host"),
            (check_bind_port(self.bind_port), "bind_port"),
            (check_mode(&self.auth.mode), "auth.mode"),
            (check_secret(&self.auth.secret), "auth.secret_hex"),
            (check_ttl(self.auth.ttl_seconds), "auth.ttl_seconds"),
            (
                check_cache_size(self.auth.nonce_cache_size),
                "auth.nonce_cache_size",
            ),
            (
                check_max_payload(self.max_payload_bytes),
                "max_payload_bytes",
            ),
            (
                check_max_envelope(self.max_envelope_bytes),
                "max_envelope_bytes",
            ),
            (check_kinds(&self.allowed_kinds), "allowed_kinds"),
        ];
        match checks.iter().find(|(ok, _)| !ok) {
            Some((_, field)) => Err(Reject::config(*field)),
            None => Ok(()),
        }
    }

    /// The default envelope limit: 4·⌈max_payload_bytes/3⌉ + 16 384 (REQ-CONFIG-10).
    pub fn default_max_envelope_bytes(max_payload_bytes: u64) -> u64 {
        crate::envelope::max_encoded_payload(max_payload_bytes).saturating_add(16_384)
    }

    /// The envelope limit in force (REQ-SIZE-1).
    pub fn envelope_limit(&self) -> u64 {
        self.max_envelope_bytes
            .unwrap_or_else(|| Config::default_max_envelope_bytes(self.max_payload_bytes))
    }

    /// The config as a JSON object (lowercase `secret_hex`), for handing to implementations.
    pub fn to_value(&self) -> Value {
        let int = |v: u64| Value::Number(crate::json::Number::from_u64(v));
        let string = |s: &str| Value::String(s.to_owned());
        let auth = Value::Object(vec![
            ("mode".to_owned(), string(&self.auth.mode)),
            (
                "secret_hex".to_owned(),
                Value::String(lower_hex(&self.auth.secret)),
            ),
            ("ttl_seconds".to_owned(), int(self.auth.ttl_seconds)),
            (
                "nonce_cache_size".to_owned(),
                int(self.auth.nonce_cache_size),
            ),
        ]);
        let mut members = vec![
            ("transport".to_owned(), string(&self.transport)),
            ("bind_host".to_owned(), string(&self.bind_host)),
            ("bind_port".to_owned(), int(self.bind_port)),
            ("auth".to_owned(), auth),
            ("max_payload_bytes".to_owned(), int(self.max_payload_bytes)),
        ];
        if let Some(max) = self.max_envelope_bytes {
            members.push(("max_envelope_bytes".to_owned(), int(max)));
        }
        members.push((
            "allowed_kinds".to_owned(),
            Value::Array(self.allowed_kinds.iter().map(|k| string(k)).collect()),
        ));
        Value::Object(members)
    }

    /// [`Config::to_value`] in canonical form.
    pub fn to_json(&self) -> Vec<u8> {
        let mut out = Vec::new();
        crate::json::write_value(&mut out, &self.to_value());
        out
    }
}

fn object<'a>(value: &'a Value, field: &str) -> Result<&'a [(String, Value)], Reject> {
    match value {
        Value::Object(members) => Ok(members),
        _ => Err(Reject::config(field)),
    }
}

/// REQ-CONFIG-1: the first member (in document order) that the level does not define.
fn no_unknown(members: &[(String, Value)], known: &[&str], prefix: &str) -> Result<(), Reject> {
    match members
        .iter()
        .find(|(name, _)| !known.contains(&name.as_str()))
    {
        Some((name, _)) => Err(Reject::config(format!("{prefix}{name}"))),
        None => Ok(()),
    }
}

fn string(
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
fn integer(
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

/// REQ-CONFIG-6: even-length hex (either case, nothing else) of at least 32 bytes.
fn secret(auth: &[(String, Value)]) -> Result<Vec<u8>, Reject> {
    let bad = || Reject::config("auth.secret_hex");
    let secret = member(auth, "secret_hex")
        .and_then(Value::as_str)
        .and_then(decode_any_case)
        .ok_or_else(bad)?;
    if !check_secret(&secret) {
        return Err(bad());
    }
    Ok(secret)
}

/// REQ-CONFIG-11: a non-empty array of unique, valid kind strings.
fn kinds(top: &[(String, Value)]) -> Result<Vec<String>, Reject> {
    let bad = || Reject::config("allowed_kinds");
    let Some(Value::Array(items)) = member(top, "allowed_kinds") else {
        return Err(bad());
    };
    let kinds = items
        .iter()
        .map(|v| v.as_str().map(str::to_owned))
        .collect::<Option<Vec<String>>>()
        .ok_or_else(bad)?;
    if !check_kinds(&kinds) {
        return Err(bad());
    }
    Ok(kinds)
}
