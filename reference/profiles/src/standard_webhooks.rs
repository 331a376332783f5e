//! The Standard Webhooks scheme, symmetric signatures (`spec/profiles/standard-webhooks.md`).
//!
//! Verification checks, in order: the three headers (REQ-SW-1, REQ-SW-2), the id
//! (REQ-SW-3), the timestamp's syntax (REQ-SW-4), the signature list's syntax (REQ-SW-7),
//! the signatures over `id.timestamp.body` (REQ-SW-5, REQ-SW-8), then the tolerance window
//! (REQ-SW-9).

use crate::config::ProfileConfig;
use crate::error::Reject;
use crate::message::{check_window, hmac_sha256, parse_timestamp, same, Message};
use base64::engine::general_purpose::STANDARD;
use base64::Engine;

/// The header with the message id.
pub const ID_HEADER: &str = "webhook-id";
/// The header with the timestamp.
pub const TIMESTAMP_HEADER: &str = "webhook-timestamp";
/// The header with the signatures.
pub const SIGNATURE_HEADER: &str = "webhook-signature";
/// The prefix of a serialized secret (REQ-SW-6).
pub const SECRET_PREFIX: &str = "whsec_";
/// The shortest key: 24 bytes (REQ-SW-6).
pub const MIN_KEY_BYTES: usize = 24;
/// The longest key: 64 bytes (REQ-SW-6).
pub const MAX_KEY_BYTES: usize = 64;
/// The version of symmetric signatures (REQ-SW-7).
pub const VERSION: &str = "v1";

/// A Standard Webhooks verifier and signer: the decoded key and the tolerance.
#[derive(Clone, Debug)]
pub struct StandardWebhooks {
    key: Vec<u8>,
    tolerance: u64,
}

impl StandardWebhooks {
    /// The key of `whsec_` + standard base64 (padded, canonical), 24 to 64 bytes (REQ-SW-6).
    pub fn new(config: &ProfileConfig) -> Result<StandardWebhooks, Reject> {
        let invalid = || Reject::ConfigInvalid {
            field: "secret".into(),
            req: "REQ-SW-6",
        };
        let encoded = config
            .secret
            .strip_prefix(SECRET_PREFIX)
            .ok_or_else(invalid)?;
        let key = STANDARD.decode(encoded).map_err(|_| invalid())?;
        if !(MIN_KEY_BYTES..=MAX_KEY_BYTES).contains(&key.len()) {
            return Err(invalid());
        }
        Ok(StandardWebhooks {
            key,
            tolerance: config.tolerance,
        })
    }

    /// The `v1` signature of `id.timestamp.body` (REQ-SW-5, REQ-SW-8).
    pub fn signature(&self, id: &str, timestamp: &str, body: &[u8]) -> String {
        self.signature_of(&[id.as_bytes(), b".", timestamp.as_bytes(), b".", body])
    }

    /// The standard base64 of the HMAC of `content` (concatenated) under this key: what a
    /// signer that signs other bytes sends (the vector generator's forgeries).
    pub fn signature_of(&self, content: &[&[u8]]) -> String {
        STANDARD.encode(hmac_sha256(&self.key, content))
    }

    /// The three headers of a message, signed as given (REQ-SW-10).
    pub fn sign(&self, id: &str, timestamp: &str, body: &[u8]) -> Vec<(String, String)> {
        vec![
            (ID_HEADER.into(), id.into()),
            (TIMESTAMP_HEADER.into(), timestamp.into()),
            (
                SIGNATURE_HEADER.into(),
                format!("{VERSION},{}", self.signature(id, timestamp, body)),
            ),
        ]
    }

    /// Verifies `message` at `now` (Unix seconds); returns the id and timestamp it
    /// authenticated.
    pub fn verify(&self, message: &Message, now: u64) -> Result<(String, u64), Reject> {
        let id = message.single(ID_HEADER, "REQ-SW-1", "REQ-SW-2")?;
        let timestamp = message.single(TIMESTAMP_HEADER, "REQ-SW-1", "REQ-SW-2")?;
        let signatures = message.single(SIGNATURE_HEADER, "REQ-SW-1", "REQ-SW-2")?;
        if id.contains('.') {
            return Err(Reject::MalformedHeader { req: "REQ-SW-3" });
        }
        let ts = parse_timestamp(timestamp, "REQ-SW-4")?;
        let mut candidates = Vec::new();
        for entry in signatures.split(' ') {
            let Some((version, signature)) = entry.split_once(',') else {
                return Err(Reject::MalformedHeader { req: "REQ-SW-7" });
            };
            if version.is_empty() {
                return Err(Reject::MalformedHeader { req: "REQ-SW-7" });
            }
            if version == VERSION {
                candidates.push(signature);
            }
        }
        if candidates.is_empty() {
            return Err(Reject::NoSignature { req: "REQ-SW-7" });
        }
        let expected = self.signature(id, timestamp, &message.body);
        // Every candidate is compared, so the time taken does not say which one matched.
        let matched = candidates.iter().fold(false, |found, c| {
            found | same(expected.as_bytes(), c.as_bytes())
        });
        if !matched {
            return Err(Reject::BadSignature { req: "REQ-SW-8" });
        }
        check_window(ts, now, self.tolerance, "REQ-SW-9")?;
        Ok((id.to_owned(), ts))
    }

    /// The tolerance in seconds.
    pub fn tolerance(&self) -> u64 {
        self.tolerance
    }
}
