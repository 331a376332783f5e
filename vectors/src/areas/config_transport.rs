//! `config.json`, continued: the transports' members and `tls` (§10: REQ-CONFIG-2,
//! REQ-CONFIG-13 … REQ-CONFIG-19), through the adapter's `check_config` op.

use super::config::{json_string, patch};
use crate::suite::{meta, Area};
use crate::wire::json;
use sipc_reference::config::transport::{MAX_PATH_BYTES, MAX_PEER_UIDS, MAX_SOCKET_PATH_BYTES};
use sipc_reference::json::Value;

/// `base` with `transport` set to `name` and its members (`bind_host`, `bind_port`) replaced by
/// `members`, written right after `transport`, in the order given.
fn transport(base: &Value, name: &str, members: &[(&str, &str)]) -> Value {
    let mut config = base.clone();
    if let Value::Object(top) = &mut config {
        top.retain(|(n, _)| n != "bind_host" && n != "bind_port");
        let at = top
            .iter()
            .position(|(n, _)| n == "transport")
            .map_or(0, |i| i + 1);
        for (offset, (member, value)) in members.iter().enumerate() {
            top.insert(at + offset, ((*member).to_owned(), json(value)));
        }
        if let Some((_, slot)) = top.iter_mut().find(|(n, _)| n == "transport") {
            *slot = Value::string(name);
        }
    }
    config
}

const TLS: &str = r#"{"cert":"/etc/sipc/server.pem","key":"/etc/sipc/server.key","client_ca":"/etc/sipc/clients.pem"}"#;
const SOCKET: (&str, &str) = ("socket_path", r#""/run/sipc/receiver.sock""#);
const UIDS: (&str, &str) = ("allowed_peer_uids", "[1000]");
const SPOOL_DIR: (&str, &str) = ("spool_dir", r#""/var/spool/sipc""#);

/// Appends the transport vectors to the config area; `base` is the vectors' `tcp_local` config.
pub(super) fn add(a: &mut Area, base: &Value) {
    let unix = |members: &[(&str, &str)]| transport(base, "unix_local", members);
    let spool = |members: &[(&str, &str)]| transport(base, "spool", members);
    let with_tls = |config: Value, tls: &str| patch(&config, "tls", Some(tls));
    let mut case = |id: &'static str,
                    req: &[&'static str],
                    flag: &'static str,
                    config: Value,
                    field: Option<&str>,
                    comment: String| {
        let flags: &[&str] = if field.is_none() {
            &["Valid", flag]
        } else {
            &[flag]
        };
        a.check_config(meta(id, req, flags, comment), config, field);
    };

    // REQ-CONFIG-2, REQ-CONFIG-13: each transport with its own members, nothing of another's.
    let transports = ["REQ-CONFIG-2", "REQ-CONFIG-13"];
    for (config, field, comment) in [
        (
            unix(&[SOCKET, UIDS]),
            None,
            "unix_local with socket_path and allowed_peer_uids",
        ),
        (
            unix(&[("socket_path", r#""@sipc-receiver""#), UIDS]),
            None,
            "unix_local on an abstract socket",
        ),
        (spool(&[SPOOL_DIR]), None, "spool with spool_dir"),
        (with_tls(base.clone(), TLS), None, "tcp_local with tls"),
        (
            with_tls(unix(&[SOCKET, UIDS]), TLS),
            None,
            "unix_local with tls",
        ),
        (
            patch(base, "transport", Some(r#""unix""#)),
            Some("transport"),
            "transport unix",
        ),
        (
            patch(base, "socket_path", Some(r#""/run/x.sock""#)),
            Some("socket_path"),
            "tcp_local with a socket_path",
        ),
        (
            unix(&[SOCKET, UIDS, ("bind_port", "0")]),
            Some("bind_port"),
            "unix_local with a bind_port",
        ),
        (
            spool(&[SPOOL_DIR, ("allowed_peer_uids", "[0]")]),
            Some("allowed_peer_uids"),
            "spool with allowed_peer_uids",
        ),
        (
            with_tls(spool(&[SPOOL_DIR]), TLS),
            Some("tls"),
            "spool with tls: a protection the transport cannot give is refused, not ignored",
        ),
        (
            unix(&[UIDS]),
            Some("socket_path"),
            "unix_local without socket_path",
        ),
        (
            unix(&[SOCKET]),
            Some("allowed_peer_uids"),
            "unix_local without allowed_peer_uids",
        ),
        (spool(&[]), Some("spool_dir"), "spool without spool_dir"),
        (
            unix(&[
                ("socket_path", r#""rel.sock""#),
                ("bind_host", r#""::1""#),
                UIDS,
            ]),
            Some("bind_host"),
            "another transport's member is reported before the transport's own bad member",
        ),
        (
            unix(&[SOCKET, UIDS, ("bind_port", "0"), ("zz_unknown", "1")]),
            Some("zz_unknown"),
            "an unknown member is reported before another transport's member",
        ),
    ] {
        case(
            "CONFIG-TRANSPORT",
            &transports,
            "TransportMembers",
            config,
            field,
            comment.into(),
        );
    }

    // REQ-CONFIG-14, REQ-CONFIG-18: paths, through spool_dir.
    let long = |n: usize| json_string(&format!("/{}", "d".repeat(n - 1)));
    for (path, ok, comment) in [
        (
            long(MAX_PATH_BYTES),
            true,
            "a path of 4095 bytes".to_owned(),
        ),
        (
            json_string("/var/spool/é"),
            true,
            "a non-ASCII component".into(),
        ),
        (json_string("/s"), true, "a one-character path".into()),
        (
            json_string("/var/spool/in box"),
            true,
            "a space (not a control character)".into(),
        ),
        (
            long(MAX_PATH_BYTES + 1),
            false,
            "a path of 4096 bytes".into(),
        ),
        (json_string("spool"), false, "a relative path".into()),
        (json_string(""), false, "an empty path".into()),
        (json_string("/"), false, "the root".into()),
        (json_string("/var/spool/"), false, "a trailing slash".into()),
        (
            json_string("/var//spool"),
            false,
            "an empty component".into(),
        ),
        (json_string("/var/./spool"), false, "a . component".into()),
        (
            json_string("/var/spool/../../etc"),
            false,
            "a .. component".into(),
        ),
        (json_string("/var/spool\u{0}x"), false, "a NUL".into()),
        (json_string("/var/spool\n"), false, "a line feed".into()),
        (json_string("/var/\u{7f}spool"), false, "a DEL".into()),
    ] {
        case(
            "CONFIG-PATH",
            &["REQ-CONFIG-14", "REQ-CONFIG-18"],
            "PathPolicy",
            spool(&[("spool_dir", &path)]),
            (!ok).then_some("spool_dir"),
            format!("spool_dir: {comment}"),
        );
    }

    // REQ-CONFIG-15: socket_path.
    let socket = |path: String, ok: bool, comment: &str| {
        (
            unix(&[("socket_path", &path), UIDS]),
            (!ok).then_some("socket_path"),
            format!("socket_path: {comment}"),
        )
    };
    let name = |n: usize| json_string(&format!("@{}", "n".repeat(n)));
    let socket_cases = [
        socket(long(MAX_SOCKET_PATH_BYTES), true, "107 bytes"),
        socket(
            long(MAX_SOCKET_PATH_BYTES + 1),
            false,
            "108 bytes, more than sun_path holds",
        ),
        socket(json_string("receiver.sock"), false, "a relative path"),
        socket(
            json_string("/run/../receiver.sock"),
            false,
            "a .. component",
        ),
        socket(
            name(MAX_SOCKET_PATH_BYTES),
            true,
            "an abstract name of 107 characters",
        ),
        socket(
            name(MAX_SOCKET_PATH_BYTES + 1),
            false,
            "an abstract name of 108 characters",
        ),
        socket(json_string("@"), false, "an empty abstract name"),
        socket(
            json_string("@sipc receiver"),
            false,
            "an abstract name with a space",
        ),
        socket(
            json_string("@sipc\u{0}"),
            false,
            "an abstract name with a NUL",
        ),
        socket(
            json_string("@é"),
            false,
            "an abstract name outside U+0021-U+007E",
        ),
    ];
    for (config, field, comment) in socket_cases {
        case(
            "CONFIG-SOCKET",
            &["REQ-CONFIG-15"],
            "SocketPolicy",
            config,
            field,
            comment,
        );
    }

    // REQ-CONFIG-16: socket_mode.
    for (mode, ok, comment) in [
        (r#""0600""#, true, "0600"),
        (r#""0660""#, true, "0660: the group may connect"),
        (r#""0700""#, true, "0700"),
        (r#""0666""#, false, "0666: everyone may connect"),
        (r#""0602""#, false, "0602: others may write"),
        (r#""0604""#, false, "0604: others may read"),
        (r#""0400""#, false, "0400: the owner cannot connect"),
        (r#""1600""#, false, "1600: the sticky bit"),
        (r#""4600""#, false, "4600: set-user-id"),
        (r#""600""#, false, "three digits"),
        (r#""0o600""#, false, "a 0o prefix"),
        (r#""0680""#, false, "an 8"),
        ("384", false, "the number 384 (0600 in decimal)"),
        ("600", false, "the number 600"),
    ] {
        case(
            "CONFIG-SOCKET",
            &["REQ-CONFIG-16"],
            "SocketPolicy",
            unix(&[SOCKET, ("socket_mode", mode), UIDS]),
            (!ok).then_some("socket_mode"),
            format!("socket_mode {comment}"),
        );
    }
    case(
        "CONFIG-SOCKET",
        &["REQ-CONFIG-16"],
        "SocketPolicy",
        unix(&[
            ("socket_path", r#""@sipc-receiver""#),
            ("socket_mode", r#""0600""#),
            UIDS,
        ]),
        Some("socket_mode"),
        "socket_mode with an abstract socket, which has no file mode".into(),
    );

    // REQ-CONFIG-17: allowed_peer_uids.
    let uids = |n: usize| {
        format!(
            "[{}]",
            (0..n).map(|i| i.to_string()).collect::<Vec<_>>().join(",")
        )
    };
    for (list, ok, comment) in [
        ("[0]".to_owned(), true, "root only"),
        ("[4294967294]".into(), true, "the largest uid"),
        (uids(MAX_PEER_UIDS), true, "1024 uids"),
        ("[4294967295]".into(), false, "(uid_t) -1"),
        (uids(MAX_PEER_UIDS + 1), false, "1025 uids"),
        ("[]".into(), false, "no uid"),
        ("[1000,1000]".into(), false, "a uid twice"),
        ("[-1]".into(), false, "-1"),
        ("[1000.0]".into(), false, "1000.0"),
        (r#"["1000"]"#.into(), false, "a uid as a string"),
        ("1000".into(), false, "a number, not a list"),
    ] {
        case(
            "CONFIG-SOCKET",
            &["REQ-CONFIG-17", "REQ-CONFIG-12"],
            "SocketPolicy",
            unix(&[SOCKET, ("allowed_peer_uids", &list)]),
            (!ok).then_some("allowed_peer_uids"),
            format!("allowed_peer_uids: {comment}"),
        );
    }

    // REQ-CONFIG-19: tls.
    for (tls, field, comment) in [
        ("null", "tls", "tls null"),
        (r#""/etc/sipc/server.pem""#, "tls", "tls a string"),
        (
            r#"{"cert":"/etc/sipc/server.pem","client_ca":"/etc/sipc/clients.pem"}"#,
            "tls.key",
            "tls without key",
        ),
        (
            r#"{"cert":"/etc/sipc/server.pem","key":"/etc/sipc/server.key"}"#,
            "tls.client_ca",
            "tls without client_ca: no TLS without client authentication",
        ),
        (
            r#"{"cert":"/c.pem","key":"/k.pem","client_ca":"/ca.pem","verify_client":false}"#,
            "tls.verify_client",
            "an unknown tls member",
        ),
        (
            r#"{"cert":"server.pem","key":"/k.pem","client_ca":"/ca.pem"}"#,
            "tls.cert",
            "a relative cert path",
        ),
        (
            r#"{"cert":"c","key":"k","client_ca":"a","x":1}"#,
            "tls.x",
            "an unknown tls member is reported before bad paths",
        ),
    ] {
        case(
            "CONFIG-TLS",
            &["REQ-CONFIG-19"],
            "MutualTls",
            with_tls(base.clone(), tls),
            Some(field),
            comment.into(),
        );
    }
    case(
        "CONFIG-TLS",
        &["REQ-CONFIG-19", "REQ-CONFIG-12"],
        "MutualTls",
        patch(
            &with_tls(base.clone(), r#"{"x":1}"#),
            "auth.mode",
            Some(r#""none""#),
        ),
        Some("tls.x"),
        "tls is checked before auth".into(),
    );
}
