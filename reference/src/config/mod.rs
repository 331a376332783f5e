//! The receiver's config and its validation (SIPC/1 §10: REQ-CONFIG-1 … REQ-CONFIG-20).
//!
//! [`Config::from_json`] and [`Config::validate`] apply the same per-field rules in the same
//! order, so both report the same first failure (REQ-CONFIG-12). The transports' members and
//! `tls` are in [`transport`], `replay_store` in [`store`].

mod read;
pub mod store;
pub mod transport;

use crate::envelope::is_valid_kind;
use crate::hex::{decode_any_case, lower_hex};
use crate::json::{member, parse, Value};
use crate::Reject;
use read::{integer, no_unknown, object, string};
pub use store::ReplayStore;
pub use transport::{Tls, Transport};

/// Largest `ttl_seconds` (one day).
pub const MAX_TTL_SECONDS: u64 = 86_400;
/// Largest `nonce_cache_size`.
pub const MAX_NONCE_CACHE_SIZE: u64 = 10_000_000;
/// Largest `max_payload_bytes` (16 MiB).
pub const MAX_PAYLOAD_BYTES: u64 = 16_777_216;
/// Shortest secret, in bytes after hex decoding.
pub const MIN_SECRET_BYTES: usize = 32;

/// A receiver's config: transport (with its bind policy or socket and peers), TLS, key, limits
/// and kinds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Config {
    /// The transport and its own members (REQ-CONFIG-2 … REQ-CONFIG-4, REQ-CONFIG-13 …
    /// REQ-CONFIG-18).
    pub transport: Transport,
    /// Mutual TLS, for `tcp_local` and `unix_local` only (REQ-CONFIG-13, REQ-CONFIG-19).
    pub tls: Option<Tls>,
    /// The shared replay store of replicas (REQ-CONFIG-20, SIPC/1 §16); `None`: the verifier's
    /// own replay cache (§9).
    pub replay_store: Option<ReplayStore>,
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

/// The known top-level members (REQ-CONFIG-1): `transport`, every transport's own members and
/// `tls` ([`transport::TRANSPORT_MEMBERS`]), then these.
const COMMON_MEMBERS: [&str; 6] = [
    "transport",
    "replay_store",
    "auth",
    "max_payload_bytes",
    "max_envelope_bytes",
    "allowed_kinds",
];
const AUTH_MEMBERS: [&str; 4] = ["mode", "secret_hex", "ttl_seconds", "nonce_cache_size"];

// One rule per field, shared by `from_json` and `validate`.

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
    /// Parses and validates a config document (REQ-CONFIG-1 … REQ-CONFIG-20).
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
        let known: Vec<&str> = COMMON_MEMBERS
            .iter()
            .chain(transport::TRANSPORT_MEMBERS.iter())
            .copied()
            .collect();
        no_unknown(top, &known, "")?;
        let transport = transport::parse_transport(top)?;
        let tls = transport::parse_tls(top)?;
        let replay_store = store::parse_store(top)?;
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
            tls,
            replay_store,
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
        let tls_misplaced = self.tls.is_some() && !self.transport.allows_tls();
        let checks: [(bool, &str); 7] = [
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
        let first = tls_misplaced
            .then_some("tls")
            .or_else(|| self.transport.first_invalid())
            .or_else(|| self.tls.as_ref().and_then(Tls::first_invalid))
            .or_else(|| {
                self.replay_store
                    .as_ref()
                    .and_then(ReplayStore::first_invalid)
            })
            .or_else(|| checks.iter().find(|(ok, _)| !ok).map(|(_, field)| *field));
        match first {
            Some(field) => Err(Reject::config(field)),
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
        let mut members = vec![("transport".to_owned(), string(self.transport.name()))];
        members.extend(self.transport.members());
        if let Some(tls) = &self.tls {
            members.push(("tls".to_owned(), tls.to_value()));
        }
        if let Some(store) = &self.replay_store {
            members.push(("replay_store".to_owned(), store.to_value()));
        }
        members.push(("auth".to_owned(), auth));
        members.push(("max_payload_bytes".to_owned(), int(self.max_payload_bytes)));
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
