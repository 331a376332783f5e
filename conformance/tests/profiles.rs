//! The profiles other than SIPC/1: our own Python and Node implementations pass every vector
//! of each with --strict; vectors generated for another config pass too; the runner refuses an
//! adapter that does not list the profile.

mod common;

use common::sipc;

/// The webhook profiles, which webhooks.py and webhooks.js implement.
const WEBHOOKS: [&str; 4] = ["standard-webhooks", "stripe", "github", "slack"];
/// The home-grown schemes, each implemented in its own language.
const HOME_GROWN: [(&str, &str); 2] = [
    (
        "hmac-json-insertion-order",
        "node conformance/adapters/node/spool_hmac_adapter.js",
    ),
    (
        "hmac-json-sorted-keys",
        "python3 conformance/adapters/python/sorted_hmac_adapter.py",
    ),
];

fn count(profile: &str) -> usize {
    let run = sipc(&["run", "--profile", profile, "--list"], b"");
    assert_eq!(run.status, 0, "{}", run.stderr);
    let last = run.stdout.lines().last().unwrap_or_default();
    last.trim_end_matches(" tests").parse().unwrap()
}

fn passes_everything(profile: &str, adapter: &str, extra: &[&str]) {
    let total = count(profile);
    assert!(total > 30, "{profile}: only {total} tests");
    let mut args = vec![
        "run",
        "--profile",
        profile,
        "--strict",
        "--adapter",
        adapter,
    ];
    args.extend_from_slice(extra);
    let run = sipc(&args, b"");
    assert_eq!(run.status, 0, "{adapter}:\n{}\n{}", run.stdout, run.stderr);
    assert_eq!(
        run.stdout.lines().last(),
        Some(format!("{total} passed, 0 failed, 0 skipped").as_str()),
        "{adapter}:\n{}",
        run.stdout
    );
}

/// The Rust references behind `sipc adapter` pass every profile, strictly: the runner's
/// self-test of the profile messages.
#[test]
fn rust_reference_adapter_passes_every_profile() {
    let adapter = format!("{} adapter", env!("CARGO_BIN_EXE_sipc"));
    for profile in WEBHOOKS.into_iter().chain(HOME_GROWN.map(|(p, _)| p)) {
        passes_everything(profile, &adapter, &[]);
    }
}

/// The two home-grown schemes, as described, in their own languages (spool_hmac.js,
/// sorted_hmac.py), pass their vectors strictly: the vectors hold only what the schemes
/// define, flaws and all (the audit shows the rest).
#[test]
fn home_grown_implementations_pass_their_profiles() {
    for (profile, adapter) in HOME_GROWN {
        passes_everything(profile, adapter, &[]);
    }
}

/// webhooks.py (standard library only) passes the four webhook profiles, strictly, the
/// application layer included.
#[test]
fn python_implementation_passes_every_profile() {
    for profile in WEBHOOKS {
        passes_everything(
            profile,
            "python3 conformance/adapters/python/webhooks_adapter.py",
            &[],
        );
    }
}

/// webhooks.js (no npm dependencies) passes the four webhook profiles, strictly.
#[test]
fn node_implementation_passes_every_profile() {
    for profile in WEBHOOKS {
        passes_everything(
            profile,
            "node conformance/adapters/node/webhooks_adapter.js",
            &[],
        );
    }
}

/// `sipc vectors generate --profile P --config C` makes a suite for another secret, tolerance
/// and body limit, and our implementations of the profile pass it.
#[test]
fn vectors_for_a_user_config_pass() {
    let dir = common::temp_dir("profile-vectors");
    let webhooks = [
        "python3 conformance/adapters/python/webhooks_adapter.py",
        "node conformance/adapters/node/webhooks_adapter.js",
    ];
    for (profile, config, adapters) in [
        (
            "standard-webhooks",
            r#"{"secret":"whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSwMfKQ9r8GKYqr","tolerance_seconds":60,"application":{"max_body_bytes":300}}"#,
            &webhooks[..],
        ),
        (
            "stripe",
            r#"{"secret":"whsec_my_own_endpoint_secret","tolerance_seconds":600,"application":{"max_body_bytes":200}}"#,
            &webhooks[..],
        ),
        (
            "github",
            r#"{"secret":"my-own-hook-secret"}"#,
            &webhooks[..],
        ),
        (
            "slack",
            r#"{"secret":"0123456789abcdef0123456789abcdef","tolerance_seconds":120}"#,
            &webhooks[..],
        ),
        (
            "hmac-json-insertion-order",
            r#"{"secret":"ffeeddccbbaa99887766554433221100ffeeddccbbaa99887766554433221100"}"#,
            &[HOME_GROWN[0].1][..],
        ),
        (
            "hmac-json-sorted-keys",
            r#"{"secret":"another-results-key"}"#,
            &[HOME_GROWN[1].1][..],
        ),
    ] {
        let path = dir.join(format!("{profile}.json"));
        std::fs::write(&path, config).unwrap();
        let out = dir.join(profile);
        let run = sipc(
            &[
                "vectors",
                "generate",
                "--profile",
                profile,
                "--config",
                path.to_str().unwrap(),
                "--out",
                out.to_str().unwrap(),
            ],
            b"",
        );
        assert_eq!(run.status, 0, "{}", run.stderr);
        for adapter in adapters {
            let run = sipc(
                &[
                    "run",
                    "--profile",
                    profile,
                    "--strict",
                    "--vectors",
                    out.to_str().unwrap(),
                    "--adapter",
                    adapter,
                ],
                b"",
            );
            assert_eq!(run.status, 0, "{profile} {adapter}:\n{}", run.stdout);
        }
    }
}

/// An adapter whose hello does not list the profile is refused before any test (exit 2), and
/// vector files of one profile are refused under another.
#[test]
fn profile_mismatches_are_usage_errors() {
    let run = sipc(
        &[
            "run",
            "--profile",
            "stripe",
            "--adapter",
            "python3 conformance/adapters/python/sipc_adapter.py",
        ],
        b"",
    );
    assert_eq!(run.status, 2, "{}", run.stdout);
    assert!(
        run.stderr.contains("does not implement profile stripe"),
        "{}",
        run.stderr
    );
    let run = sipc(&["run", "--profile", "nope", "--list"], b"");
    assert_eq!(run.status, 2);
    assert!(run.stderr.contains("unknown profile"), "{}", run.stderr);
    let run = sipc(
        &[
            "run",
            "--profile",
            "stripe",
            "--vectors",
            "vectors/testvectors/standard-webhooks",
            "--list",
        ],
        b"",
    );
    assert_eq!(run.status, 2);
    assert!(
        run.stderr.contains("belongs to profile standard-webhooks"),
        "{}",
        run.stderr
    );
}

/// The crash verdict is a result of its own: `CRASH` on the console, `crash` in the JSON
/// report, counted as failed (exit 1) even where the vector is `acceptable`; an expectations
/// file can list it, and then the run passes with it as an expected failure.
#[test]
fn crash_is_its_own_failing_result() {
    let adapter = "python3 conformance/zoo/profiles/sw_unpack_crash.py";
    let run = sipc(
        &[
            "run",
            "--profile",
            "standard-webhooks",
            "--adapter",
            adapter,
        ],
        b"",
    );
    assert_eq!(run.status, 1, "{}", run.stdout);
    let crashes: Vec<&str> = run
        .stdout
        .lines()
        .filter(|l| l.starts_with("CRASH tcId "))
        .collect();
    assert!(crashes.len() >= 3, "{}", run.stdout);
    assert!(
        crashes.iter().any(|l| l.contains("a leading space")),
        "an acceptable vector's crash is still a crash"
    );
    assert!(run.stdout.contains("ValueError"), "{}", run.stdout);
    let dir = common::temp_dir("crash-expectations");
    let ids: Vec<String> = crashes
        .iter()
        .map(|l| l.split_whitespace().nth(2).unwrap().to_owned())
        .collect();
    let listed: Vec<String> = ids
        .iter()
        .map(|id| format!("\"{id}\":\"unpacks with split\""))
        .collect();
    let file = dir.join("expectations.json");
    std::fs::write(&file, format!("{{\"failures\":{{{}}}}}", listed.join(","))).unwrap();
    let run = sipc(
        &[
            "run",
            "--profile",
            "standard-webhooks",
            "--adapter",
            adapter,
            "--expectations",
            file.to_str().unwrap(),
        ],
        b"",
    );
    assert_eq!(run.status, 0, "{}", run.stdout);
    assert_eq!(
        run.stdout
            .lines()
            .filter(|l| l.starts_with("XFAIL"))
            .count(),
        ids.len()
    );
}
