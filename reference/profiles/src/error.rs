//! The one error type of the crate: every refusal has a stable code and the REQ id it enforces.

use std::fmt;

/// Why a message or a config was refused. [`Reject::code`] is the stable code adapters report
/// (spec/ADAPTER.md); [`Reject::req`] names the rule of the profile's text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reject {
    /// A required header is absent or empty.
    MissingHeader {
        /// The header's name, lowercase.
        name: &'static str,
        /// The rule.
        req: &'static str,
    },
    /// A required header appears more than once.
    DuplicateHeader {
        /// The header's name, lowercase.
        name: &'static str,
        /// The rule.
        req: &'static str,
    },
    /// A header's value breaks its syntax (signature list, parameters, id).
    MalformedHeader {
        /// The rule.
        req: &'static str,
    },
    /// The timestamp is not a canonical decimal integer in range.
    MalformedTimestamp {
        /// The rule.
        req: &'static str,
    },
    /// No signature of the version the profile verifies.
    NoSignature {
        /// The rule.
        req: &'static str,
    },
    /// No signature matches.
    BadSignature {
        /// The rule.
        req: &'static str,
    },
    /// The timestamp is older than the tolerance allows.
    Expired {
        /// The rule.
        req: &'static str,
    },
    /// The timestamp is further in the future than the tolerance allows.
    Future {
        /// The rule.
        req: &'static str,
    },
    /// The config is refused; `field` names the member.
    ConfigInvalid {
        /// The member at fault (`application.max_ids`, or an unknown member's name).
        field: String,
        /// The rule.
        req: &'static str,
    },
    /// Application layer: the id was already accepted within the window.
    Replay {
        /// The rule.
        req: &'static str,
    },
    /// Application layer: the body is over the limit.
    Oversize {
        /// The rule.
        req: &'static str,
    },
    /// Application layer: the body has no id to de-duplicate (Stripe: not a JSON object with a
    /// string `id`).
    MalformedBody {
        /// The rule.
        req: &'static str,
    },
    /// Application layer: the id cache is full of live entries.
    CacheFull {
        /// The rule.
        req: &'static str,
    },
}

impl Reject {
    /// The stable code (spec/ADAPTER.md, "profiles").
    pub fn code(&self) -> &'static str {
        match self {
            Reject::MissingHeader { .. } => "missing_header",
            Reject::DuplicateHeader { .. } => "duplicate_header",
            Reject::MalformedHeader { .. } => "malformed_header",
            Reject::MalformedTimestamp { .. } => "malformed_timestamp",
            Reject::NoSignature { .. } => "no_signature",
            Reject::BadSignature { .. } => "bad_signature",
            Reject::Expired { .. } => "expired",
            Reject::Future { .. } => "future",
            Reject::ConfigInvalid { .. } => "config_invalid",
            Reject::Replay { .. } => "replay",
            Reject::Oversize { .. } => "oversize",
            Reject::MalformedBody { .. } => "malformed_body",
            Reject::CacheFull { .. } => "cache_full",
        }
    }

    /// The REQ id of the rule that refused.
    pub fn req(&self) -> &'static str {
        match self {
            Reject::MissingHeader { req, .. }
            | Reject::DuplicateHeader { req, .. }
            | Reject::MalformedHeader { req }
            | Reject::MalformedTimestamp { req }
            | Reject::NoSignature { req }
            | Reject::BadSignature { req }
            | Reject::Expired { req }
            | Reject::Future { req }
            | Reject::ConfigInvalid { req, .. }
            | Reject::Replay { req }
            | Reject::Oversize { req }
            | Reject::MalformedBody { req }
            | Reject::CacheFull { req } => req,
        }
    }

    /// The config member of a [`Reject::ConfigInvalid`].
    pub fn field(&self) -> Option<&str> {
        match self {
            Reject::ConfigInvalid { field, .. } => Some(field),
            _ => None,
        }
    }

    /// Every code, for the schema and the runner.
    pub const CODES: &'static [&'static str] = &[
        "missing_header",
        "duplicate_header",
        "malformed_header",
        "malformed_timestamp",
        "no_signature",
        "bad_signature",
        "expired",
        "future",
        "config_invalid",
        "replay",
        "oversize",
        "malformed_body",
        "cache_full",
    ];
}

impl fmt::Display for Reject {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Reject::MissingHeader { name, req } => write!(f, "missing_header: {name} ({req})"),
            Reject::DuplicateHeader { name, req } => {
                write!(f, "duplicate_header: {name} ({req})")
            }
            Reject::ConfigInvalid { field, req } => write!(f, "config_invalid: {field} ({req})"),
            other => write!(f, "{} ({})", other.code(), other.req()),
        }
    }
}

impl std::error::Error for Reject {}

#[cfg(test)]
mod tests {
    use super::Reject;

    /// The text a refusal prints: its code, what it names, and its rule.
    #[test]
    fn display_names_the_code_the_member_and_the_rule() {
        for (reject, text) in [
            (
                Reject::MissingHeader {
                    name: "webhook-id",
                    req: "REQ-SW-1",
                },
                "missing_header: webhook-id (REQ-SW-1)",
            ),
            (
                Reject::DuplicateHeader {
                    name: "stripe-signature",
                    req: "REQ-STRIPE-2",
                },
                "duplicate_header: stripe-signature (REQ-STRIPE-2)",
            ),
            (
                Reject::ConfigInvalid {
                    field: "application.max_ids".into(),
                    req: "REQ-SW-APP-2",
                },
                "config_invalid: application.max_ids (REQ-SW-APP-2)",
            ),
            (Reject::Expired { req: "REQ-SW-9" }, "expired (REQ-SW-9)"),
        ] {
            assert_eq!(reject.to_string(), text);
        }
    }
}
