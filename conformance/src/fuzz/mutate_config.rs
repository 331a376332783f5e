//! Config mutations: members dropped or unknown ones added, numbers at and across their
//! ranges and written the ways a lenient reader accepts, `bind_host` spellings, secrets and
//! kind lists that are almost right.

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
        match rng.below(10) {
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
