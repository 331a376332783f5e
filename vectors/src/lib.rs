//! # sipc-vectors
//!
//! The SIPC/1 test vectors: a deterministic generator that derives every vector from the
//! reference verifier (`sipc vectors generate`), and the reader the conformance runner uses.
//! Each expected result is what the test's author intended *and* what the reference answers;
//! the generator refuses to write a file where the two differ.
//!
//! The published files (`vectors/testvectors/`) are generated from [`DEFAULT_CONFIG`]; the same
//! generator makes the suite for a user's own key, kinds and limits.

pub mod areas;
pub mod audit;
pub mod load;
pub mod notes;
pub mod profiles;
pub mod suite;
pub mod text;
pub mod verdict;
pub mod wire;

use sipc_reference::json::Value;
use sipc_reference::Config;
use std::cell::Cell;
use wire::Env;

/// The config of the published vectors.
pub const DEFAULT_CONFIG: &[u8] = include_bytes!("../default-config.json");

/// The verifier's clock in the vectors: 2023-11-14T22:13:20Z.
pub const NOW: u64 = 1_700_000_000;

/// The config the vectors are generated for, and helpers that build on it.
pub struct Ctx {
    /// The user's (or the default) config.
    pub config: Config,
    nonces: Cell<u64>,
}

impl Ctx {
    /// A context for `config`.
    pub fn new(config: Config) -> Ctx {
        Ctx {
            config,
            nonces: Cell::new(0),
        }
    }

    /// The signing secret.
    pub fn secret(&self) -> &[u8] {
        &self.config.auth.secret
    }

    /// `ttl_seconds`.
    pub fn ttl(&self) -> u64 {
        self.config.auth.ttl_seconds
    }

    /// The first allowed kind.
    pub fn kind(&self) -> &str {
        self.config
            .allowed_kinds
            .first()
            .map_or("job.run", String::as_str)
    }

    /// A kind that matches the pattern of REQ-ENV-3 but is not allowed.
    pub fn disallowed_kind(&self) -> &'static str {
        ["not.allowed.kind", "zz.not-allowed", "x9.never"]
            .into_iter()
            .find(|k| !self.config.allowed_kinds.iter().any(|a| a == k))
            .unwrap_or("y")
    }

    /// A fresh nonce, 22 characters, unique within one generation.
    pub fn nonce(&self) -> String {
        let n = self.nonces.get() + 1;
        self.nonces.set(n);
        format!("sipc-vector-{n:010}")
    }

    /// The payload of the base envelope: `hello`, cut to fit `max_payload_bytes`.
    pub fn payload(&self) -> &'static str {
        const PAYLOADS: [&str; 5] = ["aGVsbG8", "aGVsbA", "aGVs", "aGU", "aA"];
        let fits = usize::try_from(self.config.max_payload_bytes).unwrap_or(usize::MAX);
        PAYLOADS[5usize.saturating_sub(fits.min(5))]
    }

    /// A valid, fresh envelope at [`NOW`] with a new nonce: `v`, `kind`, `payload`, `ts`, `nonce`.
    pub fn env(&self) -> Env {
        self.env_at(NOW)
    }

    /// The base envelope with `ts`.
    pub fn env_at(&self, ts: u64) -> Env {
        Env {
            members: vec![
                ("v".into(), wire::json("1")),
                ("kind".into(), Value::String(self.kind().to_owned())),
                ("payload".into(), Value::String(self.payload().to_owned())),
                ("ts".into(), wire::json(&ts.to_string())),
                ("nonce".into(), Value::String(self.nonce())),
            ],
        }
    }

    /// The signed canonical wire form of `env`.
    pub fn wire(&self, env: &Env) -> Vec<u8> {
        env.wire(self.secret())
    }

    /// A copy of the config changed by `change`.
    pub fn config_with(&self, change: impl FnOnce(&mut Config)) -> Config {
        let mut config = self.config.clone();
        change(&mut config);
        config
    }
}

/// Every vector file for `config`: (file name, bytes), in a fixed order. `Err` lists the tests
/// whose intended result the reference does not give (a bug in the generator or the reference).
pub fn generate(config: &Config) -> Result<Vec<(String, Vec<u8>)>, Vec<String>> {
    config
        .validate()
        .map_err(|e| vec![format!("config: {e}")])?;
    let ctx = Ctx::new(config.clone());
    let mut files = Vec::new();
    let mut problems = Vec::new();
    let mut tc_id = 1;
    for area in areas::all(&ctx) {
        let name = format!("{}.json", area.name);
        match area.finish(tc_id) {
            Ok((value, next)) => {
                tc_id = next;
                files.push((name, text::pretty(&value)));
            }
            Err(mut p) => problems.append(&mut p),
        }
    }
    if problems.is_empty() {
        Ok(files)
    } else {
        Err(problems)
    }
}

/// The default config, parsed.
pub fn default_config() -> Result<Config, String> {
    Config::from_json(DEFAULT_CONFIG).map_err(|e| format!("default config: {e}"))
}
