//! Slack's request signature (`spec/profiles/slack.md`): `X-Slack-Request-Timestamp` and
//! `X-Slack-Signature: v0=<hex>`, HMAC-SHA256 of `v0:{timestamp}:{body}` under the signing
//! secret's UTF-8 bytes, within five minutes either way.
//!
//! Verification checks, in order: both headers (REQ-SLACK-1, REQ-SLACK-2), the timestamp's
//! syntax (REQ-SLACK-3), the `v0=` prefix (REQ-SLACK-4), the signature (REQ-SLACK-5), then the
//! window (REQ-SLACK-6).

use crate::config::ProfileConfig;
use crate::error::Reject;
use crate::message::{check_window, hmac_sha256, parse_timestamp, same, Message};
use sipc_reference::hex::lower_hex;

/// The timestamp header, lowercase.
pub const TIMESTAMP_HEADER: &str = "x-slack-request-timestamp";
/// The signature header, lowercase.
pub const SIGNATURE_HEADER: &str = "x-slack-signature";
/// The version, prefix of the signature and of the signed text.
pub const VERSION: &str = "v0";

/// A Slack verifier and signer.
#[derive(Clone, Debug)]
pub struct Slack {
    secret: String,
    tolerance: u64,
}

impl Slack {
    /// Any non-empty secret (REQ-SLACK-7).
    pub fn new(config: &ProfileConfig) -> Slack {
        Slack {
            secret: config.secret.clone(),
            tolerance: config.tolerance,
        }
    }

    /// The lowercase hex HMAC of `content` (concatenated) under the secret.
    pub fn signature_of(&self, content: &[&[u8]]) -> String {
        lower_hex(&hmac_sha256(self.secret.as_bytes(), content))
    }

    /// The signature of `v0:{timestamp}:{body}` (REQ-SLACK-5).
    pub fn signature(&self, timestamp: &str, body: &[u8]) -> String {
        self.signature_of(&[b"v0:", timestamp.as_bytes(), b":", body])
    }

    /// The headers of a message (REQ-SLACK-8).
    pub fn sign(&self, timestamp: &str, body: &[u8]) -> Vec<(String, String)> {
        vec![
            ("X-Slack-Request-Timestamp".into(), timestamp.into()),
            (
                "X-Slack-Signature".into(),
                format!("{VERSION}={}", self.signature(timestamp, body)),
            ),
        ]
    }

    /// Verifies `message` at `now`; returns the timestamp.
    pub fn verify(&self, message: &Message, now: u64) -> Result<u64, Reject> {
        let timestamp = message.single(TIMESTAMP_HEADER, "REQ-SLACK-1", "REQ-SLACK-2")?;
        let header = message.single(SIGNATURE_HEADER, "REQ-SLACK-1", "REQ-SLACK-2")?;
        let ts = parse_timestamp(timestamp, "REQ-SLACK-3")?;
        let received = header
            .strip_prefix("v0=")
            .ok_or(Reject::MalformedHeader { req: "REQ-SLACK-4" })?;
        if !same(
            self.signature(timestamp, &message.body).as_bytes(),
            received.as_bytes(),
        ) {
            return Err(Reject::BadSignature { req: "REQ-SLACK-5" });
        }
        check_window(ts, now, self.tolerance, "REQ-SLACK-6")?;
        Ok(ts)
    }

    /// The tolerance in seconds.
    pub fn tolerance(&self) -> u64 {
        self.tolerance
    }
}
