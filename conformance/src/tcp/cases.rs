//! The TCP suite: the vector families that make sense on the wire, rebuilt at run time with
//! timestamps from the real clock, kept far from the TTL window's edges, plus the checks only
//! a running server allows (framing, the real bind, refusing to start).
//!
//! As in the vector generator, every test states the verdict its author intends, and the
//! reference verifier is asked for the same steps at the same `now`; a test where the two
//! differ is not run against anyone (it fails as a bug of the suite).

use super::client::Endpoint;
use crate::tls::pki::ClientCert;
use sipc_reference::json::Value;
use sipc_reference::{Config, Transport, Verifier};
use sipc_vectors::load::{Expected, Verdict};
use sipc_vectors::suite::Expect::{self, Accept, Reject};
use sipc_vectors::verdict::accepted_fields;
use sipc_vectors::wire::Env;
use sipc_vectors::{text, Ctx};
use std::cell::Cell;
use std::path::PathBuf;

/// The area the TCP tests report under.
pub const AREA: &str = "tcp";
/// The first tcId of the TCP tests (the published vectors use 1–999).
pub const FIRST_TC_ID: u64 = 1001;
/// How far from the TTL window's edges the stale and future timestamps are, beyond `ttl`.
pub(super) const MARGIN: u64 = 600;

/// One frame to send and the verdict it must get.
#[derive(Clone, Debug)]
pub struct Step {
    /// Which connection carries it (0 = the first opened by the test).
    pub conn: usize,
    /// The raw envelope (the frame's body).
    pub envelope: Vec<u8>,
    /// The verdict the answer must hold.
    pub expected: Expected,
}

/// What a test does on the wire.
#[derive(Clone, Debug)]
pub enum Script {
    /// Each step in a write of its own, on its connection, its answer read before the next.
    Frames(Vec<Step>),
    /// One frame written a byte at a time, with a pause after each byte.
    Bytewise(Step),
    /// Every frame in one write on one connection; the answers must come in order.
    Pipelined(Vec<Step>),
    /// A header announcing `announced` bytes and no body: the answer must be `oversize`,
    /// within 2 s, and the connection must then close (REQ-TCP-2).
    OversizeHeader(u32),
    /// The first `cut` bytes of the step's frame, then the connection closes; no answer may
    /// come. The whole frame then goes on a new connection and gets its verdict (REQ-TCP-4).
    CutOff {
        /// Bytes of the frame sent before the close.
        cut: usize,
        /// The frame.
        step: Step,
    },
    /// Every socket listening on the server's port has a loopback address (REQ-TCP-7).
    LoopbackOnly,
    /// The server, started with this config, exits non-zero without `LISTENING` (REQ-TCP-6).
    RefusesToStart(Vec<u8>),
    /// The main server's socket file: a socket of mode 0600 owned by the runner's uid, although
    /// the server was started under umask 000 (REQ-UNIX-3).
    UnixSocketFile(PathBuf),
    /// A server of its own on `socket`, with a config that does not allow the runner's uid:
    /// the step's frame must get no answer, the connection closed (REQ-UNIX-2).
    UnixPeerRefused {
        /// The server's config.
        config: Vec<u8>,
        /// The socket it names: a file, or an abstract name any local process can reach.
        endpoint: Endpoint,
        /// A valid frame.
        step: Step,
    },
    /// As root: a server of its own on the abstract socket `name`, open to the runner's uid
    /// only; a child of the runner that drops to uid 65534 sends the step's frame and must get
    /// no answer, then the runner sends it and it must be accepted (REQ-UNIX-2). Not run, and
    /// reported as a skip, without root.
    UnixPeerAsNobody {
        /// The server's config.
        config: Vec<u8>,
        /// The abstract name it binds, without `@`.
        name: String,
        /// A valid frame.
        step: Step,
    },
    /// A TLS test against the main server (SIPC/1 §15).
    Tls(TlsScript),
    /// A server of its own on `socket`, with `planted` there first (REQ-UNIX-4).
    UnixPlanted {
        /// The server's config.
        config: Vec<u8>,
        /// The socket it names.
        socket: PathBuf,
        /// What stands at the path.
        planted: Planted,
        /// A valid frame, for the server that must start.
        step: Step,
    },
}

/// The TLS tests' scripts (SIPC/1 §15), in a run with `--tls`.
#[derive(Clone, Debug)]
pub enum TlsScript {
    /// The server presents the certificate of `tls.cert`, over TLS 1.2 or 1.3 (REQ-TLS-1).
    ServerCertificate,
    /// A connection presenting `client` (no certificate for `None`) fails the handshake or is
    /// closed without an answer to the step's frame; then, with the valid certificate, the same
    /// frame gets the step's verdict: the refused connection changed nothing (REQ-TLS-2,
    /// REQ-TLS-3).
    Refused {
        /// What the client presents.
        client: Option<ClientCert>,
        /// A valid frame.
        step: Step,
    },
    /// A connection presenting `client` is served: the step's verdict (REQ-TLS-2).
    Served {
        /// What the client presents.
        client: ClientCert,
        /// A valid frame.
        step: Step,
    },
}

/// What a Unix test leaves at the socket's path before the server starts (REQ-UNIX-4).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Planted {
    /// A symbolic link to a file of the runner's: the server refuses to start, link and file
    /// untouched.
    Link,
    /// A socket the runner listens on: the server refuses to start, the runner keeps it.
    Live,
    /// A socket whose listener is gone: the server replaces it and serves.
    Stale,
}

/// A test's identity.
#[derive(Clone, Copy)]
pub struct Meta {
    /// Its family (e.g. `SEC-IPC-04`).
    pub id: &'static str,
    /// The requirements it checks.
    pub req: &'static [&'static str],
    /// The bugs a failure points to.
    pub flags: &'static [&'static str],
    /// What it is about.
    pub comment: &'static str,
}

/// Builds a test's script at run time.
pub type Build = fn(&Builder) -> Script;

/// A TCP test: its identity and how to build its script at run time.
pub struct TcpTest {
    /// tcId.
    pub tc_id: u64,
    /// Family, requirements, flags, comment.
    pub meta: Meta,
    /// Builds the script for the current time.
    pub build: Build,
}

/// Makes envelopes for one run: the suite's config, the current time, unique nonces.
pub struct Builder {
    pub(super) ctx: Ctx,
    /// The real clock when the test is built.
    pub now: u64,
    tag: u64,
    count: Cell<u64>,
    /// Steps whose intended verdict the reference does not give.
    problems: std::cell::RefCell<Vec<String>>,
}

impl Builder {
    /// A builder for `config` at `now`; `tag` makes this run's nonces unique.
    pub fn new(config: Config, now: u64, tag: u64) -> Builder {
        Builder {
            ctx: Ctx::new(config),
            now,
            tag,
            count: Cell::new(0),
            problems: Default::default(),
        }
    }

    /// The config the server runs with.
    pub fn config(&self) -> &Config {
        &self.ctx.config
    }

    /// Moves the builder's clock (a test is built just before it runs).
    pub fn at(&mut self, now: u64) {
        self.now = now;
    }

    pub(super) fn nonce(&self) -> String {
        let n = self.count.get() + 1;
        self.count.set(n);
        format!("sipc-tcp-{:010}-{n:06}", self.tag)
    }

    /// A valid envelope with `ts = now + offset`, a fresh nonce.
    pub(crate) fn env_at(&self, offset: i64) -> Env {
        let ts = self.now.saturating_add_signed(offset);
        self.ctx.env_at(ts).with_str("nonce", &self.nonce())
    }

    /// A valid envelope at `now`.
    pub(crate) fn env(&self) -> Env {
        self.env_at(0)
    }

    pub(crate) fn wire(&self, env: &Env) -> Vec<u8> {
        self.ctx.wire(env)
    }

    pub(crate) fn ttl(&self) -> i64 {
        i64::try_from(self.ctx.ttl()).unwrap_or(i64::MAX)
    }

    /// Steps on the given connections with their intended verdicts, checked against the
    /// reference (one verifier for all of them, as the server has) and completed with the
    /// message a valid step must yield.
    pub(crate) fn steps(&self, plan: Vec<(usize, Vec<u8>, Expect)>) -> Vec<Step> {
        let mut verifier = match Verifier::new(self.ctx.config.clone()) {
            Ok(v) => v,
            Err(e) => {
                self.problems.borrow_mut().push(format!("config: {e}"));
                return Vec::new();
            }
        };
        plan.into_iter()
            .map(|(conn, envelope, intent)| {
                let got = verifier.verify(&envelope, self.now);
                let expected = match (intent, &got) {
                    (Accept, Ok(message)) => Expected {
                        result: Verdict::Valid,
                        error: None,
                        field: None,
                        accepted: Some(accepted_fields(message)),
                        output: None,
                    },
                    (Reject(code), Err(e)) if e.code() == code => Expected {
                        result: Verdict::Invalid,
                        error: Some(code.to_owned()),
                        field: None,
                        accepted: None,
                        output: None,
                    },
                    _ => {
                        self.problems.borrow_mut().push(format!(
                            "intended {intent:?}, the reference says {:?}",
                            got.map_err(|e| e.code())
                        ));
                        Expected {
                            result: Verdict::Invalid,
                            error: Some("(suite bug)".into()),
                            field: None,
                            accepted: None,
                            output: None,
                        }
                    }
                };
                Step {
                    conn,
                    envelope,
                    expected,
                }
            })
            .collect()
    }

    pub(crate) fn one(&self, envelope: Vec<u8>, intent: Expect) -> Step {
        self.steps(vec![(0, envelope, intent)])
            .pop()
            .unwrap_or_else(|| Step {
                conn: 0,
                envelope: Vec::new(),
                expected: Expected {
                    result: Verdict::Valid,
                    error: None,
                    field: None,
                    accepted: None,
                    output: None,
                },
            })
    }

    /// The problems found while building, emptied.
    pub fn take_problems(&self) -> Vec<String> {
        std::mem::take(&mut *self.problems.borrow_mut())
    }

    /// The suite's config with `change` applied, as JSON text (for a server that must refuse it).
    pub(crate) fn config_text(&self, change: impl FnOnce(&mut Value)) -> Vec<u8> {
        let mut value = self.ctx.config.to_value();
        change(&mut value);
        text::compact(&value)
    }

    /// The suite's config with the member `name` of its `tls` section set to `path` (a server
    /// that must refuse to start, REQ-TLS-5).
    pub(super) fn tls_config_with(&self, name: &str, path: &str) -> Vec<u8> {
        let path = Value::String(path.to_owned());
        self.config_text(|c| {
            if let Value::Object(members) = c {
                for (n, tls) in members.iter_mut() {
                    if n != "tls" {
                        continue;
                    }
                    if let Value::Object(files) = tls {
                        for (f, v) in files.iter_mut() {
                            if f == name {
                                *v = path.clone();
                            }
                        }
                    }
                }
            }
        })
    }

    /// A file beside the run's TLS files (`tls.cert`'s folder), by name.
    pub(super) fn beside_tls(&self, file: &str) -> String {
        self.ctx
            .config
            .tls
            .as_ref()
            .map(|t| PathBuf::from(&t.cert).with_file_name(file))
            .unwrap_or_default()
            .display()
            .to_string()
    }

    /// The Unix socket the main server listens on (a Unix run's config names it; an empty path
    /// otherwise).
    pub(super) fn unix_socket(&self) -> PathBuf {
        match &self.ctx.config.transport {
            Transport::UnixLocal { socket_path, .. } => PathBuf::from(socket_path),
            _ => PathBuf::new(),
        }
    }

    /// The socket of a server of a test's own, beside the main one.
    pub(super) fn own_socket(&self) -> PathBuf {
        self.unix_socket().with_file_name("own.sock")
    }

    /// An abstract name for a server of a test's own, unique to the run.
    pub(super) fn own_abstract(&self) -> String {
        format!("sipc-tcp-{:010}-own", self.tag)
    }

    /// The config of a server of a test's own: the main one on `socket` (a path, or `@name`),
    /// open to `uids`.
    pub(super) fn own_config(&self, socket: &str, uids: &[u64]) -> Vec<u8> {
        let socket = socket.to_owned();
        let list: Vec<Value> = uids
            .iter()
            .map(|u| Value::Number(sipc_reference::json::Number::from_u64(*u)))
            .collect();
        self.config_text(|c| {
            if let Value::Object(members) = c {
                for (name, value) in members.iter_mut() {
                    match name.as_str() {
                        "socket_path" => *value = Value::String(socket.clone()),
                        "allowed_peer_uids" => *value = Value::Array(list.clone()),
                        _ => {}
                    }
                }
            }
        })
    }

    /// `max_envelope_bytes` as a header can carry it.
    pub(super) fn limit(&self) -> u32 {
        u32::try_from(self.ctx.config.envelope_limit()).unwrap_or(u32::MAX)
    }
}

impl Script {
    /// Whether the test runs against the main server (not one of its own).
    pub fn needs_server(&self) -> bool {
        !matches!(
            self,
            Script::RefusesToStart(_)
                | Script::UnixPeerRefused { .. }
                | Script::UnixPeerAsNobody { .. }
                | Script::UnixPlanted { .. }
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The agreement check can fail: an intent the reference does not share is reported.
    #[test]
    fn a_wrong_intent_is_reported() {
        let b = Builder::new(sipc_vectors::default_config().unwrap(), 1_700_000_000, 1);
        let w = b.wire(&b.env());
        let steps = b.steps(vec![(0, w.clone(), Accept), (0, w, Accept)]);
        assert_eq!(steps[0].expected.result, Verdict::Valid);
        let problems = b.take_problems();
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert!(problems[0].contains("replay"), "{problems:?}");
    }
}
