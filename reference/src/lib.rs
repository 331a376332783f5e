//! # sipc-reference
//!
//! The reference implementation of **SIPC/1** (`spec/SIPC-1.md`), the signed IPC envelope
//! protocol: a strict JSON parser, the RFC 8785 canonical form, the envelope member table,
//! HMAC-SHA256 signing, a stateful [`Verifier`] with TTL and replay cache, and the frame
//! decoder of the TCP profile ([`frame`]).
//!
//! The crate does no I/O and reads no clock: the caller passes `now` to [`Verifier::verify`].
//! No input can make it panic: library code is built with clippy's `unwrap_used`,
//! `expect_used`, `indexing_slicing`, `panic` and `arithmetic_side_effects` lints denied, and
//! recursion is capped at [`json::MAX_DEPTH`].
//!
//! ```
//! use sipc_reference::{sign, Config, Fields, Verifier};
//!
//! let config = Config::from_json(br#"{
//!     "transport": "tcp_local", "bind_host": "127.0.0.1", "bind_port": 0,
//!     "auth": {"mode": "hmac", "ttl_seconds": 60, "nonce_cache_size": 1000,
//!              "secret_hex": "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"},
//!     "max_payload_bytes": 1024, "allowed_kinds": ["job.run"]}"#).unwrap();
//! let fields = Fields {
//!     kind: "job.run".into(),
//!     payload: b"hello".to_vec(),
//!     ts: 1_700_000_000,
//!     nonce: "AAAAAAAAAAAAAAAAAAAAAA".into(),
//!     ..Fields::default()
//! };
//! let wire = sign(&config.auth.secret, &fields);
//! let mut verifier = Verifier::new(config).unwrap();
//! assert_eq!(verifier.verify(&wire, 1_700_000_010), Ok(fields));
//! assert_eq!(verifier.verify(&wire, 1_700_000_011).unwrap_err().code(), "replay");
//! ```

// Untrusted input must never panic: no unwrap, expect, panic, indexing or overflowing
// arithmetic in library code (REQ-VERIFY-4). Tests are separate crates and may use them.
#![deny(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::arithmetic_side_effects,
    clippy::unreachable,
    clippy::todo,
    clippy::unimplemented
)]
#![warn(missing_docs)]
// The one exception is `base64url::avx512`, which allows it for its intrinsics.
#![deny(unsafe_code)]

pub mod base64url;
pub mod config;
pub mod envelope;
mod error;
pub mod frame;
pub mod hex;
pub mod json;
pub mod replay;
pub mod sign;
pub mod store;
mod verify;
mod wire;

pub use config::{Auth, Config, ReplayStore, Tls, Transport};
pub use envelope::{Accepted, Fields, Member, Target};
pub use error::{Reject, Rule};
pub use json::canonicalize;
pub use sign::sign;
pub use verify::Verifier;
