//! SIPC/1 §10, the transports' members and `tls`: REQ-CONFIG-2, REQ-CONFIG-13 …
//! REQ-CONFIG-19, through `Config::from_json` and `Config::validate`.

use sipc_reference::config::transport::{
    DEFAULT_SOCKET_MODE, MAX_PATH_BYTES, MAX_PEER_UIDS, MAX_SOCKET_PATH_BYTES, MAX_UID,
};
use sipc_reference::{Config, Reject, Tls, Transport};

const SECRET: &str = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";
const TCP: &str = r#""transport":"tcp_local","bind_host":"127.0.0.1","bind_port":0"#;
const UNIX: &str =
    r#""transport":"unix_local","socket_path":"/run/sipc/r.sock","allowed_peer_uids":[1000]"#;
const SPOOL: &str = r#""transport":"spool","spool_dir":"/var/spool/sipc""#;
const TLS: &str =
    r#""tls":{"cert":"/etc/sipc/s.pem","key":"/etc/sipc/s.key","client_ca":"/etc/sipc/ca.pem"}"#;

/// A config of the transport members (and anything else) in `head`, then a valid `auth`,
/// limits and kinds; `auth` is replaced by `auth` when given.
fn text(head: &str, auth: Option<&str>) -> String {
    let auth = auth.map_or_else(
        || {
            format!(
                r#"{{"mode":"hmac","secret_hex":"{SECRET}","ttl_seconds":60,"nonce_cache_size":100}}"#
            )
        },
        str::to_owned,
    );
    format!(r#"{{{head},"auth":{auth},"max_payload_bytes":65536,"allowed_kinds":["job.run"]}}"#)
}

/// The field `from_json` names, or "ok".
fn field(head: &str) -> String {
    field_of(&text(head, None))
}

fn field_of(text: &str) -> String {
    match Config::from_json(text.as_bytes()) {
        Ok(_) => "ok".into(),
        Err(Reject::ConfigInvalid { field }) => field,
        Err(other) => panic!("{text}: {other:?}"),
    }
}

fn invalid(field: &str) -> Reject {
    Reject::ConfigInvalid {
        field: field.into(),
    }
}

fn check(cases: &[(String, &str)]) {
    for (head, want) in cases {
        assert_eq!(field(head), *want, "{head}");
    }
}

fn json_string(s: &str) -> String {
    let mut out = Vec::new();
    sipc_reference::json::write_value(&mut out, &sipc_reference::json::Value::String(s.into()));
    String::from_utf8(out).unwrap()
}

/// REQ-CONFIG-2: the three transports, each with its own members; nothing else.
#[test]
fn req_config_2_three_transports() {
    check(&[
        (TCP.into(), "ok"),
        (UNIX.into(), "ok"),
        (SPOOL.into(), "ok"),
        (format!("{TCP},{TLS}"), "ok"),
        (format!("{UNIX},{TLS}"), "ok"),
        (r#""transport":"unix""#.into(), "transport"),
        (r#""transport":"UNIX_LOCAL""#.into(), "transport"),
        (r#""transport":"spool_dir""#.into(), "transport"),
        (r#""transport":["spool"]"#.into(), "transport"),
        (r#""spool_dir":"/var/spool/sipc""#.into(), "transport"),
    ]);
    let unix = Config::from_json(text(UNIX, None).as_bytes()).unwrap();
    assert_eq!(
        unix.transport,
        Transport::UnixLocal {
            socket_path: "/run/sipc/r.sock".into(),
            socket_mode: None,
            allowed_peer_uids: vec![1000],
        }
    );
    assert_eq!(unix.transport.name(), "unix_local");
    let spool = Config::from_json(text(SPOOL, None).as_bytes()).unwrap();
    assert_eq!(spool.transport.name(), "spool");
    assert_eq!(spool.tls, None);
}

/// REQ-CONFIG-13: a member of another transport, or `tls` with `spool`, is refused with its
/// own name: after unknown members and `transport`, before the transport's own members, the
/// first in document order.
#[test]
fn req_config_13_members_of_another_transport() {
    check(&[
        (format!(r#"{TCP},"socket_path":"/run/x""#), "socket_path"),
        (format!(r#"{TCP},"spool_dir":"/var/x""#), "spool_dir"),
        (
            format!(r#"{TCP},"allowed_peer_uids":[1]"#),
            "allowed_peer_uids",
        ),
        (format!(r#"{UNIX},"bind_port":0"#), "bind_port"),
        (format!(r#"{UNIX},"bind_host":"127.0.0.1""#), "bind_host"),
        (format!(r#"{UNIX},"spool_dir":"/var/x""#), "spool_dir"),
        (format!(r#"{SPOOL},"socket_mode":"0600""#), "socket_mode"),
        (format!(r#"{SPOOL},{TLS}"#), "tls"),
        (format!(r#"{SPOOL},"tls":null"#), "tls"),
        // Order: unknown, transport, other transport's, own.
        (format!(r#"{UNIX},"bind_port":0,"zz":1"#), "zz"),
        (
            r#""transport":"udp","bind_port":0,"socket_path":"/x""#.into(),
            "transport",
        ),
        (
            r#""transport":"unix_local","socket_path":"rel","spool_dir":"/x","bind_host":"::1""#
                .into(),
            "spool_dir",
        ),
        (
            r#""transport":"spool","spool_dir":"","tls":{},"bind_port":0"#.into(),
            "tls",
        ),
        // Missing own members.
        (
            r#""transport":"tcp_local","bind_port":0"#.into(),
            "bind_host",
        ),
        (
            r#""transport":"tcp_local","bind_host":"::1""#.into(),
            "bind_port",
        ),
        (
            r#""transport":"unix_local","allowed_peer_uids":[1]"#.into(),
            "socket_path",
        ),
        (
            r#""transport":"unix_local","socket_path":"/x""#.into(),
            "allowed_peer_uids",
        ),
        (r#""transport":"spool""#.into(), "spool_dir"),
    ]);
    // validate() on a hand-made config: tls with spool first, as from_json reports it.
    let mut config = Config::from_json(text(SPOOL, None).as_bytes()).unwrap();
    config.tls = Some(Tls {
        cert: "relative".into(),
        key: "/k".into(),
        client_ca: "/c".into(),
    });
    config.auth.ttl_seconds = 0;
    assert_eq!(config.validate(), Err(invalid("tls")));
}

/// REQ-CONFIG-14: absolute, clean components, no control character, at most 4 095 bytes;
/// shown through `spool_dir` (REQ-CONFIG-18) and each member of `tls` (REQ-CONFIG-19).
#[test]
fn req_config_14_paths() {
    let longest = format!("/{}", "a".repeat(MAX_PATH_BYTES - 1));
    let too_long = format!("/{}", "a".repeat(MAX_PATH_BYTES));
    let deep = format!("/{}", ["ab"; 1365].join("/"));
    assert_eq!(deep.len(), MAX_PATH_BYTES);
    let cases: Vec<(String, bool)> = vec![
        (json_string("/var/spool/sipc"), true),
        (json_string("/a"), true),
        (json_string("/é/日本/😀"), true),
        (json_string("/a/.hidden/b..c/..."), true),
        (json_string(&longest), true),
        (json_string(&deep), true),
        (json_string(&too_long), false),
        (json_string(""), false),
        (json_string("/"), false),
        (json_string("var/spool"), false),
        (json_string("./spool"), false),
        (json_string("~/spool"), false),
        (json_string("/var/spool/"), false),
        (json_string("/var//spool"), false),
        (json_string("/var/./spool"), false),
        (json_string("/var/../etc"), false),
        (json_string("/.."), false),
        (json_string("/."), false),
        (json_string("/var/spool\u{0}x"), false),
        (json_string("/var/spool\n"), false),
        (json_string("/var/\u{1f}spool"), false),
        (json_string("/var/\u{7f}spool"), false),
        ("null".into(), false),
        ("1".into(), false),
        (r#"["/var"]"#.into(), false),
    ];
    for (path, ok) in &cases {
        let want = |name: &str| {
            if *ok {
                "ok".to_owned()
            } else {
                name.to_owned()
            }
        };
        assert_eq!(
            field(&format!(r#""transport":"spool","spool_dir":{path}"#)),
            want("spool_dir"),
            "spool_dir {path}"
        );
        for member in ["cert", "key", "client_ca"] {
            let mut tls = vec![
                ("cert", json_string("/c.pem")),
                ("key", json_string("/k.pem")),
                ("client_ca", json_string("/ca.pem")),
            ];
            for slot in &mut tls {
                if slot.0 == member {
                    slot.1 = path.clone();
                }
            }
            let tls: Vec<String> = tls.iter().map(|(n, v)| format!(r#""{n}":{v}"#)).collect();
            assert_eq!(
                field(&format!(r#"{TCP},"tls":{{{}}}"#, tls.join(","))),
                want(&format!("tls.{member}")),
                "tls.{member} {path}"
            );
        }
    }
}

/// REQ-CONFIG-15: a path of at most 107 bytes, or `@` and 1–107 characters U+0021–U+007E.
#[test]
fn req_config_15_socket_path() {
    let path = |n: usize| format!("/{}", "s".repeat(n - 1));
    let at = |name: &str| {
        format!(
            r#""transport":"unix_local","socket_path":{},"allowed_peer_uids":[1]"#,
            json_string(name)
        )
    };
    check(&[
        (at(&path(MAX_SOCKET_PATH_BYTES)), "ok"),
        (at(&path(MAX_SOCKET_PATH_BYTES + 1)), "socket_path"),
        (at("/tmp/é.sock"), "ok"),
        (at("/tmp/../x.sock"), "socket_path"),
        (at("x.sock"), "socket_path"),
        (at(""), "socket_path"),
        (at("@sipc-receiver"), "ok"),
        (at("@!"), "ok"),
        (at("@~"), "ok"),
        (at(&format!("@{}", "n".repeat(MAX_SOCKET_PATH_BYTES))), "ok"),
        (
            at(&format!("@{}", "n".repeat(MAX_SOCKET_PATH_BYTES + 1))),
            "socket_path",
        ),
        (at("@"), "socket_path"),
        (at("@a b"), "socket_path"),
        (at("@a\u{0}b"), "socket_path"),
        (at("@a\u{7f}"), "socket_path"),
        (at("@é"), "socket_path"),
        (
            r#""transport":"unix_local","socket_path":7,"allowed_peer_uids":[1]"#.into(),
            "socket_path",
        ),
    ]);
}

/// REQ-CONFIG-16: `0OG0`, owner 6 or 7, nothing for others, no set-id or sticky bit; `0600`
/// when absent; never with an abstract socket.
#[test]
fn req_config_16_socket_mode() {
    let with = |path: &str, mode: &str| {
        format!(
            r#""transport":"unix_local","socket_path":"{path}","socket_mode":{mode},"allowed_peer_uids":[1]"#
        )
    };
    for mode in ["0600", "0700", "0660", "0640", "0770", "0610"] {
        assert_eq!(field(&with("/r.sock", &json_string(mode))), "ok", "{mode}");
        let config =
            Config::from_json(text(&with("/r.sock", &json_string(mode)), None).as_bytes()).unwrap();
        assert_eq!(
            config.transport.socket_mode_bits(),
            Some(u32::from_str_radix(mode, 8).unwrap())
        );
    }
    for mode in [
        "\"0666\"",
        "\"0601\"",
        "\"0607\"",
        "\"0500\"",
        "\"0400\"",
        "\"0000\"",
        "\"0200\"",
        "\"1600\"",
        "\"4600\"",
        "\"2600\"",
        "\"600\"",
        "\"00600\"",
        "\"0o600\"",
        "\"0800\"",
        "\"0680\"",
        "\"060a\"",
        "\" 0600\"",
        "\"\"",
        "384",
        "600",
        "null",
    ] {
        assert_eq!(field(&with("/r.sock", mode)), "socket_mode", "{mode}");
    }
    // Absent: 0600. Abstract: no mode at all, and none may be given.
    let config = Config::from_json(text(UNIX, None).as_bytes()).unwrap();
    assert_eq!(DEFAULT_SOCKET_MODE, "0600");
    assert_eq!(config.transport.socket_mode_bits(), Some(0o600));
    assert_eq!(field(&with("@r", "\"0600\"")), "socket_mode");
    let abstract_socket = r#""transport":"unix_local","socket_path":"@r","allowed_peer_uids":[1]"#;
    let config = Config::from_json(text(abstract_socket, None).as_bytes()).unwrap();
    assert_eq!(config.transport.socket_mode_bits(), None);
    // The order: socket_path, socket_mode, allowed_peer_uids.
    check(&[
        (
            r#""transport":"unix_local","socket_path":"r","socket_mode":"0666","allowed_peer_uids":[]"#
                .into(),
            "socket_path",
        ),
        (
            r#""transport":"unix_local","socket_path":"/r","socket_mode":"0666","allowed_peer_uids":[]"#
                .into(),
            "socket_mode",
        ),
    ]);
}

/// REQ-CONFIG-17: 1 to 1 024 unique integer literals 0–4294967294.
#[test]
fn req_config_17_allowed_peer_uids() {
    let uids = |list: &str| {
        format!(r#""transport":"unix_local","socket_path":"/r","allowed_peer_uids":{list}"#)
    };
    let many = |n: usize| {
        format!(
            "[{}]",
            (0..n).map(|i| i.to_string()).collect::<Vec<_>>().join(",")
        )
    };
    check(&[
        (uids("[0]"), "ok"),
        (uids(&format!("[{MAX_UID}]")), "ok"),
        (uids("[1000,0,65534]"), "ok"),
        (uids(&many(MAX_PEER_UIDS)), "ok"),
        (uids(&many(MAX_PEER_UIDS + 1)), "allowed_peer_uids"),
        (uids(&format!("[{}]", MAX_UID + 1)), "allowed_peer_uids"),
        (uids("[9007199254740992]"), "allowed_peer_uids"),
        (uids("[]"), "allowed_peer_uids"),
        (uids("[1000,1000]"), "allowed_peer_uids"),
        (uids("[1000,0,1000]"), "allowed_peer_uids"),
        (uids("[-1]"), "allowed_peer_uids"),
        (uids("[1000.0]"), "allowed_peer_uids"),
        (uids("[1e3]"), "allowed_peer_uids"),
        (uids("[-0]"), "allowed_peer_uids"),
        (uids(r#"["1000"]"#), "allowed_peer_uids"),
        (uids("[null]"), "allowed_peer_uids"),
        (uids("1000"), "allowed_peer_uids"),
        (uids("null"), "allowed_peer_uids"),
    ]);
    let config = Config::from_json(text(&uids("[7,3]"), None).as_bytes()).unwrap();
    assert!(matches!(
        config.transport,
        Transport::UnixLocal { ref allowed_peer_uids, .. } if *allowed_peer_uids == [7, 3]
    ));
}

/// REQ-CONFIG-18: `spool_dir` is a path (the cases of REQ-CONFIG-14), required.
#[test]
fn req_config_18_spool_dir() {
    check(&[
        (SPOOL.into(), "ok"),
        (
            r#""transport":"spool","spool_dir":"spool""#.into(),
            "spool_dir",
        ),
        (r#""transport":"spool","spool_dir":{}"#.into(), "spool_dir"),
        (r#""transport":"spool""#.into(), "spool_dir"),
    ]);
    let config = Config::from_json(text(SPOOL, None).as_bytes()).unwrap();
    assert_eq!(
        config.transport,
        Transport::Spool {
            spool_dir: "/var/spool/sipc".into()
        }
    );
    assert_eq!(config.transport.socket_mode_bits(), None);
}

/// REQ-CONFIG-19: an object of exactly `cert`, `key`, `client_ca`; unknown members first, then
/// each in that order; after the transport's members, before `auth`.
#[test]
fn req_config_19_tls() {
    let tls = |body: &str| format!(r#"{TCP},"tls":{body}"#);
    check(&[
        (tls(r#"{"cert":"/c","key":"/k","client_ca":"/a"}"#), "ok"),
        (tls(r#"{"key":"/k","client_ca":"/a","cert":"/c"}"#), "ok"),
        (tls("null"), "tls"),
        (tls("[]"), "tls"),
        (tls(r#""/c""#), "tls"),
        (tls("{}"), "tls.cert"),
        (tls(r#"{"cert":"/c","client_ca":"/a"}"#), "tls.key"),
        (tls(r#"{"cert":"/c","key":"/k"}"#), "tls.client_ca"),
        (
            tls(r#"{"cert":"/c","key":"/k","client_ca":"/a","verify":false}"#),
            "tls.verify",
        ),
        (
            tls(r#"{"cert":"c","key":"k","client_ca":"a","ca":"/a"}"#),
            "tls.ca",
        ),
        (tls(r#"{"cert":"c","key":"k","client_ca":"a"}"#), "tls.cert"),
        (tls(r#"{"cert":"/c","key":"k","client_ca":"a"}"#), "tls.key"),
        (
            tls(r#"{"cert":"/c","key":"/k","client_ca":"a"}"#),
            "tls.client_ca",
        ),
        // An unknown top-level member before an unknown tls member; a transport member before
        // tls.
        (format!(r#"{TCP},"tls":{{"x":1}},"zz":1"#), "zz"),
        (
            r#""transport":"tcp_local","bind_host":"0.0.0.0","bind_port":0,"tls":{"x":1}"#.into(),
            "bind_host",
        ),
    ]);
    // tls before auth, wherever each stands.
    assert_eq!(
        field_of(&text(
            &format!(r#"{TCP},"tls":{{"x":1}}"#),
            Some(r#"{"mode":"none"}"#)
        )),
        "tls.x"
    );
    let config = Config::from_json(text(&format!("{UNIX},{TLS}"), None).as_bytes()).unwrap();
    assert_eq!(
        config.tls,
        Some(Tls {
            cert: "/etc/sipc/s.pem".into(),
            key: "/etc/sipc/s.key".into(),
            client_ca: "/etc/sipc/ca.pem".into(),
        })
    );
}

/// REQ-CONFIG-12: every transport's config round-trips through `to_json`, and `validate`
/// agrees with `from_json` on what it refuses.
#[test]
fn req_config_12_transports_round_trip_and_validate() {
    for head in [
        TCP.to_owned(),
        format!("{TCP},{TLS}"),
        UNIX.to_owned(),
        format!(r#"{UNIX},"socket_mode":"0660",{TLS}"#),
        r#""transport":"unix_local","socket_path":"@a","allowed_peer_uids":[0,1]"#.to_owned(),
        SPOOL.to_owned(),
    ] {
        let config = Config::from_json(text(&head, None).as_bytes()).unwrap();
        assert_eq!(
            Config::from_json(&config.to_json()).unwrap(),
            config,
            "{head}"
        );
        assert_eq!(config.validate(), Ok(()));
    }
    let base = Config::from_json(text(UNIX, None).as_bytes()).unwrap();
    let tls = |cert: &str, key: &str, client_ca: &str| Tls {
        cert: cert.into(),
        key: key.into(),
        client_ca: client_ca.into(),
    };
    for (tls, want) in [
        (tls("c", "k", "a"), "tls.cert"),
        (tls("/c", "/k/", "a"), "tls.key"),
        (tls("/c", "/k", "/a/../a"), "tls.client_ca"),
    ] {
        let config = Config {
            tls: Some(tls),
            replay_store: None,
            ..base.clone()
        };
        assert_eq!(config.validate(), Err(invalid(want)));
        assert_eq!(
            field_of(&String::from_utf8(config.to_json()).unwrap()),
            want
        );
    }
    for (transport, want) in [
        (
            Transport::UnixLocal {
                socket_path: "@a".into(),
                socket_mode: Some("0600".into()),
                allowed_peer_uids: vec![1],
            },
            "socket_mode",
        ),
        (
            Transport::UnixLocal {
                socket_path: "/a".into(),
                socket_mode: None,
                allowed_peer_uids: vec![],
            },
            "allowed_peer_uids",
        ),
        (
            Transport::Spool {
                spool_dir: "/a/".into(),
            },
            "spool_dir",
        ),
        (
            Transport::TcpLocal {
                bind_host: "::1".into(),
                bind_port: 65_536,
            },
            "bind_port",
        ),
    ] {
        let config = Config {
            transport: transport.clone(),
            ..base.clone()
        };
        assert_eq!(config.validate(), Err(invalid(want)), "{transport:?}");
        assert_eq!(
            field_of(&String::from_utf8(config.to_json()).unwrap()),
            want
        );
    }
}
