//! GitHub's webhook signature (`spec/profiles/github.md`): `X-Hub-Signature-256:
//! sha256=<hex>`, HMAC-SHA256 of the raw body under the secret's UTF-8 bytes.
//!
//! Verification checks, in order: the header (REQ-GITHUB-1, REQ-GITHUB-2), its `sha256=`
//! prefix (REQ-GITHUB-3), the signature over the body (REQ-GITHUB-4). The legacy SHA-1
//! `X-Hub-Signature` is never read (REQ-GITHUB-5). GitHub's scheme has no timestamp: the
//! verifier reads no clock.

use crate::config::ProfileConfig;
use crate::error::Reject;
use crate::message::{hmac_sha256, same, Message};
use sipc_reference::hex::lower_hex;

/// The header, lowercase.
pub const SIGNATURE_HEADER: &str = "x-hub-signature-256";
/// The header as GitHub sends it.
pub const SIGNATURE_HEADER_SENT: &str = "X-Hub-Signature-256";
/// The prefix of its value.
pub const PREFIX: &str = "sha256=";

/// A GitHub verifier and signer.
#[derive(Clone, Debug)]
pub struct Github {
    secret: String,
}

impl Github {
    /// Any non-empty secret (REQ-GITHUB-6).
    pub fn new(config: &ProfileConfig) -> Github {
        Github {
            secret: config.secret.clone(),
        }
    }

    /// The lowercase hex HMAC of `content` (concatenated) under the secret.
    pub fn signature_of(&self, content: &[&[u8]]) -> String {
        lower_hex(&hmac_sha256(self.secret.as_bytes(), content))
    }

    /// The signature of `body` (REQ-GITHUB-4).
    pub fn signature(&self, body: &[u8]) -> String {
        self.signature_of(&[body])
    }

    /// The header of a message (REQ-GITHUB-7).
    pub fn sign(&self, body: &[u8]) -> Vec<(String, String)> {
        vec![(
            SIGNATURE_HEADER_SENT.into(),
            format!("{PREFIX}{}", self.signature(body)),
        )]
    }

    /// Verifies `message`.
    pub fn verify(&self, message: &Message) -> Result<(), Reject> {
        let header = message.single(SIGNATURE_HEADER, "REQ-GITHUB-1", "REQ-GITHUB-2")?;
        let received = header.strip_prefix(PREFIX).ok_or(Reject::MalformedHeader {
            req: "REQ-GITHUB-3",
        })?;
        if !same(
            self.signature(&message.body).as_bytes(),
            received.as_bytes(),
        ) {
            return Err(Reject::BadSignature {
                req: "REQ-GITHUB-4",
            });
        }
        Ok(())
    }
}
