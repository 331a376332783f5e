//! The tests only a Unix socket has (SIPC/1 §13), after the TCP table's in a `--unix-server`
//! run: the socket file's mode, a peer whose uid is not allowed, and what already stands at the
//! socket's path. All but the first run servers of their own, after the main one is stopped.

use super::cases::{Build, Builder, Meta, Planted, Script};
use super::client::Endpoint;
use sipc_vectors::suite::Expect::Accept;

/// The runner's uid.
fn runner_uid() -> u64 {
    u64::from(rustix::process::geteuid().as_raw())
}

/// A uid that is not the runner's.
fn other_uid() -> u64 {
    (runner_uid() + 1) % 4_294_967_295
}

fn planted(b: &Builder, planted: Planted) -> Script {
    Script::UnixPlanted {
        config: b.own_config(&b.own_socket().display().to_string(), &[runner_uid()]),
        socket: b.own_socket(),
        planted,
        step: b.one(b.wire(&b.env()), Accept),
    }
}

/// The Unix tests, in tcId order.
pub fn table() -> Vec<(Meta, Build)> {
    vec![
        (
            Meta {
                id: "UNIX-MODE",
                req: &["REQ-UNIX-3"],
                flags: &["SocketPolicy"],
                comment: "the socket file has mode 0600 and the server's uid, although the server was started under umask 000",
            },
            |b| Script::UnixSocketFile(b.unix_socket()),
        ),
        (
            Meta {
                id: "UNIX-PEER",
                req: &["REQ-UNIX-2"],
                flags: &["PeerCredentials"],
                comment: "a server whose allowed_peer_uids leaves out the runner's uid closes the runner's connection without answering its frame",
            },
            |b| Script::UnixPeerRefused {
                config: b.own_config(&b.own_socket().display().to_string(), &[other_uid()]),
                endpoint: Endpoint::Unix(b.own_socket()),
                step: b.one(b.wire(&b.env()), Accept),
            },
        ),
        (
            Meta {
                id: "UNIX-PEER",
                req: &["REQ-UNIX-2", "REQ-UNIX-5"],
                flags: &["PeerCredentials"],
                comment: "the same on an abstract socket, which has no file mode and which any local process can reach",
            },
            |b| Script::UnixPeerRefused {
                config: b.own_config(&format!("@{}", b.own_abstract()), &[other_uid()]),
                endpoint: Endpoint::Abstract(b.own_abstract()),
                step: b.one(b.wire(&b.env()), Accept),
            },
        ),
        (
            Meta {
                id: "UNIX-PEER",
                req: &["REQ-UNIX-2"],
                flags: &["PeerCredentials"],
                comment: "as root: a child of the runner that drops to uid 65534 gets no answer on an abstract socket open to the runner's uid only, and its frame changes nothing (skipped without root)",
            },
            |b| Script::UnixPeerAsNobody {
                config: b.own_config(&format!("@{}-nobody", b.own_abstract()), &[runner_uid()]),
                name: format!("{}-nobody", b.own_abstract()),
                step: b.one(b.wire(&b.env()), Accept),
            },
        ),
        (
            Meta {
                id: "UNIX-PATH",
                req: &["REQ-UNIX-4", "REQ-UNIX-6"],
                flags: &["SocketPolicy"],
                comment: "a symbolic link planted at socket_path: the server refuses to start, the link and its target untouched",
            },
            |b| planted(b, Planted::Link),
        ),
        (
            Meta {
                id: "UNIX-PATH",
                req: &["REQ-UNIX-4", "REQ-UNIX-6"],
                flags: &["SocketPolicy"],
                comment: "a socket another server listens on at socket_path: the server refuses to start and leaves it",
            },
            |b| planted(b, Planted::Live),
        ),
        (
            Meta {
                id: "UNIX-PATH",
                req: &["REQ-UNIX-4"],
                flags: &["SocketPolicy"],
                comment: "a stale socket (its server gone) at socket_path: the server replaces it and serves",
            },
            |b| planted(b, Planted::Stale),
        ),
    ]
}
