//! The profiles by name, and one verifier type over them.

use crate::config::ProfileConfig;
use crate::error::Reject;
use crate::github::Github;
use crate::hmac_json::{InsertionOrder, SortedKeys};
use crate::message::Message;
use crate::slack::Slack;
use crate::standard_webhooks::StandardWebhooks;
use crate::stripe::Stripe;

/// A signed-message scheme of this crate.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Profile {
    /// `standard-webhooks`.
    StandardWebhooks,
    /// `stripe`.
    Stripe,
    /// `github`.
    Github,
    /// `slack`.
    Slack,
    /// `hmac-json-insertion-order`: a home-grown Node scheme.
    HmacJsonInsertionOrder,
    /// `hmac-json-sorted-keys`: a home-grown Python scheme.
    HmacJsonSortedKeys,
}

impl Profile {
    /// Every profile, in the order `--list` shows them.
    pub const ALL: &'static [Profile] = &[
        Profile::StandardWebhooks,
        Profile::Stripe,
        Profile::Github,
        Profile::Slack,
        Profile::HmacJsonInsertionOrder,
        Profile::HmacJsonSortedKeys,
    ];

    /// The name used on the command line, in vector files and in the adapter protocol.
    pub fn name(self) -> &'static str {
        match self {
            Profile::StandardWebhooks => "standard-webhooks",
            Profile::Stripe => "stripe",
            Profile::Github => "github",
            Profile::Slack => "slack",
            Profile::HmacJsonInsertionOrder => "hmac-json-insertion-order",
            Profile::HmacJsonSortedKeys => "hmac-json-sorted-keys",
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
            Profile::Github => "REQ-GITHUB-6",
            Profile::Slack => "REQ-SLACK-7",
            Profile::HmacJsonInsertionOrder => "REQ-HJI-1",
            Profile::HmacJsonSortedKeys => "REQ-HJS-1",
        }
    }

    /// The REQ ids of the application layer (replay, body limit), for the profiles that
    /// carry an id to de-duplicate.
    pub fn application_reqs(self) -> Option<(&'static str, &'static str)> {
        match self {
            Profile::StandardWebhooks => Some(("REQ-SW-APP-1", "REQ-SW-APP-2")),
            Profile::Stripe => Some(("REQ-STRIPE-APP-1", "REQ-STRIPE-APP-2")),
            _ => None,
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
            Profile::Github => Verifier::Github(Github::new(config)),
            Profile::Slack => Verifier::Slack(Slack::new(config)),
            Profile::HmacJsonInsertionOrder => {
                Verifier::InsertionOrder(InsertionOrder::new(config))
            }
            Profile::HmacJsonSortedKeys => Verifier::SortedKeys(SortedKeys::new(config)),
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
    /// GitHub.
    Github(Github),
    /// Slack.
    Slack(Slack),
    /// The insertion-order HMAC-JSON scheme.
    InsertionOrder(InsertionOrder),
    /// The sorted-keys HMAC-JSON scheme.
    SortedKeys(SortedKeys),
}

/// What a verification authenticated: the message id when the scheme has one, and the
/// timestamp when it has one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Authenticated {
    /// `webhook-id` (Standard Webhooks); none for the others.
    pub id: Option<String>,
    /// The timestamp, for the schemes that check one.
    pub timestamp: Option<u64>,
}

impl Authenticated {
    fn at(timestamp: u64) -> Authenticated {
        Authenticated {
            id: None,
            timestamp: Some(timestamp),
        }
    }

    const UNTIMED: Authenticated = Authenticated {
        id: None,
        timestamp: None,
    };
}

impl Verifier {
    /// The profile.
    pub fn profile(&self) -> Profile {
        match self {
            Verifier::StandardWebhooks(_) => Profile::StandardWebhooks,
            Verifier::Stripe(_) => Profile::Stripe,
            Verifier::Github(_) => Profile::Github,
            Verifier::Slack(_) => Profile::Slack,
            Verifier::InsertionOrder(_) => Profile::HmacJsonInsertionOrder,
            Verifier::SortedKeys(_) => Profile::HmacJsonSortedKeys,
        }
    }

    /// Verifies `message` at `now` (ignored by the schemes without a timestamp).
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
                        timestamp: Some(timestamp),
                    })
            }
            Verifier::Stripe(stripe) => stripe.verify(message, now).map(Authenticated::at),
            Verifier::Slack(slack) => slack.verify(message, now).map(Authenticated::at),
            Verifier::Github(github) => github.verify(message).map(|()| Authenticated::UNTIMED),
            Verifier::InsertionOrder(hji) => hji.verify(message).map(|()| Authenticated::UNTIMED),
            Verifier::SortedKeys(hjs) => hjs.verify(message).map(|()| Authenticated::UNTIMED),
        }
    }

    /// The headers that sign `body` with `id` (Standard Webhooks only) and `timestamp`
    /// (ignored by GitHub), exactly as given. The schemes that carry their MAC in the body
    /// have no headers: see [`InsertionOrder::sign`] and [`SortedKeys::sign`].
    pub fn sign(&self, id: &str, timestamp: &str, body: &[u8]) -> Vec<(String, String)> {
        match self {
            Verifier::StandardWebhooks(sw) => sw.sign(id, timestamp, body),
            Verifier::Stripe(stripe) => stripe.sign(timestamp, body),
            Verifier::Github(github) => github.sign(body),
            Verifier::Slack(slack) => slack.sign(timestamp, body),
            Verifier::InsertionOrder(_) | Verifier::SortedKeys(_) => Vec::new(),
        }
    }

    /// The tolerance in seconds (zero for the schemes without a timestamp).
    pub fn tolerance(&self) -> u64 {
        match self {
            Verifier::StandardWebhooks(sw) => sw.tolerance(),
            Verifier::Stripe(stripe) => stripe.tolerance(),
            Verifier::Slack(slack) => slack.tolerance(),
            _ => 0,
        }
    }
}
