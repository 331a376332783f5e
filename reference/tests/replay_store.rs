//! SIPC/1 §16, the shared replay store (REQ-STORE-1 … REQ-STORE-6), and its config member
//! `replay_store` (REQ-CONFIG-20). The library does no I/O: these tests hold its side (the key,
//! the expiry, which envelopes reach the store, how answers map to verdicts) against a model
//! store with Redis's `SET NX` semantics; `conformance/tests/replicas.rs` runs real replicas on
//! a real `redis-server`.

mod common;

use common::{config, secret, signed_with, NONCE, NOW, TTL};
use sipc_reference::store::{store_expiry, store_key, StoreAnswer, STORE_KEY_PREFIX};
use sipc_reference::{Config, Reject, Verifier};
use std::collections::HashMap;

/// A model of the store: `SET key 1 NX EXAT at`, keys forgotten from second `at` on.
#[derive(Default)]
struct ModelStore {
    keys: HashMap<String, u64>,
    down: bool,
}

impl ModelStore {
    fn set_nx_exat(&mut self, key: &str, at: u64, now: u64) -> StoreAnswer {
        if self.down {
            return StoreAnswer::Unavailable;
        }
        self.keys.retain(|_, expiry| *expiry > now);
        if self.keys.contains_key(key) {
            return StoreAnswer::Exists;
        }
        self.keys.insert(key.to_owned(), at);
        StoreAnswer::Recorded
    }
}

/// One replica's verdict: steps 1–9 by the verifier, step 10 by the store.
fn through_store(v: &mut Verifier, store: &mut ModelStore, raw: &[u8], now: u64) -> String {
    match v.authenticate(raw, now) {
        Err(reject) => reject.code().to_owned(),
        Ok(pending) => match store
            .set_nx_exat(&pending.key, pending.expires_at, now)
            .verdict()
        {
            Ok(()) => "accept".to_owned(),
            Err(reject) => reject.code().to_owned(),
        },
    }
}

fn replica() -> Verifier {
    Verifier::new(config()).unwrap()
}

/// REQ-STORE-1: the replay step is the store's one check-and-record, not the verifier's own
/// cache: a second replica sharing the store refuses what the first accepted, and
/// `authenticate` itself never records (it passes the same envelope twice).
#[test]
fn req_store_1_one_check_and_record_shared_by_replicas() {
    let raw = signed_with(&[]);
    let (mut a, mut b) = (replica(), replica());
    let mut store = ModelStore::default();
    assert_eq!(through_store(&mut a, &mut store, &raw, NOW), "accept");
    assert_eq!(through_store(&mut b, &mut store, &raw, NOW), "replay");
    assert_eq!(through_store(&mut a, &mut store, &raw, NOW), "replay");
    assert!(a.authenticate(&raw, NOW).is_ok());
    assert!(a.authenticate(&raw, NOW).is_ok());
    assert_eq!(
        a.live_nonces(),
        0,
        "authenticate must not fill the own cache"
    );
    assert_eq!(StoreAnswer::Recorded.verdict(), Ok(()));
    assert_eq!(StoreAnswer::Exists.verdict(), Err(Reject::Replay));
}

/// REQ-STORE-2: the key is `sipc1:replay:` and the lowercase hex HMAC-SHA256 of
/// `SIPC-1 replay\n` + nonce under the secret. The values were computed with Python's `hmac`
/// module, so that replicas in other languages derive the same keys.
#[test]
fn req_store_2_key_is_a_keyed_digest_never_the_nonce() {
    let key = store_key(&secret(), NONCE);
    assert_eq!(
        key,
        "sipc1:replay:f8e3a0929aabeec808be2c14f272cd9a5c320758f2ff2ee792f897618ecaf25d"
    );
    assert_eq!(
        store_key(&secret(), "c2lwYy13b3JrZWQtZXhhbXBsZQ"),
        "sipc1:replay:0289fc314d9a8a4f84345c68a2418a6573c3b1a640a777b651fb03bb5a3d51f9"
    );
    assert!(!key.contains(NONCE));
    assert_ne!(
        key,
        store_key(&[1; 32], NONCE),
        "the key depends on the secret"
    );
    let pending = replica().authenticate(&signed_with(&[]), NOW).unwrap();
    assert_eq!(pending.key, key);
    assert!(pending.key.starts_with(STORE_KEY_PREFIX));
}

/// REQ-STORE-3: the key expires at `ts + ttl_seconds + 1`: live through `ts + ttl`, gone after.
#[test]
fn req_store_3_key_expires_the_second_after_the_window() {
    let ts = NOW - 10;
    let raw = signed_with(&[("ts", &ts.to_string())]);
    let pending = replica().authenticate(&raw, NOW).unwrap();
    assert_eq!(pending.expires_at, ts + TTL + 1);
    assert_eq!(store_expiry(u64::MAX - 1, 5), u64::MAX, "saturates");
    let mut store = ModelStore::default();
    let mut v = replica();
    assert_eq!(through_store(&mut v, &mut store, &raw, NOW), "accept");
    // Still remembered at the window's last second; the envelope itself is expired after it.
    assert_eq!(through_store(&mut v, &mut store, &raw, ts + TTL), "replay");
    assert_eq!(store.keys.get(&pending.key), Some(&(ts + TTL + 1)));
    store.set_nx_exat("other", 0, ts + TTL + 1);
    assert!(
        !store.keys.contains_key(&pending.key),
        "forgotten at ts+ttl+1"
    );
}

/// REQ-STORE-4: an envelope refused by any of steps 1–9 never reaches the store: a forgery,
/// an expired envelope, a kind not allowed, an oversize one each leave no key.
#[test]
fn req_store_4_refused_envelopes_send_no_command() {
    let mut v = replica();
    let mut store = ModelStore::default();
    let mut forged = signed_with(&[]);
    let at = forged.windows(7).position(|w| w == b"\"sig\":\"").unwrap() + 7;
    forged[at] = if forged[at] == b'0' { b'1' } else { b'0' };
    for (raw, code) in [
        (forged, "bad_signature"),
        (
            signed_with(&[("ts", &(NOW - TTL - 1).to_string())]),
            "expired",
        ),
        (
            signed_with(&[("kind", r#""job.delete""#)]),
            "kind_not_allowed",
        ),
        (vec![b' '; 100_000], "oversize"),
    ] {
        assert_eq!(through_store(&mut v, &mut store, &raw, NOW), code);
    }
    assert!(store.keys.is_empty(), "no key for a refused envelope");
}

/// REQ-STORE-5: a store that cannot answer makes `replay_store_unavailable` (fail closed, a
/// code of §1), never an acceptance, and the same envelope is accepted once it answers again.
#[test]
fn req_store_5_unavailable_store_fails_closed() {
    let raw = signed_with(&[]);
    let mut v = replica();
    let mut store = ModelStore {
        down: true,
        ..ModelStore::default()
    };
    assert_eq!(
        through_store(&mut v, &mut store, &raw, NOW),
        "replay_store_unavailable"
    );
    assert_eq!(
        StoreAnswer::Unavailable.verdict(),
        Err(Reject::ReplayStoreUnavailable)
    );
    assert!(Reject::CODES.contains(&"replay_store_unavailable"));
    store.down = false;
    assert_eq!(through_store(&mut v, &mut store, &raw, NOW), "accept");
}

/// REQ-STORE-6: each replica's clock never goes back (REQ-TTL-3): after `now`, an earlier
/// `now` is read as the later one, so an envelope expired then is expired still.
#[test]
fn req_store_6_clock_never_goes_back_per_replica() {
    let mut v = replica();
    let old = signed_with(&[("ts", &(NOW - 50).to_string())]);
    assert!(v.authenticate(&old, NOW).is_ok());
    assert!(v.authenticate(&signed_with(&[]), NOW + 20).is_ok());
    assert_eq!(v.authenticate(&old, NOW).unwrap_err(), Reject::Expired);
    // Another replica, with its own clock, still accepts it at NOW.
    assert!(replica().authenticate(&old, NOW).is_ok());
}

const SECRET: &str = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";

/// The field a config with `store` (the JSON of `replay_store`, or nothing) is refused for.
fn store_field(store: Option<&str>) -> String {
    let member = store.map_or(String::new(), |s| format!(r#","replay_store":{s}"#));
    let text = format!(
        r#"{{"transport":"tcp_local","bind_host":"127.0.0.1","bind_port":0{member},"auth":{{"mode":"hmac","secret_hex":"{SECRET}","ttl_seconds":60,"nonce_cache_size":100}},"max_payload_bytes":65536,"allowed_kinds":["job.run"]}}"#
    );
    match Config::from_json(text.as_bytes()) {
        Ok(config) => {
            assert_eq!(config.validate(), Ok(()));
            let again = Config::from_json(&config.to_json()).unwrap();
            assert_eq!(again, config, "to_json keeps replay_store");
            "ok".into()
        }
        Err(Reject::ConfigInvalid { field }) => field,
        Err(other) => panic!("{text}: {other:?}"),
    }
}

/// REQ-CONFIG-20: `replay_store` is `{"kind":"redis","url":…}`, loopback only, a port 1–65535
/// and a database 0–15 in plain decimal, nothing else in the URL; checked after `tls` and
/// before `auth` (REQ-CONFIG-12).
#[test]
fn req_config_20_replay_store_member() {
    let url = |u: &str| store_field(Some(&format!(r#"{{"kind":"redis","url":"{u}"}}"#)));
    assert_eq!(store_field(None), "ok");
    for good in [
        "redis://127.0.0.1:6379",
        "redis://127.0.0.1:6379/0",
        "redis://127.0.0.1:1/15",
        "redis://[::1]:65535/3",
    ] {
        assert_eq!(url(good), "ok", "{good}");
    }
    for bad in [
        "redis://localhost:6379",
        "redis://10.0.0.1:6379",
        "redis://0.0.0.0:6379",
        "redis://::1:6379",
        "redis://127.0.0.1",
        "redis://127.0.0.1:",
        "redis://127.0.0.1:0",
        "redis://127.0.0.1:65536",
        "redis://127.0.0.1:06379",
        "redis://127.0.0.1:+6379",
        "redis://127.0.0.1:6379/16",
        "redis://127.0.0.1:6379/01",
        "redis://127.0.0.1:6379/",
        "redis://user:pw@127.0.0.1:6379",
        "redis://:pw@127.0.0.1:6379",
        "redis://127.0.0.1:6379/0?password=x",
        "redis://127.0.0.1:6379/0#x",
        "rediss://127.0.0.1:6379",
        "REDIS://127.0.0.1:6379",
        "unix:///run/redis.sock",
        "redis://127.0.0.1:6379/0/1",
        " redis://127.0.0.1:6379",
    ] {
        assert_eq!(url(bad), "replay_store.url", "{bad}");
    }
    for (store, field) in [
        ("null", "replay_store"),
        (r#""redis://127.0.0.1:6379""#, "replay_store"),
        (r#"{"url":"redis://127.0.0.1:6379"}"#, "replay_store.kind"),
        (
            r#"{"kind":"memcached","url":"redis://127.0.0.1:6379"}"#,
            "replay_store.kind",
        ),
        (r#"{"kind":"redis"}"#, "replay_store.url"),
        (r#"{"kind":"redis","url":6379}"#, "replay_store.url"),
        (
            r#"{"kind":"x","url":"y","password":"z"}"#,
            "replay_store.password",
        ),
    ] {
        assert_eq!(store_field(Some(store)), field, "{store}");
    }
    // Checked after tls and before auth.
    let text = r#"{"transport":"tcp_local","bind_host":"127.0.0.1","bind_port":0,"replay_store":{},"auth":{"mode":"none"},"max_payload_bytes":65536,"allowed_kinds":["job.run"]}"#.to_owned();
    assert_eq!(
        Config::from_json(text.as_bytes()).unwrap_err(),
        Reject::ConfigInvalid {
            field: "replay_store.kind".into()
        }
    );
    for (store, field) in [
        (
            r#"{"kind":"redis","url":"redis://localhost:6379"}"#,
            "replay_store.url",
        ),
        (
            r#"{"kind":"memcached","url":"redis://127.0.0.1:6379"}"#,
            "replay_store.kind",
        ),
    ] {
        let text = text.replace(
            r#""replay_store":{}"#,
            &format!(r#""replay_store":{store}"#),
        );
        assert_eq!(
            Config::from_json(text.as_bytes()).unwrap_err(),
            Reject::ConfigInvalid {
                field: field.into()
            },
            "{store} before auth"
        );
    }
    let text = text.replace(r#""replay_store""#, r#""tls":{"x":1},"replay_store""#);
    assert_eq!(
        Config::from_json(text.as_bytes()).unwrap_err(),
        Reject::ConfigInvalid {
            field: "tls.x".into()
        }
    );
    let mut invalid = config();
    invalid.replay_store = Some(sipc_reference::ReplayStore {
        kind: "redis".into(),
        url: "redis://127.0.0.1:6379/99".into(),
    });
    assert_eq!(
        invalid.validate(),
        Err(Reject::ConfigInvalid {
            field: "replay_store.url".into()
        })
    );
    invalid.replay_store = Some(sipc_reference::ReplayStore {
        kind: "Redis".into(),
        url: "redis://127.0.0.1:6379".into(),
    });
    assert_eq!(
        invalid.validate(),
        Err(Reject::ConfigInvalid {
            field: "replay_store.kind".into()
        })
    );
    let store = sipc_reference::ReplayStore {
        kind: "redis".into(),
        url: "redis://[::1]:7000/5".into(),
    };
    let address = store.address().unwrap();
    assert_eq!((address.host, address.port, address.db), ("::1", 7000, 5));
}
