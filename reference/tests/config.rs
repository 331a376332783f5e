//! SIPC/1 §10, the config: REQ-CONFIG-1 … REQ-CONFIG-12, through `Config::from_json` and
//! `Config::validate`.

mod common;

use sipc_reference::json::{parse, write_value, Value};
use sipc_reference::{Config, Reject, Transport, Verifier};

const SECRET: &str = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";

/// The spec's example config, with `(dotted path, json)` patches applied (`"<absent>"` removes
/// the member). Patched values are written exactly as given, so `60.0` stays `60.0`.
fn config_with(patch: &[(&str, &str)]) -> Vec<u8> {
    let base = format!(
        r#"{{"transport":"tcp_local","bind_host":"127.0.0.1","bind_port":0,
            "auth":{{"mode":"hmac","secret_hex":"{SECRET}","ttl_seconds":60,"nonce_cache_size":100000}},
            "max_payload_bytes":65536,"allowed_kinds":["job.run","job.cancel"]}}"#
    );
    let mut value = parse(base.as_bytes()).unwrap();
    for (i, (path, json)) in patch.iter().enumerate() {
        let (object, name) = match path.split_once('.') {
            Some((outer, inner)) => (value_at(&mut value, outer), inner),
            None => (&mut value, *path),
        };
        let Value::Object(members) = object else {
            panic!("{path}")
        };
        let position = members.iter().position(|(n, _)| n == name);
        if *json == "<absent>" {
            if let Some(i) = position {
                members.remove(i);
            }
        } else {
            let new = Value::String(format!("@@{i}@@"));
            match position {
                Some(i) => members[i].1 = new,
                None => members.push((name.to_owned(), new)),
            }
        }
    }
    let mut out = Vec::new();
    write_value(&mut out, &value);
    let mut text = String::from_utf8(out).unwrap();
    for (i, (_, json)) in patch.iter().enumerate() {
        text = text.replace(&format!("\"@@{i}@@\""), json);
    }
    text.into_bytes()
}

fn value_at<'a>(value: &'a mut Value, name: &str) -> &'a mut Value {
    let Value::Object(members) = value else {
        panic!()
    };
    &mut members.iter_mut().find(|(n, _)| n == name).unwrap().1
}

/// The field named by the error, or "ok".
fn field(patch: &[(&str, &str)]) -> String {
    field_of(&config_with(patch))
}

fn field_of(raw: &[u8]) -> String {
    match Config::from_json(raw) {
        Ok(config) => {
            assert_eq!(config.validate(), Ok(()));
            "ok".into()
        }
        Err(Reject::ConfigInvalid { field }) => field,
        Err(other) => panic!("not config_invalid: {other}"),
    }
}

fn assert_fields(cases: &[(&[(&str, &str)], &str)]) {
    for (patch, want) in cases {
        assert_eq!(field(patch), *want, "patch {patch:?}");
    }
}

#[test]
fn example_config_is_valid_and_round_trips() {
    let config = Config::from_json(&config_with(&[])).unwrap();
    assert_eq!(config.envelope_limit(), 4 * 21_846 + 16_384);
    assert_eq!(Config::from_json(&config.to_json()).unwrap(), config);
    let spec_example =
        std::fs::read(common::repo_root().join("spec/examples/config.json")).unwrap();
    assert_eq!(Config::from_json(&spec_example).unwrap(), config);
    let debug = format!("{config:?}");
    assert!(
        !debug.contains("0001020304") && !debug.contains("[0, 1, 2"),
        "Debug must not print the secret: {debug}"
    );
    // It prints the rest, and the secret's length.
    assert!(
        debug.contains("secret: <32 bytes>") && debug.contains("ttl_seconds: 60"),
        "{debug}"
    );
}

/// REQ-CONFIG-1
#[test]
fn req_config_1_strict_json_object_no_unknown_members() {
    for raw in [
        &b""[..],
        b"[]",
        b"null",
        b"{",
        br#"{"transport":"tcp_local","transport":"tcp_local"}"#,
        b"\xef\xbb\xbf{}",
    ] {
        assert_eq!(field_of(raw), "", "{raw:?}");
    }
    assert_fields(&[
        (&[("debug", "true")], "debug"),
        (&[("Transport", "\"tcp_local\"")], "Transport"),
        (&[("auth.Secret_hex", "\"00\"")], "auth.Secret_hex"),
        (&[("auth.extra", "1")], "auth.extra"),
        (&[("transport", "<absent>")], "transport"),
        (&[("auth", "<absent>")], "auth"),
        (&[("auth.mode", "<absent>")], "auth.mode"),
        (&[("allowed_kinds", "<absent>")], "allowed_kinds"),
        (&[("max_payload_bytes", "<absent>")], "max_payload_bytes"),
        (&[("max_envelope_bytes", "<absent>")], "ok"),
    ]);
}

/// REQ-CONFIG-2
#[test]
fn req_config_2_transport() {
    assert_fields(&[
        (&[("transport", "\"tcp\"")], "transport"),
        (&[("transport", "\"TCP_LOCAL\"")], "transport"),
        (&[("transport", "\"tcp_local \"")], "transport"),
        (&[("transport", "null")], "transport"),
    ]);
}

/// REQ-CONFIG-3
#[test]
fn req_config_3_bind_host_loopback_exactly() {
    assert_fields(&[
        (&[("bind_host", "\"::1\"")], "ok"),
        (&[("bind_host", "\"127.0.0.1\"")], "ok"),
    ]);
    for bad in [
        "localhost",
        "0.0.0.0",
        "::",
        "",
        "127.0.0.2",
        "127.1",
        "::ffff:127.0.0.1",
        "[::1]",
        " 127.0.0.1",
        "127.0.0.1 ",
        "0:0:0:0:0:0:0:1",
        "192.168.1.10",
        "127.0.0.01",
    ] {
        assert_fields(&[(&[("bind_host", &format!("\"{bad}\""))], "bind_host")]);
    }
    assert_fields(&[(&[("bind_host", "2130706433")], "bind_host")]);
}

/// REQ-CONFIG-4
#[test]
fn req_config_4_bind_port() {
    assert_fields(&[
        (&[("bind_port", "0")], "ok"),
        (&[("bind_port", "65535")], "ok"),
        (&[("bind_port", "65536")], "bind_port"),
        (&[("bind_port", "70000")], "bind_port"),
        (&[("bind_port", "-1")], "bind_port"),
        (&[("bind_port", "\"8080\"")], "bind_port"),
        (&[("bind_port", "null")], "bind_port"),
    ]);
}

/// REQ-CONFIG-5
#[test]
fn req_config_5_auth_object_and_mode() {
    assert_fields(&[
        (&[("auth", "null")], "auth"),
        (&[("auth", "[]")], "auth"),
        (&[("auth.mode", "\"HMAC\"")], "auth.mode"),
        (&[("auth.mode", "\"none\"")], "auth.mode"),
        (&[("auth.mode", "\"\"")], "auth.mode"),
    ]);
}

/// REQ-CONFIG-6
#[test]
fn req_config_6_secret_hex() {
    let hex = |bytes: usize| format!("\"{}\"", "ab".repeat(bytes));
    assert_fields(&[
        (&[("auth.secret_hex", &hex(32))], "ok"),
        (
            &[("auth.secret_hex", &format!("\"{}\"", "AB".repeat(32)))],
            "ok",
        ),
        (&[("auth.secret_hex", &hex(64))], "ok"),
        (&[("auth.secret_hex", &hex(31))], "auth.secret_hex"),
        (
            &[("auth.secret_hex", &format!("\"{}a\"", "ab".repeat(32)))],
            "auth.secret_hex",
        ),
        (
            &[(
                "auth.secret_hex",
                &format!("\"{}g\"", "ab".repeat(32).get(1..).unwrap()),
            )],
            "auth.secret_hex",
        ),
        (
            &[("auth.secret_hex", &format!("\"0x{}\"", "ab".repeat(32)))],
            "auth.secret_hex",
        ),
        (
            &[("auth.secret_hex", &format!("\"{} \"", "ab".repeat(32)))],
            "auth.secret_hex",
        ),
        (
            &[("auth.secret_hex", &format!("\"{}+1\"", "ab".repeat(31)))],
            "auth.secret_hex",
        ),
        (&[("auth.secret_hex", "\"\"")], "auth.secret_hex"),
        (&[("auth.secret_hex", "null")], "auth.secret_hex"),
    ]);
    let config = Config::from_json(&config_with(&[(
        "auth.secret_hex",
        &format!("\"{}\"", "Ab".repeat(32)),
    )]))
    .unwrap();
    assert_eq!(config.auth.secret, vec![0xab; 32]);
}

fn range_cases(path: &str, low: &str, high: &str, below: &str, above: &str) {
    assert_fields(&[
        (&[(path, low)], "ok"),
        (&[(path, high)], "ok"),
        (&[(path, below)], path),
        (&[(path, above)], path),
        (&[(path, "\"60\"")], path),
        (&[(path, "null")], path),
    ]);
}

/// REQ-CONFIG-7
#[test]
fn req_config_7_ttl_seconds() {
    range_cases("auth.ttl_seconds", "1", "86400", "0", "86401");
}

/// REQ-CONFIG-8
#[test]
fn req_config_8_nonce_cache_size() {
    range_cases("auth.nonce_cache_size", "1", "10000000", "0", "10000001");
}

/// REQ-CONFIG-9
#[test]
fn req_config_9_max_payload_bytes() {
    range_cases("max_payload_bytes", "1", "16777216", "0", "16777217");
}

/// REQ-CONFIG-10
#[test]
fn req_config_10_max_envelope_bytes() {
    range_cases(
        "max_envelope_bytes",
        "1",
        "9007199254740991",
        "0",
        "9007199254740992",
    );
    assert_fields(&[(&[("max_envelope_bytes", "null")], "max_envelope_bytes")]);
    let default = Config::from_json(&config_with(&[("max_payload_bytes", "100")])).unwrap();
    assert_eq!(default.max_envelope_bytes, None);
    assert_eq!(default.envelope_limit(), 4 * 34 + 16_384);
    assert_eq!(Config::default_max_envelope_bytes(16_777_216), 22_386_008);
    let set = Config::from_json(&config_with(&[("max_envelope_bytes", "500")])).unwrap();
    assert_eq!(set.envelope_limit(), 500);
}

/// REQ-CONFIG-11
#[test]
fn req_config_11_allowed_kinds() {
    assert_fields(&[
        (&[("allowed_kinds", "[\"a\"]")], "ok"),
        (&[("allowed_kinds", "[]")], "allowed_kinds"),
        (&[("allowed_kinds", "[\"a\",\"a\"]")], "allowed_kinds"),
        (&[("allowed_kinds", "[\"Job\"]")], "allowed_kinds"),
        (&[("allowed_kinds", "[\"\"]")], "allowed_kinds"),
        (&[("allowed_kinds", "[\"job.*\"]")], "allowed_kinds"),
        (&[("allowed_kinds", "[1]")], "allowed_kinds"),
        (&[("allowed_kinds", "\"job.run\"")], "allowed_kinds"),
        (&[("allowed_kinds", "null")], "allowed_kinds"),
    ]);
}

/// REQ-CONFIG-12
#[test]
fn req_config_12_integer_literals_and_order() {
    for literal in ["60.0", "6e1", "6E+1", "-0"] {
        assert_fields(&[(&[("auth.ttl_seconds", literal)], "auth.ttl_seconds")]);
    }
    assert_fields(&[
        (&[("bind_port", "-0")], "bind_port"),
        (&[("bind_port", "8e3")], "bind_port"),
    ]);
    // first failure in the documented order
    let everything_wrong: &[(&str, &str)] = &[
        ("transport", "\"udp\""),
        ("bind_host", "\"0.0.0.0\""),
        ("bind_port", "70000"),
        ("auth.mode", "\"none\""),
        ("auth.secret_hex", "\"00\""),
        ("auth.ttl_seconds", "0"),
        ("auth.nonce_cache_size", "0"),
        ("max_payload_bytes", "0"),
        ("max_envelope_bytes", "0"),
        ("allowed_kinds", "[]"),
    ];
    for fixed in 0..everything_wrong.len() {
        let still_wrong = &everything_wrong[fixed..];
        let want = still_wrong[0].0;
        assert_eq!(field(still_wrong), want);
        assert_eq!(
            field(&[still_wrong, &[("zzz", "1")]].concat()),
            "zzz",
            "unknown members come first"
        );
        assert_eq!(
            field(&[still_wrong, &[("auth.zzz", "1")]].concat()),
            if fixed < 3 { want } else { "auth.zzz" }
        );
    }
    // validate() on a hand-made config names the same field as from_json
    let mut config = Config::from_json(&config_with(&[])).unwrap();
    config.transport = Transport::TcpLocal {
        bind_host: "127.0.0.1".into(),
        bind_port: 70_000,
    };
    config.allowed_kinds.clear();
    assert_eq!(
        config.validate(),
        Err(Reject::ConfigInvalid {
            field: "bind_port".into()
        })
    );
    assert_eq!(
        Verifier::new(config).unwrap_err().field(),
        Some("bind_port")
    );
    let mut config = Config::from_json(&config_with(&[])).unwrap();
    config.auth.secret.truncate(31);
    assert_eq!(
        config.validate().unwrap_err().field(),
        Some("auth.secret_hex")
    );
}

/// A verifier's Debug shows neither the secret nor the HMAC key state derived from it.
#[test]
fn verifier_debug_never_prints_the_key() {
    let verifier = Verifier::new(Config::from_json(&config_with(&[])).unwrap()).unwrap();
    let debug = format!("{verifier:?}");
    assert!(debug.contains("mac: MacKey(..)"), "{debug}");
    assert!(
        !debug.contains("0001020304") && !debug.contains("[0, 1, 2"),
        "{debug}"
    );
}
