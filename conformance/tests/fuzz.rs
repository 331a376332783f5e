//! `sipc fuzz`: differential fuzzing finds, with a fixed seed and well within 60 s, a
//! disagreement in zoo members that the vectors also catch, none in the three correct adapters,
//! and every finding replays from its file.

mod common;

use common::{sipc_with, temp_dir};
use sipc_reference::json::{parse, Value};
use std::time::{Duration, Instant};

const PYTHON: &str = "python3 conformance/adapters/python/sipc_adapter.py";

/// `sipc fuzz -q --seed 1 <transport> <command> --out <out> <extra>`, for at most 90 s.
fn fuzz_with(transport: &str, command: &str, out: &std::path::Path, extra: &[&str]) -> common::Run {
    let mut args = vec![
        "fuzz",
        "-q",
        "--seed",
        "1",
        transport,
        command,
        "--out",
        out.to_str().unwrap(),
    ];
    args.extend(extra);
    sipc_with(&args, b"", Duration::from_secs(90))
}

/// `sipc fuzz <transport> <command> --reproduce <file>`: its exit status (1: still disagrees).
fn reproduce(transport: &str, command: &str, file: &std::path::Path) -> i32 {
    reproduce_with(transport, command, file, &[])
}

/// [`reproduce`] with more options (`--tls`).
fn reproduce_with(transport: &str, command: &str, file: &std::path::Path, extra: &[&str]) -> i32 {
    let mut args = vec![
        "fuzz",
        "--timeout",
        "1",
        transport,
        command,
        "--reproduce",
        file.to_str().unwrap(),
    ];
    args.extend(extra);
    let run = sipc_with(&args, b"", Duration::from_secs(30));
    assert_ne!(run.status, 2, "{}{}", run.stdout, run.stderr);
    run.status
}

fn fuzz(adapter: &str, out: &std::path::Path, extra: &[&str]) -> common::Run {
    fuzz_with("--adapter", adapter, out, extra)
}

fn fuzz_tcp(server: &str, out: &std::path::Path, extra: &[&str]) -> common::Run {
    fuzz_with("--tcp-server", server, out, extra)
}

/// Zoo members with bugs the published vectors catch (MAC prefix, no replay cache, any future
/// ts, kind prefix, missing sig, duplicate keys) are each caught by the fuzzer too: a finding,
/// shrunk and written, that replays against the member and not against the correct adapter.
#[test]
fn the_fuzzer_catches_zoo_members_within_60_seconds() {
    let dir = temp_dir("fuzz-zoo");
    for member in [
        "sig_prefix16",
        "no_replay",
        "future_ts",
        "kind_prefix",
        "missing_sig",
        "duplicate_keys",
    ] {
        let adapter = format!("python3 conformance/zoo/{member}.py");
        let out = dir.join(member);
        let started = Instant::now();
        let run = fuzz(&adapter, &out, &["--time", "60", "--max-findings", "1"]);
        assert!(started.elapsed() < Duration::from_secs(60), "{member}");
        assert_eq!(run.status, 1, "{member}: {}{}", run.stdout, run.stderr);
        assert!(
            run.stdout.contains("finding 1: verify: reference "),
            "{member}: {}",
            run.stdout
        );
        let file = out.join("finding-1.json");
        let finding = parse(&std::fs::read(&file).unwrap()).unwrap();
        let Some(Value::Array(steps)) = finding.get("case").and_then(|c| c.get("steps")) else {
            panic!("{member}: no steps in {file:?}")
        };
        assert!(!steps.is_empty() && steps.len() <= 8, "{member}");
        // One numbering of steps, from 1, in the file and on the console, which shows the input.
        let step = finding.get("step").and_then(|s| match s {
            Value::Number(n) => n.integer_literal(),
            _ => None,
        });
        let input = finding
            .get("input")
            .and_then(Value::as_str)
            .unwrap_or_default();
        assert!(
            step.is_some_and(|s| s >= 1 && s <= steps.len() as i128)
                && input.starts_with(&format!(
                    "step {} of {}: verify at now=",
                    step.unwrap_or(0),
                    steps.len()
                )),
            "{member}: step {step:?}, input {input}"
        );
        assert!(
            run.stdout.contains(&format!("\n  input: {input}\n")),
            "{member}: {}",
            run.stdout
        );
        assert_ne!(
            finding.get("reference"),
            finding.get("implementation"),
            "{member}"
        );
        if member == "duplicate_keys" {
            // The reference's malformed refusal names the rule it broke.
            assert_eq!(
                finding.get("reference").and_then(Value::as_str),
                Some("reject: malformed (REQ-JSON-4)"),
                "{member}"
            );
            assert!(
                run.stdout
                    .contains("\n  reference:      reject: malformed (REQ-JSON-4)\n"),
                "{}",
                run.stdout
            );
        }
        assert_eq!(
            reproduce("--adapter", &adapter, &file),
            1,
            "{member} does not reproduce"
        );
        assert_eq!(
            reproduce("--adapter", PYTHON, &file),
            0,
            "{member}: the correct adapter disagrees too"
        );
    }
    std::fs::remove_dir_all(dir).unwrap();
}

fn agrees(adapter: &str) {
    let dir = temp_dir("fuzz-correct");
    let run = fuzz(adapter, &dir, &["--iterations", "2000"]);
    assert_eq!(run.status, 0, "{adapter}: {}{}", run.stdout, run.stderr);
    // The reference's verdicts: one line per op, each short enough to read.
    let verdicts: Vec<&str> = run
        .stdout
        .lines()
        .filter(|l| l.starts_with("reference verdicts, "))
        .collect();
    assert!(
        verdicts
            .iter()
            .any(|l| l.starts_with("reference verdicts, verify: "))
            && verdicts.iter().all(|l| l.len() <= 400),
        "{adapter}: {}",
        run.stdout
    );
    assert!(
        run.stdout.contains("seed 1: 2000 cases in ")
            && run
                .stdout
                .contains(", 0 disagreements, 0 distinct findings"),
        "{adapter}: {}",
        run.stdout
    );
    assert!(!dir.join("finding-1.json").exists());
    std::fs::remove_dir_all(dir).unwrap();
}

/// The Rust reference behind `sipc adapter` agrees with itself on every mutant.
#[test]
fn the_rust_adapter_agrees_with_the_reference() {
    agrees(&format!("{} adapter", env!("CARGO_BIN_EXE_sipc")));
}

/// The Python implementation agrees with the reference on 2000 mutants.
#[test]
fn the_python_adapter_agrees_with_the_reference() {
    agrees(PYTHON);
}

/// The Node implementation agrees with the reference on 2000 mutants.
#[test]
fn the_node_adapter_agrees_with_the_reference() {
    agrees("node conformance/adapters/node/sipc_adapter.js");
}

/// A seed names a run: the same seed finds the same shrunk case after the same iteration.
#[test]
fn a_seed_makes_a_run_repeatable() {
    let dir = temp_dir("fuzz-seed");
    let mut seen = Vec::new();
    for round in ["a", "b"] {
        let out = dir.join(round);
        let run = fuzz(
            "python3 conformance/zoo/no_replay.py",
            &out,
            &["--iterations", "300"],
        );
        assert_eq!(run.status, 1, "{}", run.stdout);
        let finding = parse(&std::fs::read(out.join("finding-1.json")).unwrap()).unwrap();
        seen.push((
            finding.get("case").cloned(),
            finding.get("iteration").cloned(),
        ));
    }
    assert_eq!(seen[0], seen[1]);
    std::fs::remove_dir_all(dir).unwrap();
}

/// Usage errors and an adapter that will not start are exit 2.
#[test]
fn fuzz_usage_errors_are_exit_2() {
    let dir = temp_dir("fuzz-usage");
    let run = fuzz("exit 3", &dir, &["--iterations", "10"]);
    assert_eq!(run.status, 2, "{}", run.stderr);
    let run = fuzz(PYTHON, &dir, &["--time", "-1"]);
    assert_eq!(run.status, 2, "{}", run.stderr);
    let run = sipc_with(
        &[
            "fuzz",
            "--adapter",
            PYTHON,
            "--reproduce",
            "/nonexistent.json",
        ],
        b"",
        Duration::from_secs(30),
    );
    assert_eq!(run.status, 2, "{}", run.stderr);
    std::fs::remove_dir_all(dir).unwrap();
}

/// Over TCP, with the real clock and one replay cache for all connections, the three correct
/// servers agree with the reference's shadow verifier on every mutant.
#[test]
fn the_three_servers_agree_with_the_reference_over_tcp() {
    let dir = temp_dir("fuzz-tcp-correct");
    for server in [
        format!("{} serve --config {{config}}", env!("CARGO_BIN_EXE_sipc")),
        "python3 conformance/adapters/python/sipc_server.py --config {config}".into(),
        "node conformance/adapters/node/sipc_server.js --config {config}".into(),
    ] {
        let run = fuzz_tcp(&server, &dir, &["--iterations", "600"]);
        assert_eq!(run.status, 0, "{server}: {}{}", run.stdout, run.stderr);
        assert!(
            run.stdout
                .contains(", 0 disagreements, 0 distinct findings"),
            "{server}: {}",
            run.stdout
        );
    }
    std::fs::remove_dir_all(dir).unwrap();
}

/// Over TCP the fuzzer finds a replay cache per connection, a server that takes each read for
/// a whole frame, and one that reads the body before checking the length; findings replay.
#[test]
fn the_fuzzer_catches_the_tcp_zoo() {
    let dir = temp_dir("fuzz-tcp-zoo");
    for (member, signature) in [
        (
            "cache_per_connection",
            "reference replay / implementation accept",
        ),
        ("one_recv_per_frame", "verify: reference "),
        (
            "read_body_first",
            "reference oversize / implementation broken",
        ),
    ] {
        let server = format!("python3 conformance/zoo/tcp/{member}.py --config {{config}}");
        let out = dir.join(member);
        let started = Instant::now();
        let run = fuzz_tcp(
            &server,
            &out,
            &["--time", "60", "--max-findings", "1", "--timeout", "1"],
        );
        assert!(started.elapsed() < Duration::from_secs(60), "{member}");
        assert_eq!(run.status, 1, "{member}: {}{}", run.stdout, run.stderr);
        assert!(run.stdout.contains(signature), "{member}: {}", run.stdout);
        let file = out.join("finding-1.json");
        // `one_recv_per_frame` misbehaves only when the kernel hands it a frame in pieces,
        // which the load of a parallel test run can change: a replay gets three tries.
        assert!(
            (0..3).any(|_| reproduce("--tcp-server", &server, &file) == 1),
            "{member} does not reproduce"
        );
    }
    std::fs::remove_dir_all(dir).unwrap();
}

/// Off a terminal (a CI log), the progress line is written as plain lines, never redrawn
/// with a carriage return.
#[test]
fn progress_is_only_redrawn_on_a_terminal() {
    let dir = temp_dir("fuzz-progress");
    let adapter = format!("{} adapter", env!("CARGO_BIN_EXE_sipc"));
    let run = sipc_with(
        &[
            "fuzz",
            "--seed",
            "1",
            "--iterations",
            "200",
            "--adapter",
            &adapter,
            "--out",
            dir.to_str().unwrap(),
        ],
        b"",
        Duration::from_secs(60),
    );
    assert_eq!(run.status, 0, "{}{}", run.stdout, run.stderr);
    assert!(run.stderr.contains("] 200 cases, "), "{}", run.stderr);
    assert!(!run.stderr.contains('\r'), "{:?}", run.stderr);
    std::fs::remove_dir_all(dir).unwrap();
}

/// Fuzzes `good` for a few seconds (no disagreement allowed), then `bad` until its first finding,
/// which must be an accepted replay; the finding's reproducer names `transport` and `extra`, and
/// replays.
fn agrees_then_finds_a_replay(name: &str, transport: &str, good: &str, bad: &str, extra: &[&str]) {
    let dir = temp_dir(name);
    let mut args = vec!["--time", "4"];
    args.extend(extra);
    let run = fuzz_with(transport, good, &dir.join("good"), &args);
    assert_eq!(run.status, 0, "{}{}", run.stdout, run.stderr);
    assert!(
        run.stdout
            .contains(", 0 disagreements, 0 distinct findings"),
        "{}",
        run.stdout
    );
    let out = dir.join("bad");
    let mut args = vec!["--time", "60", "--max-findings", "1", "--timeout", "1"];
    args.extend(extra);
    let run = fuzz_with(transport, bad, &out, &args);
    assert_eq!(run.status, 1, "{}{}", run.stdout, run.stderr);
    assert!(
        run.stdout
            .contains("reference replay / implementation accept"),
        "{}",
        run.stdout
    );
    let reproducer = format!("sipc fuzz {transport} ");
    assert!(run.stdout.contains(&reproducer), "{}", run.stdout);
    for flag in extra {
        assert!(
            run.stdout.contains(&format!(" {flag} --reproduce")),
            "{}",
            run.stdout
        );
    }
    assert_eq!(
        reproduce_with(transport, bad, &out.join("finding-1.json"), extra),
        1
    );
    std::fs::remove_dir_all(dir).unwrap();
}

/// REQ-UNIX-1: over a Unix socket (`--unix-server`) the fuzzer agrees with the Python server,
/// and finds the TCP zoo's replay cache per connection there too; the finding replays with
/// `--unix-server`.
#[test]
fn the_fuzzer_over_a_unix_socket() {
    agrees_then_finds_a_replay(
        "fuzz-unix",
        "--unix-server",
        "python3 conformance/adapters/python/sipc_server.py --config {config}",
        "python3 conformance/zoo/tcp/cache_per_connection.py --config {config}",
        &[],
    );
}

/// REQ-SPOOL-5: through a spool folder (`--spool`, each envelope a file) the fuzzer agrees with
/// the Python receiver, and finds the spool zoo's verifier per file; the finding replays with
/// `--spool`.
#[test]
fn the_fuzzer_through_a_spool_folder() {
    agrees_then_finds_a_replay(
        "fuzz-spool",
        "--spool",
        "python3 conformance/adapters/python/sipc_server.py --config {config}",
        "python3 conformance/zoo/spool/verifier_per_file.py --config {config}",
        &[],
    );
}

/// REQ-TCP-8: under mutual TLS (`--tls`) the fuzzer agrees with the Node server, and finds the
/// TCP zoo's replay cache per connection in the Python server inside TLS too; the finding
/// replays with `--tls`.
#[test]
fn the_fuzzer_under_mutual_tls() {
    agrees_then_finds_a_replay(
        "fuzz-tls",
        "--tcp-server",
        "node conformance/adapters/node/sipc_server.js --config {config}",
        "python3 conformance/zoo/tcp/cache_per_connection.py --config {config}",
        &["--tls"],
    );
}
