//! The TCP profile (SIPC/1 §12) through `sipc run --tcp-server` (and over a Unix socket, §13,
//! through `--unix-server`): the three correct servers pass
//! every TCP test, and the runner survives servers that break the contract, leaving no process
//! behind. (The TCP zoo is in zoo.rs.)

mod common;

use common::{interrupt, sipc, sipc_with, temp_dir, wait_for_file, wait_gone};
use std::time::{Duration, Instant};

/// `sipc run <transport> x --list`: the number of tests, and the listing.
fn listed(transport: &str) -> (usize, String) {
    let run = sipc(&["run", transport, "x {config}", "--list"], b"");
    assert_eq!(run.status, 0, "{}", run.stderr);
    let last = run.stdout.lines().last().unwrap();
    (
        last.strip_suffix(" tests").unwrap().parse().unwrap(),
        run.stdout,
    )
}

fn tcp_test_count() -> usize {
    listed("--tcp-server").0
}

fn passes_everything(server: &str) {
    let total = tcp_test_count();
    assert!(total >= 25, "only {total} TCP tests");
    passes_all("--tcp-server", server, total);
}

/// `server` passes all `total` tests of `transport` with `--strict`.
fn passes_all(transport: &str, server: &str, total: usize) {
    common::passes_all(&[transport, server], total);
}

/// REQ-TCP-5, REQ-TCP-6, REQ-TCP-7: `sipc serve`, the Rust reference server, passes every TCP
/// test (shared replay cache, refusal to start, loopback-only listening).
#[test]
fn rust_reference_server_passes_all() {
    passes_everything(&format!(
        "{} serve --config {{config}}",
        env!("CARGO_BIN_EXE_sipc")
    ));
}

/// REQ-TCP-5, REQ-TCP-6, REQ-TCP-7: the Python server (standard library only).
#[test]
fn python_server_passes_all() {
    passes_everything("python3 conformance/adapters/python/sipc_server.py --config {config}");
}

/// REQ-TCP-5, REQ-TCP-6, REQ-TCP-7: the Node server (no npm dependencies).
#[test]
fn node_server_passes_all() {
    passes_everything("node conformance/adapters/node/sipc_server.js --config {config}");
}

fn misbehaving(mode: &str) -> String {
    format!("python3 conformance/tests/fixtures/misbehaving_server.py {mode} --config {{config}}")
}

/// A server that does not come up is a usage-level failure (exit 2), and the runner waits for
/// it at most 10 s; an announced address other than loopback is never contacted.
#[test]
fn a_server_that_does_not_start_is_exit_2() {
    for (mode, why) in [
        (
            "exit",
            "exited before LISTENING (exit status 3); stderr: misbehaving_server: refusing to start",
        ),
        ("remote", "only connects to a loopback port"),
        ("silent", "no LISTENING line within 10 s"),
    ] {
        let started = Instant::now();
        let run = sipc_with(
            &["run", "--tcp-server", &misbehaving(mode)],
            b"",
            Duration::from_secs(30),
        );
        assert_eq!(run.status, 2, "{mode}: {}{}", run.stdout, run.stderr);
        assert!(run.stderr.contains(why), "{mode}: {}", run.stderr);
        assert!(started.elapsed() < Duration::from_secs(15), "{mode}");
    }
    let run = sipc(&["run", "--tcp-server", "sipc serve --config"], b"");
    assert_eq!(run.status, 2);
    assert!(run.stderr.contains("{config}"), "{}", run.stderr);
    let run = sipc(
        &["run", "--tcp-server", "x {config}", "--adapter", "y"],
        b"",
    );
    assert_eq!(run.status, 2, "--tcp-server and --adapter together");
    let run = sipc(
        &[
            "run",
            "--adapter",
            "y",
            "--config",
            "spec/examples/config.json",
        ],
        b"",
    );
    assert_eq!(run.status, 2, "--config without --tcp-server");
    assert!(run.stderr.contains("--tcp-server"), "{}", run.stderr);
}

/// A server that accepts but never answers: every wait is bounded, each test fails with the
/// reason, and the server and its grandchild are gone after the run.
#[test]
fn a_mute_server_fails_in_bounded_time_and_is_killed() {
    let dir = temp_dir("tcp-mute");
    let pidfile = dir.join("pids");
    let server = format!(
        "SIPC_TEST_PIDFILE={} {}",
        pidfile.display(),
        misbehaving("mute")
    );
    let junit = dir.join("junit.xml");
    let started = Instant::now();
    let run = sipc_with(
        &[
            "run",
            "--timeout",
            "0.5",
            "--filter",
            "SEC-IPC-01,SEC-IPC-05,TCP-FRAME",
            "--tcp-server",
            &server,
            "--junit",
            junit.to_str().unwrap(),
        ],
        b"",
        Duration::from_secs(60),
    );
    assert_eq!(run.status, 1, "{}{}", run.stdout, run.stderr);
    assert!(started.elapsed() < Duration::from_secs(30));
    assert!(run.stdout.contains("no answer in time"), "{}", run.stdout);
    assert!(
        run.stdout
            .contains("the server waits for the body before checking the announced length"),
        "{}",
        run.stdout
    );
    let xml = std::fs::read_to_string(&junit).unwrap();
    assert!(xml.contains("<testsuite name=\"tcp\""), "{xml}");
    assert!(xml.contains("<failure message="), "{xml}");
    wait_gone(&std::fs::read_to_string(&pidfile).unwrap());
    std::fs::remove_dir_all(dir).unwrap();
}

/// Ctrl-C during a TCP run kills the server's process group; the runner exits 130.
#[test]
fn interrupting_a_tcp_run_kills_the_server() {
    let dir = temp_dir("tcp-sigint");
    let pidfile = dir.join("pids");
    let mut runner = std::process::Command::new(env!("CARGO_BIN_EXE_sipc"))
        .args([
            "run",
            "--timeout",
            "60",
            "--tcp-server",
            &misbehaving("mute"),
        ])
        .env("SIPC_TEST_PIDFILE", &pidfile)
        .current_dir(common::root())
        .stdout(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let pids = wait_for_file(&pidfile, |p| p.contains(' '));
    std::thread::sleep(Duration::from_millis(300));
    assert_eq!(interrupt(&mut runner), Some(130));
    wait_gone(&pids);
    std::fs::remove_dir_all(dir).unwrap();
}

/// `--filter` and `--list` work on the TCP tests (tcIds, families, the `tcp` area).
#[test]
fn filter_and_list_select_tcp_tests() {
    let run = sipc(
        &[
            "run",
            "--tcp-server",
            "x {config}",
            "--list",
            "--filter",
            "SEC-IPC-04,1001",
        ],
        b"",
    );
    assert_eq!(run.status, 0, "{}", run.stderr);
    assert_eq!(run.stdout.lines().last(), Some("4 tests"), "{}", run.stdout);
    assert!(run.stdout.contains(" 1001  tcp"), "{}", run.stdout);
}

/// `--config` runs the TCP suite with a user's key, kinds, limits and bind host (`::1` here):
/// the three servers pass it too, and the oversize tests follow the config's limit.
#[test]
fn a_user_config_over_ipv6_loopback_passes_on_every_server() {
    let dir = temp_dir("tcp-user-config");
    let config = dir.join("my-config.json");
    std::fs::write(
        &config,
        r#"{"transport":"tcp_local","bind_host":"::1","bind_port":0,
            "auth":{"mode":"hmac","secret_hex":"FFEEDDCCBBAA99887766554433221100ffeeddccbbaa99887766554433221100aa",
                    "ttl_seconds":300,"nonce_cache_size":50},
            "max_payload_bytes":100,"allowed_kinds":["a","billing.charge-v2"]}"#,
    )
    .unwrap();
    let total = tcp_test_count();
    for server in [
        format!("{} serve --config {{config}}", env!("CARGO_BIN_EXE_sipc")),
        "python3 conformance/adapters/python/sipc_server.py --config {config}".into(),
        "node conformance/adapters/node/sipc_server.js --config {config}".into(),
    ] {
        let run = sipc(
            &[
                "run",
                "--strict",
                "--config",
                config.to_str().unwrap(),
                "--tcp-server",
                &server,
            ],
            b"",
        );
        assert_eq!(run.status, 0, "{server}:\n{}{}", run.stdout, run.stderr);
        assert_eq!(
            run.stdout.lines().last(),
            Some(format!("{total} passed, 0 failed, 0 skipped").as_str()),
            "{server}:\n{}",
            run.stdout
        );
    }
    std::fs::remove_dir_all(dir).unwrap();
}

/// REQ-TCP-6: a server that closes its stdout and lives on instead of exiting with an error is
/// not taken for one that refused to start (the runner kills it, and that is no refusal).
#[test]
fn closing_stdout_is_not_refusing_to_start() {
    let run = sipc_with(
        &[
            "run",
            "--filter",
            "SEC-IPC-07b",
            "--tcp-server",
            // exec: no shell keeps stdout open, so the runner sees it close at once.
            &format!("exec {}", misbehaving("detach")),
        ],
        b"",
        Duration::from_secs(60),
    );
    assert_eq!(run.status, 1, "{}{}", run.stdout, run.stderr);
    assert!(
        run.stdout.ends_with("0 passed, 2 failed, 0 skipped\n"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("did not refuse to start"),
        "{}",
        run.stdout
    );
}

/// A server that dies during the run is started again once; after its second death the rest
/// of the tests fail without being run, and the run still ends with exit 1.
#[test]
fn a_server_that_dies_is_restarted_once() {
    let run = sipc_with(
        &[
            "run",
            "--timeout",
            "1",
            "--tcp-server",
            &misbehaving("crashy"),
        ],
        b"",
        Duration::from_secs(60),
    );
    assert_eq!(run.status, 1, "{}{}", run.stdout, run.stderr);
    assert!(
        run.stdout
            .contains("the server died again (exit status 1) and is not restarted"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("not run: the server is not running"),
        "{}",
        run.stdout
    );
    // Five connections per life: the tests before the first death pass.
    assert!(!run.stdout.contains("tcId 1001 "), "{}", run.stdout);
}

/// REQ-UNIX-1, REQ-UNIX-7: `sipc run --unix-server` runs the TCP table (the bind checks apart)
/// over a Unix socket in the runner's folder, and the Unix tests (mode, peer, path); `sipc
/// serve` and the Python server pass all of it. The Node server refuses `unix_local` (Node's standard library cannot tell a peer's uid,
/// REQ-UNIX-2), so its run does not start (exit 2).
#[test]
fn unix_socket_runs() {
    let (total, listing) = listed("--unix-server");
    let (tcp_total, tcp_listing) = listed("--tcp-server");
    // The TCP table but its 5 bind checks, and the 7 tests only a Unix socket has.
    assert_eq!(total, tcp_total - 5 + 7);
    assert!(!listing.contains("SEC-IPC-07"), "{listing}");
    for family in ["UNIX-MODE", "UNIX-PEER", "UNIX-PATH"] {
        assert!(listing.contains(family), "{family}: {listing}");
    }
    assert!(!tcp_listing.contains("UNIX-"), "{tcp_listing}");
    for server in [
        format!("{} serve --config {{config}}", env!("CARGO_BIN_EXE_sipc")),
        "python3 conformance/adapters/python/sipc_server.py --config {config}".to_owned(),
    ] {
        passes_all("--unix-server", &server, total);
    }
    // The test that connects as uid 65534 needs root: a runner without it reports it skipped,
    // with the reason, never passed (shown as root by running the runner as `nobody`).
    let as_nobody = listing
        .lines()
        .find(|l| l.contains("a child of the runner that drops to uid 65534"))
        .and_then(|l| l.split_whitespace().next())
        .unwrap()
        .to_owned();
    if rustix::process::geteuid().is_root() {
        let run = common::run_as_nobody(&[
            "run",
            "--unix-server",
            &format!("{} serve --config {{config}}", env!("CARGO_BIN_EXE_sipc")),
            "--filter",
            &as_nobody,
        ]);
        assert_eq!(run.status, 0, "{}\n{}", run.stdout, run.stderr);
        assert!(
            run.stdout
                .contains("skipped: connecting as uid 65534 needs root")
                && run.stdout.ends_with("0 passed, 0 failed, 1 skipped\n"),
            "{}",
            run.stdout
        );
    } else {
        eprintln!("unix_socket_runs (the runner as nobody): skipped: needs root");
    }
    let node = sipc(
        &[
            "run",
            "--unix-server",
            "node conformance/adapters/node/sipc_server.js --config {config}",
        ],
        b"",
    );
    assert_eq!(node.status, 2, "{}\n{}", node.stdout, node.stderr);
    assert!(
        node.stderr.contains("unix_local is not served") && node.stderr.contains("REQ-UNIX-2"),
        "{}",
        node.stderr
    );
}
