//! The profiles by name, and one verifier type over them.

use crate::config::ProfileConfig;
use crate::error::Reject;
use crate::message::Message;
use crate::standard_webhooks::StandardWebhooks;
use crate::stripe::Stripe;

/// A signed-message scheme of this crate.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Profile {
    /// `standard-webhooks`.
    StandardWebhooks,
    /// `stripe`.
    Stripe,
}

impl Profile {
    /// Every profile, in the order `--list` shows them.
    pub const ALL: &'static [Profile] = &[Profile::StandardWebhooks, Profile::Stripe];

    /// The name used on the command line, in vector files and in the adapter protocol.
    pub fn name(self) -> &'static str {
        match self {
            Profile::StandardWebhooks => "standard-webhooks",
            Profile::Stripe => "stripe",
        }
    }

    /// The profile called `name`.
    pub fn from_name(name: &str) -> Option<Profile> {
        Profile::ALL.iter().copied().find(|p| p.name() == name)
    }

    /// The REQ id of the profile's config rule.
    pub fn config_req(self) -> &'static str {
        match self {
            Profile::StandardWebhooks => "REQ-SW-6",
            Profile::Stripe => "REQ-STRIPE-8",
        }
    }

    /// A verifier for the config's JSON text.
    pub fn verifier(self, config: &[u8]) -> Result<Verifier, Reject> {
        self.verifier_for(&ProfileConfig::from_json(config, self.config_req())?)
    }

    /// A verifier for a parsed config.
    pub fn verifier_for(self, config: &ProfileConfig) -> Result<Verifier, Reject> {
        Ok(match self {
            Profile::StandardWebhooks => Verifier::StandardWebhooks(StandardWebhooks::new(config)?),
            Profile::Stripe => Verifier::Stripe(Stripe::new(config)?),
        })
    }
}

/// A stateless verifier and signer of one profile.
#[derive(Clone, Debug)]
pub enum Verifier {
    /// Standard Webhooks.
    StandardWebhooks(StandardWebhooks),
    /// Stripe.
    Stripe(Stripe),
}

/// What a verification authenticated: the message id when the scheme has one, and the
/// timestamp.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Authenticated {
    /// `webhook-id` (Standard Webhooks); none for Stripe.
    pub id: Option<String>,
    /// The timestamp.
    pub timestamp: u64,
}

impl Verifier {
    /// The profile.
    pub fn profile(&self) -> Profile {
        match self {
            Verifier::StandardWebhooks(_) => Profile::StandardWebhooks,
            Verifier::Stripe(_) => Profile::Stripe,
        }
    }

    /// Verifies `message` at `now`.
    pub fn verify(&self, message: &Message, now: u64) -> Result<(), Reject> {
        self.authenticate(message, now).map(|_| ())
    }

    /// Verifies `message` at `now` and says what it authenticated.
    pub fn authenticate(&self, message: &Message, now: u64) -> Result<Authenticated, Reject> {
        match self {
            Verifier::StandardWebhooks(sw) => {
                sw.verify(message, now)
                    .map(|(id, timestamp)| Authenticated {
                        id: Some(id),
                        timestamp,
                    })
            }
            Verifier::Stripe(stripe) => {
                stripe.verify(message, now).map(|timestamp| Authenticated {
                    id: None,
                    timestamp,
                })
            }
        }
    }

    /// The headers that sign `body` with `id` (ignored by Stripe, which has none) and
    /// `timestamp`, exactly as given.
    pub fn sign(&self, id: &str, timestamp: &str, body: &[u8]) -> Vec<(String, String)> {
        match self {
            Verifier::StandardWebhooks(sw) => sw.sign(id, timestamp, body),
            Verifier::Stripe(stripe) => stripe.sign(timestamp, body),
        }
    }

    /// The tolerance in seconds.
    pub fn tolerance(&self) -> u64 {
        match self {
            Verifier::StandardWebhooks(sw) => sw.tolerance(),
            Verifier::Stripe(stripe) => stripe.tolerance(),
        }
    }
}
