//! Verify throughput of `sipc serve` over loopback TCP with its in-memory replay cache and
//! with the shared replay store on Redis (SIPC/1 §16), with 1 and 2 replicas, in one run;
//! then the table of envelopes per second and the ratios to the in-memory single server (the
//! floor), read back from criterion's own estimates.
//!
//! Each iteration is one envelope (256-byte payload, fresh nonce, signed before the clock
//! starts) sent as one frame and its answer read, by [`CLIENTS`] client threads, each with
//! one connection, spread over the replicas. Every answer must be an acceptance. The servers
//! and `redis-server` (no persistence) are started once per case, outside the timing.
//!
//! Needs `sipc` built (`cargo build --release -p sipc-conformance`; `SIPC_BIN` overrides the
//! path, the debug build is used when there is no release one) and `redis-server` on `PATH`.
//!
//! `taskset -c 0,1 cargo bench -p sipc-benches --bench serve_store`

use criterion::{BenchmarkId, Criterion, Throughput};
use sipc_benches::{config, KIND};
use sipc_reference::{sign, Config, Fields, ReplayStore};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc;
use std::time::{Duration, Instant, SystemTime};

const GROUP: &str = "serve_verify";
/// Client threads, each with one connection.
const CLIENTS: usize = 4;
/// Payload bytes of every envelope.
const PAYLOAD: usize = 256;
/// The cases: the store, and how many replicas.
const CASES: [(&str, usize); 4] = [("memory", 1), ("redis", 1), ("memory", 2), ("redis", 2)];

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// `SIPC_BIN`, else the newer of the release and debug builds of `sipc` (an old release build
/// left behind must not be measured in place of the current code).
fn sipc_bin() -> PathBuf {
    if let Some(path) = std::env::var_os("SIPC_BIN") {
        return path.into();
    }
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root().join("target"));
    ["release", "debug"]
        .iter()
        .map(|profile| target.join(profile).join("sipc"))
        .filter_map(|p| Some((std::fs::metadata(&p).ok()?.modified().ok()?, p)))
        .max()
        .map(|(_, p)| p)
        .unwrap_or_else(|| panic!("no sipc binary: cargo build --release -p sipc-conformance"))
}

/// A child process, killed and reaped on drop.
struct Reaped(Child);

impl Drop for Reaped {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn free_port() -> u16 {
    TcpListener::bind(("127.0.0.1", 0))
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .unwrap_or_else(|e| panic!("no free port: {e}"))
}

/// `redis-server` on a free loopback port, without persistence; its URL.
fn start_redis(dir: &Path) -> (Reaped, String) {
    let port = free_port();
    let child = Command::new("redis-server")
        .args([
            "--bind",
            "127.0.0.1",
            "--port",
            &port.to_string(),
            "--save",
            "",
        ])
        .args([
            "--appendonly",
            "no",
            "--maxmemory-policy",
            "noeviction",
            "--dir",
        ])
        .arg(dir)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap_or_else(|e| panic!("redis-server (apt-get install redis-server): {e}"));
    let redis = Reaped(child);
    let deadline = Instant::now() + Duration::from_secs(10);
    while Instant::now() < deadline {
        if TcpStream::connect(("127.0.0.1", port)).is_ok() {
            return (redis, format!("redis://127.0.0.1:{port}/0"));
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    panic!("redis-server did not listen on {port}");
}

/// `sipc serve` with `config`; its address once it announces it (10 s at most).
fn start_server(config: &Path) -> (Reaped, String) {
    let mut child = Command::new(sipc_bin())
        .args(["serve", "--config"])
        .arg(config)
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap_or_else(|e| panic!("sipc serve: {e}"));
    let stdout = child.stdout.take().unwrap_or_else(|| panic!("no stdout"));
    let server = Reaped(child);
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let mut line = String::new();
        let _ = BufReader::new(stdout).read_line(&mut line);
        let _ = tx.send(line);
    });
    let line = rx
        .recv_timeout(Duration::from_secs(10))
        .unwrap_or_else(|_| panic!("sipc serve did not announce LISTENING"));
    let addr = line
        .trim()
        .strip_prefix("LISTENING ")
        .unwrap_or_else(|| panic!("sipc serve: {line}"))
        .to_owned();
    (server, addr)
}

/// Envelopes numbered from `first`, signed at the real clock.
fn envelopes(config: &Config, first: u64, count: u64) -> Vec<Vec<u8>> {
    let now = SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or_default();
    (first..first + count)
        .map(|i| {
            let envelope = sign(
                &config.auth.secret,
                &Fields {
                    kind: KIND.into(),
                    payload: vec![7; PAYLOAD],
                    ts: now,
                    nonce: format!("bench-serve-{i:016}"),
                    ..Fields::default()
                },
            );
            let mut frame = (envelope.len() as u32).to_be_bytes().to_vec();
            frame.extend_from_slice(&envelope);
            frame
        })
        .collect()
}

/// Sends each frame and reads its answer; panics unless every answer is an acceptance.
fn exchange(stream: &mut TcpStream, frames: &[Vec<u8>]) {
    let mut header = [0u8; 4];
    let mut body = Vec::new();
    for frame in frames {
        stream
            .write_all(frame)
            .unwrap_or_else(|e| panic!("send: {e}"));
        stream
            .read_exact(&mut header)
            .unwrap_or_else(|e| panic!("answer: {e}"));
        body.resize(u32::from_be_bytes(header) as usize, 0);
        stream
            .read_exact(&mut body)
            .unwrap_or_else(|e| panic!("answer: {e}"));
        let accept: &[u8] = br#""verdict":"accept""#;
        assert!(
            body.windows(accept.len()).any(|w| w == accept),
            "{}",
            String::from_utf8_lossy(&body)
        );
    }
}

fn benches(c: &mut Criterion, dir: &Path) {
    let (_redis, url) = start_redis(dir);
    let mut group = c.benchmark_group(GROUP);
    group.throughput(Throughput::Elements(1));
    let counter = AtomicU64::new(0);
    for (store, replicas) in CASES {
        let mut config = config();
        if store == "redis" {
            config.replay_store = Some(ReplayStore {
                kind: "redis".into(),
                url: url.clone(),
            });
        }
        let path = dir.join(format!("{store}-{replicas}.json"));
        std::fs::write(&path, config.to_json()).unwrap_or_else(|e| panic!("config: {e}"));
        let servers: Vec<(Reaped, String)> = (0..replicas).map(|_| start_server(&path)).collect();
        let mut streams: Vec<TcpStream> = (0..CLIENTS)
            .map(|k| {
                let stream = TcpStream::connect(&servers[k % replicas].1)
                    .unwrap_or_else(|e| panic!("connect: {e}"));
                let _ = stream.set_nodelay(true);
                let _ = stream.set_read_timeout(Some(Duration::from_secs(10)));
                stream
            })
            .collect();
        group.bench_function(BenchmarkId::new(store, replicas), |b| {
            b.iter_custom(|iters| {
                let first = counter.fetch_add(iters, Ordering::SeqCst);
                let frames = envelopes(&config, first, iters);
                let per = frames.len().div_ceil(CLIENTS).max(1);
                let start = Instant::now();
                std::thread::scope(|scope| {
                    for (stream, chunk) in streams.iter_mut().zip(frames.chunks(per)) {
                        scope.spawn(move || exchange(stream, chunk));
                    }
                });
                start.elapsed()
            });
        });
        drop(streams);
        drop(servers);
    }
    group.finish();
}

/// The median time per envelope of `case` in this run, from criterion's estimates.
fn median_ns(out: &Path, since: SystemTime, store: &str, replicas: usize) -> Option<f64> {
    let path = out.join(format!("{GROUP}/{store}/{replicas}/new/estimates.json"));
    if std::fs::metadata(&path).ok()?.modified().ok()? < since {
        return None;
    }
    let value = sipc_reference::json::parse(&std::fs::read(path).ok()?).ok()?;
    match value.get("median")?.get("point_estimate")? {
        sipc_reference::json::Value::Number(n) => Some(n.value()),
        _ => None,
    }
}

fn print_table(out: &Path, since: SystemTime) {
    let floor = median_ns(out, since, "memory", 1);
    println!("\nsipc serve, envelopes verified per second ({CLIENTS} clients, {PAYLOAD}-byte payloads), medians of this run:");
    println!("| store | replicas | envelopes/s | ratio to memory, 1 replica |");
    println!("|---|---:|---:|---:|");
    for (store, replicas) in CASES {
        match (median_ns(out, since, store, replicas), floor) {
            (Some(ns), Some(floor)) => println!(
                "| {store} | {replicas} | {:.0} | {:.2} |",
                1e9 / ns,
                floor / ns
            ),
            (Some(ns), None) => println!("| {store} | {replicas} | {:.0} | – |", 1e9 / ns),
            _ => println!("| {store} | {replicas} | not measured in this run | |"),
        }
    }
}

fn main() {
    let since = SystemTime::now();
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root().join("target"));
    let out = target.join("criterion");
    let dir = target.join(format!("bench-serve-store-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
    let mut c = Criterion::default()
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(4))
        .output_directory(&out)
        .configure_from_args();
    benches(&mut c, &dir);
    c.final_summary();
    print_table(&out, since);
    let _ = std::fs::remove_dir_all(&dir);
}
