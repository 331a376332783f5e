//! Running one TCP script against the server and judging what came back.

use super::cases::{Script, Step};
use super::client::{Answer, Conn, Endpoint};
use super::server::{self, NotStarted, Server};
use crate::run::check::{expected_text, judge_step, show_bytes, Context, Judgement, Observation};
use sipc_reference::frame::encode;
use std::path::Path;
use std::time::Duration;

/// How long an oversize header may wait for its answer (SEC-IPC-05).
pub const OVERSIZE_ANSWER: Duration = Duration::from_secs(2);
/// How long a connection cut off mid-frame is watched for an (unwanted) answer.
const QUIET: Duration = Duration::from_millis(500);
/// The pause after each byte of a bytewise frame.
const BYTE_PAUSE: Duration = Duration::from_millis(3);

/// What a script needs.
pub struct Target<'a> {
    /// The main server's endpoint.
    pub addr: Endpoint,
    /// The server command line (for the servers a start test runs itself).
    pub command: &'a str,
    /// Where start tests write their configs.
    pub dir: &'a Path,
    /// How long an answer may take.
    pub timeout: Duration,
    /// Error-code map and the like.
    pub ctx: &'a Context<'a>,
    /// In a TLS run: the run's PKI and client configs (every connection is under TLS, with the
    /// valid client certificate unless a test says otherwise).
    pub tls: Option<&'a crate::tls::Clients>,
}

impl Target<'_> {
    /// A connection to the main server, under TLS with the valid client certificate in a TLS
    /// run.
    pub fn connect(&self) -> Result<Conn, String> {
        self.connect_as(Some(crate::tls::pki::ClientCert::Valid))
    }

    /// A connection presenting `client` in a TLS run (no certificate for `None`); in the clear
    /// otherwise.
    pub fn connect_as(&self, client: Option<crate::tls::pki::ClientCert>) -> Result<Conn, String> {
        Conn::open(&self.addr, self.tls.and_then(|c| c.get(client)))
    }
}

pub(crate) fn obs(
    judgement: Judgement,
    detail: impl Into<String>,
    sent: String,
    expected: &str,
    provided: String,
) -> Observation {
    Observation {
        judgement,
        detail: detail.into(),
        sent,
        expected: expected.to_owned(),
        provided,
    }
}

pub(crate) fn pass(sent: String) -> Observation {
    obs(Judgement::Pass, "", sent, "", String::new())
}

pub(super) fn frame(envelope: &[u8]) -> Vec<u8> {
    encode(envelope).unwrap_or_default()
}

/// Judges the answer to step `i` of `n`; `None` when it passed.
fn judge(
    answer: Answer,
    step: &Step,
    i: usize,
    n: usize,
    how: &str,
    t: &Target,
) -> Option<Observation> {
    let place = if n > 1 {
        format!("frame {} of {n}: ", i + 1)
    } else {
        String::new()
    };
    let sent = format!(
        "{place}{how} on connection {}: {}",
        step.conn + 1,
        show_bytes(&step.envelope)
    );
    let o = match answer {
        Answer::Verdict(v) => judge_step(&v, &step.expected, t.ctx, &place, sent),
        other => Observation {
            judgement: Judgement::Fail,
            detail: format!("{place}{other}"),
            sent,
            expected: format!("{place}{}", expected_text(&step.expected)),
            provided: other.to_string(),
        },
    };
    (o.judgement != Judgement::Pass).then_some(o)
}

/// Keeps the first non-pass: a failure beats a wrong code.
fn worse(current: Option<Observation>, new: Option<Observation>) -> Option<Observation> {
    match (&current, &new) {
        (None, _) => new,
        (Some(c), Some(n))
            if c.judgement == Judgement::WrongCode && n.judgement == Judgement::Fail =>
        {
            new
        }
        _ => current,
    }
}

pub(super) fn frames(steps: &[Step], t: &Target) -> Observation {
    let mut conns: Vec<Conn> = Vec::new();
    let mut found = None;
    for (i, step) in steps.iter().enumerate() {
        while conns.len() <= step.conn {
            match t.connect() {
                Ok(c) => conns.push(c),
                Err(e) => {
                    return obs(
                        Judgement::Fail,
                        e,
                        format!("connection {}", conns.len() + 1),
                        "a connection",
                        String::new(),
                    )
                }
            }
        }
        let conn = &mut conns[step.conn];
        let answer = match conn.send(&frame(&step.envelope)) {
            Ok(()) => conn.answer(t.timeout),
            Err(e) => Answer::Error(e),
        };
        let broken = !matches!(answer, Answer::Verdict(_));
        found = worse(found, judge(answer, step, i, steps.len(), "one frame", t));
        if broken {
            break;
        }
    }
    found.unwrap_or_else(|| pass(format!("{} frame(s)", steps.len())))
}

fn bytewise(step: &Step, t: &Target) -> Observation {
    let mut conn = match t.connect() {
        Ok(c) => c,
        Err(e) => return obs(Judgement::Fail, e, "a connection".into(), "", String::new()),
    };
    let whole = frame(&step.envelope);
    for (i, byte) in whole.iter().enumerate() {
        if let Err(e) = conn.send(std::slice::from_ref(byte)) {
            let early = conn.answer(QUIET);
            return obs(
                Judgement::Fail,
                format!(
                    "the connection broke after {i} of {} bytes ({e}); before that the server said: {early}",
                    whole.len()
                ),
                format!("one frame, a byte at a time: {}", show_bytes(&step.envelope)),
                "the frame reassembled and accepted",
                early.to_string(),
            );
        }
        std::thread::sleep(BYTE_PAUSE);
    }
    let answer = conn.answer(t.timeout);
    judge(answer, step, 0, 1, "one frame, a byte at a time", t)
        .unwrap_or_else(|| pass(String::new()))
}

fn pipelined(steps: &[Step], t: &Target) -> Observation {
    let mut conn = match t.connect() {
        Ok(c) => c,
        Err(e) => return obs(Judgement::Fail, e, "a connection".into(), "", String::new()),
    };
    let wire: Vec<u8> = steps.iter().flat_map(|s| frame(&s.envelope)).collect();
    if let Err(e) = conn.send(&wire) {
        return obs(
            Judgement::Fail,
            e,
            "frames in one write".into(),
            "",
            String::new(),
        );
    }
    let mut found = None;
    for (i, step) in steps.iter().enumerate() {
        let answer = conn.answer(t.timeout);
        let broken = !matches!(answer, Answer::Verdict(_));
        found = worse(
            found,
            judge(
                answer,
                step,
                i,
                steps.len(),
                "in one write with the others",
                t,
            ),
        );
        if broken {
            break;
        }
    }
    found.unwrap_or_else(|| pass(format!("{} frames in one write", steps.len())))
}

fn oversize_header(announced: u32, t: &Target) -> Observation {
    let sent = format!("a header announcing {announced} bytes, and no body");
    let expected = "reject: oversize within 2 s, then the connection closed";
    let mut conn = match t.connect() {
        Ok(c) => c,
        Err(e) => {
            return obs(
                Judgement::Fail,
                e.to_string(),
                sent,
                expected,
                String::new(),
            )
        }
    };
    if let Err(e) = conn.send(&announced.to_be_bytes()) {
        return obs(Judgement::Fail, e, sent, expected, String::new());
    }
    let answer = conn.answer(OVERSIZE_ANSWER);
    let verdict = match &answer {
        Answer::Verdict(v) => v.clone(),
        Answer::Timeout => {
            return obs(
                Judgement::Fail,
                "no answer within 2 s: the server waits for the body before checking the announced length",
                sent,
                expected,
                answer.to_string(),
            )
        }
        other => {
            return obs(Judgement::Fail, format!("no oversize answer: {other}"), sent, expected, other.to_string())
        }
    };
    let want = sipc_vectors::load::Expected {
        result: sipc_vectors::load::Verdict::Invalid,
        error: Some("oversize".into()),
        field: None,
        accepted: None,
        output: None,
    };
    let o = judge_step(&verdict, &want, t.ctx, "", sent.clone());
    if o.judgement != Judgement::Pass {
        return o;
    }
    match conn.answer(OVERSIZE_ANSWER) {
        Answer::Closed { .. } => pass(sent),
        other => obs(
            Judgement::Fail,
            format!("answered oversize but did not close the connection: {other}"),
            sent,
            expected,
            show_bytes(&sipc_vectors::text::compact(&verdict)),
        ),
    }
}

fn cut_off(cut: usize, step: &Step, t: &Target) -> Observation {
    let whole = frame(&step.envelope);
    let cut = cut.min(whole.len().saturating_sub(1));
    let sent = format!(
        "{cut} of the {} bytes of a frame, then a close; then the whole frame on a new connection",
        whole.len()
    );
    let mut conn = match t.connect() {
        Ok(c) => c,
        Err(e) => return obs(Judgement::Fail, e, sent, "", String::new()),
    };
    if let Err(e) = conn.send(&whole[..cut]) {
        return obs(Judgement::Fail, e, sent, "", String::new());
    }
    conn.finish_sending();
    match conn.answer(QUIET) {
        Answer::Verdict(v) => {
            return obs(
                Judgement::Fail,
                "answered a frame that was cut off by a close",
                sent,
                "no answer: the connection is dropped quietly",
                show_bytes(&sipc_vectors::text::compact(&v)),
            )
        }
        Answer::NotJson(text) => {
            return obs(
                Judgement::Fail,
                "answered a frame that was cut off by a close",
                sent,
                "no answer",
                text,
            )
        }
        _ => {}
    }
    drop(conn);
    frames(std::slice::from_ref(step), t)
}

fn loopback_only(t: &Target) -> Observation {
    let Endpoint::Tcp(addr) = &t.addr else {
        return obs(
            Judgement::Fail,
            "not run: the bind check is for TCP servers (a bug of the suite)",
            String::new(),
            "",
            String::new(),
        );
    };
    let port = addr.port();
    let sent =
        format!("read /proc/net/tcp and /proc/net/tcp6 for sockets listening on port {port}");
    let expected = "only loopback local addresses";
    match server::listeners(port) {
        Err(e) => obs(Judgement::Fail, e, sent, expected, String::new()),
        Ok(found) if found.is_empty() => obs(
            Judgement::Fail,
            format!("no socket listens on port {port}, the port of its LISTENING line"),
            sent,
            expected,
            "none".into(),
        ),
        Ok(found) => {
            let all: Vec<String> = found.iter().map(|l| l.addr.to_string()).collect();
            if found.iter().all(|l| server::is_loopback(l.addr.ip())) {
                pass(sent)
            } else {
                obs(
                    Judgement::Fail,
                    format!(
                        "the server listens on a non-loopback address: {}",
                        all.join(", ")
                    ),
                    sent,
                    expected,
                    all.join(", "),
                )
            }
        }
    }
}

fn refuses_to_start(config: &[u8], t: &Target) -> Observation {
    let sent = format!("start the server with the config {}", show_bytes(config));
    let expected = "a non-zero exit, without LISTENING";
    let path = match crate::io::write_file(&t.dir.join("refused.json"), config) {
        Ok(()) => t.dir.join("refused.json"),
        Err(e) => {
            return obs(
                Judgement::Fail,
                e.to_string(),
                sent,
                expected,
                String::new(),
            )
        }
    };
    match Server::start(t.command, &path, None) {
        Ok(mut s) => {
            let addr = s.addr.clone();
            s.stop();
            obs(
                Judgement::Fail,
                format!("the server started and printed LISTENING {addr}"),
                sent,
                expected,
                format!("LISTENING {addr}"),
            )
        }
        Err(NotStarted::Exited(_, true, _)) => pass(sent),
        Err(NotStarted::Exited(status, false, _)) => obs(
            Judgement::Fail,
            format!("the server did not refuse to start: it ended without an error status of its own ({status})"),
            sent,
            expected,
            status,
        ),
        Err(other) => obs(
            Judgement::Fail,
            format!("the server did not refuse to start: {other}"),
            sent,
            expected,
            other.to_string(),
        ),
    }
}

/// Runs `script` against the main server at `t.addr` (or a server of its own).
pub fn run(script: &Script, t: &Target) -> Observation {
    match script {
        Script::Frames(steps) => frames(steps, t),
        Script::Bytewise(step) => bytewise(step, t),
        Script::Pipelined(steps) => pipelined(steps, t),
        Script::OversizeHeader(n) => oversize_header(*n, t),
        Script::CutOff { cut, step } => cut_off(*cut, step, t),
        Script::LoopbackOnly => loopback_only(t),
        Script::RefusesToStart(config) => refuses_to_start(config, t),
        Script::UnixSocketFile(socket) => super::exec_unix::socket_file(socket),
        Script::Tls(tls) => super::exec_tls::run(tls, t),
        Script::UnixPeerRefused {
            config,
            endpoint,
            step,
        } => super::exec_unix::peer_refused(config, endpoint, step, t),
        Script::UnixPeerAsNobody { config, name, step } => {
            super::exec_unix::peer_as_nobody(config, name, step, t)
        }
        Script::UnixPlanted {
            config,
            socket,
            planted,
            step,
        } => super::exec_unix::planted(config, socket, *planted, step, t),
    }
}
