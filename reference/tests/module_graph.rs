//! The reference's modules form no import cycle (the style of ring and the RustCrypto crates:
//! leaf modules for shared helpers, each module with one job). A module's dependencies are the
//! `crate::…` paths in its files; names re-exported at the crate root (`crate::Reject`) count
//! for the module that defines them.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// Every `.rs` file under `dir`, with the top-level module it belongs to.
fn files(dir: &Path, module: Option<&str>, out: &mut Vec<(String, String)>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let stem = path.file_stem().unwrap().to_string_lossy().into_owned();
        let top = module.unwrap_or(&stem).to_owned();
        if path.is_dir() {
            files(&path, Some(&top), out);
        } else if path.extension().is_some_and(|e| e == "rs") && stem != "lib" {
            out.push((top, std::fs::read_to_string(&path).unwrap()));
        }
    }
}

/// The identifiers after each `crate::` in `text`, and inside `crate::{…}` groups; comments
/// (doc links to `crate::Verifier`, say) are not imports.
fn crate_paths(text: &str) -> Vec<String> {
    let code: String = text
        .lines()
        .filter(|l| !l.trim_start().starts_with("//"))
        .collect::<Vec<_>>()
        .join("\n");
    let text = code.as_str();
    let mut out = Vec::new();
    for (at, _) in text.match_indices("crate::") {
        let rest = &text[at + "crate::".len()..];
        if let Some(group) = rest.strip_prefix('{') {
            let group = &group[..group.find('}').unwrap_or(group.len())];
            out.extend(
                group
                    .split(',')
                    .map(|p| p.trim().split("::").next().unwrap_or("").to_owned()),
            );
        } else {
            out.push(
                rest.chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect(),
            );
        }
    }
    out.retain(|p| !p.is_empty());
    out
}

/// Depth-first search for a cycle; returns one as a path of modules.
fn cycle(graph: &BTreeMap<String, BTreeSet<String>>) -> Option<Vec<String>> {
    fn visit(
        node: &str,
        graph: &BTreeMap<String, BTreeSet<String>>,
        path: &mut Vec<String>,
        done: &mut BTreeSet<String>,
    ) -> Option<Vec<String>> {
        if let Some(at) = path.iter().position(|n| n == node) {
            let mut found = path[at..].to_vec();
            found.push(node.to_owned());
            return Some(found);
        }
        if done.contains(node) {
            return None;
        }
        path.push(node.to_owned());
        for next in graph.get(node).into_iter().flatten() {
            if let Some(found) = visit(next, graph, path, done) {
                return Some(found);
            }
        }
        path.pop();
        done.insert(node.to_owned());
        None
    }
    let mut done = BTreeSet::new();
    graph
        .keys()
        .find_map(|node| visit(node, graph, &mut Vec::new(), &mut done))
}

#[test]
fn the_reference_modules_have_no_import_cycle() {
    let src = common::repo_root().join("reference/src");
    // `pub use module::{A, B};` at the crate root: which module defines a re-exported name.
    let lib = std::fs::read_to_string(src.join("lib.rs")).unwrap();
    let mut defined_in = BTreeMap::new();
    for line in lib.lines() {
        if let Some(rest) = line.strip_prefix("pub use ") {
            let (module, names) = rest.trim_end_matches(';').split_once("::").unwrap();
            for name in names.trim_matches(|c| c == '{' || c == '}').split(',') {
                defined_in.insert(name.trim().to_owned(), module.to_owned());
            }
        }
    }
    let mut all = Vec::new();
    files(&src, None, &mut all);
    let modules: BTreeSet<String> = all.iter().map(|(m, _)| m.clone()).collect();
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (module, text) in &all {
        for path in crate_paths(text) {
            let target = defined_in.get(&path).cloned().unwrap_or(path);
            if modules.contains(&target) && target != *module {
                graph.entry(module.clone()).or_default().insert(target);
            }
        }
    }
    assert!(
        graph
            .get("verify")
            .is_some_and(|d| d.contains("sign") && d.contains("config")),
        "the scan found too little: {graph:?}"
    );
    assert_eq!(cycle(&graph), None, "an import cycle among {graph:?}");
    // The scan sees a cycle when there is one.
    let mut with_cycle = graph.clone();
    with_cycle
        .entry("hex".into())
        .or_default()
        .insert("sign".into());
    assert!(cycle(&with_cycle).is_some());
}
