//! Mutual TLS (SIPC/1 §15) through `sipc run --tls`: the three correct servers pass every test
//! over TCP (and `sipc serve` and the Python server over a Unix socket), and on a Unix socket
//! the peer's uid is checked before the handshake. (The TLS zoo is in zoo.rs.)

mod common;

use common::{sipc, temp_dir};
use std::io::{BufRead, BufReader, Read};
use std::os::unix::net::UnixStream;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn tls_test_count(transport: &str) -> usize {
    let run = sipc(&["run", transport, "x {config}", "--tls", "--list"], b"");
    assert_eq!(run.status, 0, "{}", run.stderr);
    assert!(run.stdout.contains("TLS-CLIENT") && run.stdout.contains("TLS-START"));
    let last = run.stdout.lines().last().unwrap();
    last.strip_suffix(" tests").unwrap().parse().unwrap()
}

fn passes_all_with_tls(transport: &str, server: &str) {
    common::passes_all(&["--tls", transport, server], tls_test_count(transport));
}

/// REQ-TLS-1, REQ-TLS-2, REQ-TLS-3, REQ-TLS-5, REQ-TCP-8: `sipc serve` (rustls), the Python
/// (`ssl`) and the Node (`tls`) servers pass every test under mutual TLS over TCP: the TCP
/// table inside TLS, the certificate presented, no client certificate, another CA, expired,
/// not yet valid, serverAuth only (each refused, the frame then accepted with the valid
/// certificate), no extended key usage (served), and TLS files that must stop the start.
#[test]
fn the_three_servers_pass_every_tls_test_over_tcp() {
    assert!(tls_test_count("--tcp-server") >= 37);
    passes_all_with_tls(
        "--tcp-server",
        &format!("{} serve --config {{config}}", env!("CARGO_BIN_EXE_sipc")),
    );
    passes_all_with_tls(
        "--tcp-server",
        "python3 conformance/adapters/python/sipc_server.py --config {config}",
    );
    passes_all_with_tls(
        "--tcp-server",
        "node conformance/adapters/node/sipc_server.js --config {config}",
    );
}

/// REQ-TLS-2, REQ-TLS-3, REQ-TCP-8: the same over a Unix socket for `sipc serve` and the
/// Python server (the Node server does not serve Unix sockets).
#[test]
fn two_servers_pass_every_tls_test_over_a_unix_socket() {
    passes_all_with_tls(
        "--unix-server",
        &format!("{} serve --config {{config}}", env!("CARGO_BIN_EXE_sipc")),
    );
    passes_all_with_tls(
        "--unix-server",
        "python3 conformance/adapters/python/sipc_server.py --config {config}",
    );
}

/// A self-signed certificate for `localhost` and its key, written as PEM into `dir`; the
/// certificate serves as `client_ca` too.
fn tls_files(dir: &Path) -> (String, String) {
    let certified = rcgen::generate_simple_self_signed(vec!["localhost".to_owned()]).unwrap();
    let cert = dir.join("cert.pem");
    let key = dir.join("key.pem");
    std::fs::write(&cert, certified.cert.pem()).unwrap();
    std::fs::write(&key, certified.signing_key.serialize_pem()).unwrap();
    (cert.display().to_string(), key.display().to_string())
}

/// Starts `server` on a Unix socket under TLS, open to `uid` only; returns the child once it
/// announced.
fn start_unix_tls(server: &str, dir: &Path, uid: u32) -> std::process::Child {
    let (cert, key) = tls_files(dir);
    let socket = dir.join("s.sock");
    let config = format!(
        r#"{{"transport":"unix_local","socket_path":"{}","allowed_peer_uids":[{uid}],"tls":{{"cert":"{cert}","key":"{key}","client_ca":"{cert}"}},"auth":{{"mode":"hmac","secret_hex":"{}","ttl_seconds":60,"nonce_cache_size":1000}},"max_payload_bytes":65536,"allowed_kinds":["job.run"]}}"#,
        socket.display(),
        "00".repeat(32)
    );
    let config_path = dir.join("config.json");
    std::fs::write(&config_path, config).unwrap();
    let mut child = Command::new("sh")
        .args([
            "-c",
            &format!("exec {server} --config {}", config_path.display()),
        ])
        .current_dir(common::root())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    assert!(line.starts_with("LISTENING unix:"), "{server}: {line:?}");
    child
}

/// How a fresh connection that sends nothing ends: `Some(elapsed)` when the server closed it,
/// `None` when it was still open (waiting for a ClientHello) after 700 ms.
fn closed_unprompted(socket: &Path) -> Option<Duration> {
    let mut stream = UnixStream::connect(socket).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_millis(700)))
        .unwrap();
    let start = Instant::now();
    let mut buf = [0u8; 64];
    match stream.read(&mut buf) {
        Ok(0) => Some(start.elapsed()),
        Ok(n) => panic!("the server sent {n} bytes before any ClientHello"),
        Err(e) if e.kind() == std::io::ErrorKind::ConnectionReset => Some(start.elapsed()),
        Err(_) => None,
    }
}

/// REQ-TLS-4: on a Unix socket under TLS, a peer whose uid is not allowed is closed on at once,
/// before a byte of the handshake (it sends nothing and is closed within 700 ms); an allowed
/// peer that sends nothing is left open, the server waiting for its ClientHello. For
/// `sipc serve` and the Python server.
#[test]
fn req_tls_4_the_peer_check_comes_before_the_handshake() {
    let me = rustix::process::geteuid().as_raw();
    let other = me.wrapping_add(1);
    for server in [
        format!("{} serve", env!("CARGO_BIN_EXE_sipc")),
        "python3 conformance/adapters/python/sipc_server.py".to_owned(),
    ] {
        for (uid, closed) in [(other, true), (me, false)] {
            let dir = temp_dir("tls-unix-peer");
            let mut child = start_unix_tls(&server, &dir, uid);
            let outcome = closed_unprompted(&dir.join("s.sock"));
            let _ = child.kill();
            let _ = child.wait();
            std::fs::remove_dir_all(&dir).unwrap();
            assert_eq!(
                outcome.is_some(),
                closed,
                "{server}, allowed uid {uid} (runner {me}): {outcome:?}"
            );
        }
    }
}

/// `sipc matrix --tls` sets a server that makes the client certificate optional apart from
/// `sipc serve`: on the test without a certificate, `refused` against an accept that is wrong.
#[test]
fn a_matrix_under_tls_sets_a_broken_server_apart() {
    let dir = temp_dir("tls-matrix");
    let json = dir.join("matrix.json");
    let rust = format!(
        "rust={} serve --config {{config}}",
        env!("CARGO_BIN_EXE_sipc")
    );
    let broken = "optional=python3 conformance/zoo/tls/client_cert_optional.py --config {config}";
    let run = sipc(
        &[
            "matrix",
            "--tls",
            "--tcp-server",
            &rust,
            "--tcp-server",
            broken,
            "--filter",
            "1036",
            "--json",
            json.to_str().unwrap(),
            "--timeout",
            "2",
        ],
        b"",
    );
    assert_eq!(run.status, 0, "{}{}", run.stdout, run.stderr);
    let text = std::fs::read_to_string(&json).unwrap();
    assert!(
        text.contains(r#""disagree": true"#) || text.contains(r#""disagree":true"#),
        "{text}"
    );
    assert!(
        text.contains(r#""answer":"refused""#) || text.contains(r#""answer": "refused""#),
        "{text}"
    );
    std::fs::remove_dir_all(dir).unwrap();
}
