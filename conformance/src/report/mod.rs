//! The reports of a run: the console, JSON (`--report-json`), JUnit XML (`--junit`) and the
//! Markdown findings for a security reviewer (`--report-md`). All are deterministic: no
//! timings, no paths, so that they can be diffed and snapshotted.

pub mod json;
pub mod junit;
pub mod markdown;

use crate::run::{rerun_of, CaseResult, Outcome, RunReport};

/// `N passed, N failed, N skipped`: the last line of the console output.
pub fn summary_line(report: &RunReport) -> String {
    let t = report.totals();
    format!(
        "{} passed, {} failed, {} skipped",
        t.passed, t.failed, t.skipped
    )
}

/// The line printed for a test as it finishes (`None` for a plain pass). A failure names the
/// requirements it breaks (as h2spec's `Requirement:` line) and the command that re-runs it;
/// `rerun` is the run's command line ([`RunReport::rerun`]).
pub fn progress_line(result: &CaseResult, rerun: &str) -> Option<String> {
    let c = &result.case;
    let head = format!("tcId {} {} [{}] {}", c.tc_id, c.id, c.file, c.comment);
    let o = &result.observation;
    match result.outcome {
        Outcome::Pass => None,
        Outcome::Skip => Some(format!("SKIP  {head}: {}", o.detail)),
        Outcome::Warn => Some(format!("WARN  {head}: {}", o.detail)),
        Outcome::ExpectedFail => Some(format!("XFAIL {head}: {} (known: {})", o.detail, result.known.as_deref().unwrap_or(""))),
        Outcome::Fixed => Some(format!("FIXED {head}: passes but is listed as a known failure ({}); remove it from the expectations", result.known.as_deref().unwrap_or(""))),
        Outcome::Fail | Outcome::Crash => Some(format!(
            "{} {head}: {}\n      Requirement: {}\n      sent:     {}\n      expected: {}\n      provided: {}\n      re-run:   {}",
            if result.outcome == Outcome::Crash {
                "CRASH"
            } else {
                "FAIL "
            },
            o.detail,
            c.req.join(", "),
            o.sent,
            o.expected,
            o.provided,
            rerun_of(rerun, c)
        )),
    }
}

/// The lines before the summary: warnings and expected failures counted.
pub fn totals_line(report: &RunReport) -> String {
    let t = report.totals();
    format!(
        "{} {}: {} tests, {} warnings (wrong error codes{}), {} expected failures, {} fixed",
        report.implementation,
        report.version,
        report.results.len(),
        t.warnings,
        if report.strict {
            ""
        } else {
            "; --strict makes them failures"
        },
        t.expected_failures,
        t.fixed
    )
}
