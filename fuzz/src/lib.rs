//! Shared by the fuzz targets: configs built from a few fuzzed knobs, and the independent
//! checks the targets assert.

use arbitrary::Arbitrary;
use sipc_reference::{Auth, Config, Transport};

/// The secret every fuzzed config uses (the spec's worked example).
pub fn secret() -> Vec<u8> {
    (0u8..32).collect()
}

/// A config's limits, fuzzed. All zeros is the published vectors' config (ttl 60, cache 1000,
/// payload 256, envelope 2048), so that seeds made of a zero prefix and a vector's envelope
/// start where the vectors do.
#[derive(Arbitrary, Debug, Clone, Copy)]
pub struct Knobs {
    /// ttl_seconds = 60 + this.
    pub ttl: u16,
    /// nonce_cache_size = 1000 - this (at least 1).
    pub cache: u16,
    /// max_payload_bytes = 256 + this.
    pub payload: u16,
    /// max_envelope_bytes = 2048 + this.
    pub envelope: u16,
}

/// The number of bytes [`Knobs`] take from the front of the input.
pub const KNOB_BYTES: usize = 8;

impl Knobs {
    /// The config these knobs describe; always valid.
    pub fn config(self) -> Config {
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
                ttl_seconds: 60 + u64::from(self.ttl),
                nonce_cache_size: 1000u64.saturating_sub(u64::from(self.cache)).max(1),
            },
            max_payload_bytes: 256 + u64::from(self.payload),
            max_envelope_bytes: Some(2048 + u64::from(self.envelope)),
            allowed_kinds: vec!["job.run".into(), "job.cancel".into()],
        }
    }
}

/// The clock of the published vectors.
pub const NOW: u64 = 1_700_000_000;
