//! The one error type of the reference: every rejection carries a stable code (REQ-VERIFY-2).

use std::fmt;

/// Lists the rules once: the enum, and the REQ id of each.
macro_rules! rules {
    ($($variant:ident = $req:literal,)*) => {
        /// The rule of SIPC/1 that a `malformed` refusal broke, by its REQ id. It says *why*;
        /// it is not part of the stable code, which stays `malformed` (REQ-VERIFY-2). An
        /// implementer whose verdict differs from the reference's reads it to find the rule.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Rule {
            $(#[doc = $req] $variant,)*
        }

        impl Rule {
            /// The REQ id of `spec/SIPC-1.md` (`"REQ-JSON-4"`).
            pub fn req(self) -> &'static str {
                match self {
                    $(Rule::$variant => $req,)*
                }
            }
        }
    };
}

rules! {
    Json1 = "REQ-JSON-1",
    Json2 = "REQ-JSON-2",
    Json3 = "REQ-JSON-3",
    Json4 = "REQ-JSON-4",
    Json5 = "REQ-JSON-5",
    Json6 = "REQ-JSON-6",
    Json7 = "REQ-JSON-7",
    Json8 = "REQ-JSON-8",
    Env1 = "REQ-ENV-1",
    Env2 = "REQ-ENV-2",
    Env3 = "REQ-ENV-3",
    Env4 = "REQ-ENV-4",
    Env5 = "REQ-ENV-5",
    Env6 = "REQ-ENV-6",
    Env7 = "REQ-ENV-7",
    Env8 = "REQ-ENV-8",
    Env9 = "REQ-ENV-9",
    Env10 = "REQ-ENV-10",
    Env11 = "REQ-ENV-11",
    Payload1 = "REQ-PAYLOAD-1",
    Payload2 = "REQ-PAYLOAD-2",
}

/// Why an envelope, a JSON text or a config was refused.
///
/// The codes returned by [`Reject::code`] are the stable API of SIPC/1 (REQ-VERIFY-2):
/// implementations in other languages report the same strings, and the conformance runner
/// compares them. The `Display` text is for people and may be reworded; the code may not.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Reject {
    /// The raw envelope, the encoded payload or the decoded payload is over its limit
    /// (REQ-SIZE-1, REQ-SIZE-2, REQ-SIZE-3).
    Oversize,
    /// Not strict JSON (REQ-JSON-*), or a member breaks the envelope table (REQ-ENV-*),
    /// or the payload is not canonical base64url (REQ-PAYLOAD-*); the [`Rule`] says which.
    Malformed(Rule),
    /// `v` is an integer other than 1 (REQ-ENV-2).
    UnsupportedVersion,
    /// The envelope has no `sig` member (REQ-SIG-1).
    SigMissing,
    /// `sig` is present but not a string of 64 lowercase hex digits (REQ-SIG-2).
    SigMalformed,
    /// `kind` is not exactly one of `allowed_kinds` (REQ-KIND-1).
    KindNotAllowed,
    /// `now - ts > ttl_seconds` (REQ-TTL-1).
    Expired,
    /// `ts - now > ttl_seconds` (REQ-TTL-2).
    FromFuture,
    /// The HMAC does not match (REQ-SIG-4).
    BadSignature,
    /// The nonce was already accepted and is still remembered (REQ-REPLAY-2).
    Replay,
    /// The replay cache is full of live entries; fail closed (REQ-REPLAY-4).
    ReplayCacheFull,
    /// The shared replay store (SIPC/1 §16) could not be reached, did not answer in time, or
    /// answered an error; fail closed (REQ-STORE-5). The reference library never talks to a
    /// store: a caller that does (`sipc serve`) reports this code.
    ReplayStoreUnavailable,
    /// The config breaks a rule of REQ-CONFIG-*; `field` is the dotted name of the first
    /// offending member (`auth.secret_hex`), or the empty string for the document itself.
    ConfigInvalid {
        /// Dotted path of the offending member; empty for the whole document.
        field: String,
    },
}

impl Reject {
    /// Every code, in the order of the verification steps (REQ-VERIFY-1), then the config code.
    pub const CODES: [&'static str; 13] = [
        "oversize",
        "malformed",
        "unsupported_version",
        "sig_missing",
        "sig_malformed",
        "kind_not_allowed",
        "expired",
        "from_future",
        "bad_signature",
        "replay",
        "replay_cache_full",
        "replay_store_unavailable",
        "config_invalid",
    ];

    /// The stable wire code of this rejection (REQ-VERIFY-2).
    pub fn code(&self) -> &'static str {
        match self {
            Reject::Oversize => "oversize",
            Reject::Malformed(_) => "malformed",
            Reject::UnsupportedVersion => "unsupported_version",
            Reject::SigMissing => "sig_missing",
            Reject::SigMalformed => "sig_malformed",
            Reject::KindNotAllowed => "kind_not_allowed",
            Reject::Expired => "expired",
            Reject::FromFuture => "from_future",
            Reject::BadSignature => "bad_signature",
            Reject::Replay => "replay",
            Reject::ReplayCacheFull => "replay_cache_full",
            Reject::ReplayStoreUnavailable => "replay_store_unavailable",
            Reject::ConfigInvalid { .. } => "config_invalid",
        }
    }

    /// The rule a [`Reject::Malformed`] broke, as its REQ id (`"REQ-JSON-4"`); `None` for the
    /// other codes, whose rule the code itself names.
    pub fn req(&self) -> Option<&'static str> {
        match self {
            Reject::Malformed(rule) => Some(rule.req()),
            _ => None,
        }
    }

    /// The offending config field, for [`Reject::ConfigInvalid`] only.
    pub fn field(&self) -> Option<&str> {
        match self {
            Reject::ConfigInvalid { field } => Some(field),
            _ => None,
        }
    }

    pub(crate) fn config(field: impl Into<String>) -> Reject {
        Reject::ConfigInvalid {
            field: field.into(),
        }
    }
}

impl fmt::Display for Reject {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let what = match self {
            Reject::Oversize => "the envelope or its payload is larger than the configured limit",
            Reject::Malformed(rule) => {
                return write!(
                    f,
                    "malformed: breaks {}: not strict JSON, or a member breaks the envelope table, or the payload is not canonical base64url",
                    rule.req()
                );
            }
            Reject::UnsupportedVersion => "the envelope version `v` is not 1",
            Reject::SigMissing => "the envelope has no `sig` member",
            Reject::SigMalformed => "`sig` is not a string of 64 lowercase hex digits",
            Reject::KindNotAllowed => "`kind` is not in allowed_kinds",
            Reject::Expired => "`ts` is older than now minus ttl_seconds",
            Reject::FromFuture => "`ts` is later than now plus ttl_seconds",
            Reject::BadSignature => "the HMAC-SHA256 signature does not match",
            Reject::Replay => "the nonce was already accepted within its time window",
            Reject::ReplayCacheFull => "the replay cache is full of live nonces",
            Reject::ReplayStoreUnavailable => {
                "the shared replay store could not be reached or answered an error"
            }
            Reject::ConfigInvalid { field } if field.is_empty() => {
                return write!(f, "config_invalid: the config is not a strict JSON object");
            }
            Reject::ConfigInvalid { field } => {
                return write!(
                    f,
                    "config_invalid: `{field}` is missing, unknown or out of range"
                );
            }
        };
        write!(f, "{}: {}", self.code(), what)
    }
}

impl std::error::Error for Reject {}
