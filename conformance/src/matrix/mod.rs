//! `sipc matrix`: one suite over several implementations, the results side by side (as
//! JSONTestSuite and x509-limbo publish them). Each implementation is run by the same runner
//! as `sipc run`; the grid has one row per test, one cell per implementation (its answer, and
//! whether that answer conforms), the expected result and the severity per row, and the rows
//! where the implementations disagree first. Rendered as Markdown, JSON and one
//! self-contained HTML page (`html.rs`).

pub mod html;
pub mod render;

use crate::error::Error;
use crate::run::check::Judgement;
use crate::run::{self, CaseResult, Outcome};
use crate::suite::Filter;
use sipc_reference::json::{parse, Value};
use sipc_vectors::load::{Case, Check, Expected, VectorFile, Verdict};
use sipc_vectors::notes;
use std::time::Duration;

/// How every implementation of a grid is driven: all through one transport, so that the rows
/// are the same tests for every column.
#[derive(Clone, Copy)]
pub enum Driver<'a> {
    /// Adapters (`--adapter`), over the vector files.
    Adapter,
    /// Servers on TCP or a Unix socket (`--tcp-server`, `--unix-server`), under mutual TLS or
    /// not, with this config.
    Socket(crate::tcp::Socket, bool, &'a sipc_reference::Config),
    /// Spool receivers (`--spool`), with this config.
    Spool(&'a sipc_reference::Config),
}

/// One implementation: its column name and adapter command.
pub struct Implementation {
    /// The column's name (`--adapter NAME=CMD`).
    pub name: String,
    /// The adapter command.
    pub command: String,
}

/// What one implementation answered to one test.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Cell {
    /// `accept`, `reject`, `crash`, `timeout`, `broken` or `skip`.
    pub class: &'static str,
    /// The refusal's code, or the crash's exception, or why it broke.
    pub detail: String,
    /// The runner's outcome (`pass`, `warn`, `fail`, `crash`, `skip`).
    pub outcome: &'static str,
}

impl Cell {
    /// `accept`, `reject: code`, `crash: …`.
    pub fn text(&self) -> String {
        if self.detail.is_empty() {
            self.class.to_owned()
        } else {
            format!("{} ({})", self.class, self.detail)
        }
    }

    /// Whether the answer breaks the vector (a failure or a crash).
    pub fn wrong(&self) -> bool {
        matches!(self.outcome, "fail" | "crash")
    }
}

/// One test across the implementations.
pub struct Row {
    /// The test.
    pub case: Case,
    /// `valid`, `invalid (code)` or `acceptable`.
    pub expected: String,
    /// The highest severity of the test's flags.
    pub severity: &'static str,
    /// One per implementation, in column order.
    pub cells: Vec<Cell>,
    /// Whether the implementations answered differently (skips aside).
    pub disagree: bool,
}

/// One column's header.
pub struct Column {
    /// `--adapter NAME=…`.
    pub name: String,
    /// From `hello`, or the reason it did not start.
    pub implementation: String,
    /// From `hello`.
    pub version: String,
}

/// The whole grid.
pub struct Matrix {
    /// The profile.
    pub profile: String,
    /// The implementations.
    pub columns: Vec<Column>,
    /// Disagreements first (by severity, then tcId), then the rest by tcId.
    pub rows: Vec<Row>,
}

const SEVERITIES: [&str; 4] = ["critical", "high", "medium", "low"];

fn severity(case: &Case) -> &'static str {
    let profile = case.check.profile();
    case.flags
        .iter()
        .filter_map(|f| notes::note_for(profile, f))
        .map(|n| notes::severity(n.bug_type))
        .min_by_key(|s| SEVERITIES.iter().position(|x| x == s))
        .unwrap_or("low")
}

fn expected_of(e: &Expected) -> String {
    match (e.result, &e.error) {
        (Verdict::Valid, _) => "valid".into(),
        (Verdict::Invalid, Some(code)) => format!("invalid ({code})"),
        (Verdict::Invalid, None) => "invalid".into(),
        (Verdict::Acceptable, _) => "acceptable".into(),
    }
}

/// What the vector expects of a case, in one phrase.
pub fn expectation(case: &Case) -> String {
    match &case.check {
        Check::Message { steps, .. } if steps.len() == 1 => steps
            .first()
            .map_or_else(String::new, |s| expected_of(&s.expected)),
        Check::Message { steps, .. } => format!(
            "{} deliveries, the last {}",
            steps.len(),
            steps
                .last()
                .map_or_else(String::new, |s| expected_of(&s.expected))
        ),
        Check::Verify { steps, .. } => steps
            .last()
            .map_or_else(String::new, |s| expected_of(&s.expected)),
        Check::Canonicalize { expected, .. }
        | Check::Sign { expected, .. }
        | Check::CheckConfig { expected, .. } => expected_of(expected),
        Check::MessageSign { .. } => "signs".into(),
    }
}

/// The expectation of a verify case's last step.
fn last_expected(case: &Case) -> Option<&Expected> {
    match &case.check {
        Check::Verify { steps, .. } => steps.last().map(|s| &s.expected),
        _ => None,
    }
}

/// The cell of one result: the answer read back from what the adapter provided.
pub fn cell(result: &CaseResult) -> Cell {
    let o = &result.observation;
    let answer = parse(o.provided.as_bytes()).ok();
    let get = |name: &str| {
        answer
            .as_ref()
            .and_then(|a| a.get(name))
            .and_then(Value::as_str)
            .map(str::to_owned)
    };
    let (class, detail) = match (result.outcome, get("verdict").as_deref()) {
        (Outcome::Skip, _) => ("skip", String::new()),
        (_, Some("accept")) => ("accept", String::new()),
        (_, Some("reject")) => ("reject", get("error").unwrap_or_default()),
        (_, Some("crash")) => ("crash", get("exception").unwrap_or_default()),
        // A spool receiver's skip of a name it must not read (SIPC/1 REQ-SPOOL-3).
        (_, Some("skip")) => ("not read", get("reason").unwrap_or_default()),
        _ if o.judgement == Judgement::Crash => ("crash", String::new()),
        _ if o.detail.contains("timed out") || o.detail.contains("no answer within") => {
            ("timeout", String::new())
        }
        // A TLS client the server refused, as it should.
        _ if o.provided.starts_with(crate::tcp::exec_tls::REFUSED) => (
            "refused",
            o.provided
                .trim_start_matches(crate::tcp::exec_tls::REFUSED)
                .to_owned(),
        ),
        // A sign case shows the headers it was answered: `[name: value | …] body …`.
        _ if o.provided.starts_with('[') => ("signed", String::new()),
        // A server's test that passed without quoting an answer (several frames or files):
        // its last answer was the one intended.
        (Outcome::Pass, None) => match last_expected(&result.case) {
            Some(Expected {
                result: Verdict::Valid,
                ..
            }) => ("accept", String::new()),
            Some(Expected {
                result: Verdict::Invalid,
                error: Some(code),
                ..
            }) => ("reject", code.clone()),
            _ => ("as expected", String::new()),
        },
        _ => ("broken", o.detail.clone()),
    };
    Cell {
        class,
        detail,
        outcome: match result.outcome {
            Outcome::ExpectedFail if o.judgement == Judgement::Crash => "crash",
            Outcome::ExpectedFail => "fail",
            Outcome::Fixed => "pass",
            other => other.word(),
        },
    }
}

/// Runs every implementation over `files` and builds the grid.
pub fn run(
    profile: &str,
    driver: Driver,
    files: &[VectorFile],
    implementations: &[Implementation],
    timeout: Duration,
    filter: &str,
) -> Result<Matrix, Error> {
    let cases: Vec<&Case> = {
        let filter = Filter::new(Some(filter).filter(|f| !f.is_empty()));
        files
            .iter()
            .flat_map(|f| f.cases.iter())
            .filter(|c| filter.matches(c))
            .collect()
    };
    let mut columns = Vec::new();
    let mut grid: Vec<Vec<Cell>> = vec![Vec::new(); cases.len()];
    // A server's tests are built when they run: the rows show the first run's, with the
    // frames or files it sent and what it expected.
    let mut built: Option<Vec<Case>> = None;
    for implementation in implementations {
        let options = run::Options {
            command: implementation.command.clone(),
            timeout,
            strict: false,
            filter: Filter::new(Some(filter).filter(|f| !f.is_empty())),
            expectations: run::expectations::Expectations::default(),
            rerun: String::new(),
            profile: profile.to_owned(),
        };
        let ran = match driver {
            Driver::Adapter => run::run(files, &options, |_| {}),
            Driver::Socket(socket, tls, config) => {
                crate::tcp::run(&options, config, socket, tls, |_| {})
            }
            Driver::Spool(config) => crate::spool::run(&options, config, |_| {}),
        };
        match ran {
            Ok(report) => {
                columns.push(Column {
                    name: implementation.name.clone(),
                    implementation: report.implementation.clone(),
                    version: report.version.clone(),
                });
                if !matches!(driver, Driver::Adapter)
                    && built.is_none()
                    && report.results.len() == cases.len()
                {
                    built = Some(report.results.iter().map(|r| r.case.clone()).collect());
                }
                for (i, result) in report.results.iter().enumerate() {
                    if let Some(cells) = grid.get_mut(i) {
                        cells.push(cell(result));
                    }
                }
            }
            Err(e) => {
                columns.push(Column {
                    name: implementation.name.clone(),
                    implementation: format!("did not start: {e}"),
                    version: String::new(),
                });
                for cells in &mut grid {
                    cells.push(Cell {
                        class: "broken",
                        detail: "not started".into(),
                        outcome: "fail",
                    });
                }
            }
        }
    }
    let cases: Vec<Case> = built.unwrap_or_else(|| cases.into_iter().cloned().collect());
    let mut rows: Vec<Row> = cases
        .iter()
        .zip(grid)
        .map(|(case, cells)| {
            let mut classes: Vec<&str> = cells
                .iter()
                .map(|c| c.class)
                .filter(|c| *c != "skip")
                .collect();
            classes.sort_unstable();
            classes.dedup();
            Row {
                expected: expectation(case),
                severity: severity(case),
                disagree: classes.len() > 1,
                case: case.clone(),
                cells,
            }
        })
        .collect();
    let rank = |r: &Row| {
        SEVERITIES
            .iter()
            .position(|s| *s == r.severity)
            .unwrap_or(SEVERITIES.len())
    };
    rows.sort_by(|a, b| {
        b.disagree
            .cmp(&a.disagree)
            .then_with(|| {
                if a.disagree {
                    rank(a).cmp(&rank(b))
                } else {
                    std::cmp::Ordering::Equal
                }
            })
            .then(a.case.tc_id.cmp(&b.case.tc_id))
    });
    Ok(Matrix {
        profile: profile.to_owned(),
        columns,
        rows,
    })
}
