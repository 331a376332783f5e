//! Where a receiver takes its envelopes from: the `transport` member, each transport's own
//! members and the optional `tls` section (SIPC/1 §10: REQ-CONFIG-2 … REQ-CONFIG-4,
//! REQ-CONFIG-13 … REQ-CONFIG-19).

use super::read::{integer, no_unknown, object, string, MAX_INTEGER};
use crate::json::{member, Value};
use crate::Reject;

/// Longest path (REQ-CONFIG-14), in bytes: Linux's `PATH_MAX` less its terminating NUL.
pub const MAX_PATH_BYTES: usize = 4095;
/// Longest filesystem `socket_path`, and longest abstract name after its `@` (REQ-CONFIG-15):
/// what `sun_path` holds with a terminating or leading NUL.
pub const MAX_SOCKET_PATH_BYTES: usize = 107;
/// `socket_mode` when absent (REQ-CONFIG-16).
pub const DEFAULT_SOCKET_MODE: &str = "0600";
/// Most entries of `allowed_peer_uids` (REQ-CONFIG-17).
pub const MAX_PEER_UIDS: usize = 1024;
/// Largest uid (REQ-CONFIG-17): 2³² − 2, since 2³² − 1 is `(uid_t) -1`, no user.
pub const MAX_UID: u64 = 4_294_967_294;

/// The transports' names, in the order the spec lists them (REQ-CONFIG-2).
pub const TRANSPORTS: [&str; 3] = ["tcp_local", "unix_local", "spool"];
/// Every transport's own members, then `tls`: the members REQ-CONFIG-13 assigns.
pub(super) const TRANSPORT_MEMBERS: [&str; 7] = [
    "bind_host",
    "bind_port",
    "socket_path",
    "socket_mode",
    "allowed_peer_uids",
    "spool_dir",
    "tls",
];
const TLS_MEMBERS: [&str; 3] = ["cert", "key", "client_ca"];

/// A transport and its own members (REQ-CONFIG-13).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Transport {
    /// `tcp_local`: a loopback TCP port (§12).
    TcpLocal {
        /// Exactly `127.0.0.1` or `::1` (REQ-CONFIG-3).
        bind_host: String,
        /// 0–65535; 0 asks for an ephemeral port (REQ-CONFIG-4). Wider than `u16` so that a
        /// config can hold, and [`super::Config::validate`] refuse, a port such as 70000.
        bind_port: u64,
    },
    /// `unix_local`: a Unix domain socket.
    UnixLocal {
        /// A path of at most 107 bytes, or `@name` in the Linux abstract namespace
        /// (REQ-CONFIG-15).
        socket_path: String,
        /// `0OG0`; `None` is [`DEFAULT_SOCKET_MODE`], and is required for an abstract socket
        /// (REQ-CONFIG-16).
        socket_mode: Option<String>,
        /// The uids that may connect, 1 to [`MAX_PEER_UIDS`] unique (REQ-CONFIG-17).
        allowed_peer_uids: Vec<u64>,
    },
    /// `spool`: files dropped into a folder.
    Spool {
        /// An absolute path (REQ-CONFIG-18).
        spool_dir: String,
    },
}

/// The `tls` section (REQ-CONFIG-19): mutual TLS, so all three are required.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tls {
    /// The server's certificate chain (PEM).
    pub cert: String,
    /// The server's private key (PEM).
    pub key: String,
    /// The CAs that issue client certificates (PEM).
    pub client_ca: String,
}

impl Transport {
    /// The transport's name (REQ-CONFIG-2).
    pub fn name(&self) -> &'static str {
        match self {
            Transport::TcpLocal { .. } => "tcp_local",
            Transport::UnixLocal { .. } => "unix_local",
            Transport::Spool { .. } => "spool",
        }
    }

    /// Whether `tls` may go with this transport (REQ-CONFIG-13).
    pub fn allows_tls(&self) -> bool {
        !matches!(self, Transport::Spool { .. })
    }

    /// The socket mode in force (REQ-CONFIG-16); `None` for a transport without a socket file.
    pub fn socket_mode_bits(&self) -> Option<u32> {
        match self {
            Transport::UnixLocal {
                socket_path,
                socket_mode,
                ..
            } if !is_abstract(socket_path) => {
                u32::from_str_radix(socket_mode.as_deref().unwrap_or(DEFAULT_SOCKET_MODE), 8).ok()
            }
            _ => None,
        }
    }

    /// The first of the transport's own members, in the order of REQ-CONFIG-12, that breaks
    /// its rule.
    pub(super) fn first_invalid(&self) -> Option<&'static str> {
        match self {
            Transport::TcpLocal {
                bind_host,
                bind_port,
            } => {
                if !check_bind_host(bind_host) {
                    Some("bind_host")
                } else if !check_bind_port(*bind_port) {
                    Some("bind_port")
                } else {
                    None
                }
            }
            Transport::UnixLocal {
                socket_path,
                socket_mode,
                allowed_peer_uids,
            } => {
                if !check_socket_path(socket_path) {
                    Some("socket_path")
                } else if !check_socket_mode(socket_path, socket_mode.as_deref()) {
                    Some("socket_mode")
                } else if !check_peer_uids(allowed_peer_uids) {
                    Some("allowed_peer_uids")
                } else {
                    None
                }
            }
            Transport::Spool { spool_dir } => (!is_path(spool_dir)).then_some("spool_dir"),
        }
    }

    /// The transport's members, in the order a config lists them.
    pub(super) fn members(&self) -> Vec<(String, Value)> {
        let int = |v: u64| Value::Number(crate::json::Number::from_u64(v));
        let string = |s: &str| Value::String(s.to_owned());
        match self {
            Transport::TcpLocal {
                bind_host,
                bind_port,
            } => vec![
                ("bind_host".to_owned(), string(bind_host)),
                ("bind_port".to_owned(), int(*bind_port)),
            ],
            Transport::UnixLocal {
                socket_path,
                socket_mode,
                allowed_peer_uids,
            } => {
                let mut members = vec![("socket_path".to_owned(), string(socket_path))];
                if let Some(mode) = socket_mode {
                    members.push(("socket_mode".to_owned(), string(mode)));
                }
                members.push((
                    "allowed_peer_uids".to_owned(),
                    Value::Array(allowed_peer_uids.iter().map(|&u| int(u)).collect()),
                ));
                members
            }
            Transport::Spool { spool_dir } => vec![("spool_dir".to_owned(), string(spool_dir))],
        }
    }
}

impl Tls {
    /// The first member that breaks REQ-CONFIG-19.
    pub(super) fn first_invalid(&self) -> Option<&'static str> {
        [
            (&self.cert, "tls.cert"),
            (&self.key, "tls.key"),
            (&self.client_ca, "tls.client_ca"),
        ]
        .into_iter()
        .find(|(path, _)| !is_path(path))
        .map(|(_, field)| field)
    }

    pub(super) fn to_value(&self) -> Value {
        Value::Object(vec![
            ("cert".to_owned(), Value::String(self.cert.clone())),
            ("key".to_owned(), Value::String(self.key.clone())),
            (
                "client_ca".to_owned(),
                Value::String(self.client_ca.clone()),
            ),
        ])
    }
}

// One rule per member, shared by parsing and `validate`.

fn check_bind_host(v: &str) -> bool {
    v == "127.0.0.1" || v == "::1"
}
fn check_bind_port(v: u64) -> bool {
    v <= 65_535
}

/// Whether `socket_path` names a socket in the Linux abstract namespace (`@name`).
pub fn is_abstract(socket_path: &str) -> bool {
    socket_path.starts_with('@')
}

/// REQ-CONFIG-14: absolute; every component non-empty and neither `.` nor `..`; no control
/// character; at most [`MAX_PATH_BYTES`].
pub fn is_path(v: &str) -> bool {
    let Some(rest) = v.strip_prefix('/') else {
        return false;
    };
    v.len() <= MAX_PATH_BYTES
        && !v.chars().any(|c| c.is_ascii_control())
        && rest
            .split('/')
            .all(|part| !part.is_empty() && part != "." && part != "..")
}

/// REQ-CONFIG-15: a path of at most 107 bytes, or `@` and 1–107 characters U+0021–U+007E.
fn check_socket_path(v: &str) -> bool {
    match v.strip_prefix('@') {
        Some(name) => {
            (1..=MAX_SOCKET_PATH_BYTES).contains(&name.len())
                && name.bytes().all(|b| (0x21..=0x7E).contains(&b))
        }
        None => v.len() <= MAX_SOCKET_PATH_BYTES && is_path(v),
    }
}

/// REQ-CONFIG-16: `0OG0` with `O` 6 or 7, absent for an abstract socket.
fn check_socket_mode(socket_path: &str, mode: Option<&str>) -> bool {
    match mode {
        None => true,
        Some(_) if is_abstract(socket_path) => false,
        Some(mode) => matches!(mode.as_bytes(), [b'0', b'6' | b'7', b'0'..=b'7', b'0']),
    }
}

/// REQ-CONFIG-17: 1 to [`MAX_PEER_UIDS`] unique uids, each at most [`MAX_UID`].
fn check_peer_uids(uids: &[u64]) -> bool {
    let mut sorted = uids.to_vec();
    sorted.sort_unstable();
    sorted.dedup();
    (1..=MAX_PEER_UIDS).contains(&uids.len())
        && sorted.len() == uids.len()
        && uids.iter().all(|&u| u <= MAX_UID)
}

/// REQ-CONFIG-2, REQ-CONFIG-13, then the transport's own members in the order of
/// REQ-CONFIG-12.
pub(super) fn parse_transport(top: &[(String, Value)]) -> Result<Transport, Reject> {
    let name = string(top, "transport", "transport", |v| TRANSPORTS.contains(&v))?;
    let own: &[&str] = match name.as_str() {
        "tcp_local" => &["bind_host", "bind_port", "tls"],
        "unix_local" => &["socket_path", "socket_mode", "allowed_peer_uids", "tls"],
        _ => &["spool_dir"],
    };
    if let Some((other, _)) = top
        .iter()
        .find(|(n, _)| TRANSPORT_MEMBERS.contains(&n.as_str()) && !own.contains(&n.as_str()))
    {
        return Err(Reject::config(other.as_str()));
    }
    match name.as_str() {
        "tcp_local" => Ok(Transport::TcpLocal {
            bind_host: string(top, "bind_host", "bind_host", check_bind_host)?,
            bind_port: integer(top, "bind_port", "bind_port", check_bind_port)?,
        }),
        "unix_local" => {
            let socket_path = string(top, "socket_path", "socket_path", check_socket_path)?;
            let socket_mode = match member(top, "socket_mode") {
                None => None,
                Some(Value::String(mode)) if check_socket_mode(&socket_path, Some(mode)) => {
                    Some(mode.clone())
                }
                Some(_) => return Err(Reject::config("socket_mode")),
            };
            Ok(Transport::UnixLocal {
                socket_path,
                socket_mode,
                allowed_peer_uids: peer_uids(top)?,
            })
        }
        _ => Ok(Transport::Spool {
            spool_dir: string(top, "spool_dir", "spool_dir", is_path)?,
        }),
    }
}

/// REQ-CONFIG-17: integer literals (REQ-CONFIG-12), unique, in range.
fn peer_uids(top: &[(String, Value)]) -> Result<Vec<u64>, Reject> {
    let bad = || Reject::config("allowed_peer_uids");
    let Some(Value::Array(items)) = member(top, "allowed_peer_uids") else {
        return Err(bad());
    };
    if items.len() > MAX_PEER_UIDS {
        return Err(bad());
    }
    let uids = items
        .iter()
        .map(|v| match v {
            Value::Number(n) => n
                .integer_literal()
                .filter(|i| (0..=MAX_INTEGER).contains(i))
                .and_then(|i| u64::try_from(i).ok()),
            _ => None,
        })
        .collect::<Option<Vec<u64>>>()
        .ok_or_else(bad)?;
    if !check_peer_uids(&uids) {
        return Err(bad());
    }
    Ok(uids)
}

/// REQ-CONFIG-19: an object of exactly `cert`, `key` and `client_ca`, unknown members first.
pub(super) fn parse_tls(top: &[(String, Value)]) -> Result<Option<Tls>, Reject> {
    let Some(value) = member(top, "tls") else {
        return Ok(None);
    };
    let tls = object(value, "tls")?;
    no_unknown(tls, &TLS_MEMBERS, "tls.")?;
    Ok(Some(Tls {
        cert: string(tls, "cert", "tls.cert", is_path)?,
        key: string(tls, "key", "tls.key", is_path)?,
        client_ca: string(tls, "client_ca", "tls.client_ca", is_path)?,
    }))
}
