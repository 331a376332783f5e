//! The `sipc` command end to end: canon, sign, verify, exit codes. Every child is waited for with
//! a deadline and killed past it.

use std::path::PathBuf;

mod common;

use common::sipc;

fn examples() -> PathBuf {
    common::root().join("spec/examples")
}

fn config_path() -> String {
    examples().join("config.json").to_str().unwrap().to_owned()
}

#[test]
fn verify_accepts_the_worked_example_and_prints_the_message() {
    let envelope = examples().join("envelope.json");
    let run = sipc(
        &[
            "verify",
            "--config",
            &config_path(),
            "--now",
            "1700000000",
            envelope.to_str().unwrap(),
        ],
        b"",
    );
    assert_eq!(run.status, 0, "{}", run.stderr);
    assert_eq!(
        run.stdout,
        "{\"headers\":{\"content-type\":\"text/plain\"},\"kind\":\"job.run\",\"nonce\":\"c2lwYy13b3JrZWQtZXhhbXBsZQ\",\
         \"payload_b64\":\"aGVsbG8sIHdvcmxk\",\"reply_to\":null,\"trace_id\":\"trace-0001\",\"ts\":1700000000,\"verdict\":\"accept\"}\n"
    );
}

#[test]
fn verify_refusal_prints_the_code_and_exits_1() {
    let envelope = std::fs::read(examples().join("envelope.json")).unwrap();
    let run = sipc(
        &["verify", "--config", &config_path(), "--now", "1700000061"],
        &envelope,
    );
    assert_eq!(
        (run.status, run.stdout.as_str()),
        (1, "{\"error\":\"expired\",\"verdict\":\"reject\"}\n")
    );
    // far more than the limit on stdin: oversize, without reading it all
    let huge = vec![b' '; 200_000];
    let run = sipc(
        &["verify", "--config", &config_path(), "--now", "1700000000"],
        &huge,
    );
    assert_eq!(
        (run.status, run.stdout.as_str()),
        (1, "{\"error\":\"oversize\",\"verdict\":\"reject\"}\n")
    );
    // a malformed refusal also names the rule it broke
    let run = sipc(
        &["verify", "--config", &config_path(), "--now", "1700000000"],
        br#"{"v":1,"v":1}"#,
    );
    assert_eq!(
        (run.status, run.stdout.as_str()),
        (
            1,
            "{\"error\":\"malformed\",\"requirement\":\"REQ-JSON-4\",\"verdict\":\"reject\"}\n"
        )
    );
}

#[test]
fn sign_then_verify_round_trip() {
    let signed = sipc(
        &[
            "sign",
            "--config",
            &config_path(),
            "--kind",
            "job.cancel",
            "--payload",
            "stop",
            "--ts",
            "1700000100",
            "--target",
            "a",
            "--target",
            "b",
            "--header",
            "x=1",
            "--trace-id",
            "t",
        ],
        b"",
    );
    assert_eq!(signed.status, 0, "{}", signed.stderr);
    let envelope = signed.stdout.trim_end();
    assert!(envelope.contains("\"target\":[\"a\",\"b\"]"), "{envelope}");
    let run = sipc(
        &["verify", "--config", &config_path(), "--now", "1700000100"],
        envelope.as_bytes(),
    );
    assert_eq!(run.status, 0, "{}", run.stdout);
    assert!(
        run.stdout.contains("\"payload_b64\":\"c3RvcA==\""),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("\"headers\":{\"x\":\"1\"}"),
        "{}",
        run.stdout
    );
}

#[test]
fn canon_prints_canonical_form_or_exits_1() {
    let run = sipc(&["canon"], br#"{ "b": 1.0, "a": "\u00e9" }"#);
    assert_eq!(
        (run.status, run.stdout.as_str()),
        (0, "{\"a\":\"\u{e9}\",\"b\":1}\n")
    );
    let run = sipc(&["canon"], br#"{"a":1,"a":2}"#);
    assert_eq!(run.status, 1);
    assert!(run.stderr.starts_with("malformed"), "{}", run.stderr);
}

#[test]
fn bad_config_or_usage_exits_2() {
    let dir = std::env::temp_dir().join(format!("sipc-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let bad = dir.join("config.json");
    let text = std::fs::read_to_string(examples().join("config.json"))
        .unwrap()
        .replace("127.0.0.1", "0.0.0.0");
    std::fs::write(&bad, text).unwrap();
    let run = sipc(&["verify", "--config", bad.to_str().unwrap()], b"{}");
    assert_eq!(run.status, 2);
    assert!(
        run.stderr.contains("config_invalid") && run.stderr.contains("bind_host"),
        "{}",
        run.stderr
    );
    std::fs::remove_dir_all(&dir).unwrap();
    assert_eq!(sipc(&["frobnicate"], b"").status, 2);
    assert_eq!(sipc(&["verify"], b"").status, 2);
}
