//! The config every profile reads: `{"secret": "…", "tolerance_seconds": N,
//! "application": {"max_body_bytes": N, "max_ids": N}}`. Each profile validates its secret.

use crate::error::Reject;
use sipc_reference::json::{parse, Value};

/// `tolerance_seconds` when absent: the five minutes the scheme's own libraries use.
pub const DEFAULT_TOLERANCE_SECONDS: u64 = 300;
/// The largest `tolerance_seconds`: one week.
pub const MAX_TOLERANCE_SECONDS: u64 = 7 * 24 * 3600;
/// `application.max_body_bytes` when absent.
pub const DEFAULT_MAX_BODY_BYTES: u64 = 1 << 20;
/// `application.max_ids` when absent.
pub const DEFAULT_MAX_IDS: u64 = 100_000;
/// The largest `application.max_ids`.
pub const MAX_MAX_IDS: u64 = 10_000_000;

/// A parsed profile config (the secret still as text: its meaning is the profile's).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProfileConfig {
    /// `secret`, as given.
    pub secret: String,
    /// `tolerance_seconds`.
    pub tolerance: u64,
    /// `application.max_body_bytes`.
    pub max_body_bytes: u64,
    /// `application.max_ids`.
    pub max_ids: u64,
}

fn invalid(field: &str, req: &'static str) -> Reject {
    Reject::ConfigInvalid {
        field: field.to_owned(),
        req,
    }
}

fn uint(value: Option<&Value>, default: u64, max: u64) -> Option<u64> {
    match value {
        None => Some(default),
        Some(Value::Number(n)) => n
            .integer_literal()
            .and_then(|i| u64::try_from(i).ok())
            .filter(|v| *v <= max),
        Some(_) => None,
    }
}

impl ProfileConfig {
    /// Parses the config (strict JSON). `req` is the profile's config rule.
    pub fn from_json(text: &[u8], req: &'static str) -> Result<ProfileConfig, Reject> {
        let root = parse(text).map_err(|_| invalid("config", req))?;
        ProfileConfig::from_value(&root, req)
    }

    /// The config from a parsed value: unknown members are refused, first in document order.
    pub fn from_value(root: &Value, req: &'static str) -> Result<ProfileConfig, Reject> {
        let Value::Object(members) = root else {
            return Err(invalid("config", req));
        };
        if let Some((name, _)) = members
            .iter()
            .find(|(n, _)| !matches!(n.as_str(), "secret" | "tolerance_seconds" | "application"))
        {
            return Err(invalid(name, req));
        }
        let secret = root
            .get("secret")
            .and_then(Value::as_str)
            .filter(|s| !s.is_empty())
            .ok_or_else(|| invalid("secret", req))?
            .to_owned();
        let tolerance = uint(
            root.get("tolerance_seconds"),
            DEFAULT_TOLERANCE_SECONDS,
            MAX_TOLERANCE_SECONDS,
        )
        .ok_or_else(|| invalid("tolerance_seconds", req))?;
        let (max_body_bytes, max_ids) = match root.get("application") {
            None => (DEFAULT_MAX_BODY_BYTES, DEFAULT_MAX_IDS),
            Some(app @ Value::Object(members)) => {
                if members
                    .iter()
                    .any(|(n, _)| !matches!(n.as_str(), "max_body_bytes" | "max_ids"))
                {
                    return Err(invalid("application", req));
                }
                (
                    uint(app.get("max_body_bytes"), DEFAULT_MAX_BODY_BYTES, u64::MAX)
                        .ok_or_else(|| invalid("application.max_body_bytes", req))?,
                    uint(app.get("max_ids"), DEFAULT_MAX_IDS, MAX_MAX_IDS)
                        .filter(|n| *n > 0)
                        .ok_or_else(|| invalid("application.max_ids", req))?,
                )
            }
            Some(_) => return Err(invalid("application", req)),
        };
        Ok(ProfileConfig {
            secret,
            tolerance,
            max_body_bytes,
            max_ids,
        })
    }
}
