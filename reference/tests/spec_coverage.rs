//! Every requirement of spec/SIPC-1.md and spec/AUDIT.md is cited by at least one test (in `reference/tests` or
//! `conformance/tests`), and every test cites only
//! requirements that exist. A citation is a `///` doc line of a test (module docs and plain
//! comments do not count).

mod common;

use std::collections::BTreeSet;

/// `REQ-FAMILY-N` identifiers in `text`.
fn req_ids(text: &str) -> BTreeSet<String> {
    let mut ids = BTreeSet::new();
    let mut rest = text;
    while let Some(at) = rest.find("REQ-") {
        rest = &rest[at + 4..];
        let family: String = rest
            .chars()
            .take_while(|c| c.is_ascii_uppercase())
            .collect();
        let after = &rest[family.len()..];
        if family.is_empty() || !after.starts_with('-') {
            continue;
        }
        let number: String = after[1..]
            .chars()
            .take_while(char::is_ascii_digit)
            .collect();
        if !number.is_empty() {
            ids.insert(format!("REQ-{family}-{number}"));
        }
    }
    ids
}

#[test]
fn every_requirement_is_cited_by_a_test() {
    let root = common::repo_root();
    let spec = std::fs::read_to_string(root.join("spec/SIPC-1.md")).unwrap();
    let defined: BTreeSet<String> = spec
        .lines()
        .filter_map(|l| l.trim_start().strip_prefix("- **"))
        .filter_map(|l| l.split("**").next())
        .filter(|id| id.starts_with("REQ-"))
        .map(str::to_owned)
        .collect();
    assert!(
        defined.len() >= 50,
        "only {} requirements found",
        defined.len()
    );
    assert_eq!(
        defined,
        req_ids(&spec),
        "an id is mentioned in the spec but not defined as a rule"
    );
    // The audit's properties (spec/AUDIT.md) are cited by the conformance crate's tests too.
    let audit = req_ids(&std::fs::read_to_string(root.join("spec/AUDIT.md")).unwrap());
    assert_eq!(audit.len(), 7, "{audit:?}");
    let defined: BTreeSet<String> = defined.into_iter().chain(audit).collect();

    // The library's own tests, and the transport tests of the TCP profile (§12), which need a
    // running server and live in the conformance crate.
    let mut cited = BTreeSet::new();
    let files = ["reference/tests", "conformance/tests"]
        .iter()
        .flat_map(|dir| std::fs::read_dir(root.join(dir)).unwrap());
    for entry in files {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "rs") && !path.ends_with("spec_coverage.rs") {
            let text = std::fs::read_to_string(&path).unwrap();
            for doc in text
                .lines()
                .filter_map(|l| l.trim_start().strip_prefix("///"))
            {
                cited.extend(req_ids(doc));
            }
        }
    }
    let uncited: Vec<_> = defined.difference(&cited).collect();
    assert!(
        uncited.is_empty(),
        "requirements no test cites: {uncited:?}"
    );
    let unknown: Vec<_> = cited.difference(&defined).collect();
    assert!(
        unknown.is_empty(),
        "tests cite requirements the spec does not define: {unknown:?}"
    );
}
