//! Fixtures shared by the criterion benches and the peer comparison (`benches/README.md`):
//! one config, and for each payload size the canonical wire form, a non-canonical wire form of
//! the same signed content, and the exact signature base the MAC is computed over.

use sipc_reference::json::{parse, write_value, Value};
use sipc_reference::{sign, Config, Fields, Member, Target, Verifier};

/// The payload sizes of the issue "Performance".
pub const SIZES: [usize; 5] = [0, 256, 1024, 16 * 1024, 64 * 1024];

/// The verifier's clock in every bench; every envelope is signed at this `ts`.
pub const NOW: u64 = 1_700_000_000;

/// The one message kind the config allows.
pub const KIND: &str = "job.run";

/// The bench config: a 64 KiB payload limit, a five-minute window and room for 10⁶ nonces.
pub const CONFIG_JSON: &str = r#"{"transport": "tcp_local", "bind_host": "127.0.0.1", "bind_port": 0,
    "auth": {"mode": "hmac", "ttl_seconds": 300, "nonce_cache_size": 1000000,
             "secret_hex": "8f1c2a4b6d0e9f7a3c5b1d2e4f6a8b0c1d3e5f7a9b2c4d6e8f0a1b3c5d7e9f02"},
    "max_payload_bytes": 65536, "allowed_kinds": ["job.run", "job.cancel"]}"#;

/// [`CONFIG_JSON`], parsed.
pub fn config() -> Config {
    Config::from_json(CONFIG_JSON.as_bytes()).unwrap_or_else(|e| panic!("bench config: {e:?}"))
}

/// A nonce of 22 base64url characters (16 random-looking bytes) numbered `i`.
pub fn nonce(i: u64) -> String {
    format!("n{i:0>21}")
}

/// The signed content of the bench envelope `i` with a payload of `size` bytes: a target and
/// a trace id besides the required members, as a job message would carry.
pub fn fields(size: usize, i: u64) -> Fields {
    Fields {
        kind: KIND.into(),
        payload: (0..size)
            .map(|b| (b.wrapping_mul(31) % 251) as u8)
            .collect(),
        ts: NOW,
        nonce: nonce(i),
        target: Member::Value(Target::One("worker-7".into())),
        trace_id: Member::Value("4bf92f3577b34da6a3ce929d0e0e4736".into()),
        ..Fields::default()
    }
}

/// The bench envelopes of one payload size, in the three shapes the benches feed.
pub struct Fixture {
    /// Payload bytes.
    pub size: usize,
    /// Signed envelopes with distinct nonces, as the signer writes them (RFC 8785). Enough of
    /// them to cycle through without a replay, few enough (about 32 KiB together) that they stay
    /// in the core's cache as a just-received envelope would be.
    pub canonical: Vec<Vec<u8>>,
    /// The same signed contents with members reversed and whitespace added.
    pub non_canonical: Vec<Vec<u8>>,
    /// `SIPC-1\n` and the first canonical envelope without `sig`: what the MAC is computed over.
    pub signature_base: Vec<u8>,
}

/// The bench envelopes of `size` payload bytes.
pub fn fixture(size: usize) -> Fixture {
    let config = config();
    let first = sign(&config.auth.secret, &fields(size, 0));
    let count = (32 * 1024 / first.len()).clamp(4, 64) as u64;
    let mut canonical = Vec::new();
    let mut non_canonical = Vec::new();
    let mut signature_base = Vec::new();
    for i in 0..count {
        let wire = sign(&config.auth.secret, &fields(size, i));
        let Ok(Value::Object(members)) = parse(&wire) else {
            panic!("the signer wrote an envelope the parser refuses");
        };
        if i == 0 {
            signature_base = sipc_reference::sign::signature_base(&members);
        }
        non_canonical.push(pretty_reversed(&members));
        canonical.push(wire);
    }
    Fixture {
        size,
        canonical,
        non_canonical,
        signature_base,
    }
}

/// The members in reverse order, one per line, with spaces around the colons.
fn pretty_reversed(members: &[(String, Value)]) -> Vec<u8> {
    let mut out = b"{\n".to_vec();
    for (i, (name, value)) in members.iter().rev().enumerate() {
        if i > 0 {
            out.extend_from_slice(b",\n");
        }
        out.extend_from_slice(b"  ");
        write_value(&mut out, &Value::String(name.clone()));
        out.extend_from_slice(b" : ");
        write_value(&mut out, value);
    }
    out.extend_from_slice(b"\n}\n");
    out
}

/// A verifier at [`NOW`] that has accepted 300 other envelopes: a bench iteration inserts into
/// a warm replay cache, and 64 more fit without the cache growing.
pub fn warm_verifier() -> Verifier {
    let config = config();
    let mut verifier = Verifier::new(config.clone()).unwrap_or_else(|e| panic!("{e:?}"));
    for i in 1..=300 {
        let wire = sign(&config.auth.secret, &fields(0, 1_000_000 + i));
        verifier
            .verify(&wire, NOW)
            .unwrap_or_else(|e| panic!("warm-up envelope refused: {e:?}"));
    }
    verifier
}
