//! `--report-md`: findings for a security reviewer. Failing tests are grouped by family, each
//! finding with its severity (from the flags' bug types), the requirements it breaks, what was
//! sent, expected versus provided, and how to fix it.

use crate::run::check::visible;
use crate::run::{CaseResult, Outcome, RunReport};
use sipc_vectors::notes;
use std::fmt::Write;

const SEVERITIES: [&str; 4] = ["critical", "high", "medium", "low"];
/// Tests shown in full per finding; the rest are listed by tcId.
const SHOWN: usize = 3;

fn severity(result: &CaseResult) -> usize {
    let profile = result.case.check.profile();
    let by_flags = result
        .case
        .flags
        .iter()
        .filter_map(|f| notes::note_for(profile, f))
        .map(|n| notes::severity(n.bug_type))
        .filter_map(|s| SEVERITIES.iter().position(|x| *x == s))
        .min()
        .unwrap_or(SEVERITIES.len() - 1);
    // A crash is a robustness finding: at least medium, whatever the vector allows.
    let crash = SEVERITIES
        .iter()
        .position(|x| *x == notes::severity("ROBUSTNESS"))
        .filter(|_| result.outcome == Outcome::Crash)
        .unwrap_or(SEVERITIES.len() - 1);
    by_flags.min(crash)
}

fn code(text: &str) -> String {
    let fence = if text.contains("```") { "````" } else { "```" };
    format!("{fence}\n{text}\n{fence}")
}

/// The findings as Markdown.
pub fn render(report: &RunReport) -> Vec<u8> {
    let failing: Vec<&CaseResult> = report
        .results
        .iter()
        .filter(|r| matches!(r.outcome, Outcome::Fail | Outcome::Crash))
        .collect();
    let mut families: Vec<(&str, Vec<&CaseResult>)> = Vec::new();
    for r in &failing {
        match families.iter_mut().find(|(id, _)| *id == r.case.id) {
            Some((_, list)) => list.push(r),
            None => families.push((&r.case.id, vec![r])),
        }
    }
    let rank = |list: &Vec<&CaseResult>| list.iter().map(|r| severity(r)).min().unwrap_or(3);
    families.sort_by_key(|(_, list)| rank(list));

    let t = report.totals();
    let mut out = String::new();
    let _ = writeln!(
        out,
        "# SIPC/1 conformance findings: {} {}\n",
        report.implementation, report.version
    );
    let _ = writeln!(
        out,
        "{} tests: {} passed, {} failed, {} skipped ({} warnings, {} expected failures).\n",
        report.results.len(),
        t.passed,
        t.failed,
        t.skipped,
        t.warnings,
        t.expected_failures
    );
    if let Some(reason) = &report.not_started {
        let _ = writeln!(
            out,
            "The run did not start (exit 2), so nothing was tested:\n\n{}\n\nCommand: `{}`",
            code(&visible(reason)),
            report.rerun
        );
        return out.into_bytes();
    }
    if families.is_empty() {
        out.push_str("No findings.\n");
        return out.into_bytes();
    }
    let _ = writeln!(
        out,
        "| # | severity | family | failing tests | requirements |\n|---|---|---|---|---|"
    );
    for (i, (id, list)) in families.iter().enumerate() {
        let mut reqs: Vec<&str> = list
            .iter()
            .flat_map(|r| r.case.req.iter().map(String::as_str))
            .collect();
        reqs.sort_unstable();
        reqs.dedup();
        let _ = writeln!(
            out,
            "| {} | {} | {id} | {} | {} |",
            i + 1,
            SEVERITIES[rank(list)],
            list.len(),
            reqs.join(", ")
        );
    }
    for (i, (id, list)) in families.iter().enumerate() {
        let _ = writeln!(
            out,
            "\n## {}. {id} ({}, {} failing)\n",
            i + 1,
            SEVERITIES[rank(list)],
            list.len()
        );
        let mut flags: Vec<&str> = list
            .iter()
            .flat_map(|r| r.case.flags.iter().map(String::as_str))
            .filter(|f| *f != "Valid")
            .collect();
        flags.sort_unstable();
        flags.dedup();
        let profile = list.first().map_or("", |r| r.case.check.profile());
        for flag in &flags {
            if let Some(note) = notes::note_for(profile, flag) {
                let _ = writeln!(
                    out,
                    "- **{flag}** ({}): {} *Effect:* {}",
                    note.bug_type, note.description, note.effect
                );
                let _ = writeln!(out, "  *Fix:* {}", notes::fix_for(profile, flag));
            }
        }
        for r in list.iter().take(SHOWN) {
            let c = &r.case;
            let o = &r.observation;
            let _ = writeln!(out, "\n### tcId {}: {}\n", c.tc_id, c.comment);
            let _ = writeln!(out, "- Requirement: {}", c.req.join(", "));
            let _ = writeln!(out, "- Re-run: `{}`", report.rerun_of(c));
            let _ = writeln!(out, "- Finding: {}", o.detail);
            let _ = writeln!(out, "- Expected: {}", o.expected);
            let _ = writeln!(out, "- Provided: {}", o.provided);
            let _ = writeln!(out, "- Sent:\n\n{}", code(&o.sent));
        }
        if list.len() > SHOWN {
            let rest: Vec<String> = list[SHOWN..]
                .iter()
                .map(|r| r.case.tc_id.to_string())
                .collect();
            let _ = writeln!(out, "\nAlso failing: tcId {}.", rest.join(", "));
        }
    }
    out.into_bytes()
}
