//! The verifier: the eleven steps of SIPC/1 §8 in order (REQ-VERIFY-1).

use crate::config::Config;
use crate::envelope::{self, Accepted, Fields};
use crate::json::{parse, Value};
use crate::replay::{Lookup, ReplayCache};
use crate::sign::{signature_base, MacKey, SIG_PREFIX};
use crate::store::{store_expiry, store_key, Authenticated};
use crate::wire;
use crate::Reject;

/// A stateful verifier: one config, one clock, one replay cache.
///
/// It reads no clock of its own: the caller passes `now` (Unix seconds) to every call, and the
/// verifier uses the greatest `now` it has been given, so a clock that steps back can never
/// reopen the window of a nonce it has forgotten (REQ-TTL-3).
#[derive(Debug, Clone)]
pub struct Verifier {
    config: Config,
    clock: u64,
    cache: ReplayCache,
    mac: MacKey,
}

impl Verifier {
    /// A verifier for a valid config; an invalid one is refused with `config_invalid`.
    pub fn new(config: Config) -> Result<Verifier, Reject> {
        config.validate()?;
        let capacity = usize::try_from(config.auth.nonce_cache_size).unwrap_or(usize::MAX);
        Ok(Verifier {
            clock: 0,
            cache: ReplayCache::new(capacity, &config.auth.secret),
            mac: MacKey::new(&config.auth.secret),
            config,
        })
    }

    /// The config this verifier enforces.
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// The number of nonces remembered as live at the verifier's clock.
    pub fn live_nonces(&self) -> usize {
        self.cache.len()
    }

    /// Verifies one raw envelope at time `now` (REQ-VERIFY-1). The first failing step decides
    /// the error; only an accepted envelope changes the replay cache (REQ-REPLAY-3).
    pub fn verify(&mut self, raw: &[u8], now: u64) -> Result<Accepted, Reject> {
        self.verify_by(raw, now, Path::FastWhenCanonical)
    }

    /// Whether [`Verifier::verify`] checks `raw` in one pass over its bytes (the canonical fast
    /// path of `wire.rs`) rather than through the tree. Speed only: the answer is the same
    /// either way. This exists so that tests can hold the fast path to recognising every
    /// envelope it is meant for, since a fast path that declines them all would go unnoticed by
    /// every verdict.
    #[doc(hidden)]
    pub fn takes_fast_path(&self, raw: &[u8]) -> bool {
        wire::recognize(
            raw,
            envelope::max_encoded_payload(self.config.max_payload_bytes),
        )
        .is_some()
    }

    /// [`Verifier::verify`] without the canonical fast path: every envelope is parsed into a
    /// tree and its signature base re-serialized. The answers are the same; this exists so
    /// that tests and fuzz targets can hold the fast path to the general one.
    #[doc(hidden)]
    pub fn verify_general(&mut self, raw: &[u8], now: u64) -> Result<Accepted, Reject> {
        self.verify_by(raw, now, Path::General)
    }

    /// Steps 1–9 of REQ-VERIFY-1 at time `now`, for a verifier whose replay state is a shared
    /// store (SIPC/1 §16): the envelope's fields with the key and expiry of the store's one
    /// check-and-record (REQ-STORE-1 … REQ-STORE-3). Its own replay cache is neither read nor
    /// changed; the clock rule of REQ-TTL-3 holds as in [`Verifier::verify`] (REQ-STORE-6).
    /// An envelope refused here must send no command to the store (REQ-STORE-4).
    pub fn authenticate(&mut self, raw: &[u8], now: u64) -> Result<Authenticated, Reject> {
        let ttl = self.config.auth.ttl_seconds;
        let fields = self.steps_1_to_9(raw, now, Path::FastWhenCanonical)?;
        Ok(Authenticated {
            key: store_key(&self.config.auth.secret, &fields.nonce),
            expires_at: store_expiry(fields.ts, ttl),
            fields,
        })
    }

    fn verify_by(&mut self, raw: &[u8], now: u64, path: Path) -> Result<Accepted, Reject> {
        self.cache.forget_expired(self.clock.max(now));
        let fields = self.steps_1_to_9(raw, now, path)?;
        // 10. REQ-REPLAY-2, REQ-REPLAY-4, REQ-REPLAY-5; 11. REQ-REPLAY-1: a new nonce is
        // remembered while now <= ts + ttl.
        let expiry = fields.ts.saturating_add(self.config.auth.ttl_seconds);
        match self.cache.admit(&fields.nonce, expiry) {
            Lookup::Seen => Err(Reject::Replay),
            Lookup::Full => Err(Reject::ReplayCacheFull),
            Lookup::New => Ok(fields),
        }
    }

    fn steps_1_to_9(&mut self, raw: &[u8], now: u64, path: Path) -> Result<Accepted, Reject> {
        // REQ-TTL-3: the clock never goes back (expired nonces were forgotten by the caller,
        // REQ-REPLAY-1).
        self.clock = self.clock.max(now);
        let now = self.clock;
        let ttl = self.config.auth.ttl_seconds;
        let max_payload = self.config.max_payload_bytes;

        // 1. REQ-SIZE-1: the raw length, before any parsing.
        if u64::try_from(raw.len()).unwrap_or(u64::MAX) > self.config.envelope_limit() {
            return Err(Reject::Oversize);
        }
        // 2–5. An envelope already in canonical form is checked in one pass over its bytes
        // (`wire`); any other goes through the tree: REQ-JSON-*, REQ-ENV-*, REQ-SIG-1, REQ-SIG-2.
        let tree: Value;
        let fast = match path {
            Path::FastWhenCanonical => {
                wire::recognize(raw, envelope::max_encoded_payload(max_payload))
            }
            Path::General => None,
        };
        let (checked, decoded, base) = match fast {
            Some(fast) => (
                fast.checked,
                Some(fast.payload),
                Base::Wire(fast.before_sig, fast.after_sig),
            ),
            None => {
                tree = parse(raw)?;
                let checked = envelope::check(&tree)?;
                let Value::Object(members) = &tree else {
                    return Err(Reject::Malformed(crate::Rule::Env1));
                };
                (checked, None, Base::Tree(members))
            }
        };
        // 6. REQ-KIND-1: exact string match.
        if !self.config.allowed_kinds.iter().any(|k| k == checked.kind) {
            return Err(Reject::KindNotAllowed);
        }
        // 7. REQ-SIZE-2, REQ-PAYLOAD-*, REQ-SIZE-3. The fast path decoded only a payload
        // within the REQ-SIZE-2 limit.
        let payload = match decoded {
            Some(payload) => {
                envelope::check_decoded_len(&payload, max_payload)?;
                payload
            }
            None => envelope::decode_payload(checked.payload_b64, max_payload)?,
        };
        // 8. REQ-TTL-1, REQ-TTL-2: equality is accepted.
        if now.saturating_sub(checked.ts) > ttl {
            return Err(Reject::Expired);
        }
        if checked.ts.saturating_sub(now) > ttl {
            return Err(Reject::FromFuture);
        }
        // 9. REQ-SIG-3, REQ-SIG-4, REQ-SIG-5: over the canonical form, never other wire bytes.
        let matches = match base {
            Base::Wire(before, after) => {
                self.mac.matches(&[SIG_PREFIX, before, after], &checked.sig)
            }
            Base::Tree(members) => self.mac.matches(&[&signature_base(members)], &checked.sig),
        };
        if !matches {
            return Err(Reject::BadSignature);
        }
        Ok(Fields {
            kind: checked.kind.to_owned(),
            payload,
            ts: checked.ts,
            nonce: checked.nonce.to_owned(),
            target: checked.target,
            trace_id: checked.trace_id,
            reply_to: checked.reply_to,
            headers: checked.headers,
        })
    }
}

/// Which way steps 2–5 go.
#[derive(Clone, Copy)]
enum Path {
    /// Through `wire` when the envelope is canonical, else through the tree.
    FastWhenCanonical,
    /// Always through the tree.
    General,
}

/// Where the signature base comes from.
enum Base<'a> {
    /// A canonical envelope: `SIPC-1\n`, then its bytes before and after the `sig` member.
    Wire(&'a [u8], &'a [u8]),
    /// Any other: the canonical form of the parsed members.
    Tree(&'a [(String, Value)]),
}
