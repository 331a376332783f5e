//! Helpers shared by the integration tests: one config, one message, ways to bend them.
#![allow(dead_code)] // each test binary uses a different part

use sipc_reference::json::{parse, Value};
use sipc_reference::sign::{envelope_members, sign_members};
use sipc_reference::{Accepted, Auth, Config, Fields, Reject, Transport, Verifier};
use std::path::PathBuf;

/// The test clock: 2023-11-14T22:13:20Z.
pub const NOW: u64 = 1_700_000_000;
pub const TTL: u64 = 60;
pub const MAX_PAYLOAD: u64 = 64;
pub const NONCE: &str = "AAAAAAAAAAAAAAAAAAAAAA";

pub fn secret() -> Vec<u8> {
    (0u8..32).collect()
}

/// ttl 60 s, 1000 nonces, 64-byte payloads, kinds `job.run` and `job.cancel`.
pub fn config() -> Config {
    Config {
        transport: Transport::TcpLocal {
            bind_host: "127.0.0.1".into(),
            bind_port: 0,
        },
        tls: None,
        replay_store: None,
        auth: Auth {
            mode: "hmac".into(),
            secret: secret(),
            ttl_seconds: TTL,
            nonce_cache_size: 1000,
        },
        max_payload_bytes: MAX_PAYLOAD,
        max_envelope_bytes: None,
        allowed_kinds: vec!["job.run".into(), "job.cancel".into()],
    }
}

/// A valid message at `NOW`.
pub fn fields() -> Fields {
    Fields {
        kind: "job.run".into(),
        payload: b"hello".to_vec(),
        ts: NOW,
        nonce: NONCE.into(),
        ..Fields::default()
    }
}

/// The members of `fields()`, with each `(name, json)` of `patch` applied: the JSON text
/// `"<absent>"` removes the member, anything else sets it (adding it if need be).
pub fn members_with(patch: &[(&str, &str)]) -> Vec<(String, Value)> {
    let mut members = envelope_members(&fields());
    for (name, json) in patch {
        members.retain(|(n, _)| n != name);
        if *json != "<absent>" {
            let value = parse(json.as_bytes()).unwrap_or_else(|_| panic!("bad patch {json}"));
            members.push((name.to_string(), value));
        }
    }
    members
}

/// `fields()` with `patch` applied, correctly signed with the test secret.
pub fn signed_with(patch: &[(&str, &str)]) -> Vec<u8> {
    sign_members(&secret(), members_with(patch))
}

/// An envelope signed with the test secret from a JSON object text (any member order).
pub fn signed_object(json: &str) -> Vec<u8> {
    match parse(json.as_bytes()) {
        Ok(Value::Object(members)) => sign_members(&secret(), members),
        other => panic!("not an object: {other:?}"),
    }
}

/// The `sig` member of an envelope text.
pub fn sig_of(raw: &[u8]) -> String {
    parse(raw)
        .unwrap()
        .get("sig")
        .unwrap()
        .as_str()
        .unwrap()
        .to_owned()
}

/// Verifies with a fresh verifier for `config` at `now`.
pub fn verify_with(config: Config, raw: &[u8], now: u64) -> Result<Accepted, Reject> {
    Verifier::new(config)
        .expect("valid config")
        .verify(raw, now)
}

/// Verifies with a fresh verifier for `config()` at `NOW`.
pub fn verify(raw: &[u8]) -> Result<Accepted, Reject> {
    verify_with(config(), raw, NOW)
}

/// `"accept"` or the error code.
pub fn outcome(result: &Result<Accepted, Reject>) -> &'static str {
    match result {
        Ok(_) => "accept",
        Err(e) => e.code(),
    }
}

/// The code `verify` gives (`"accept"` when accepted).
pub fn code(raw: &[u8]) -> &'static str {
    outcome(&verify(raw))
}

/// The canonical base64url of `bytes`.
pub fn b64(bytes: &[u8]) -> String {
    sipc_reference::envelope::encode_payload(bytes)
}

pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}
