//! `sipc audit` (spec/AUDIT.md) on our implementation of every profile: the verdict of each
//! property is the one the scheme earns (SIPC/1: every property holds; the home-grown schemes:
//! freshness, replay, interoperability, malleability and robustness do not), and every report
//! is valid against `vectors/schemas/sipc_audit_v1.schema.json`.

mod common;

use common::{root, sipc_with, temp_dir};
use std::time::Duration;

const PY: &str = "python3 conformance/adapters/python/";

/// (profile, adapter, the verdicts of Freshness, Replay, Coverage, Interoperability,
/// KeyHandling, Malleability, Robustness).
fn expected() -> Vec<(&'static str, String, [&'static str; 7])> {
    let webhooks = format!("{PY}webhooks_adapter.py");
    const H: &str = "holds";
    const N: &str = "does_not_hold";
    const A: &str = "left_to_application";
    vec![
        (
            "sipc1",
            format!("{PY}sipc_adapter.py"),
            [H, H, H, H, H, H, H],
        ),
        ("standard-webhooks", webhooks.clone(), [H, A, H, H, H, H, H]),
        ("stripe", webhooks.clone(), [H, A, H, H, N, H, H]),
        ("github", webhooks.clone(), [N, N, N, H, N, H, H]),
        ("slack", webhooks, [H, N, H, H, N, H, H]),
        (
            "hmac-json-insertion-order",
            "node conformance/adapters/node/spool_hmac_adapter.js".into(),
            [N, N, N, N, N, N, N],
        ),
        (
            "hmac-json-sorted-keys",
            format!("{PY}sorted_hmac_adapter.py"),
            [N, N, H, N, N, N, N],
        ),
    ]
}

fn validator() -> jsonschema::Validator {
    let schema: serde_json::Value = serde_json::from_slice(
        &std::fs::read(root().join("vectors/schemas/sipc_audit_v1.schema.json")).unwrap(),
    )
    .unwrap();
    jsonschema::draft202012::new(&schema).unwrap()
}

/// REQ-AUDIT-1, REQ-AUDIT-2, REQ-AUDIT-3, REQ-AUDIT-4, REQ-AUDIT-5, REQ-AUDIT-6 and
/// REQ-AUDIT-7 on our implementations: each verdict as the scheme earns it, the home-grown
/// schemes' failures shown with inputs, the reports valid.
#[test]
fn req_audit_verdicts_on_our_implementations() {
    let dir = temp_dir("audit");
    let validator = validator();
    for (profile, adapter, verdicts) in expected() {
        let json = dir.join(format!("{profile}.json"));
        let md = dir.join(format!("{profile}.md"));
        let run = sipc_with(
            &[
                "audit",
                "--profile",
                profile,
                "--adapter",
                &adapter,
                "--json",
                json.to_str().unwrap(),
                "--md",
                md.to_str().unwrap(),
            ],
            b"",
            Duration::from_secs(120),
        );
        assert_eq!(run.status, 0, "{profile}: {}", run.stderr);
        let report: serde_json::Value =
            serde_json::from_slice(&std::fs::read(&json).unwrap()).unwrap();
        let errors: Vec<String> = validator
            .iter_errors(&report)
            .map(|e| format!("{e} at {}", e.instance_path()))
            .take(5)
            .collect();
        assert!(errors.is_empty(), "{profile}: {errors:#?}");
        let got: Vec<&str> = report["properties"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["verdict"].as_str().unwrap())
            .collect();
        assert_eq!(got, verdicts, "{profile}");
        for property in report["properties"].as_array().unwrap() {
            let probes = property["probes"].as_array().unwrap();
            assert!(
                !probes.is_empty(),
                "{profile}: {} has no probe",
                property["property"]
            );
            if property["verdict"] == "does_not_hold" {
                // Shown with an input: a probe that failed or crashed, and what was sent.
                assert!(
                    probes.iter().any(|p| matches!(
                        p["outcome"].as_str(),
                        Some("failed" | "crashed")
                    ) && !p["sent"].as_str().unwrap().is_empty()),
                    "{profile}: {} does not hold without a failing probe",
                    property["property"]
                );
                assert!(property["severity"].is_string() && property["fix"].is_string());
            }
        }
        let text = std::fs::read_to_string(&md).unwrap();
        assert!(text.contains(&format!("# sipc audit: profile `{profile}`")));
    }
    std::fs::remove_dir_all(dir).unwrap();
}

/// REQ-AUDIT-7: the crashes of the home-grown verifiers are named with their exceptions.
#[test]
fn req_audit_7_home_grown_crashes_are_shown() {
    for (profile, adapter, exceptions) in [
        (
            "hmac-json-insertion-order",
            "node conformance/adapters/node/spool_hmac_adapter.js",
            &[
                "RangeError: Input buffers must have the same byte length",
                "Cannot read properties of null",
            ][..],
        ),
        (
            "hmac-json-sorted-keys",
            "python3 conformance/adapters/python/sorted_hmac_adapter.py",
            &[
                "KeyError: 'hmac'",
                "comparing strings with non-ASCII characters",
                "RecursionError",
                "4300 digits",
            ][..],
        ),
    ] {
        let dir = temp_dir(profile);
        let md = dir.join("audit.md");
        let run = sipc_with(
            &[
                "audit",
                "--profile",
                profile,
                "--adapter",
                adapter,
                "--md",
                md.to_str().unwrap(),
            ],
            b"",
            Duration::from_secs(120),
        );
        assert_eq!(run.status, 0, "{}", run.stderr);
        let text = std::fs::read_to_string(&md).unwrap();
        for e in exceptions {
            assert!(text.contains(e), "{profile}: {e} not in the report");
        }
        std::fs::remove_dir_all(dir).unwrap();
    }
}

/// The schema is not vacuous: a report without its properties, or with an unknown verdict, is
/// refused.
#[test]
fn audit_schema_refuses_broken_reports() {
    let validator = validator();
    let good = serde_json::json!({
        "schema": "sipc_audit_v1.schema.json", "profile": "x", "implementation": "i", "version": "1",
        "probes": "vectors/testvectors/audit/x.json", "properties": []
    });
    assert!(!validator.is_valid(&good), "seven properties are required");
    let property = |verdict: &str, severity: serde_json::Value| {
        serde_json::json!({
            "property": "Freshness", "req": "REQ-AUDIT-1", "verdict": verdict, "applicationProbesRan": false,
            "severity": severity, "scheme": "s", "fix": "f", "probes": []
        })
    };
    let report = |p: serde_json::Value| {
        let mut r = good.clone();
        r["properties"] = serde_json::Value::Array(vec![p; 7]);
        r
    };
    assert!(validator.is_valid(&report(property("holds", serde_json::Value::Null))));
    assert!(!validator.is_valid(&report(property("mostly", serde_json::Value::Null))));
    assert!(
        !validator.is_valid(&report(property("does_not_hold", serde_json::Value::Null))),
        "a failure without severity"
    );
    assert!(
        !validator.is_valid(&report(property("holds", serde_json::json!("high")))),
        "a severity on a property that holds"
    );
}

/// An unknown profile is a usage error (exit 2), before any adapter starts.
#[test]
fn audit_of_an_unknown_profile_is_refused() {
    let run = sipc_with(
        &["audit", "--profile", "nope", "--adapter", "true"],
        b"",
        Duration::from_secs(20),
    );
    assert_eq!(run.status, 2, "{}", run.stderr);
}
