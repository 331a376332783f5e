//! What the schemes leave to the application, checked apart from the scheme itself: a body
//! size limit before any work (REQ-SW-APP-2, REQ-STRIPE-APP-2) and each authenticated id
//! processed once while its timestamp is inside the window (REQ-SW-APP-1: the `webhook-id`;
//! REQ-STRIPE-APP-1: the event's `id` member in the JSON body).

use crate::config::ProfileConfig;
use crate::error::Reject;
use crate::message::Message;
use crate::profile::{Profile, Verifier};
use sipc_reference::json::{parse, Value};
use std::collections::HashMap;

/// A receiving application: a profile's verifier, a body limit and the ids already
/// processed, each kept until its timestamp leaves the window.
#[derive(Clone, Debug)]
pub struct Application {
    verifier: Verifier,
    replay_req: &'static str,
    size_req: &'static str,
    max_body_bytes: u64,
    max_ids: usize,
    /// id → the last second it can still be accepted.
    seen: HashMap<String, u64>,
}

impl Application {
    /// An application of `profile` with `config`; a profile without an application layer
    /// ([`Profile::application_reqs`]) is `config_invalid` on `application`.
    pub fn new(profile: Profile, config: &ProfileConfig) -> Result<Application, Reject> {
        let (replay_req, size_req) =
            profile
                .application_reqs()
                .ok_or_else(|| Reject::ConfigInvalid {
                    field: "application".into(),
                    req: profile.config_req(),
                })?;
        Ok(Application {
            verifier: profile.verifier_for(config)?,
            replay_req,
            size_req,
            max_body_bytes: config.max_body_bytes,
            max_ids: usize::try_from(config.max_ids).unwrap_or(usize::MAX),
            seen: HashMap::new(),
        })
    }

    /// Verifies and de-duplicates `message` at `now`. Only authenticated messages are
    /// recorded; a refusal changes nothing.
    pub fn receive(&mut self, message: &Message, now: u64) -> Result<(), Reject> {
        let (replay_req, size_req) = (self.replay_req, self.size_req);
        if u64::try_from(message.body.len()).map_or(true, |n| n > self.max_body_bytes) {
            return Err(Reject::Oversize { req: size_req });
        }
        let authenticated = self.verifier.authenticate(message, now)?;
        let id = match authenticated.id {
            Some(id) => id,
            None => event_id(&message.body).ok_or(Reject::MalformedBody { req: replay_req })?,
        };
        self.seen.retain(|_, last| *last >= now);
        if self.seen.contains_key(&id) {
            return Err(Reject::Replay { req: replay_req });
        }
        if self.seen.len() >= self.max_ids {
            return Err(Reject::CacheFull { req: replay_req });
        }
        let last = authenticated
            .timestamp
            .unwrap_or(now)
            .saturating_add(self.verifier.tolerance());
        self.seen.insert(id, last);
        Ok(())
    }
}

/// The string `id` member of a JSON object body (a Stripe event).
fn event_id(body: &[u8]) -> Option<String> {
    match parse(body).ok()? {
        root @ Value::Object(_) => root.get("id")?.as_str().map(str::to_owned),
        _ => None,
    }
}
