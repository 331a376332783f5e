//! Every REQ id of spec/profiles/*.md has a test here named after it, and at least one
//! published vector citing it.

use std::collections::BTreeSet;
use std::path::Path;

fn ids(text: &str, prefix: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let mut rest = text;
    while let Some(i) = rest.find(prefix) {
        let tail = &rest[i..];
        let end = tail
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '-'))
            .unwrap_or(tail.len());
        out.insert(tail[..end].trim_end_matches('-').to_owned());
        rest = &tail[end..];
    }
    out
}

#[test]
fn every_profile_requirement_is_tested_and_vectored() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    for (spec, prefix, tests, vectors, at_least) in [
        (
            "standard-webhooks.md",
            "REQ-SW-",
            "standard_webhooks.rs",
            "standard-webhooks",
            10,
        ),
        ("stripe.md", "REQ-STRIPE-", "stripe.rs", "stripe", 10),
        ("github.md", "REQ-GITHUB-", "github.rs", "github", 7),
        ("slack.md", "REQ-SLACK-", "slack.rs", "slack", 8),
        (
            "hmac-json-insertion-order.md",
            "REQ-HJI-",
            "hmac_json_insertion_order.rs",
            "hmac-json-insertion-order",
            5,
        ),
        (
            "hmac-json-sorted-keys.md",
            "REQ-HJS-",
            "hmac_json_sorted_keys.rs",
            "hmac-json-sorted-keys",
            4,
        ),
    ] {
        let text = std::fs::read_to_string(root.join("spec/profiles").join(spec)).unwrap();
        let required = ids(&text, prefix);
        assert!(required.len() >= at_least, "{spec}: {required:?}");
        let tests = std::fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("tests")
                .join(tests),
        )
        .unwrap();
        let mut cited = String::new();
        for entry in std::fs::read_dir(root.join("vectors/testvectors").join(vectors)).unwrap() {
            cited.push_str(&std::fs::read_to_string(entry.unwrap().path()).unwrap());
        }
        for id in &required {
            let test_name = format!("fn {}_", id.to_ascii_lowercase().replace('-', "_"));
            assert!(
                tests.contains(&test_name),
                "{id}: no test named {test_name}…"
            );
            assert!(
                cited.contains(&format!("\"{id}\"")),
                "{id}: no vector cites it"
            );
        }
    }
}
