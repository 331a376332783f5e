//! The table of TCP tests, in tcId order: what each sends and the verdicts it must get
//! (see [`super::cases`] for how they are built and checked against the reference).

use super::cases::{Build, Builder, Meta, Script, TcpTest, FIRST_TC_ID, MARGIN};
use sipc_reference::json::Value;
use sipc_vectors::suite::Expect::{self, Accept, Reject};
use sipc_vectors::wire;

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
    let table: Vec<(Meta, Build)> = vec![
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
        .chain(super::table_unix::table())
        .chain(super::table_tls::table())
        .zip(FIRST_TC_ID..)
        .map(|((meta, build), tc_id)| TcpTest { tc_id, meta, build })
        .collect()
}
