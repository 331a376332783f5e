//! Config mutations: members dropped or unknown ones added, numbers at and across their
//! ranges and written the ways a lenient reader accepts, `bind_host` spellings, secrets and
//! kind lists that are almost right, and the other transports' members (socket paths, modes,
//! peer uids, spool folders, `tls`) right, almost right, or given to the wrong transport.

use super::mutate::{get, number_across, set};
use super::rng::Rng;
use sipc_reference::json::Value;
use sipc_vectors::wire::json;

/// Changes a config the ways configs are misread.
pub fn mutate_config(rng: &mut Rng, config: &Value) -> Value {
    let Value::Object(mut top) = config.clone() else {
        return config.clone();
    };
    for _ in 0..1 + rng.below(2) {
        match rng.below(11) {
            0 => {
                if !top.is_empty() {
                    let i = rng.below(top.len());
                    top.remove(i);
                }
            }
            1 => set(
                &mut top,
                rng.pick(&["debug", "Bind_host", "auth.mode"])
                    .unwrap_or(&"x"),
                json("true"),
            ),
            2 => set(&mut top, "bind_port", number_across(rng, 32768, 32767)),
            3 => {
                let hosts = [
                    "127.0.0.1",
                    "::1",
                    "localhost",
                    "0.0.0.0",
                    "::",
                    "127.0.0.2",
                    "::ffff:127.0.0.1",
                    " 127.0.0.1",
                    "127.0.0.1 ",
                    "LOCALHOST",
                    "[::1]",
                    "0:0:0:0:0:0:0:1",
                ];
                let h = *rng.pick(&hosts).unwrap_or(&"::1");
                set(&mut top, "bind_host", Value::string(h));
            }
            4 => set(
                &mut top,
                "max_payload_bytes",
                number_across(rng, 8_388_608, 8_388_608),
            ),
            5 => {
                let v = if rng.one_in(3) {
                    Value::Null
                } else {
                    number_across(rng, 1 << 52, 1 << 52)
                };
                set(&mut top, "max_envelope_bytes", v);
            }
            6 => {
                let kinds = [
                    json("[]"),
                    json("[\"job.run\",\"job.run\"]"),
                    json("[\"Job.run\"]"),
                    json("[\"job.run\",7]"),
                    json("\"job.run\""),
                    json("[\"job.run\"]"),
                ];
                set(
                    &mut top,
                    "allowed_kinds",
                    rng.pick(&kinds).cloned().unwrap_or(Value::Null),
                );
            }
            7 => set(
                &mut top,
                "transport",
                Value::string(
                    rng.pick(&["tcp_local", "TCP_LOCAL", "tcp", "unix"])
                        .copied()
                        .unwrap_or("tcp"),
                ),
            ),
            8 => transport_members(rng, &mut top),
            _ => {
                let Some(Value::Object(mut auth)) = get(&top, "auth").cloned() else {
                    set(&mut top, "auth", json("{}"));
                    continue;
                };
                match rng.below(6) {
                    0 => set(&mut auth, "ttl_seconds", number_across(rng, 43200, 43199)),
                    1 => set(
                        &mut auth,
                        "nonce_cache_size",
                        number_across(rng, 5_000_000, 4_999_999),
                    ),
                    2 => {
                        let secrets = [
                            "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e",
                            "000102030405060708090A0B0C0D0E0F101112131415161718191A1B1C1D1E1F",
                            "0x0102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f",
                            "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f0",
                            "000102030405060708090a0b0c0d0e0f 101112131415161718191a1b1c1d1e1f",
                            "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1g",
                        ];
                        set(
                            &mut auth,
                            "secret_hex",
                            Value::string(rng.pick(&secrets).copied().unwrap_or("")),
                        );
                    }
                    3 => set(
                        &mut auth,
                        "mode",
                        Value::string(
                            rng.pick(&["hmac", "HMAC", "none", ""])
                                .copied()
                                .unwrap_or(""),
                        ),
                    ),
                    4 => set(&mut auth, "Secret_hex", Value::string("00")),
                    _ => {
                        if !auth.is_empty() {
                            let i = rng.below(auth.len());
                            auth.remove(i);
                        }
                    }
                }
                set(&mut top, "auth", Value::Object(auth));
            }
        }
    }
    Value::Object(top)
}

/// Moves the config to another transport, or gives it one member of a transport (its own or
/// another's) with a value that is right or almost right (REQ-CONFIG-13 … REQ-CONFIG-19).
fn transport_members(rng: &mut Rng, top: &mut Vec<(String, Value)>) {
    if rng.one_in(3) {
        let (name, members): (&str, &[(&str, &str)]) = match rng.below(3) {
            0 => (
                "unix_local",
                &[
                    ("socket_path", r#""/run/sipc/r.sock""#),
                    ("allowed_peer_uids", "[0]"),
                ],
            ),
            1 => ("spool", &[("spool_dir", r#""/var/spool/sipc""#)]),
            _ => (
                "tcp_local",
                &[("bind_host", r#""127.0.0.1""#), ("bind_port", "0")],
            ),
        };
        top.retain(|(n, _)| {
            !matches!(
                n.as_str(),
                "bind_host"
                    | "bind_port"
                    | "socket_path"
                    | "socket_mode"
                    | "allowed_peer_uids"
                    | "spool_dir"
            )
        });
        set(top, "transport", Value::string(name));
        for (member, value) in members {
            set(top, member, json(value));
        }
        return;
    }
    let choices: [(&str, &str); 22] = [
        ("socket_path", r#""/run/sipc/r.sock""#),
        ("socket_path", r#""@sipc""#),
        ("socket_path", r#""@""#),
        ("socket_path", r#""run/r.sock""#),
        ("socket_path", r#""/run/../r.sock""#),
        ("socket_mode", r#""0600""#),
        ("socket_mode", r#""0660""#),
        ("socket_mode", r#""0666""#),
        ("socket_mode", r#""600""#),
        ("socket_mode", "384"),
        ("allowed_peer_uids", "[0,1000]"),
        ("allowed_peer_uids", "[1000,1000]"),
        ("allowed_peer_uids", "[4294967295]"),
        ("allowed_peer_uids", "[]"),
        ("spool_dir", r#""/var/spool/sipc""#),
        ("spool_dir", r#""/var/spool/sipc/""#),
        ("spool_dir", r#""/var//spool""#),
        (
            "tls",
            r#"{"cert":"/c.pem","key":"/k.pem","client_ca":"/ca.pem"}"#,
        ),
        ("tls", r#"{"cert":"/c.pem","key":"/k.pem"}"#),
        (
            "tls",
            r#"{"cert":"c.pem","key":"/k.pem","client_ca":"/ca.pem"}"#,
        ),
        (
            "tls",
            r#"{"cert":"/c.pem","key":"/k.pem","client_ca":"/ca.pem","verify":false}"#,
        ),
        ("tls", "null"),
    ];
    if let Some((member, value)) = rng.pick(&choices) {
        set(top, member, json(value));
    }
}
