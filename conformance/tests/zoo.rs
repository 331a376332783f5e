//! Every member of the zoo (`conformance/zoo/*.py`, each the Python adapter with one classic
//! bug) is caught: `sipc run` exits 1 and fails tests in each family the member's
//! `# caught-by:` line names. One zoo run's Markdown findings are pinned by a snapshot.

mod common;

use common::{root, sipc, temp_dir};
use sipc_reference::json::{parse, Value};
use std::collections::BTreeSet;

struct Member {
    name: String,
    /// How it starts, from the repository's root.
    command: String,
    caught_by: Vec<String>,
    extra_args: Vec<String>,
}

fn members(dir: &str) -> Vec<Member> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(root().join(dir)).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_stem().unwrap().to_string_lossy().into_owned();
        let extension = path.extension().map(|e| e.to_string_lossy().into_owned());
        let interpreter = match extension.as_deref() {
            Some("py") => "python3",
            Some("js") => "node",
            _ => continue,
        };
        if name.starts_with('_') {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        let header = |key: &str| {
            text.lines()
                .find_map(|l| {
                    l.strip_prefix(&format!("# {key}: "))
                        .or_else(|| l.strip_prefix(&format!("// {key}: ")))
                })
                .map(|v| {
                    v.split([',', ' '])
                        .filter(|s| !s.is_empty())
                        .map(str::to_owned)
                        .collect::<Vec<_>>()
                })
        };
        let caught_by =
            header("caught-by").unwrap_or_else(|| panic!("{name}: no '# caught-by:' line"));
        assert!(!caught_by.is_empty(), "{name}: names no family");
        let mut extra_args = header("run-with").unwrap_or_default();
        if let Some(profile) = header("profile") {
            extra_args.extend(["--profile".to_owned(), profile.concat()]);
        }
        out.push(Member {
            command: format!(
                "{interpreter} {}",
                path.strip_prefix(root()).unwrap().display()
            ),
            name,
            caught_by,
            extra_args,
        });
    }
    out.sort_by(|a, b| a.name.cmp(&b.name));
    out
}

/// The families with at least one failing test in a JSON report.
fn failing_families(report: &[u8]) -> BTreeSet<String> {
    let report = parse(report).unwrap();
    let Some(Value::Array(results)) = report.get("results") else {
        panic!("no results")
    };
    results
        .iter()
        .filter(|r| {
            matches!(
                r.get("outcome").and_then(Value::as_str),
                Some("fail" | "crash")
            )
        })
        .map(|r| r.get("id").and_then(Value::as_str).unwrap().to_owned())
        .collect()
}

/// Runs every member of `dir` with `transport` (`--adapter`, `--tcp-server` or `--unix-server`)
/// and returns
/// those that escaped: not exit 1, or no failure in a family their `# caught-by:` line names.
fn escaped(dir: &str, transport: &str, suffix: &str) -> Vec<String> {
    let members = members(dir);
    let tmp = temp_dir(&dir.replace('/', "-"));
    let mut escaped = Vec::new();
    for member in &members {
        let report = tmp.join(format!("{}.json", member.name));
        let command = format!("{}{suffix}", member.command);
        let mut args = vec![
            "run",
            "-q",
            "--timeout",
            "2",
            transport,
            &command,
            "--report-json",
            report.to_str().unwrap(),
        ];
        args.extend(member.extra_args.iter().map(String::as_str));
        let run = sipc(&args, b"");
        let families = failing_families(&std::fs::read(&report).unwrap());
        let missed: Vec<&String> = member
            .caught_by
            .iter()
            .filter(|f| !families.contains(*f))
            .collect();
        if run.status != 1 || !missed.is_empty() {
            escaped.push(format!(
                "{}: exit {}, failing families {families:?}, missed {missed:?}\n{}",
                member.name, run.status, run.stderr
            ));
        }
    }
    std::fs::remove_dir_all(tmp).unwrap();
    escaped
}

#[test]
fn every_zoo_member_is_caught_by_its_families() {
    assert!(members("conformance/zoo").len() >= 20);
    let escaped = escaped("conformance/zoo", "--adapter", "");
    assert!(
        escaped.is_empty(),
        "zoo members that escaped:\n{}",
        escaped.join("\n")
    );
}

/// The profile zoo (`conformance/zoo/profiles/`): at least five broken implementations of each
/// profile, each our implementation of it (Python, or Node for the insertion-order scheme)
/// with one classic bug of its verification, each caught by the family its `# caught-by:` line names.
#[test]
fn every_profile_zoo_member_is_caught_by_its_families() {
    let members = members("conformance/zoo/profiles");
    for profile in [
        "standard-webhooks",
        "stripe",
        "github",
        "slack",
        "hmac-json-insertion-order",
        "hmac-json-sorted-keys",
    ] {
        let n = members
            .iter()
            .filter(|m| m.extra_args.iter().any(|a| a == profile))
            .count();
        assert!(n >= 5, "{profile}: {n} zoo members");
    }
    let escaped = escaped("conformance/zoo/profiles", "--adapter", "");
    assert!(
        escaped.is_empty(),
        "profile zoo members that escaped:\n{}",
        escaped.join("\n")
    );
}

/// REQ-TCP-2, REQ-TCP-5, REQ-TCP-6, REQ-TCP-7: the TCP zoo (`conformance/zoo/tcp/`) is caught
/// over TCP: a server that reads the body before checking the length (SEC-IPC-05), one that
/// binds 0.0.0.0 whatever its config says (SEC-IPC-07), one that starts with a wildcard or
/// `localhost` config (SEC-IPC-07, SEC-IPC-07b), one with a replay cache per connection
/// (SEC-IPC-04), one that takes each read for a whole frame (TCP-FRAME, REQ-TCP-1).
#[test]
fn every_tcp_zoo_member_is_caught_by_its_families() {
    assert!(members("conformance/zoo/tcp").len() >= 5);
    let escaped = escaped("conformance/zoo/tcp", "--tcp-server", " --config {config}");
    assert!(
        escaped.is_empty(),
        "TCP zoo members that escaped:\n{}",
        escaped.join("\n")
    );
}

/// REQ-STORE-1, REQ-STORE-2, REQ-STORE-3, REQ-STORE-5: the store zoo (`conformance/zoo/store/`)
/// is caught with two replicas on a runner-started `redis-server`: a server that checks with GET
/// and records with SET (STORE-RACE), one that falls back to its own cache when the store is
/// down or full (STORE-DOWN, STORE-FULL), one that stores the raw nonce (STORE-KEY), one that
/// sets no expiry (STORE-KEY).
#[test]
fn every_store_zoo_member_is_caught_by_its_families() {
    assert_eq!(members("conformance/zoo/store").len(), 4);
    let escaped = escaped(
        "conformance/zoo/store",
        "--tcp-server",
        " --config {config}",
    );
    assert!(
        escaped.is_empty(),
        "store zoo members that escaped:\n{}",
        escaped.join("\n")
    );
}

/// REQ-UNIX-2, REQ-UNIX-3, REQ-UNIX-4: the Unix zoo (`conformance/zoo/unix/`) is caught over a
/// Unix socket: a server that never checks the peer's uid (UNIX-PEER), one that binds under the
/// umask it inherited (UNIX-MODE), one that removes whatever stands at its path (UNIX-PATH).
#[test]
fn every_unix_zoo_member_is_caught_by_its_families() {
    assert!(members("conformance/zoo/unix").len() >= 3);
    let escaped = escaped(
        "conformance/zoo/unix",
        "--unix-server",
        " --config {config}",
    );
    assert!(
        escaped.is_empty(),
        "Unix zoo members that escaped:\n{}",
        escaped.join("\n")
    );
}

/// REQ-SPOOL-1, REQ-SPOOL-2, REQ-SPOOL-3, REQ-SPOOL-4, REQ-SPOOL-5: the spool zoo
/// (`conformance/zoo/spool/`) is caught through a folder: a receiver that follows links
/// (SPOOL-LINK), reads temporary names (SPOOL-PARTIAL), opens without O_NONBLOCK (SPOOL-FIFO),
/// reads a file before its size is checked (SPOOL-SIZE), keeps a verifier per file
/// (SPOOL-REPLAY), or takes any folder (SPOOL-DIR).
#[test]
fn every_spool_zoo_member_is_caught_by_its_families() {
    assert!(members("conformance/zoo/spool").len() >= 6);
    let escaped = escaped("conformance/zoo/spool", "--spool", " --config {config}");
    assert!(
        escaped.is_empty(),
        "spool zoo members that escaped:\n{}",
        escaped.join("\n")
    );
}

/// REQ-TLS-2, REQ-TLS-5: the TLS zoo (`conformance/zoo/tls/`) is caught under `--tls`: a server
/// that makes the client certificate optional, one that does not check its validity period,
/// one (Node) that only checks that some certificate was sent (TLS-CLIENT), and one that
/// serves in the clear when its TLS files fail to load (TLS-START).
#[test]
fn every_tls_zoo_member_is_caught_by_its_families() {
    assert!(members("conformance/zoo/tls").len() >= 4);
    let escaped = escaped("conformance/zoo/tls", "--tcp-server", " --config {config}");
    assert!(
        escaped.is_empty(),
        "TLS zoo members that escaped:\n{}",
        escaped.join("\n")
    );
}

/// The Markdown findings of one failing run (`transport` is `--adapter` or `--tcp-server`).
fn findings_md(name: &str, transport: &str, command: &str) -> String {
    let dir = temp_dir(name);
    let md = dir.join("findings.md");
    let run = sipc(
        &[
            "run",
            "-q",
            transport,
            command,
            "--report-md",
            md.to_str().unwrap(),
        ],
        b"",
    );
    assert_eq!(run.status, 1, "{}", run.stdout);
    let text = std::fs::read_to_string(&md).unwrap();
    std::fs::remove_dir_all(dir).unwrap();
    text
}

/// The findings a security reviewer reads, for the zoo member that compares a MAC prefix.
#[test]
fn markdown_findings_of_one_zoo_run() {
    let text = findings_md(
        "zoo-md",
        "--adapter",
        "python3 conformance/zoo/sig_prefix16.py",
    );
    insta::assert_snapshot!("sig_prefix16_findings", text);
}

/// The findings for the TCP server that reads the body before checking the announced length.
#[test]
fn markdown_findings_of_one_tcp_zoo_run() {
    let text = findings_md(
        "zoo-tcp-md",
        "--tcp-server",
        "python3 conformance/zoo/tcp/read_body_first.py --config {config}",
    );
    insta::assert_snapshot!("tcp_read_body_first_findings", text);
}
