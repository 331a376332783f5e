//! `sipc serve` held to the framing model (spec/model/src/framing.rs) over loopback TCP: a
//! random script of frames — signed envelopes with one of two nonces, empty frames, an
//! oversize header — is written in random chunks and closed at a random point (mid-frame
//! included); the answers must be the model's for the frames whole before the close. A second
//! connection then sends every frame of the script whole: its answers must be the model's from
//! the state the first left, so a frame cut off by the close must have changed nothing
//! (REQ-TCP-1, REQ-TCP-2, REQ-TCP-4, REQ-TCP-5).

mod common;

use proptest::prelude::*;
use proptest::test_runner::{TestCaseError, TestRunner};
use sipc_model::{FramingBounds, FramingModel, ScriptFrame, Verdict};
use sipc_reference::{sign, Fields};
use std::io::{Read, Write};
use std::net::{Shutdown, SocketAddr, TcpStream};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

const SECRET: [u8; 32] = [7; 32];
/// `max_envelope_bytes` of the server's config; an oversize frame announces one more.
const LIMIT: u32 = 4096;
const START_TIMEOUT: Duration = Duration::from_secs(10);
const ANSWER_TIMEOUT: Duration = Duration::from_secs(5);
/// The most answer bytes read from one connection.
const MAX_ANSWER_BYTES: usize = 1 << 16;
/// Random scripts, chunkings and closes.
const CASES: u32 = 150;

/// The abstract frames: limit 1, so a body of 0 bytes is empty, of 1 byte an envelope (its
/// tag the nonce) and of 2 bytes oversize.
const BOUNDS: FramingBounds = FramingBounds {
    limit: 1,
    max_body: 2,
    frames: 6,
    tags: 2,
};

/// `sipc serve` on a loopback port, killed and reaped when dropped.
struct Server {
    child: Child,
    addr: SocketAddr,
}

impl Server {
    fn start() -> Server {
        let dir = std::env::temp_dir().join(format!("sipc-tcp-model-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let config = dir.join("config.json");
        let secret_hex: String = SECRET.iter().map(|b| format!("{b:02x}")).collect();
        std::fs::write(
            &config,
            format!(
                r#"{{"transport":"tcp_local","bind_host":"127.0.0.1","bind_port":0,
                    "auth":{{"mode":"hmac","secret_hex":"{secret_hex}","ttl_seconds":600,"nonce_cache_size":100000}},
                    "max_payload_bytes":64,"max_envelope_bytes":{LIMIT},"allowed_kinds":["job.run"]}}"#
            ),
        )
        .unwrap();
        let mut child = Command::new(env!("CARGO_BIN_EXE_sipc"))
            .args(["serve", "--config"])
            .arg(&config)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let first = common::first_line(&mut child, START_TIMEOUT);
        let server = |addr| Server { child, addr };
        match first {
            Some(line) if line.starts_with("LISTENING 127.0.0.1:") => {
                server(line["LISTENING ".len()..].trim().parse().unwrap())
            }
            other => {
                drop(server("127.0.0.1:1".parse().unwrap()));
                panic!("sipc serve did not start: {other:?}");
            }
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Each case's nonces are its own, so that cases do not replay each other on the shared
/// verifier (REQ-TCP-5).
static CASE: AtomicU64 = AtomicU64::new(0);

fn envelope(case: u64, tag: u8) -> Vec<u8> {
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs();
    sign(
        &SECRET,
        &Fields {
            kind: "job.run".into(),
            payload: b"model".to_vec(),
            ts: now,
            nonce: format!("tcp-model-case-{case:08}-tag-{tag}"),
            ..Fields::default()
        },
    )
}

/// The wire bytes of `frame` (an oversize one is only its header: a peer sends nothing
/// after it, so the server's close is never a reset), and the abstract frame's byte count.
fn real_frame(case: u64, frame: ScriptFrame) -> Vec<u8> {
    match frame.len {
        0 => vec![0; 4],
        1 => {
            let body = envelope(case, frame.tag);
            let mut out = u32::try_from(body.len()).unwrap().to_be_bytes().to_vec();
            out.extend_from_slice(&body);
            out
        }
        _ => (LIMIT + 1).to_be_bytes().to_vec(),
    }
}

/// The abstract stream position of a close after `cut` real bytes: within a header, the same
/// offset; within a body, the header's end (the abstract body, of one byte, is not whole).
fn abstract_cut(frames: &[Vec<u8>], script: &[ScriptFrame], cut: usize) -> usize {
    let (mut real, mut abs) = (0, 0);
    for (bytes, frame) in frames.iter().zip(script) {
        let abs_len = 4 + usize::from(frame.len);
        if cut >= real + bytes.len() {
            real += bytes.len();
            abs += abs_len;
            continue;
        }
        let into = cut - real;
        return abs + if into < 4 { into } else { 4 };
    }
    abs
}

/// Writes `chunks` of `bytes`, half-closes, and reads the answer frames until the server
/// closes: the error code of each (`accept` for an accept).
fn exchange(addr: SocketAddr, bytes: &[u8], chunks: &[usize]) -> Vec<String> {
    let mut stream = TcpStream::connect(addr).unwrap();
    stream.set_nodelay(true).unwrap();
    stream.set_read_timeout(Some(ANSWER_TIMEOUT)).unwrap();
    stream.set_write_timeout(Some(ANSWER_TIMEOUT)).unwrap();
    let mut at = 0;
    for &n in chunks {
        stream.write_all(&bytes[at..at + n]).unwrap();
        at += n;
    }
    let _ = stream.shutdown(Shutdown::Write);
    let mut answers = Vec::new();
    stream
        .take(MAX_ANSWER_BYTES as u64)
        .read_to_end(&mut answers)
        .unwrap();
    let mut out = Vec::new();
    let mut rest = &answers[..];
    while rest.len() >= 4 {
        let n = u32::from_be_bytes(rest[..4].try_into().unwrap()) as usize;
        let body: serde_json::Value = serde_json::from_slice(&rest[4..4 + n]).unwrap();
        out.push(
            match body["verdict"].as_str() {
                Some("accept") => "accept",
                _ => body["error"].as_str().unwrap_or("?"),
            }
            .to_string(),
        );
        rest = &rest[4 + n..];
    }
    assert!(rest.is_empty(), "a cut answer frame: {rest:?}");
    out
}

fn code(verdict: Verdict) -> String {
    match verdict {
        Verdict::Accept => "accept",
        Verdict::Oversize => "oversize",
        Verdict::Malformed => "malformed",
        Verdict::Replay => "replay",
        other => panic!("the script cannot lead to {other:?}"),
    }
    .into()
}

fn frame_strategy() -> impl Strategy<Value = ScriptFrame> {
    prop_oneof![
        1 => Just(ScriptFrame { len: 0, tag: 0 }),
        4 => (0..BOUNDS.tags).prop_map(|tag| ScriptFrame { len: 1, tag }),
        1 => Just(ScriptFrame { len: 2, tag: 0 }),
    ]
}

/// One case: `script` written in `cuts`-sized chunks up to `close_at` of its bytes, then every
/// envelope frame of it again, whole, on a new connection.
fn one_case(
    server: SocketAddr,
    script: Vec<ScriptFrame>,
    cuts: Vec<usize>,
    close_at: f64,
) -> Result<(), TestCaseError> {
    let case = CASE.fetch_add(1, Ordering::SeqCst);
    let model = FramingModel::new(BOUNDS);
    // Nothing is sent after an oversize header.
    let script: Vec<ScriptFrame> = match script.iter().position(|f| f.len > BOUNDS.limit) {
        Some(i) => script[..=i].to_vec(),
        None => script,
    };
    let frames: Vec<Vec<u8>> = script.iter().map(|f| real_frame(case, *f)).collect();
    let bytes = frames.concat();
    // A close after `cut` bytes; `close_at` ≥ 1 is after every byte.
    let cut = (close_at.min(1.0) * bytes.len() as f64) as usize;
    let mut chunks = Vec::new();
    let mut at = 0;
    for c in cuts {
        if at + c >= cut {
            break;
        }
        chunks.push(c);
        at += c;
    }
    if cut > at {
        chunks.push(cut - at);
    }
    let (expected, mut cache) = model.whole_frames(&script, abstract_cut(&frames, &script, cut));
    let answers = exchange(server, &bytes[..cut], &chunks);
    let expected: Vec<String> = expected.into_iter().map(code).collect();
    prop_assert_eq!(
        &answers,
        &expected,
        "Requirement: REQ-TCP-1/2/4: script {:?}, chunks {:?} of {} bytes",
        script,
        chunks,
        bytes.len()
    );
    // The model goes on from the state the first connection left (REQ-TCP-5: one verifier).
    let again: Vec<ScriptFrame> = script
        .iter()
        .copied()
        .filter(|f| f.len <= BOUNDS.limit)
        .collect();
    let again_bytes: Vec<u8> = again
        .iter()
        .map(|f| real_frame(case, *f))
        .collect::<Vec<_>>()
        .concat();
    let expected_again: Vec<String> = again
        .iter()
        .map(|f| code(model.verify_body(&mut cache, &vec![f.tag; usize::from(f.len)])))
        .collect();
    let answers_again = if again_bytes.is_empty() {
        Vec::new()
    } else {
        exchange(server, &again_bytes, &[again_bytes.len()])
    };
    prop_assert_eq!(
        &answers_again,
        &expected_again,
        "Requirement: REQ-TCP-4/5: the frames of {:?} again, after a close at {} of {}",
        script,
        cut,
        bytes.len()
    );
    Ok(())
}

/// Requirement: REQ-TCP-1, REQ-TCP-2, REQ-TCP-4, REQ-TCP-5 — `sipc serve` answers any chunking
/// and any close as the model does, and a cut-off frame changes nothing.
#[test]
fn req_tcp_sipc_serve_agrees_with_the_framing_model() {
    let server = Server::start();
    let mut runner = TestRunner::new(ProptestConfig {
        cases: CASES,
        failure_persistence: None,
        ..ProptestConfig::default()
    });
    let strategy = (
        proptest::collection::vec(frame_strategy(), 1..=BOUNDS.frames),
        proptest::collection::vec(1usize..400, 0..12),
        0.0f64..1.2,
    );
    let result = runner.run(&strategy, |(script, cuts, close_at)| {
        one_case(server.addr, script, cuts, close_at)
    });
    if let Err(e) = result {
        panic!("{e}");
    }
    assert_eq!(
        CASE.load(Ordering::SeqCst),
        u64::from(CASES),
        "every case ran once"
    );
}
