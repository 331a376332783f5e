//! Stripe's webhook signature scheme (`spec/profiles/stripe.md`).
//!
//! Verification checks, in order: the `Stripe-Signature` header (REQ-STRIPE-1,
//! REQ-STRIPE-2), its parameter list (REQ-STRIPE-3), the timestamp's syntax
//! (REQ-STRIPE-4), the `v1` signatures over `t.body` (REQ-STRIPE-5, REQ-STRIPE-6), then the
//! tolerance window (REQ-STRIPE-7).

use crate::config::ProfileConfig;
use crate::error::Reject;
use crate::message::{check_window, hmac_sha256, parse_timestamp, same, Message};
use sipc_reference::hex::lower_hex;

/// The header.
pub const SIGNATURE_HEADER: &str = "stripe-signature";
/// The name the header is sent with.
pub const SIGNATURE_HEADER_SENT: &str = "Stripe-Signature";
/// The scheme verified; every other (`v0` of test mode among them) is ignored (REQ-STRIPE-3).
pub const SCHEME: &str = "v1";

/// A Stripe verifier and signer: the secret (its UTF-8 bytes are the key) and the tolerance.
#[derive(Clone, Debug)]
pub struct Stripe {
    secret: String,
    tolerance: u64,
}

impl Stripe {
    /// Any non-empty secret without surrounding whitespace (REQ-STRIPE-8).
    pub fn new(config: &ProfileConfig) -> Result<Stripe, Reject> {
        if config.secret.trim() != config.secret {
            return Err(Reject::ConfigInvalid {
                field: "secret".into(),
                req: "REQ-STRIPE-8",
            });
        }
        Ok(Stripe {
            secret: config.secret.clone(),
            tolerance: config.tolerance,
        })
    }

    /// The `v1` signature: lowercase hex of HMAC-SHA256 of `t.body` (REQ-STRIPE-5).
    pub fn signature(&self, timestamp: &str, body: &[u8]) -> String {
        self.signature_of(&[timestamp.as_bytes(), b".", body])
    }

    /// The lowercase hex of the HMAC of `content` (concatenated) under this secret: what a
    /// signer that signs other bytes sends (the vector generator's forgeries).
    pub fn signature_of(&self, content: &[&[u8]]) -> String {
        lower_hex(&hmac_sha256(self.secret.as_bytes(), content))
    }

    /// The header of a message, signed as given (REQ-STRIPE-9).
    pub fn sign(&self, timestamp: &str, body: &[u8]) -> Vec<(String, String)> {
        vec![(
            SIGNATURE_HEADER_SENT.into(),
            format!("t={timestamp},{SCHEME}={}", self.signature(timestamp, body)),
        )]
    }

    /// Verifies `message` at `now`; returns the timestamp it authenticated.
    pub fn verify(&self, message: &Message, now: u64) -> Result<u64, Reject> {
        let header = message.single(SIGNATURE_HEADER, "REQ-STRIPE-1", "REQ-STRIPE-2")?;
        let malformed = || Reject::MalformedHeader {
            req: "REQ-STRIPE-3",
        };
        let mut timestamp = None;
        let mut candidates = Vec::new();
        for item in header.split(',') {
            let (key, value) = item.split_once('=').ok_or_else(malformed)?;
            match key {
                "" => return Err(malformed()),
                "t" if timestamp.is_some() => return Err(malformed()),
                "t" => timestamp = Some(value),
                SCHEME => candidates.push(value),
                _ => {}
            }
        }
        let timestamp = timestamp.ok_or_else(malformed)?;
        let ts = parse_timestamp(timestamp, "REQ-STRIPE-4")?;
        if candidates.is_empty() {
            return Err(Reject::NoSignature {
                req: "REQ-STRIPE-6",
            });
        }
        let expected = self.signature(timestamp, &message.body);
        let matched = candidates.iter().fold(false, |found, c| {
            found | same(expected.as_bytes(), c.as_bytes())
        });
        if !matched {
            return Err(Reject::BadSignature {
                req: "REQ-STRIPE-6",
            });
        }
        check_window(ts, now, self.tolerance, "REQ-STRIPE-7")?;
        Ok(ts)
    }

    /// The tolerance in seconds.
    pub fn tolerance(&self) -> u64 {
        self.tolerance
    }
}
