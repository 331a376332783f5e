//! The TCP suite: the vector families that make sense on the wire, rebuilt at run time with
//! timestamps from the real clock, kept far from the TTL window's edges, plus the checks only
//! a running server allows (framing, the real bind, refusing to start).
//!
//! As in the vector generator, every test states the verdict its author intends, and the
//! reference verifier is asked for the same steps at the same `now`; a test where the two
//! differ is not run against anyone (it fails as a bug of the suite).

use sipc_reference::json::Value;
use sipc_reference::{Config, Verifier};
use sipc_vectors::load::{Expected, Verdict};
use sipc_vectors::suite::Expect::{self, Accept, Reject};
use sipc_vectors::verdict::accepted_fields;
use sipc_vectors::wire::{self, Env};
use sipc_vectors::{text, Ctx};
use std::cell::Cell;

/// The area the TCP tests report under.
pub const AREA: &str = "tcp";
/// The first tcId of the TCP tests (the published vectors use 1–999).
pub const FIRST_TC_ID: u64 = 1001;
/// How far from the TTL window's edges the stale and future timestamps are, beyond `ttl`.
const MARGIN: u64 = 600;

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

/// A TCP test: its identity and how to build its script at run time.
pub struct TcpTest {
    /// tcId.
    pub tc_id: u64,
    /// Family, requirements, flags, comment.
    pub meta: Meta,
    /// Builds the script for the current time.
    pub build: fn(&Builder) -> Script,
}

/// Makes envelopes for one run: the suite's config, the current time, unique nonces.
pub struct Builder {
    ctx: Ctx,
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

    fn nonce(&self) -> String {
        let n = self.count.get() + 1;
        self.count.set(n);
        format!("sipc-tcp-{:010}-{n:06}", self.tag)
    }

    /// A valid envelope with `ts = now + offset`, a fresh nonce.
    fn env_at(&self, offset: i64) -> Env {
        let ts = self.now.saturating_add_signed(offset);
        self.ctx.env_at(ts).with_str("nonce", &self.nonce())
    }

    /// A valid envelope at `now`.
    fn env(&self) -> Env {
        self.env_at(0)
    }

    fn wire(&self, env: &Env) -> Vec<u8> {
        self.ctx.wire(env)
    }

    fn ttl(&self) -> i64 {
        i64::try_from(self.ctx.ttl()).unwrap_or(i64::MAX)
    }

    /// Steps on the given connections with their intended verdicts, checked against the
    /// reference (one verifier for all of them, as the server has) and completed with the
    /// message a valid step must yield.
    fn steps(&self, plan: Vec<(usize, Vec<u8>, Expect)>) -> Vec<Step> {
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

    fn one(&self, envelope: Vec<u8>, intent: Expect) -> Step {
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
    fn config_text(&self, change: impl FnOnce(&mut Value)) -> Vec<u8> {
        let mut value = self.ctx.config.to_value();
        change(&mut value);
        text::compact(&value)
    }

    /// `max_envelope_bytes` as a header can carry it.
    fn limit(&self) -> u32 {
        u32::try_from(self.ctx.config.envelope_limit()).unwrap_or(u32::MAX)
    }
}

fn set(value: &mut Value, name: &str, to: Value) {
    if let Value::Object(members) = value {
        for (n, v) in members.iter_mut() {
            if n == name {
                *v = to.clone();
            }
        }
    }
}

fn frames(b: &Builder, plan: Vec<(usize, Vec<u8>, Expect)>) -> Script {
    Script::Frames(b.steps(plan))
}

/// Every TCP test, in tcId order. Tests that start servers of their own come last, after the
/// main server has been stopped.
pub fn all() -> Vec<TcpTest> {
    let table: Vec<(Meta, fn(&Builder) -> Script)> = vec![
        (
            Meta {
                id: "SEC-IPC-01",
                req: &["REQ-TCP-3", "REQ-VERIFY-3"],
                flags: &["Valid"],
                comment: "a valid envelope signed now is accepted",
            },
            |b| frames(b, vec![(0, b.wire(&b.env()), Accept)]),
        ),
        (
            Meta {
                id: "SEC-IPC-01",
                req: &["REQ-TCP-3", "REQ-KIND-1"],
                flags: &["Valid"],
                comment: "each allowed kind, one frame after the other on one connection",
            },
            |b| {
                let plan = b
                    .config()
                    .allowed_kinds
                    .iter()
                    .map(|k| (0, b.wire(&b.env().with_str("kind", k)), Accept))
                    .collect();
                frames(b, plan)
            },
        ),
        (
            Meta {
                id: "SEC-IPC-01b",
                req: &["REQ-TCP-3", "REQ-VERIFY-3", "REQ-ENV-12"],
                flags: &["Valid", "AbsentVsNull"],
                comment: "binary payload and every optional member echoed unchanged, null kept",
            },
            |b| {
                let env = b
                    .env()
                    .with_str("payload", "AP8QgH9-_w")
                    .with("target", r#"["svc.a","svc.b"]"#)
                    .with("trace_id", "null")
                    .with_str("reply_to", "spool/replies/é")
                    .with("headers", r#"{"x-a":"1","sig":"not the sig","é":""}"#);
                frames(b, vec![(0, b.wire(&env), Accept)])
            },
        ),
        (
            Meta {
                id: "SEC-IPC-01b",
                req: &["REQ-TCP-3", "REQ-VERIFY-3"],
                flags: &["Valid"],
                comment: "empty payload and a single target string echoed unchanged",
            },
            |b| {
                let env = b
                    .env()
                    .with_str("payload", "")
                    .with_str("target", "svc.only");
                frames(b, vec![(0, b.wire(&env), Accept)])
            },
        ),
        (
            Meta {
                id: "SEC-IPC-02",
                req: &["REQ-SIG-4", "REQ-SIG-5"],
                flags: &["ModifiedMac"],
                comment: "the last hex digit of sig changed",
            },
            |b| {
                let env = b.env();
                let mut sig = env.sig(b.ctx.secret());
                let last = if sig.ends_with('0') { "1" } else { "0" };
                sig.pop();
                sig.push_str(last);
                frames(
                    b,
                    vec![(0, env.wire_sig(&format!("\"{sig}\"")), Reject("bad_signature"))],
                )
            },
        ),
        (
            Meta {
                id: "SEC-IPC-02",
                req: &["REQ-SIG-4"],
                flags: &["ModifiedMac"],
                comment: "signed with another key",
            },
            |b| {
                let env = b.env();
                let other: Vec<u8> = b.ctx.secret().iter().map(|x| x ^ 0x55).collect();
                frames(b, vec![(0, env.wire(&other), Reject("bad_signature"))])
            },
        ),
        (
            Meta {
                id: "SEC-IPC-02",
                req: &["REQ-SIG-3", "REQ-SIG-4"],
                flags: &["TamperedContent"],
                comment: "payload changed after signing",
            },
            |b| {
                let env = b.env();
                let sig = env.sig(b.ctx.secret());
                let tampered = env.with_str("payload", "aGVsbG9v");
                frames(
                    b,
                    vec![(0, tampered.wire_sig(&format!("\"{sig}\"")), Reject("bad_signature"))],
                )
            },
        ),
        (
            Meta {
                id: "SEC-IPC-02b",
                req: &["REQ-SIG-1"],
                flags: &["MissingSig"],
                comment: "an envelope without sig",
            },
            |b| frames(b, vec![(0, b.env().unsigned(), Reject("sig_missing"))]),
        ),
        (
            Meta {
                id: "SEC-IPC-03",
                req: &["REQ-TTL-1", "REQ-TCP-5"],
                flags: &["Expired"],
                comment: "ts far in the past (ttl + 600 s before the real clock)",
            },
            |b| {
                let env = b.env_at(-(b.ttl() + MARGIN as i64));
                frames(b, vec![(0, b.wire(&env), Reject("expired"))])
            },
        ),
        (
            Meta {
                id: "SEC-IPC-03",
                req: &["REQ-TTL-2", "REQ-TCP-5"],
                flags: &["FromFuture"],
                comment: "ts far in the future (ttl + 600 s after the real clock)",
            },
            |b| {
                let env = b.env_at(b.ttl() + MARGIN as i64);
                frames(b, vec![(0, b.wire(&env), Reject("from_future"))])
            },
        ),
        (
            Meta {
                id: "SEC-IPC-04",
                req: &["REQ-REPLAY-2", "REQ-TCP-3"],
                flags: &["Replay"],
                comment: "the same envelope twice on one connection",
            },
            |b| {
                let w = b.wire(&b.env());
                frames(b, vec![(0, w.clone(), Accept), (0, w, Reject("replay"))])
            },
        ),
        (
            Meta {
                id: "SEC-IPC-04",
                req: &["REQ-REPLAY-2", "REQ-TCP-5"],
                flags: &["Replay", "SharedReplayCache"],
                comment: "the same envelope again on a second connection",
            },
            |b| {
                let w = b.wire(&b.env());
                frames(b, vec![(0, w.clone(), Accept), (1, w, Reject("replay"))])
            },
        ),
        (
            Meta {
                id: "SEC-IPC-04",
                req: &["REQ-REPLAY-2", "REQ-TCP-5", "REQ-SIG-3"],
                flags: &["Replay", "SharedReplayCache", "NonCanonicalWire"],
                comment: "the same envelope again, reordered and spaced, on a second connection",
            },
            |b| {
                let env = b.env();
                let signed = env.signed(b.ctx.secret());
                frames(
                    b,
                    vec![
                        (0, b.wire(&env), Accept),
                        (1, wire::spaced(&signed), Reject("replay")),
                    ],
                )
            },
        ),
        (
            Meta {
                id: "SEC-IPC-05",
                req: &["REQ-TCP-2", "REQ-SIZE-1"],
                flags: &["Oversize", "LengthBeforeBody"],
                comment: "a header announcing max_envelope_bytes + 1 and no body: oversize within 2 s, then close",
            },
            |b| Script::OversizeHeader(b.limit().saturating_add(1)),
        ),
        (
            Meta {
                id: "SEC-IPC-05",
                req: &["REQ-TCP-2", "REQ-SIZE-1"],
                flags: &["Oversize", "LengthBeforeBody"],
                comment: "a header announcing 4 GiB - 1 and no body: oversize within 2 s, then close",
            },
            |_| Script::OversizeHeader(u32::MAX),
        ),
        (
            Meta {
                id: "SEC-IPC-06",
                req: &["REQ-KIND-1"],
                flags: &["KindMatch"],
                comment: "kinds not allowed: an extension and a prefix of an allowed kind",
            },
            |b| {
                let kind = b.ctx.kind().to_owned();
                let prefix = kind.get(..kind.len().saturating_sub(1)).unwrap_or("");
                let prefix = if prefix.is_empty() { "zz" } else { prefix };
                let plan = vec![
                    (0, b.wire(&b.env().with_str("kind", &format!("{kind}.x"))), Reject("kind_not_allowed")),
                    (0, b.wire(&b.env().with_str("kind", prefix)), Reject("kind_not_allowed")),
                ];
                frames(b, plan)
            },
        ),
        (
            Meta {
                id: "ENV-WIRE",
                req: &["REQ-SIG-3", "REQ-TCP-1"],
                flags: &["Valid", "NonCanonicalWire"],
                comment: "valid envelopes in non-canonical wire forms (reversed, spaced, escaped)",
            },
            |b| {
                let plan = [wire::reversed, wire::spaced, wire::escaped]
                    .iter()
                    .map(|form| (0, form(&b.env().signed(b.ctx.secret())), Accept))
                    .collect();
                frames(b, plan)
            },
        ),
        (
            Meta {
                id: "TCP-FRAME",
                req: &["REQ-TCP-1"],
                flags: &["FrameReassembly"],
                comment: "one frame written a byte at a time, with pauses",
            },
            |b| Script::Bytewise(b.one(b.wire(&b.env()), Accept)),
        ),
        (
            Meta {
                id: "TCP-FRAME",
                req: &["REQ-TCP-1", "REQ-TCP-3"],
                flags: &["FrameReassembly"],
                comment: "four frames pipelined in one write: answers in order",
            },
            |b| {
                let first = b.wire(&b.env());
                let other = b.env();
                let forged = other.wire(&[7u8; 32]);
                let plan = vec![
                    (0, first.clone(), Accept),
                    (0, forged, Reject("bad_signature")),
                    (0, first, Reject("replay")),
                    (0, b.wire(&other), Accept),
                ];
                Script::Pipelined(b.steps(plan))
            },
        ),
        (
            Meta {
                id: "TCP-FRAME",
                req: &["REQ-TCP-1", "REQ-TCP-3", "REQ-JSON-3"],
                flags: &["FrameReassembly"],
                comment: "an empty frame is malformed, and the connection goes on",
            },
            |b| frames(b, vec![(0, Vec::new(), Reject("malformed")), (0, b.wire(&b.env()), Accept)]),
        ),
        (
            Meta {
                id: "TCP-FRAME",
                req: &["REQ-TCP-4", "REQ-REPLAY-3"],
                flags: &["FrameReassembly"],
                comment: "a connection closed in the middle of the header: no answer, no effect",
            },
            |b| Script::CutOff {
                cut: 2,
                step: b.one(b.wire(&b.env()), Accept),
            },
        ),
        (
            Meta {
                id: "TCP-FRAME",
                req: &["REQ-TCP-4", "REQ-REPLAY-3"],
                flags: &["FrameReassembly"],
                comment: "a connection closed in the middle of the body: no answer, the nonce not recorded",
            },
            |b| {
                let w = b.wire(&b.env());
                Script::CutOff {
                    cut: 4 + w.len() / 2,
                    step: b.one(w, Accept),
                }
            },
        ),
        (
            Meta {
                id: "SEC-IPC-07",
                req: &["REQ-TCP-7", "REQ-CONFIG-3"],
                flags: &["WildcardBind"],
                comment: "every socket listening on the server's port has a loopback address",
            },
            |_| Script::LoopbackOnly,
        ),
        (
            Meta {
                id: "SEC-IPC-07",
                req: &["REQ-TCP-6", "REQ-CONFIG-3"],
                flags: &["WildcardBind", "BindPolicy"],
                comment: "bind_host 0.0.0.0: the server refuses to start",
            },
            |b| Script::RefusesToStart(b.config_text(|c| set(c, "bind_host", Value::String("0.0.0.0".into())))),
        ),
        (
            Meta {
                id: "SEC-IPC-07",
                req: &["REQ-TCP-6", "REQ-CONFIG-3"],
                flags: &["WildcardBind", "BindPolicy"],
                comment: "bind_host ::: the server refuses to start",
            },
            |b| Script::RefusesToStart(b.config_text(|c| set(c, "bind_host", Value::String("::".into())))),
        ),
        (
            Meta {
                id: "SEC-IPC-07b",
                req: &["REQ-TCP-6", "REQ-CONFIG-3"],
                flags: &["WildcardBind", "BindPolicy"],
                comment: "bind_host localhost: the server refuses to start",
            },
            |b| Script::RefusesToStart(b.config_text(|c| set(c, "bind_host", Value::String("localhost".into())))),
        ),
        (
            Meta {
                id: "SEC-IPC-07b",
                req: &["REQ-TCP-6", "REQ-CONFIG-4"],
                flags: &["WildcardBind", "BindPolicy"],
                comment: "bind_port 70000: the server refuses to start",
            },
            |b| Script::RefusesToStart(b.config_text(|c| set(c, "bind_port", wire::json("70000")))),
        ),
    ];
    table
        .into_iter()
        .zip(FIRST_TC_ID..)
        .map(|((meta, build), tc_id)| TcpTest { tc_id, meta, build })
        .collect()
}

impl Script {
    /// Whether the test runs against the main server (not one of its own).
    pub fn needs_server(&self) -> bool {
        !matches!(self, Script::RefusesToStart(_))
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
