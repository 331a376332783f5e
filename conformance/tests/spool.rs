//! The spool profile (SIPC/1 §14) through `sipc run --spool`: the three correct receivers pass
//! every spool test, each refuses an unsafe folder before announcing, and a run without root
//! reports the root-only test as a skip. (The spool zoo is in zoo.rs.)

mod common;

use common::{sipc, sipc_with, temp_dir};
use std::io::{BufRead, BufReader};
use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// The three receivers, each with `{config}` and `{dir}` where the runner puts the paths.
fn receivers() -> [String; 3] {
    [
        format!(
            "{} serve --config {{config}} --dir {{dir}}",
            env!("CARGO_BIN_EXE_sipc")
        ),
        "python3 conformance/adapters/python/sipc_server.py --dir {dir} --config {config}".into(),
        "node conformance/adapters/node/sipc_server.js --config {config} --dir {dir}".into(),
    ]
}

fn spool_test_count() -> usize {
    let run = sipc(&["run", "--spool", "x {config}", "--list"], b"");
    assert_eq!(run.status, 0, "{}", run.stderr);
    assert!(run.stdout.contains("SPOOL-LINK") && run.stdout.contains("SEC-IPC-04"));
    let last = run.stdout.lines().last().unwrap();
    last.strip_suffix(" tests").unwrap().parse().unwrap()
}

/// REQ-SPOOL-2, REQ-SPOOL-3, REQ-SPOOL-4, REQ-SPOOL-5, REQ-SPOOL-6: `sipc serve`, the Python
/// and the Node receivers pass every spool test with `--strict`: the TCP table's frame tests as
/// files, names still being written, a directory, a link, a FIFO, a socket, sizes at and over
/// the limit and a sparse 1 TiB file, a replay under another name, and the unsafe folders.
#[test]
fn the_three_receivers_pass_every_spool_test() {
    let total = spool_test_count();
    assert!(total >= 30, "only {total} spool tests");
    for receiver in receivers() {
        let run = sipc(&["run", "--strict", "--spool", &receiver], b"");
        assert_eq!(run.status, 0, "{receiver}:\n{}\n{}", run.stdout, run.stderr);
        // Without root, the folder of another uid and the device node are skips.
        let skipped = if rustix::process::geteuid().is_root() {
            0
        } else {
            2
        };
        assert_eq!(
            run.stdout.lines().last(),
            Some(format!("{} passed, 0 failed, {skipped} skipped", total - skipped).as_str()),
            "{receiver}:\n{}",
            run.stdout
        );
    }
}

/// A spool config naming `dir`.
fn config(at: &Path, dir: &Path) {
    let text = format!(
        r#"{{"transport":"spool","spool_dir":{:?},"auth":{{"mode":"hmac","secret_hex":"{}","ttl_seconds":60,"nonce_cache_size":1000}},"max_payload_bytes":65536,"allowed_kinds":["job.run"]}}"#,
        dir.display().to_string(),
        "00".repeat(32)
    );
    std::fs::write(at, text).unwrap();
}

/// Starts `receiver` on the config at `config` with `dir` and returns its exit status, or
/// `None` when it announced (it is then killed) or ran past 10 s. Reads stdout up to its first
/// line or its end.
fn start(receiver: &str, config: &Path, dir: &Path) -> (Option<i32>, String) {
    let command = receiver
        .replace("{config}", &config.display().to_string())
        .replace("{dir}", &dir.display().to_string());
    let mut child = Command::new("sh")
        .args(["-c", &format!("exec {command}")])
        .current_dir(common::root())
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let mut line = String::new();
        let _ = BufReader::new(stdout).read_line(&mut line);
        let _ = tx.send(line);
    });
    let line = rx.recv_timeout(Duration::from_secs(10)).unwrap_or_default();
    let deadline = Instant::now() + Duration::from_secs(10);
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status.code();
        }
        if !line.is_empty() || Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            break None;
        }
        std::thread::sleep(Duration::from_millis(10));
    };
    (status, line)
}

/// REQ-SPOOL-1: each receiver starts on a folder of mode 0700 of its own uid, announcing
/// exactly `LISTENING spool:<dir>`, and refuses to start (non-zero exit, no `LISTENING`) on a
/// folder its group or others may write to, a link to a good folder, a regular file, a folder
/// that does not exist, and, as root, a folder of uid 65534; and when `--dir` names another
/// folder than the config.
#[test]
fn req_spool_1_unsafe_folders_are_refused_before_announcing() {
    let tmp = temp_dir("spool-folders");
    let good = tmp.join("good");
    std::fs::create_dir(&good).unwrap();
    std::fs::set_permissions(&good, std::fs::Permissions::from_mode(0o700)).unwrap();
    let mut unsafe_dirs = Vec::new();
    for (name, mode) in [("group", 0o770), ("others", 0o707), ("sticky-tmp", 0o1777)] {
        let dir = tmp.join(name);
        std::fs::create_dir(&dir).unwrap();
        std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(mode)).unwrap();
        unsafe_dirs.push(dir);
    }
    let link = tmp.join("link");
    std::os::unix::fs::symlink(&good, &link).unwrap();
    let file = tmp.join("file");
    std::fs::write(&file, b"").unwrap();
    unsafe_dirs.extend([link, file, tmp.join("missing")]);
    if rustix::process::geteuid().is_root() {
        let theirs = tmp.join("theirs");
        std::fs::create_dir(&theirs).unwrap();
        std::fs::set_permissions(&theirs, std::fs::Permissions::from_mode(0o700)).unwrap();
        std::os::unix::fs::chown(&theirs, Some(65534), Some(65534)).unwrap();
        unsafe_dirs.push(theirs);
    } else {
        eprintln!("not root: the folder of another uid is not tried");
    }
    let config_path = tmp.join("config.json");
    for receiver in receivers() {
        config(&config_path, &good);
        let (status, line) = start(&receiver, &config_path, &good);
        assert_eq!(
            (status, line.trim_end()),
            (None, format!("LISTENING spool:{}", good.display()).as_str()),
            "{receiver}"
        );
        let (status, line) = start(&receiver, &config_path, &tmp.join("other"));
        assert!(
            status.is_some_and(|s| s != 0) && line.is_empty(),
            "{receiver} --dir other: {status:?} {line}"
        );
        for dir in &unsafe_dirs {
            config(&config_path, dir);
            let (status, line) = start(&receiver, &config_path, dir);
            assert!(
                status.is_some_and(|s| s != 0) && line.is_empty(),
                "{receiver} on {}: {status:?} {line:?}",
                dir.display()
            );
        }
    }
    std::fs::remove_dir_all(tmp).unwrap();
}

/// REQ-SPOOL-1: without root, the test of a folder owned by another uid is reported as a skip
/// with its reason, never as a pass (the runner runs as `nobody` here; as root only).
#[test]
fn the_root_only_folder_test_is_a_skip_without_root() {
    if !rustix::process::geteuid().is_root() {
        eprintln!("not root: this test runs the runner as nobody, which needs root");
        return;
    }
    let receiver = "python3 conformance/adapters/python/sipc_server.py --config {config}";
    let list = sipc(
        &[
            "run",
            "--spool",
            receiver,
            "--list",
            "--filter",
            "SPOOL-DIR",
        ],
        b"",
    );
    let last_tc_id = list
        .stdout
        .lines()
        .rev()
        .nth(1)
        .unwrap()
        .split_whitespace()
        .next()
        .unwrap()
        .to_owned();
    let run = common::run_as_nobody(&["run", "--spool", receiver, "--filter", &last_tc_id]);
    assert_eq!(run.status, 0, "{}\n{}", run.stdout, run.stderr);
    assert!(run.stdout.contains("needs root"), "{}", run.stdout);
    assert_eq!(
        run.stdout.lines().last(),
        Some("0 passed, 0 failed, 1 skipped"),
        "{}",
        run.stdout
    );
    // As root, the same test runs and passes.
    let run = sipc_with(
        &["run", "--spool", receiver, "--filter", &last_tc_id],
        b"",
        Duration::from_secs(60),
    );
    assert_eq!(
        run.stdout.lines().last(),
        Some("1 passed, 0 failed, 0 skipped"),
        "{}",
        run.stdout
    );
}

/// The matrix runs receivers side by side through one folder each: a zoo member that follows
/// links disagrees with `sipc serve` on SPOOL-LINK, its cell the accept it should not give;
/// over Unix sockets likewise, a server without the peer check on UNIX-PEER.
#[test]
fn a_matrix_of_receivers_sets_a_broken_one_apart() {
    let dir = temp_dir("spool-matrix");
    let rust = format!(
        "rust={} serve --config {{config}}",
        env!("CARGO_BIN_EXE_sipc")
    );
    for (flag, broken, family, answer) in [
        (
            "--spool",
            "python3 conformance/zoo/spool/follows_links.py --config {config}",
            "SPOOL-LINK",
            "accept",
        ),
        (
            "--unix-server",
            "python3 conformance/zoo/unix/no_peer_check.py --config {config}",
            "UNIX-PEER",
            "accept",
        ),
    ] {
        let json = dir.join("matrix.json");
        let broken = format!("broken={broken}");
        let run = sipc(
            &[
                "matrix",
                flag,
                &rust,
                flag,
                &broken,
                "--filter",
                family,
                "--json",
                json.to_str().unwrap(),
                "--timeout",
                "2",
            ],
            b"",
        );
        assert_eq!(run.status, 0, "{}{}", run.stdout, run.stderr);
        let grid = sipc_reference::json::parse(&std::fs::read(&json).unwrap()).unwrap();
        let Some(sipc_reference::json::Value::Array(rows)) = grid.get("rows") else {
            panic!("{grid:?}")
        };
        assert!(!rows.is_empty());
        let text = String::from_utf8(sipc_vectors::text::compact(&grid)).unwrap();
        assert!(
            rows.iter().any(|r| matches!(
                r.get("disagree"),
                Some(sipc_reference::json::Value::Bool(true))
            )),
            "{text}"
        );
        assert!(
            text.contains(&format!(r#"{{"answer":"{answer}","outcome":"fail"}}"#)),
            "{text}"
        );
    }
    std::fs::remove_dir_all(dir).unwrap();
}

/// `--expectations` works for spool runs as for the others: the known failure of a zoo member
/// is an expected failure (exit 0), and the same entry on a correct receiver is `FIXED` (exit 1).
#[test]
fn expectations_apply_to_spool_runs() {
    let dir = temp_dir("spool-expectations");
    let file = dir.join("expectations.json");
    std::fs::write(
        &file,
        br#"{"failures":{"SPOOL-LINK":"follows links (#1)"}}"#,
    )
    .unwrap();
    let file = file.to_str().unwrap();
    let broken = "python3 conformance/zoo/spool/follows_links.py --config {config}";
    let run = sipc(
        &[
            "run",
            "--spool",
            broken,
            "--expectations",
            file,
            "--timeout",
            "2",
        ],
        b"",
    );
    assert_eq!(run.status, 0, "{}{}", run.stdout, run.stderr);
    assert!(
        run.stdout.contains("XFAIL") && run.stdout.contains("follows links (#1)"),
        "{}",
        run.stdout
    );
    let good = "python3 conformance/adapters/python/sipc_server.py --config {config}";
    let run = sipc(
        &[
            "run",
            "--spool",
            good,
            "--expectations",
            file,
            "--filter",
            "SPOOL-LINK",
        ],
        b"",
    );
    assert_eq!(run.status, 1, "{}{}", run.stdout, run.stderr);
    assert!(run.stdout.contains("FIXED"), "{}", run.stdout);
    std::fs::remove_dir_all(dir).unwrap();
}
