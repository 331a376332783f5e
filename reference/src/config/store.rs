//! `replay_store` (REQ-CONFIG-20): where replicas keep their shared replay state (SIPC/1 §16).

use super::read::{no_unknown, object, string};
use crate::json::{member, Value};
use crate::Reject;

/// The members of `replay_store`.
const STORE_MEMBERS: [&str; 2] = ["kind", "url"];
/// The one store kind of SIPC/1.
pub const STORE_KIND_REDIS: &str = "redis";
/// Every store URL begins so.
const REDIS_SCHEME: &str = "redis://";
/// The highest Redis database number allowed (`/0` … `/15`, Redis's default count).
pub const MAX_REDIS_DB: u64 = 15;

/// A shared replay store (REQ-CONFIG-20): Redis on a loopback address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReplayStore {
    /// Must be `redis`.
    pub kind: String,
    /// `redis://<127.0.0.1 or [::1]>:<port>[/<db>]`, nothing else.
    pub url: String,
}

/// The parts of a valid store URL.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StoreAddress<'a> {
    /// `127.0.0.1` or `::1` (without brackets).
    pub host: &'a str,
    /// 1–65535.
    pub port: u16,
    /// 0–15; 0 when the URL names none.
    pub db: u8,
}

impl ReplayStore {
    /// The first member that breaks REQ-CONFIG-20.
    pub(super) fn first_invalid(&self) -> Option<&'static str> {
        if self.kind != STORE_KIND_REDIS {
            return Some("replay_store.kind");
        }
        parse_url(&self.url).is_none().then_some("replay_store.url")
    }

    /// The host, port and database of the URL; `None` for a URL REQ-CONFIG-20 refuses.
    pub fn address(&self) -> Option<StoreAddress<'_>> {
        parse_url(&self.url)
    }

    pub(super) fn to_value(&self) -> Value {
        Value::Object(vec![
            ("kind".to_owned(), Value::String(self.kind.clone())),
            ("url".to_owned(), Value::String(self.url.clone())),
        ])
    }
}

/// A decimal integer in `range`, without sign or leading zeros (REQ-CONFIG-20).
fn decimal(digits: &str, max: u64, min: u64) -> Option<u64> {
    let plain = !digits.is_empty()
        && digits.len() <= 5
        && digits.bytes().all(|b| b.is_ascii_digit())
        && (digits == "0" || !digits.starts_with('0'));
    let value: u64 = digits.parse().ok().filter(|_| plain)?;
    (min..=max).contains(&value).then_some(value)
}

fn parse_url(url: &str) -> Option<StoreAddress<'_>> {
    let rest = url.strip_prefix(REDIS_SCHEME)?;
    let (host, rest) = if let Some(rest) = rest.strip_prefix("[::1]") {
        ("::1", rest)
    } else {
        ("127.0.0.1", rest.strip_prefix("127.0.0.1")?)
    };
    let rest = rest.strip_prefix(':')?;
    let (port, db) = match rest.split_once('/') {
        Some((port, db)) => (port, Some(db)),
        None => (rest, None),
    };
    let port = u16::try_from(decimal(port, u64::from(u16::MAX), 1)?).ok()?;
    let db = match db {
        Some(db) => u8::try_from(decimal(db, MAX_REDIS_DB, 0)?).ok()?,
        None => 0,
    };
    Some(StoreAddress { host, port, db })
}

fn check_kind(v: &str) -> bool {
    v == STORE_KIND_REDIS
}
fn check_url(v: &str) -> bool {
    parse_url(v).is_some()
}

/// REQ-CONFIG-20: absent, or an object of exactly `kind` and `url`, unknown members first.
pub(super) fn parse_store(top: &[(String, Value)]) -> Result<Option<ReplayStore>, Reject> {
    let Some(value) = member(top, "replay_store") else {
        return Ok(None);
    };
    let store = object(value, "replay_store")?;
    no_unknown(store, &STORE_MEMBERS, "replay_store.")?;
    Ok(Some(ReplayStore {
        kind: string(store, "kind", "replay_store.kind", check_kind)?,
        url: string(store, "url", "replay_store.url", check_url)?,
    }))
}
