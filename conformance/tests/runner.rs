//! The runner against hostile and broken adapters: it never hangs, crashes or leaves a
//! process behind, and it says what happened. Also expectations, --strict, --filter and the
//! report formats.

mod common;

use common::{interrupt, sipc, sipc_with, temp_dir, wait_for_file};
use std::time::{Duration, Instant};

fn misbehaving(mode: &str) -> String {
    format!("python3 conformance/tests/fixtures/misbehaving.py {mode}")
}

/// The SEC-IPC-04 family: 7 replay sequences, all `verify`.
const FAMILY: &str = "SEC-IPC-04";

fn family_size() -> usize {
    let run = sipc(&["run", "--list", "--filter", FAMILY], b"");
    run.stdout
        .lines()
        .last()
        .unwrap()
        .strip_suffix(" tests")
        .unwrap()
        .parse()
        .unwrap()
}

#[test]
fn an_adapter_that_will_not_start_or_greet_is_exit_2() {
    for (adapter, words) in [
        (misbehaving("no-hello"), "does not answer hello"),
        (misbehaving("garbage-hello"), "not a strict JSON object"),
        ("/nonexistent/adapter".to_owned(), "does not answer hello"),
    ] {
        let run = sipc(&["run", "--timeout", "2", "--adapter", &adapter], b"");
        assert_eq!(run.status, 2, "{adapter}: {}", run.stdout);
        assert!(run.stderr.contains(words), "{adapter}: {}", run.stderr);
    }
}

#[test]
fn usage_errors_are_exit_2() {
    assert_eq!(sipc(&["run"], b"").status, 2);
    assert_eq!(
        sipc(&["run", "--adapter", "x", "--timeout", "0"], b"").status,
        2
    );
    let dir = temp_dir("bad-expect");
    let file = dir.join("e.json");
    std::fs::write(&file, r#"{"error_map":{"stale":"too_old"}}"#).unwrap();
    let run = sipc(
        &[
            "run",
            "--adapter",
            "x",
            "--expectations",
            file.to_str().unwrap(),
        ],
        b"",
    );
    assert_eq!(run.status, 2);
    assert!(
        run.stderr.contains("not a SIPC/1 error code"),
        "{}",
        run.stderr
    );
    std::fs::remove_dir_all(dir).unwrap();
}

/// Each broken exchange fails its test with the reason; the adapter is restarted once, and a
/// second breakdown in the same area fails the rest of the area without running it.
#[test]
fn broken_exchanges_fail_tests_and_the_run_goes_on() {
    let n = family_size();
    assert!(n >= 3);
    for (mode, words) in [
        ("huge", "longer than 16777216 bytes"),
        ("garbage", "not a strict JSON object: <html>500</html>"),
        ("wrong-id", "a response with id"),
        ("exit", "the adapter exited (exit status 3)"),
        ("hang", "no response within 1.0 s"),
    ] {
        let started = Instant::now();
        let run = sipc_with(
            &[
                "run",
                "--timeout",
                "1",
                "--filter",
                FAMILY,
                "--adapter",
                &misbehaving(mode),
            ],
            b"",
            Duration::from_secs(60),
        );
        assert_eq!(run.status, 1, "{mode}: {}", run.stdout);
        assert!(
            run.stdout
                .ends_with(&format!("0 passed, {n} failed, 0 skipped\n")),
            "{mode}: {}",
            run.stdout
        );
        let fails: Vec<&str> = run
            .stdout
            .lines()
            .filter(|l| l.starts_with("FAIL"))
            .collect();
        assert_eq!(fails.len(), n, "{mode}: {}", run.stdout);
        assert!(
            fails.iter().all(|l| l.contains(words)),
            "{mode}: every failure gives the reason: {}",
            run.stdout
        );
        let not_run = fails
            .iter()
            .filter(|l| {
                l.contains("not run:") && l.contains("already restarted once in area replay")
            })
            .count();
        assert_eq!(
            not_run,
            n - 2,
            "{mode}: after the restart breaks down too, the rest is not run: {}",
            run.stdout
        );
        // Two timeouts at most, then nothing more is waited for.
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "{mode} took {:?}",
            started.elapsed()
        );
    }
}

#[test]
fn unsupported_ops_are_skipped() {
    let run = sipc(
        &[
            "run",
            "--filter",
            "SEC-IPC-0*",
            "--adapter",
            &misbehaving("unsupported"),
        ],
        b"",
    );
    assert_eq!(run.status, 0, "{}", run.stdout);
    assert!(run.stdout.contains("SKIP"), "{}", run.stdout);
    assert!(
        run.stdout.ends_with(" skipped\n") && run.stdout.contains("\n0 passed, 0 failed, "),
        "{}",
        run.stdout
    );
}

/// No process of the adapter's group outlives the run.
#[test]
fn no_process_is_left_behind() {
    let dir = temp_dir("grandchild");
    let pidfile = dir.join("pid");
    let adapter = format!(
        "SIPC_TEST_PIDFILE={} {}",
        pidfile.display(),
        misbehaving("grandchild")
    );
    let run = sipc(&["run", "--filter", "kind", "--adapter", &adapter], b"");
    assert_eq!(run.status, 0, "{}", run.stdout);
    let pid = std::fs::read_to_string(&pidfile).unwrap();
    // Killed and reaped (by init, once its parent is gone): no /proc entry, or a zombie at most.
    common::wait_gone(&pid);
    std::fs::remove_dir_all(dir).unwrap();
}

/// Ctrl-C (SIGINT) while the adapter hangs: the runner kills the adapter's group and exits.
#[test]
fn interrupting_the_runner_kills_the_adapter() {
    let dir = temp_dir("sigint");
    let pidfile = dir.join("pid");
    let mut runner = std::process::Command::new(env!("CARGO_BIN_EXE_sipc"))
        .args([
            "run",
            "--timeout",
            "60",
            "--filter",
            FAMILY,
            "--adapter",
            &misbehaving("hang"),
        ])
        .env("SIPC_TEST_PIDFILE", &pidfile)
        .current_dir(common::root())
        .stdout(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let pid = wait_for_file(&pidfile, |p| !p.is_empty());
    std::thread::sleep(Duration::from_millis(300)); // let the runner send a verify and wait
    assert_eq!(interrupt(&mut runner), Some(130));
    common::wait_gone(&pid);
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn expectations_turn_known_failures_into_expected_ones_and_report_fixed_ones() {
    let dir = temp_dir("expect");
    let (report, file) = (dir.join("report.json"), dir.join("expectations.json"));
    let zoo = "python3 conformance/zoo/no_replay.py";
    let run = sipc(
        &[
            "run",
            "-q",
            "--adapter",
            zoo,
            "--report-json",
            report.to_str().unwrap(),
        ],
        b"",
    );
    assert_eq!(run.status, 1);
    // List every failing tcId as known.
    let text = std::fs::read_to_string(&report).unwrap();
    let failing: Vec<String> = text
        .split("\"tcId\": ")
        .skip(1)
        .filter(|chunk| {
            chunk
                .split("\"tcId\"")
                .next()
                .unwrap()
                .contains("\"outcome\": \"fail\"")
        })
        .map(|chunk| chunk.split(',').next().unwrap().to_owned())
        .collect();
    assert!(failing.len() >= 5, "{failing:?}");
    let list: Vec<String> = failing
        .iter()
        .map(|id| format!("\"{id}\":\"no replay cache yet\""))
        .collect();
    std::fs::write(&file, format!("{{\"failures\":{{{}}}}}", list.join(","))).unwrap();
    let e = file.to_str().unwrap();
    let run = sipc(&["run", "--adapter", zoo, "--expectations", e], b"");
    assert_eq!(run.status, 0, "{}", run.stdout);
    assert_eq!(
        run.stdout.matches("XFAIL").count(),
        failing.len(),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("(known: no replay cache yet)")
            && !run.stdout.lines().any(|l| l.starts_with("FAIL")),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains(&format!("{} expected failures", failing.len())),
        "{}",
        run.stdout
    );
    // The same list on a correct adapter: the listed tests pass, and each counts as a failure
    // until the list is cleaned up.
    let run = sipc(
        &[
            "run",
            "--adapter",
            "python3 conformance/adapters/python/sipc_adapter.py",
            "--expectations",
            e,
        ],
        b"",
    );
    assert_eq!(run.status, 1, "{}", run.stdout);
    assert_eq!(
        run.stdout.matches("FIXED").count(),
        failing.len(),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("remove it from the expectations"),
        "{}",
        run.stdout
    );
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn strict_and_the_error_map_decide_wrong_codes() {
    let adapter = misbehaving("rename");
    let filter = "ttl";
    let lenient = sipc(&["run", "--filter", filter, "--adapter", &adapter], b"");
    assert_eq!(lenient.status, 0, "{}", lenient.stdout);
    assert!(
        lenient.stdout.contains("WARN") && lenient.stdout.contains("with stale instead of expired"),
        "{}",
        lenient.stdout
    );
    let strict = sipc(
        &["run", "--strict", "--filter", filter, "--adapter", &adapter],
        b"",
    );
    assert_eq!(strict.status, 1, "{}", strict.stdout);
    let dir = temp_dir("map");
    let file = dir.join("map.json");
    std::fs::write(&file, r#"{"error_map":{"stale":"expired"}}"#).unwrap();
    let mapped = sipc(
        &[
            "run",
            "--strict",
            "--filter",
            filter,
            "--adapter",
            &adapter,
            "--expectations",
            file.to_str().unwrap(),
        ],
        b"",
    );
    assert_eq!(mapped.status, 0, "{}", mapped.stdout);
    assert!(!mapped.stdout.contains("WARN"), "{}", mapped.stdout);
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn filter_selects_by_tc_id_family_area_and_prefix() {
    let count = |filter: &str| -> usize {
        let run = sipc(&["run", "--list", "--filter", filter], b"");
        run.stdout
            .lines()
            .last()
            .unwrap()
            .strip_suffix(" tests")
            .unwrap()
            .parse()
            .unwrap()
    };
    assert_eq!(count("1"), 1);
    assert_eq!(count("1,2,3"), 3);
    assert!(count("SEC-IPC-*") > count("SEC-IPC-04") + count("SEC-IPC-02"));
    assert_eq!(
        count("sign"),
        count("SIGN-CANON") + count("SIGN-INPUT") + count("SIGN-CONFIG")
    );
    assert_eq!(count("no-such-family"), 0);
}

#[test]
fn junit_and_json_reports_describe_the_failures() {
    let dir = temp_dir("reports");
    let (junit, json) = (dir.join("junit.xml"), dir.join("report.json"));
    let run = sipc(
        &[
            "run",
            "-q",
            "--filter",
            "SEC-IPC-02,SEC-IPC-01",
            "--adapter",
            "python3 conformance/zoo/sig_prefix16.py",
            "--junit",
            junit.to_str().unwrap(),
            "--report-json",
            json.to_str().unwrap(),
        ],
        b"",
    );
    assert_eq!(run.status, 1);
    let xml = std::fs::read_to_string(&junit).unwrap();
    assert!(
        xml.starts_with("<?xml")
            && xml.contains("<testsuites name=\"sipc zoo/sig_prefix16 0.1.0\""),
        "{xml}"
    );
    assert_eq!(xml.matches("<failure ").count(), 5, "{xml}");
    assert!(xml.contains("Requirement: REQ-SIG-4, REQ-SIG-5"), "{xml}");
    assert!(
        xml.contains("re-run: sipc run --adapter &apos;python3 conformance/zoo/sig_prefix16.py&apos; --filter "),
        "{xml}"
    );
    let report = std::fs::read_to_string(&json).unwrap();
    assert!(
        report.contains("\"failed\": 5") && report.contains("\"outcome\": \"fail\""),
        "{report}"
    );
    std::fs::remove_dir_all(dir).unwrap();
}

/// A FAIL line names the requirements it breaks (`Requirement:`, as h2spec) and the command
/// that re-runs just that test; that command, run, runs that one test and fails it again. The
/// Markdown findings carry the same command.
#[test]
fn a_failure_names_its_requirements_and_the_command_that_reruns_it() {
    let dir = temp_dir("rerun");
    let md = dir.join("findings.md");
    let adapter = "python3 conformance/zoo/default_envelope_limit.py";
    let run = sipc(
        &[
            "run",
            "--filter",
            "SIZE-DEFAULT",
            "--strict",
            "--adapter",
            adapter,
            "--report-md",
            md.to_str().unwrap(),
        ],
        b"",
    );
    assert_eq!(run.status, 1, "{}", run.stdout);
    assert!(
        run.stdout
            .contains("\n      Requirement: REQ-CONFIG-10, REQ-SIZE-1\n"),
        "{}",
        run.stdout
    );
    let rerun = run
        .stdout
        .lines()
        .find_map(|l| l.trim_start().strip_prefix("re-run:"))
        .unwrap_or_else(|| panic!("no re-run line: {}", run.stdout))
        .trim()
        .to_owned();
    let prefix = format!("sipc run --adapter '{adapter}' --strict --filter ");
    let tc_id = rerun
        .strip_prefix(&prefix)
        .unwrap_or_else(|| panic!("{rerun}"));
    assert!(tc_id.parse::<u64>().is_ok(), "{rerun}");
    let markdown = std::fs::read_to_string(&md).unwrap();
    assert!(
        markdown.contains(&format!("- Re-run: `{rerun}`")),
        "{markdown}"
    );
    // The printed command, as a shell runs it, re-runs exactly that test.
    let again = sipc(
        &["run", "--adapter", adapter, "--strict", "--filter", tc_id],
        b"",
    );
    assert_eq!(again.status, 1);
    assert!(
        again.stdout.ends_with("0 passed, 1 failed, 0 skipped\n"),
        "{}",
        again.stdout
    );
    std::fs::remove_dir_all(dir).unwrap();
}

/// What was sent is shown with its invisible characters escaped (`\u{b}` for a vertical tab),
/// on the console and in Markdown, and a canonical form answered is shown as text.
#[test]
fn invisible_characters_are_escaped_and_canonical_forms_shown_as_text() {
    let dir = temp_dir("visible");
    let md = dir.join("findings.md");
    let run = sipc(
        &[
            "run",
            "--filter",
            "JSON-GRAMMAR",
            "--adapter",
            &misbehaving("canon-echo"),
            "--report-md",
            md.to_str().unwrap(),
        ],
        b"",
    );
    assert_eq!(run.status, 1, "{}", run.stderr);
    let vt = run
        .stdout
        .split("FAIL  ")
        .find(|block| block.contains("a vertical tab is not whitespace"))
        .unwrap_or_else(|| panic!("{}", run.stdout));
    assert!(vt.contains("sent:     canonicalize \\u{b}{}\n"), "{vt}");
    assert!(vt.contains("provided: canonical \\u{b}{}\n"), "{vt}");
    assert!(
        !run.stdout.bytes().any(|b| b < 0x20 && b != b'\n'),
        "a control byte reached the console: {:?}",
        run.stdout
    );
    let markdown = std::fs::read_to_string(&md).unwrap();
    assert!(
        !markdown.bytes().any(|b| b < 0x20 && b != b'\n'),
        "{markdown:?}"
    );
    std::fs::remove_dir_all(dir).unwrap();
}

/// A run that exits 2 (the adapter never greets) still writes the JUnit, JSON and Markdown
/// reports it was asked for, each with the reason, so that CI shows why.
#[test]
fn a_run_that_cannot_start_still_writes_its_reports_with_the_reason() {
    let dir = temp_dir("exit2-reports");
    let (junit, json, md) = (
        dir.join("junit.xml"),
        dir.join("report.json"),
        dir.join("findings.md"),
    );
    let run = sipc(
        &[
            "run",
            "--timeout",
            "2",
            "--adapter",
            &misbehaving("no-hello"),
            "--junit",
            junit.to_str().unwrap(),
            "--report-json",
            json.to_str().unwrap(),
            "--report-md",
            md.to_str().unwrap(),
        ],
        b"",
    );
    assert_eq!(run.status, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains("does not answer hello"),
        "{}",
        run.stderr
    );
    let xml = std::fs::read_to_string(&junit).unwrap();
    assert!(
        xml.contains("errors=\"1\"")
            && xml.contains("<error message=\"the adapter does not answer hello"),
        "{xml}"
    );
    let report = std::fs::read_to_string(&json).unwrap();
    let value = sipc_reference::json::parse(report.as_bytes()).unwrap();
    let reason = value
        .get("not_started")
        .and_then(sipc_reference::json::Value::as_str)
        .unwrap_or_else(|| panic!("{report}"));
    assert!(reason.contains("does not answer hello"), "{report}");
    let markdown = std::fs::read_to_string(&md).unwrap();
    assert!(
        markdown.contains("The run did not start (exit 2)")
            && markdown.contains("does not answer hello"),
        "{markdown}"
    );
    std::fs::remove_dir_all(dir).unwrap();
}
