//! `config.json`, continued: `replay_store`, the shared replay store of replicas
//! (§10: REQ-CONFIG-20; SIPC/1 §16), through the adapter's `check_config` op.

use super::config::{json_string, patch};
use crate::suite::{meta, Area};
use sipc_reference::json::Value;

/// The flag of every `replay_store` vector.
const FLAG: &str = "ReplayStorePolicy";

/// Appends the `replay_store` vectors to the config area; `base` is the vectors' config.
pub(super) fn add(a: &mut Area, base: &Value) {
    let with_store = |store: &str| patch(base, "replay_store", Some(store));
    let redis = |url: &str| format!(r#"{{"kind":"redis","url":{}}}"#, json_string(url));
    let mut case = |config: Value, field: Option<&str>, comment: String| {
        let flags: &[&str] = if field.is_none() {
            &["Valid", FLAG]
        } else {
            &[FLAG]
        };
        a.check_config(
            meta("CONFIG-STORE", &["REQ-CONFIG-20"], flags, comment),
            config,
            field,
        );
    };
    for url in [
        "redis://127.0.0.1:6379",
        "redis://127.0.0.1:6379/0",
        "redis://127.0.0.1:1/15",
        "redis://[::1]:65535/3",
    ] {
        case(with_store(&redis(url)), None, format!("store url {url}"));
    }
    for (url, why) in [
        (
            "redis://localhost:6379",
            "a host name, not a loopback address",
        ),
        ("redis://10.0.0.1:6379", "another host"),
        ("redis://0.0.0.0:6379", "the wildcard address"),
        ("redis://::1:6379", "an IPv6 address without brackets"),
        ("redis://127.0.0.1", "no port"),
        ("redis://127.0.0.1:0", "port 0"),
        ("redis://127.0.0.1:65536", "port 65536"),
        ("redis://127.0.0.1:06379", "a port with a leading zero"),
        ("redis://127.0.0.1:6379/16", "database 16"),
        (
            "redis://127.0.0.1:6379/01",
            "a database with a leading zero",
        ),
        ("redis://127.0.0.1:6379/", "an empty database"),
        (
            "redis://user:pw@127.0.0.1:6379",
            "a user and password in the URL",
        ),
        ("redis://:pw@127.0.0.1:6379", "a password in the URL"),
        ("redis://127.0.0.1:6379/0?password=x", "a query"),
        ("redis://127.0.0.1:6379/0#x", "a fragment"),
        ("rediss://127.0.0.1:6379", "the TLS scheme"),
        ("REDIS://127.0.0.1:6379", "the scheme in capitals"),
        ("unix:///run/redis.sock", "a Unix socket"),
    ] {
        case(
            with_store(&redis(url)),
            Some("replay_store.url"),
            format!("store url {url}: {why}"),
        );
    }
    for (store, field, why) in [
        ("null", "replay_store", "null"),
        (
            r#""redis://127.0.0.1:6379""#,
            "replay_store",
            "a string, not an object",
        ),
        (
            r#"{"url":"redis://127.0.0.1:6379"}"#,
            "replay_store.kind",
            "no kind",
        ),
        (
            r#"{"kind":"memcached","url":"redis://127.0.0.1:6379"}"#,
            "replay_store.kind",
            "a kind other than redis",
        ),
        (r#"{"kind":"redis"}"#, "replay_store.url", "no url"),
        (
            r#"{"kind":"redis","url":6379}"#,
            "replay_store.url",
            "a url that is a number",
        ),
        (
            r#"{"kind":"x","url":"y","password":"z"}"#,
            "replay_store.password",
            "an unknown member, reported before the others",
        ),
    ] {
        case(
            with_store(store),
            Some(field),
            format!("replay_store {why}"),
        );
    }
    for (store, field) in [
        ("{}".to_owned(), "replay_store.kind"),
        (redis("redis://localhost:6379"), "replay_store.url"),
    ] {
        case(
            patch(&with_store(&store), "auth.mode", Some(r#""none""#)),
            Some(field),
            format!("replay_store {store} is checked before auth"),
        );
    }
}
