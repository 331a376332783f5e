//! SIPC/1 §16, replicas sharing one replay store: `sipc run --tcp-server … --replicas N` against
//! the three servers (with a `redis-server` the runner starts, and with `--redis`), and the
//! servers' own start without their store (REQ-STORE-7). The store zoo is in `zoo.rs`.

mod common;

use common::{passes_all, root, sipc, temp_dir};
use sipc_reference::{sign, Config, Fields};
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const SERVERS: [&str; 3] = [
    "target/debug/sipc serve --config {config}",
    "python3 conformance/adapters/python/sipc_server.py --config {config}",
    "node conformance/adapters/node/sipc_server.js --config {config}",
];
/// The TCP suite's tests plus the six replica tests.
const TESTS: usize = 33;

fn server(i: usize) -> String {
    SERVERS[i].replace("target/debug/sipc", env!("CARGO_BIN_EXE_sipc"))
}

/// REQ-STORE-1, REQ-STORE-2, REQ-STORE-3, REQ-STORE-4, REQ-STORE-5, REQ-STORE-6: `sipc serve`
/// passes every test with 2 and with 3 replicas on a store the runner starts, STORE-RACE's
/// 1 000 rounds, the store full and the store stopped and started again included (no skip).
#[test]
fn req_store_1_sipc_serve_passes_with_2_and_3_replicas() {
    for n in ["2", "3"] {
        passes_all(&["--tcp-server", &server(0), "--replicas", n], TESTS);
    }
}

/// REQ-STORE-1 … REQ-STORE-6: the Python server, with its own RESP client, likewise.
#[test]
fn req_store_1_python_server_passes_with_2_and_3_replicas() {
    for n in ["2", "3"] {
        passes_all(&["--tcp-server", &server(1), "--replicas", n], TESTS);
    }
}

/// REQ-STORE-1 … REQ-STORE-6: the Node server, with its own RESP client, likewise.
#[test]
fn req_store_1_node_server_passes_with_2_and_3_replicas() {
    for n in ["2", "3"] {
        passes_all(&["--tcp-server", &server(2), "--replicas", n], TESTS);
    }
}

/// A free loopback port (nothing listens on it once this returns).
fn free_port() -> u16 {
    TcpListener::bind(("127.0.0.1", 0))
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// A `redis-server` on `port`, killed and reaped on drop.
struct Redis(Child);

impl Redis {
    fn start(port: u16, dir: &std::path::Path) -> Redis {
        let child = Command::new("redis-server")
            .args([
                "--bind",
                "127.0.0.1",
                "--port",
                &port.to_string(),
                "--save",
                "",
            ])
            .args(["--appendonly", "no", "--daemonize", "no", "--dir"])
            .arg(dir)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("redis-server (apt-get install redis-server)");
        let redis = Redis(child);
        let deadline = Instant::now() + Duration::from_secs(10);
        while Instant::now() < deadline {
            if let Ok(mut s) = TcpStream::connect(("127.0.0.1", port)) {
                let _ = s.set_read_timeout(Some(Duration::from_secs(2)));
                let mut pong = [0u8; 7];
                if s.write_all(b"PING\r\n").is_ok()
                    && s.read_exact(&mut pong).is_ok()
                    && &pong == b"+PONG\r\n"
                {
                    return redis;
                }
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        panic!("redis-server did not answer on port {port}");
    }
}

impl Drop for Redis {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// A server under test (`exec`ed by its shell, so the child is the server), killed and
/// reaped on drop.
struct Served {
    child: Child,
    addr: String,
}

impl Served {
    /// Starts `command` (`{config}` replaced) and waits (10 s at most) for `LISTENING`.
    fn start(command: &str, config: &std::path::Path) -> Served {
        let mut child = Command::new("sh")
            .arg("-c")
            .arg(format!(
                "exec {}",
                command.replace("{config}", config.to_str().unwrap())
            ))
            .current_dir(root())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let line = common::first_line(&mut child, Duration::from_secs(10));
        let mut served = Served {
            child,
            addr: String::new(),
        };
        let line = line.unwrap_or_else(|| panic!("{command}: no LISTENING line in 10 s"));
        served.addr = line
            .trim()
            .strip_prefix("LISTENING ")
            .unwrap_or_else(|| panic!("{command}: {line:?}"))
            .to_owned();
        served
    }

    /// The verdict (`accept` or the error code) on `envelope`, sent in one frame.
    fn verdict(&self, envelope: &[u8]) -> String {
        let mut s = TcpStream::connect(&self.addr).unwrap();
        s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
        let mut frame = u32::try_from(envelope.len())
            .unwrap()
            .to_be_bytes()
            .to_vec();
        frame.extend_from_slice(envelope);
        s.write_all(&frame).unwrap();
        let mut header = [0u8; 4];
        s.read_exact(&mut header).unwrap();
        let mut body = vec![0u8; u32::from_be_bytes(header) as usize];
        s.read_exact(&mut body).unwrap();
        let answer = sipc_reference::json::parse(&body).unwrap();
        match answer.get("verdict").and_then(|v| v.as_str()) {
            Some("accept") => "accept".into(),
            _ => answer.get("error").and_then(|v| v.as_str()).unwrap().into(),
        }
    }
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn envelope(config: &Config, nonce: &str) -> Vec<u8> {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    sign(
        &config.auth.secret,
        &Fields {
            kind: config.allowed_kinds[0].clone(),
            payload: b"late store".to_vec(),
            ts: now,
            nonce: nonce.into(),
            ..Fields::default()
        },
    )
}

/// REQ-STORE-7, REQ-STORE-5: each server, started while its store is down, starts (it MAY)
/// and refuses a valid envelope with `replay_store_unavailable`, never accepting it from a
/// cache of its own; once a `redis-server` answers on the configured port, the same envelope
/// is accepted, then refused as a replay, without restarting the server.
#[test]
fn req_store_7_a_server_started_without_its_store_fails_closed_until_it_answers() {
    let dir = temp_dir("replicas-late-store");
    let port = free_port();
    let mut config = sipc_vectors::default_config().unwrap();
    config.replay_store = Some(sipc_reference::ReplayStore {
        kind: "redis".into(),
        url: format!("redis://127.0.0.1:{port}/0"),
    });
    let path = dir.join("config.json");
    std::fs::write(&path, config.to_json()).unwrap();
    let servers: Vec<Served> = (0..SERVERS.len())
        .map(|i| Served::start(&server(i), &path))
        .collect();
    let envelopes: Vec<Vec<u8>> = (0..servers.len())
        .map(|i| envelope(&config, &format!("sipc-late-store-{port}-{i:04}")))
        .collect();
    for (served, envelope) in servers.iter().zip(&envelopes) {
        for _ in 0..2 {
            assert_eq!(
                served.verdict(envelope),
                "replay_store_unavailable",
                "{}",
                served.addr
            );
        }
    }
    let redis_dir = dir.join("redis");
    std::fs::create_dir_all(&redis_dir).unwrap();
    let _redis = Redis::start(port, &redis_dir);
    for (i, (served, envelope)) in servers.iter().zip(&envelopes).enumerate() {
        assert_eq!(served.verdict(envelope), "accept", "{}", SERVERS[i]);
        let next = &servers[(i + 1) % servers.len()];
        assert_eq!(next.verdict(envelope), "replay", "{}", SERVERS[i]);
    }
    drop(servers);
    std::fs::remove_dir_all(dir).unwrap();
}

/// REQ-STORE-5: with `--redis URL` the runner uses that store and never stops or fills it, so
/// the two store-failure tests are visible skips with their reason and the others pass; a URL that
/// REQ-CONFIG-20 refuses, or `--replicas` out of 2–8, ends the run with exit status 2.
#[test]
fn req_store_5_a_given_store_is_never_stopped_and_bad_options_exit_2() {
    let dir = temp_dir("replicas-given-store");
    let port = free_port();
    let _redis = Redis::start(port, &dir);
    let url = format!("redis://127.0.0.1:{port}/2");
    let report = dir.join("report.json");
    let run = sipc(
        &[
            "run",
            "--strict",
            "--tcp-server",
            &server(0),
            "--replicas",
            "2",
            "--redis",
            &url,
            "--filter",
            "STORE-*",
            "--report-json",
            report.to_str().unwrap(),
        ],
        b"",
    );
    assert_eq!(run.status, 0, "{}\n{}", run.stdout, run.stderr);
    assert_eq!(
        run.stdout.lines().last(),
        Some("4 passed, 0 failed, 2 skipped"),
        "{}",
        run.stdout
    );
    let text = std::fs::read_to_string(&report).unwrap();
    assert!(text.contains("only a store it started"), "{text}");
    for (args, why) in [
        (vec!["--replicas", "1"], "between 2 and 8"),
        (vec!["--replicas", "9"], "between 2 and 8"),
        (
            vec!["--replicas", "2", "--redis", "redis://10.0.0.1:6379"],
            "REQ-CONFIG-20",
        ),
        (
            vec!["--replicas", "2", "--redis", "redis://u:p@127.0.0.1:6379"],
            "REQ-CONFIG-20",
        ),
    ] {
        let mut all = vec!["run", "--tcp-server", "true {config}"];
        all.extend(args.iter().copied());
        let run = sipc(&all, b"");
        assert_eq!(run.status, 2, "{args:?}: {}", run.stderr);
        assert!(run.stderr.contains(why), "{args:?}: {}", run.stderr);
    }
    std::fs::remove_dir_all(dir).unwrap();
}
