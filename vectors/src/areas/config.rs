//! `config.json`: the receiver's config (§10) through the adapter's `check_config` op, the bind
//! policy (SEC-IPC-07, SEC-IPC-07b) in particular.

use crate::suite::{meta, Area};
use crate::wire::json;
use crate::{Ctx, NOW};
use sipc_reference::json::Value;
use sipc_reference::Transport;

/// The config with the member at `path` (`"auth.ttl_seconds"`) set to the JSON text `value`,
/// or removed when `value` is `None`.
pub(super) fn patch(base: &Value, path: &str, value: Option<&str>) -> Value {
    fn go(members: &mut Vec<(String, Value)>, path: &[&str], value: Option<&str>) {
        match path {
            [name] => match value {
                Some(v) => match members.iter_mut().find(|(n, _)| n == name) {
                    Some((_, slot)) => *slot = json(v),
                    None => members.push(((*name).to_owned(), json(v))),
                },
                None => members.retain(|(n, _)| n != name),
            },
            [name, rest @ ..] => {
                if let Some((_, Value::Object(inner))) = members.iter_mut().find(|(n, _)| n == name)
                {
                    go(inner, rest, value);
                }
            }
            [] => {}
        }
    }
    let mut base = base.clone();
    if let Value::Object(members) = &mut base {
        let path: Vec<&str> = path.split('.').collect();
        go(members, &path, value);
    }
    base
}

pub fn area(ctx: &Ctx) -> Area {
    let mut a = Area::new("config");
    a.config_group();
    // The area patches a tcp_local config without tls (the bind policy, then the other
    // transports over it); a config of another transport keeps its key, limits and kinds.
    let mut tcp = ctx.config.clone();
    tcp.tls = None;
    if !matches!(tcp.transport, Transport::TcpLocal { .. }) {
        tcp.transport = Transport::TcpLocal {
            bind_host: "127.0.0.1".into(),
            bind_port: 0,
        };
    }
    let base = tcp.to_value();
    a.check_config(
        meta(
            "CONFIG-VALID",
            &["REQ-CONFIG-1"],
            &["Valid"],
            "the config of these vectors",
        ),
        base.clone(),
        None,
    );
    let one = |a: &mut Area,
               id,
               req: &[&'static str],
               flags: &[&'static str],
               path: &str,
               value: Option<&str>,
               field: Option<&str>,
               comment: String| {
        a.check_config(
            meta(id, req, flags, comment),
            patch(&base, path, value),
            field,
        );
    };

    // SEC-IPC-07: never anything but loopback.
    for host in ["0.0.0.0", "::", "192.168.1.10", "10.0.0.1", "", "0", "*"] {
        one(
            &mut a,
            "SEC-IPC-07",
            &["REQ-CONFIG-3"],
            &["BindPolicy"],
            "bind_host",
            Some(&format!("\"{host}\"")),
            Some("bind_host"),
            format!("bind_host {host:?}"),
        );
    }
    one(
        &mut a,
        "SEC-IPC-07",
        &["REQ-CONFIG-3"],
        &["Valid", "BindPolicy"],
        "bind_host",
        Some("\"127.0.0.1\""),
        None,
        "bind_host 127.0.0.1".into(),
    );
    one(
        &mut a,
        "SEC-IPC-07",
        &["REQ-CONFIG-3"],
        &["Valid", "BindPolicy"],
        "bind_host",
        Some("\"::1\""),
        None,
        "bind_host ::1".into(),
    );
    // SEC-IPC-07b: loopback written otherwise, and ports out of range.
    for host in [
        "localhost",
        "LOCALHOST",
        "127.0.0.2",
        "127.1",
        "127.000.000.001",
        "::ffff:127.0.0.1",
        "0:0:0:0:0:0:0:1",
        "[::1]",
        " 127.0.0.1",
        "127.0.0.1 ",
        "127.0.0.1\n",
        "127.0.0.1:80",
    ] {
        one(
            &mut a,
            "SEC-IPC-07b",
            &["REQ-CONFIG-3"],
            &["BindPolicy"],
            "bind_host",
            Some(&json_string(host)),
            Some("bind_host"),
            format!("bind_host {host:?}"),
        );
    }
    for (port, field, comment) in [
        ("70000", Some("bind_port"), "port 70000"),
        ("65536", Some("bind_port"), "port 65536"),
        ("-1", Some("bind_port"), "port -1"),
        ("65535", None, "port 65535"),
        ("0", None, "port 0 (ephemeral)"),
        ("8080", None, "port 8080"),
        ("\"8080\"", Some("bind_port"), "port as a string"),
        ("8080.0", Some("bind_port"), "port 8080.0"),
        ("8.08e3", Some("bind_port"), "port 8.08e3"),
        ("-0", Some("bind_port"), "port -0"),
        ("null", Some("bind_port"), "port null"),
    ] {
        let flags: &[&str] = if field.is_none() {
            &["Valid", "BindPolicy"]
        } else {
            &["BindPolicy"]
        };
        one(
            &mut a,
            "SEC-IPC-07b",
            &["REQ-CONFIG-4", "REQ-CONFIG-12"],
            flags,
            "bind_port",
            Some(port),
            field,
            comment.into(),
        );
    }
    one(
        &mut a,
        "SEC-IPC-07b",
        &["REQ-CONFIG-3"],
        &["BindPolicy"],
        "bind_host",
        Some("null"),
        Some("bind_host"),
        "bind_host null".into(),
    );

    // REQ-CONFIG-1: unknown and missing members.
    for (path, field) in [
        ("debug", "debug"),
        ("Transport", "Transport"),
        ("auth.Secret_hex", "auth.Secret_hex"),
        ("auth.algorithm", "auth.algorithm"),
    ] {
        one(
            &mut a,
            "CONFIG-MEMBERS",
            &["REQ-CONFIG-1"],
            &["ConfigSchema"],
            path,
            Some("1"),
            Some(field),
            format!("an unknown member {path}"),
        );
    }
    for path in [
        "transport",
        "bind_host",
        "bind_port",
        "auth",
        "auth.mode",
        "auth.secret_hex",
        "auth.ttl_seconds",
        "auth.nonce_cache_size",
        "max_payload_bytes",
        "allowed_kinds",
    ] {
        one(
            &mut a,
            "CONFIG-MEMBERS",
            &["REQ-CONFIG-1"],
            &["ConfigSchema"],
            path,
            None,
            Some(path),
            format!("{path} missing"),
        );
    }
    for (text, comment) in [
        ("[]", "an array"),
        ("null", "null"),
        ("\"config\"", "a string"),
    ] {
        a.check_config(
            meta(
                "CONFIG-MEMBERS",
                &["REQ-CONFIG-1"],
                &["ConfigSchema"],
                format!("the config is {comment}"),
            ),
            json(text),
            Some(""),
        );
    }

    // Types and ranges.
    let cases: Vec<(&str, &str, Option<&str>, &'static str, &str)> = vec![
        (
            "transport",
            "\"tcp\"",
            Some("transport"),
            "REQ-CONFIG-2",
            "transport tcp",
        ),
        (
            "transport",
            "\"TCP_LOCAL\"",
            Some("transport"),
            "REQ-CONFIG-2",
            "transport in uppercase",
        ),
        ("auth", "null", Some("auth"), "REQ-CONFIG-5", "auth null"),
        ("auth", "[]", Some("auth"), "REQ-CONFIG-5", "auth an array"),
        (
            "auth.mode",
            "\"HMAC\"",
            Some("auth.mode"),
            "REQ-CONFIG-5",
            "mode in uppercase",
        ),
        (
            "auth.mode",
            "\"none\"",
            Some("auth.mode"),
            "REQ-CONFIG-5",
            "mode none",
        ),
        (
            "auth.ttl_seconds",
            "0",
            Some("auth.ttl_seconds"),
            "REQ-CONFIG-7",
            "ttl 0",
        ),
        ("auth.ttl_seconds", "1", None, "REQ-CONFIG-7", "ttl 1"),
        (
            "auth.ttl_seconds",
            "86400",
            None,
            "REQ-CONFIG-7",
            "ttl 86400",
        ),
        (
            "auth.ttl_seconds",
            "86401",
            Some("auth.ttl_seconds"),
            "REQ-CONFIG-7",
            "ttl 86401",
        ),
        (
            "auth.ttl_seconds",
            "60.0",
            Some("auth.ttl_seconds"),
            "REQ-CONFIG-12",
            "ttl 60.0",
        ),
        (
            "auth.ttl_seconds",
            "6e1",
            Some("auth.ttl_seconds"),
            "REQ-CONFIG-12",
            "ttl 6e1",
        ),
        (
            "auth.ttl_seconds",
            "-60",
            Some("auth.ttl_seconds"),
            "REQ-CONFIG-7",
            "ttl -60",
        ),
        (
            "auth.ttl_seconds",
            "\"60\"",
            Some("auth.ttl_seconds"),
            "REQ-CONFIG-7",
            "ttl as a string",
        ),
        (
            "auth.nonce_cache_size",
            "0",
            Some("auth.nonce_cache_size"),
            "REQ-CONFIG-8",
            "cache size 0",
        ),
        (
            "auth.nonce_cache_size",
            "1",
            None,
            "REQ-CONFIG-8",
            "cache size 1",
        ),
        (
            "auth.nonce_cache_size",
            "10000000",
            None,
            "REQ-CONFIG-8",
            "cache size 10000000",
        ),
        (
            "auth.nonce_cache_size",
            "10000001",
            Some("auth.nonce_cache_size"),
            "REQ-CONFIG-8",
            "cache size 10000001",
        ),
        (
            "auth.nonce_cache_size",
            "-0",
            Some("auth.nonce_cache_size"),
            "REQ-CONFIG-12",
            "cache size -0",
        ),
        (
            "max_payload_bytes",
            "0",
            Some("max_payload_bytes"),
            "REQ-CONFIG-9",
            "max_payload_bytes 0",
        ),
        (
            "max_payload_bytes",
            "1",
            None,
            "REQ-CONFIG-9",
            "max_payload_bytes 1",
        ),
        (
            "max_payload_bytes",
            "16777216",
            None,
            "REQ-CONFIG-9",
            "max_payload_bytes 16777216",
        ),
        (
            "max_payload_bytes",
            "16777217",
            Some("max_payload_bytes"),
            "REQ-CONFIG-9",
            "max_payload_bytes 16777217",
        ),
        (
            "max_payload_bytes",
            "1e3",
            Some("max_payload_bytes"),
            "REQ-CONFIG-12",
            "max_payload_bytes 1e3",
        ),
        (
            "max_envelope_bytes",
            "0",
            Some("max_envelope_bytes"),
            "REQ-CONFIG-10",
            "max_envelope_bytes 0",
        ),
        (
            "max_envelope_bytes",
            "1",
            None,
            "REQ-CONFIG-10",
            "max_envelope_bytes 1",
        ),
        (
            "max_envelope_bytes",
            "9007199254740991",
            None,
            "REQ-CONFIG-10",
            "max_envelope_bytes 2^53-1",
        ),
        (
            "max_envelope_bytes",
            "9007199254740992",
            Some("max_envelope_bytes"),
            "REQ-CONFIG-10",
            "max_envelope_bytes 2^53",
        ),
        (
            "max_envelope_bytes",
            "null",
            Some("max_envelope_bytes"),
            "REQ-CONFIG-10",
            "max_envelope_bytes null",
        ),
        (
            "allowed_kinds",
            "[]",
            Some("allowed_kinds"),
            "REQ-CONFIG-11",
            "no allowed kinds",
        ),
        (
            "allowed_kinds",
            "[\"a\",\"a\"]",
            Some("allowed_kinds"),
            "REQ-CONFIG-11",
            "a kind listed twice",
        ),
        (
            "allowed_kinds",
            "[\"Job.run\"]",
            Some("allowed_kinds"),
            "REQ-CONFIG-11",
            "a kind breaking the pattern",
        ),
        (
            "allowed_kinds",
            "[\"\"]",
            Some("allowed_kinds"),
            "REQ-CONFIG-11",
            "an empty kind",
        ),
        (
            "allowed_kinds",
            "[1]",
            Some("allowed_kinds"),
            "REQ-CONFIG-11",
            "a number as kind",
        ),
        (
            "allowed_kinds",
            "\"job.run\"",
            Some("allowed_kinds"),
            "REQ-CONFIG-11",
            "a string, not a list",
        ),
        (
            "allowed_kinds",
            "[\"job.*\"]",
            Some("allowed_kinds"),
            "REQ-CONFIG-11",
            "a wildcard kind",
        ),
    ];
    for (path, value, field, req, comment) in cases {
        let flags: &[&str] = if field.is_none() {
            &["Valid", "ConfigSchema"]
        } else {
            &["ConfigSchema"]
        };
        one(
            &mut a,
            "CONFIG-TYPES",
            &[req, "REQ-CONFIG-12"],
            flags,
            path,
            Some(value),
            field,
            comment.into(),
        );
    }
    let k64 = format!("[\"a{}\"]", "b".repeat(63));
    let k65 = format!(
        "[\"a{}\"]",
        "b".repeat(sipc_reference::envelope::MAX_KIND_BYTES)
    );
    one(
        &mut a,
        "CONFIG-TYPES",
        &["REQ-CONFIG-11"],
        &["Valid", "ConfigSchema"],
        "allowed_kinds",
        Some(&k64),
        None,
        "a kind of 64 bytes".into(),
    );
    one(
        &mut a,
        "CONFIG-TYPES",
        &["REQ-CONFIG-11"],
        &["ConfigSchema"],
        "allowed_kinds",
        Some(&k65),
        Some("allowed_kinds"),
        "a kind of 65 bytes".into(),
    );

    // REQ-CONFIG-6: the secret.
    let secret = |n: usize| format!("\"{}\"", "ab".repeat(n));
    for (value, field, comment) in [
        (secret(31), Some("auth.secret_hex"), "31 bytes"),
        (secret(32), None, "32 bytes"),
        (secret(64), None, "64 bytes"),
        (format!("\"{}\"", "AB".repeat(32)), None, "uppercase hex"),
        (
            format!("\"{}a\"", "ab".repeat(32)),
            Some("auth.secret_hex"),
            "an odd number of digits",
        ),
        (
            format!("\"0x{}\"", "ab".repeat(32)),
            Some("auth.secret_hex"),
            "a 0x prefix",
        ),
        (
            format!("\"{} \"", "ab".repeat(32)),
            Some("auth.secret_hex"),
            "a trailing space",
        ),
        (
            format!("\"{}gg\"", "ab".repeat(32)),
            Some("auth.secret_hex"),
            "a non-hex digit",
        ),
        ("\"\"".into(), Some("auth.secret_hex"), "empty"),
        ("null".into(), Some("auth.secret_hex"), "null"),
        (
            format!("\"{}\"", "ab:".repeat(32)),
            Some("auth.secret_hex"),
            "colon-separated bytes",
        ),
    ] {
        let flags: &[&str] = if field.is_none() {
            &["Valid", "WeakSecret"]
        } else {
            &["WeakSecret"]
        };
        one(
            &mut a,
            "CONFIG-SECRET",
            &["REQ-CONFIG-6"],
            flags,
            "auth.secret_hex",
            Some(&value),
            field,
            format!("secret_hex: {comment}"),
        );
    }

    // REQ-CONFIG-12: the order of reports.
    let order = ["REQ-CONFIG-12", "REQ-CONFIG-1"];
    let two = |first: (&str, &str), second: (&str, &str)| {
        patch(
            &patch(&base, first.0, Some(first.1)),
            second.0,
            Some(second.1),
        )
    };
    for (first, second, field, comment) in [
        (
            ("zz_unknown", "1"),
            ("transport", "\"udp\""),
            "zz_unknown",
            "an unknown member is reported before a bad transport",
        ),
        (
            ("transport", "\"udp\""),
            ("bind_host", "\"0.0.0.0\""),
            "transport",
            "transport before bind_host",
        ),
        (
            ("bind_host", "\"0.0.0.0\""),
            ("bind_port", "70000"),
            "bind_host",
            "bind_host before bind_port",
        ),
        (
            ("auth.extra", "1"),
            ("auth.mode", "\"none\""),
            "auth.extra",
            "an unknown auth member before auth.mode",
        ),
        (
            ("auth.mode", "\"none\""),
            ("auth.secret_hex", "\"00\""),
            "auth.mode",
            "auth.mode before auth.secret_hex",
        ),
        (
            ("auth.secret_hex", "\"00\""),
            ("auth.ttl_seconds", "0"),
            "auth.secret_hex",
            "auth.secret_hex before auth.ttl_seconds",
        ),
        (
            ("auth.ttl_seconds", "0"),
            ("auth.nonce_cache_size", "0"),
            "auth.ttl_seconds",
            "ttl before the cache size",
        ),
        (
            ("auth.nonce_cache_size", "0"),
            ("max_payload_bytes", "0"),
            "auth.nonce_cache_size",
            "the cache size before max_payload_bytes",
        ),
        (
            ("max_payload_bytes", "0"),
            ("max_envelope_bytes", "0"),
            "max_payload_bytes",
            "max_payload_bytes before max_envelope_bytes",
        ),
        (
            ("max_envelope_bytes", "0"),
            ("allowed_kinds", "[]"),
            "max_envelope_bytes",
            "max_envelope_bytes before allowed_kinds",
        ),
        (
            ("bind_port", "70000"),
            ("zz_unknown", "1"),
            "zz_unknown",
            "an unknown top-level member before everything",
        ),
    ] {
        a.check_config(
            meta("CONFIG-ORDER", &order, &["ConfigSchema"], comment),
            two(first, second),
            Some(field),
        );
    }
    // spec/ADAPTER.md: `verify` under an invalid config answers config_invalid, naming the
    // field, before it looks at the envelope.
    for (config, field, flags, comment) in [
        (
            ctx.config_with(|c| {
                c.transport = Transport::TcpLocal {
                    bind_host: "0.0.0.0".into(),
                    bind_port: 0,
                }
            }),
            "bind_host",
            &["ConfigSchema", "BindPolicy"][..],
            "a valid envelope under a config binding 0.0.0.0: config_invalid, not a verdict",
        ),
        (
            ctx.config_with(|c| c.auth.ttl_seconds = 0),
            "auth.ttl_seconds",
            &["ConfigSchema"][..],
            "a valid envelope under ttl_seconds 0: config_invalid, not a verdict",
        ),
    ] {
        a.verify_group(&config);
        a.verify_under_invalid_config(
            meta("CONFIG-VERIFY", &["REQ-CONFIG-12"], flags, comment),
            NOW,
            ctx.wire(&ctx.env()),
            field,
        );
    }
    a.config_group();

    // REQ-CONFIG-1, REQ-CONFIG-12: of several unknown members, the first in document order
    // (not in sorted order); the top level before `auth`, wherever each stands.
    let mut first_and_last = patch(&base, "aa_last", Some("1"));
    if let Value::Object(members) = &mut first_and_last {
        members.insert(0, ("zz_first".to_owned(), json("1")));
    }
    for (config, field, comment) in [
        (
            first_and_last,
            "zz_first",
            "two unknown members, zz_first first in the text and aa_last last: the first in document order",
        ),
        (
            two(("auth.zz_extra", "1"), ("auth.aa_extra", "1")),
            "auth.zz_extra",
            "two unknown auth members: the first in document order",
        ),
        (
            two(("auth.aa_extra", "1"), ("zz_unknown", "1")),
            "zz_unknown",
            "an unknown auth member earlier in the text than an unknown top-level one: the top level first",
        ),
    ] {
        a.check_config(
            meta("CONFIG-ORDER", &order, &["ConfigSchema"], comment),
            config,
            Some(field),
        );
    }
    super::config_transport::add(&mut a, &base);
    super::config_store::add(&mut a, &base);
    a
}

pub(super) fn json_string(s: &str) -> String {
    let mut out = Vec::new();
    sipc_reference::json::write_value(&mut out, &Value::String(s.to_owned()));
    String::from_utf8_lossy(&out).into_owned()
}
