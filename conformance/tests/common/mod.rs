//! Running `sipc` in tests: every child is waited for with a deadline and killed past it, and
//! its output is drained by threads so that a full pipe cannot stall it.
#![allow(dead_code)] // each test binary uses a different part

use std::io::{Read, Write};
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

pub struct Run {
    pub status: i32,
    pub stdout: String,
    pub stderr: String,
}

/// The repository root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// Runs `sipc args` in the repository root with `stdin`, for at most `limit`.
pub fn sipc_with(args: &[&str], stdin: &[u8], limit: Duration) -> Run {
    let mut child = Command::new(env!("CARGO_BIN_EXE_sipc"))
        .args(args)
        .current_dir(root())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut input = child.stdin.take().unwrap();
    let stdin = stdin.to_vec();
    // The child may stop reading early (it reads at most its limit); ignore a broken pipe.
    let writer = std::thread::spawn(move || {
        let _ = input.write_all(&stdin);
    });
    let drain = |mut r: Box<dyn Read + Send>| {
        std::thread::spawn(move || {
            let mut buf = Vec::new();
            let _ = r.read_to_end(&mut buf);
            String::from_utf8_lossy(&buf).into_owned()
        })
    };
    let out = drain(Box::new(child.stdout.take().unwrap()));
    let err = drain(Box::new(child.stderr.take().unwrap()));
    let deadline = Instant::now() + limit;
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if Instant::now() > deadline {
            child.kill().unwrap();
            child.wait().unwrap();
            panic!("sipc {args:?} did not finish in {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(5));
    };
    writer.join().unwrap();
    Run {
        status: status.code().unwrap_or(-1),
        stdout: out.join().unwrap(),
        stderr: err.join().unwrap(),
    }
}

/// Runs `sipc args` for at most 60 seconds.
pub fn sipc(args: &[&str], stdin: &[u8]) -> Run {
    sipc_with(args, stdin, Duration::from_secs(60))
}

/// The number of published vectors, from `sipc run --list`.
pub fn vector_count() -> usize {
    let run = sipc(&["run", "--list"], b"");
    assert_eq!(run.status, 0, "{}", run.stderr);
    let last = run.stdout.lines().last().unwrap();
    last.strip_suffix(" tests").unwrap().parse().unwrap()
}

/// A fresh temporary folder for one test.
pub fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("sipc-test-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Whether process `pid` is gone: no /proc entry, or a zombie waiting for init.
pub fn gone(pid: &str) -> bool {
    let state = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    state
        .split(") ")
        .nth(1)
        .is_none_or(|rest| rest.starts_with('Z'))
}

/// Waits (at most 5 s) until every pid in the whitespace-separated `pids` is gone.
pub fn wait_gone(pids: &str) {
    let deadline = Instant::now() + Duration::from_secs(5);
    for pid in pids.split_whitespace() {
        while !gone(pid) {
            assert!(Instant::now() < deadline, "process {pid} outlived the run");
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

/// The content of `path` once `ready` holds for it, waiting at most 10 s.
pub fn wait_for_file(path: &std::path::Path, ready: impl Fn(&str) -> bool) -> String {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        if let Ok(text) = std::fs::read_to_string(path) {
            if ready(&text) {
                return text;
            }
        }
        assert!(
            Instant::now() < deadline,
            "{} was not written",
            path.display()
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Sends SIGINT to `child` and returns its exit code, waiting at most 5 s.
pub fn interrupt(child: &mut std::process::Child) -> Option<i32> {
    let status = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let deadline = Instant::now() + Duration::from_secs(5);
    loop {
        if let Some(exit) = child.try_wait().unwrap() {
            return exit.code();
        }
        if Instant::now() > deadline {
            child.kill().unwrap();
            child.wait().unwrap();
            panic!("the runner did not exit on SIGINT");
        }
        std::thread::sleep(Duration::from_millis(10));
    }
}

/// `sipc ARGS` run as `nobody` (through `runuser`, so only as root), for at most 60 s, from
/// the repository root.
pub fn run_as_nobody(args: &[&str]) -> Run {
    let mut child = Command::new("runuser")
        .args(["-u", "nobody", "--", env!("CARGO_BIN_EXE_sipc")])
        .args(args)
        .current_dir(root())
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("runuser");
    let deadline = Instant::now() + Duration::from_secs(60);
    while child.try_wait().unwrap().is_none() {
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("sipc as nobody did not finish in 60 s");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let out = child.wait_with_output().unwrap();
    Run {
        status: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// `sipc run --strict ARGS…` passes all `total` tests (exit 0, none failed or skipped).
pub fn passes_all(args: &[&str], total: usize) {
    let mut all = vec!["run", "--strict"];
    all.extend(args);
    let run = sipc(&all, b"");
    assert_eq!(run.status, 0, "{args:?}:\n{}\n{}", run.stdout, run.stderr);
    assert_eq!(
        run.stdout.lines().last(),
        Some(format!("{total} passed, 0 failed, 0 skipped").as_str()),
        "{args:?}:\n{}",
        run.stdout
    );
}

/// The first line `child` prints on stdout (its `LISTENING …` line), waiting at most `limit`;
/// `None` when none comes in time. Takes the child's stdout.
pub fn first_line(child: &mut std::process::Child, limit: Duration) -> Option<String> {
    use std::io::BufRead;
    let stdout = child.stdout.take()?;
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let mut line = String::new();
        let _ = std::io::BufReader::new(stdout).read_line(&mut line);
        let _ = tx.send(line);
    });
    rx.recv_timeout(limit).ok()
}
