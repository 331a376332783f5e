//! # sipc-profiles
//!
//! Strict references of the signed-message schemes that real code already runs, one module
//! per profile (`spec/profiles/<name>.md`):
//!
//! - [`standard_webhooks`]: the Standard Webhooks scheme (`webhook-id`, `webhook-timestamp`,
//!   `webhook-signature`; `REQ-SW-*`);
//! - [`stripe`]: Stripe's `Stripe-Signature` scheme (`REQ-STRIPE-*`);
//! - [`github`]: GitHub's `X-Hub-Signature-256` (`REQ-GITHUB-*`);
//! - [`slack`]: Slack's `X-Slack-Signature` (`REQ-SLACK-*`);
//! - [`hmac_json`]: two home-grown schemes that carry an HMAC inside the JSON they sign, over
//!   a re-serialization by Node (`REQ-HJI-*`) or Python (`REQ-HJS-*`), read by [`lax_json`];
//!
//! and, apart from both, [`application`]: what each scheme leaves to the receiving
//! application (ids against replay, a body size limit; `REQ-SW-APP-*`, `REQ-STRIPE-APP-*`).
//!
//! Like `sipc-reference`, the crate does no I/O and reads no clock (the caller passes `now`),
//! and no input can make it panic: library code denies clippy's `unwrap_used`, `expect_used`,
//! `panic`, `indexing_slicing` and `arithmetic_side_effects`.
//!
//! ```
//! use sipc_profiles::{Message, Profile};
//!
//! let config = br#"{"secret":"whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw","tolerance_seconds":300}"#;
//! let verifier = Profile::StandardWebhooks.verifier(config).unwrap();
//! let headers = verifier.sign("msg_1", "1700000000", b"{}");
//! let message = Message { headers, body: b"{}".to_vec() };
//! assert_eq!(verifier.verify(&message, 1_700_000_100), Ok(()));
//! assert_eq!(verifier.verify(&message, 1_700_000_301).unwrap_err().code(), "expired");
//! ```

#![deny(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::arithmetic_side_effects,
    unsafe_code,
    missing_docs
)]

pub mod application;
mod config;
mod error;
pub mod github;
pub mod hmac_json;
pub mod lax_json;
mod message;
mod profile;
pub mod slack;
pub mod standard_webhooks;
pub mod stripe;

pub use application::Application;
pub use config::{ProfileConfig, DEFAULT_TOLERANCE_SECONDS, MAX_TOLERANCE_SECONDS};
pub use error::Reject;
pub use message::{hmac_sha256, Message, MAX_TIMESTAMP};
pub use profile::{Authenticated, Profile, Verifier};
