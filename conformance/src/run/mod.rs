//! `sipc run --adapter`: every selected vector through the implementation under test.

pub mod check;
pub mod expectations;
pub mod message;

use crate::error::Error;
use crate::process::{describe, Adapter, Broken};
use crate::suite::Filter;
use check::{Context, Judgement, Observation};
use expectations::Expectations;
use sipc_reference::json::Value;
use sipc_vectors::load::{Case, VectorFile};
use std::time::Duration;

/// The protocol the runner speaks.
pub const PROTOCOL: &str = "sipc-adapter/1";

/// The outcome of one test, after expectations.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// As the vector says.
    Pass,
    /// Refused as it should be, with another code (counts as passed unless `--strict`).
    Warn,
    /// Not as the vector says.
    Fail,
    /// Not run: the adapter does not support the op.
    Skip,
    /// Failed, and listed as a known failure.
    ExpectedFail,
    /// Listed as a known failure, but passed: counts as a failure until the list is updated.
    Fixed,
    /// The implementation crashed (`"verdict":"crash"`): a robustness finding, counted as a
    /// failure whatever the vector allows.
    Crash,
}

impl Outcome {
    /// The word reports use.
    pub fn word(self) -> &'static str {
        match self {
            Outcome::Pass => "pass",
            Outcome::Warn => "warn",
            Outcome::Fail => "fail",
            Outcome::Skip => "skip",
            Outcome::ExpectedFail => "expected-failure",
            Outcome::Fixed => "fixed",
            Outcome::Crash => "crash",
        }
    }
}

/// One test's result.
#[derive(Clone, Debug)]
pub struct CaseResult {
    /// The test.
    pub case: Case,
    /// Its outcome.
    pub outcome: Outcome,
    /// What was observed.
    pub observation: Observation,
    /// The reason given in the expectations file, when listed.
    pub known: Option<String>,
}

impl CaseResult {
    /// The result of `case` as observed, judged with the run's expectations and strictness.
    pub fn judged(case: Case, observation: Observation, options: &Options) -> CaseResult {
        let known = options.expectations.reason(&case).map(str::to_owned);
        CaseResult {
            outcome: outcome(&observation, known.is_some(), options.strict),
            case,
            observation,
            known,
        }
    }
}

/// A whole run.
pub struct RunReport {
    /// How the implementation was driven: [`PROTOCOL`], [`crate::tcp::PROFILE`],
    /// [`crate::tcp::UNIX_PROFILE`] (with or without TLS) or [`crate::spool::PROFILE`].
    pub protocol: &'static str,
    /// The profile run (`sipc1`, `standard-webhooks`, …).
    pub profile: String,
    /// From `hello`.
    pub implementation: String,
    /// From `hello`.
    pub version: String,
    /// Every selected test, in order.
    pub results: Vec<CaseResult>,
    /// Whether wrong codes counted as failures.
    pub strict: bool,
    /// The command line of this run, less its filter and reports: with `--filter <tcId>` it
    /// re-runs one test ([`RunReport::rerun_of`]).
    pub rerun: String,
    /// Why the run could not start (exit 2); no results then.
    pub not_started: Option<String>,
}

/// Totals for the summary line.
#[derive(Default, Debug, PartialEq, Eq)]
pub struct Totals {
    /// Pass + Warn.
    pub passed: usize,
    /// Fail + Fixed.
    pub failed: usize,
    /// Skip + ExpectedFail.
    pub skipped: usize,
    /// Warn.
    pub warnings: usize,
    /// ExpectedFail.
    pub expected_failures: usize,
    /// Fixed.
    pub fixed: usize,
    /// Crash (also counted in `failed`).
    pub crashes: usize,
}

impl RunReport {
    /// The report of a run that could not start (exit 2): no results, and the reason.
    pub fn not_started(protocol: &'static str, options: &Options, reason: &str) -> RunReport {
        RunReport {
            protocol,
            profile: options.profile.clone(),
            implementation: options.command.clone(),
            version: String::new(),
            results: Vec::new(),
            strict: options.strict,
            rerun: options.rerun.clone(),
            not_started: Some(reason.to_owned()),
        }
    }

    /// The report of a run that went through `results`, as the implementation named itself.
    pub fn finished(
        protocol: &'static str,
        options: &Options,
        implementation: String,
        version: String,
        results: Vec<CaseResult>,
    ) -> RunReport {
        RunReport {
            protocol,
            profile: options.profile.clone(),
            implementation,
            version,
            results,
            strict: options.strict,
            rerun: options.rerun.clone(),
            not_started: None,
        }
    }

    /// The command line that re-runs just `case`.
    pub fn rerun_of(&self, case: &Case) -> String {
        rerun_of(&self.rerun, case)
    }

    /// Counts the outcomes.
    pub fn totals(&self) -> Totals {
        let mut t = Totals::default();
        for r in &self.results {
            match r.outcome {
                Outcome::Pass => t.passed += 1,
                Outcome::Warn => {
                    t.passed += 1;
                    t.warnings += 1;
                }
                Outcome::Fail => t.failed += 1,
                Outcome::Fixed => {
                    t.failed += 1;
                    t.fixed += 1;
                }
                Outcome::Crash => {
                    t.failed += 1;
                    t.crashes += 1;
                }
                Outcome::Skip => t.skipped += 1,
                Outcome::ExpectedFail => {
                    t.skipped += 1;
                    t.expected_failures += 1;
                }
            }
        }
        t
    }
}

/// `rerun` (a run's command line) narrowed to `case`.
pub fn rerun_of(rerun: &str, case: &Case) -> String {
    format!("{rerun} --filter {}", case.tc_id)
}

/// What a run needs besides the vectors.
pub struct Options {
    /// The adapter command line (run with `sh -c`).
    pub command: String,
    /// Per-request timeout.
    pub timeout: Duration,
    /// Wrong error codes count as failures.
    pub strict: bool,
    /// Which tests.
    pub filter: Filter,
    /// Known failures and the code map.
    pub expectations: Expectations,
    /// This run's command line for the reports' re-run lines (see [`RunReport::rerun`]).
    pub rerun: String,
    /// The profile run (`sipc1`, `standard-webhooks`, …); the adapter's hello must list it.
    pub profile: String,
}

/// The answer to `hello`.
pub struct Hello {
    /// Its name.
    pub implementation: String,
    /// Its version.
    pub version: String,
    /// The ops it implements.
    pub ops: Vec<String>,
    /// The profiles it implements (`["sipc1"]` when hello does not say).
    pub profiles: Vec<String>,
}

/// Starts the adapter and checks its `hello`. Any failure here is a usage-level error (exit 2).
pub fn start(command: &str, timeout: Duration) -> Result<(Adapter, Hello), String> {
    let mut adapter = Adapter::spawn(command, timeout)?;
    let hello = adapter.request(vec![
        ("op".into(), Value::String("hello".into())),
        ("protocol".into(), Value::String(PROTOCOL.into())),
    ]);
    let fail = |adapter: &mut Adapter, why: String| {
        adapter.stop();
        let tail = adapter.stderr_tail();
        if tail.trim().is_empty() {
            why
        } else {
            format!("{why}\nadapter stderr:\n{}", tail.trim_end())
        }
    };
    let response = match hello {
        Ok(r) => r,
        Err(broken) => {
            return Err(fail(
                &mut adapter,
                format!("the adapter does not answer hello: {broken}"),
            ))
        }
    };
    let field = |name: &str| {
        response
            .get(name)
            .and_then(Value::as_str)
            .map(str::to_owned)
    };
    let strings = |name: &str| match response.get(name) {
        Some(Value::Array(items)) => items
            .iter()
            .filter_map(|v| v.as_str().map(str::to_owned))
            .collect(),
        _ => Vec::new(),
    };
    let ops = strings("ops");
    let profiles = match response.get("profiles") {
        None => vec![sipc_vectors::load::SIPC1.to_owned()],
        Some(_) => strings("profiles"),
    };
    match (field("implementation"), field("version")) {
        (Some(implementation), Some(version)) if !ops.is_empty() => Ok((
            adapter,
            Hello {
                implementation,
                version,
                ops,
                profiles,
            },
        )),
        _ => Err(fail(
            &mut adapter,
            "the hello response lacks implementation, version or ops".into(),
        )),
    }
}

struct Session<'a> {
    options: &'a Options,
    adapter: Option<Adapter>,
    ops: Vec<String>,
    starts: usize,
}

impl Session<'_> {
    fn ensure_running(&mut self) -> Result<(), String> {
        if self.adapter.is_none() {
            let (adapter, hello) = start(&self.options.command, self.options.timeout)?;
            self.ops = hello.ops;
            self.adapter = Some(adapter);
            self.starts += 1;
        }
        Ok(())
    }

    /// Kills the adapter after a broken exchange and says how it ended.
    fn bury(&mut self, broken: &Broken) -> String {
        let Some(mut adapter) = self.adapter.take() else {
            return broken.to_string();
        };
        let status = adapter
            .stop()
            .map(describe)
            .unwrap_or_else(|| "status unknown".into());
        let tail = adapter.stderr_tail();
        let tail = tail.trim();
        match broken {
            Broken::Exited(_) if tail.is_empty() => broken.to_string(),
            Broken::Exited(_) => {
                format!("{broken}; stderr: {}", check::show_bytes(tail.as_bytes()))
            }
            _ if tail.is_empty() => format!("{broken}; the adapter was killed ({status})"),
            _ => format!(
                "{broken}; the adapter was killed ({status}); stderr: {}",
                check::show_bytes(tail.as_bytes())
            ),
        }
    }
}

fn failed(case: &Case, detail: String) -> Observation {
    Observation {
        judgement: Judgement::Fail,
        detail,
        sent: check::describe(case),
        expected: String::new(),
        provided: String::new(),
    }
}

/// The outcome of an observation, after expectations and `--strict`.
pub fn outcome(observation: &Observation, known: bool, strict: bool) -> Outcome {
    match (observation.judgement, known) {
        (Judgement::Unsupported | Judgement::NotRun, _) => Outcome::Skip,
        (Judgement::Crash, true) => Outcome::ExpectedFail,
        (Judgement::Crash, false) => Outcome::Crash,
        (Judgement::Pass, false) => Outcome::Pass,
        (Judgement::Pass, true) => Outcome::Fixed,
        (Judgement::WrongCode, false) if !strict => Outcome::Warn,
        (Judgement::WrongCode, true) if !strict => Outcome::Fixed,
        (Judgement::WrongCode | Judgement::Fail, true) => Outcome::ExpectedFail,
        (Judgement::WrongCode | Judgement::Fail, false) => Outcome::Fail,
    }
}

/// Runs the selected cases of `files`. `Err` only when the adapter cannot be started or does
/// not speak the protocol at the start (exit 2); later crashes are test failures: the test
/// fails, the adapter is restarted once per area, and after a second crash in the same area
/// the rest of the area fails without being run.
pub fn run(
    files: &[VectorFile],
    options: &Options,
    mut progress: impl FnMut(&CaseResult),
) -> Result<RunReport, Error> {
    let (mut adapter, hello) =
        start(&options.command, options.timeout).map_err(Error::Implementation)?;
    if !hello.profiles.contains(&options.profile) {
        adapter.stop();
        return Err(Error::Implementation(format!(
            "the adapter does not implement profile {} (its hello lists {})",
            options.profile,
            hello.profiles.join(", ")
        )));
    }
    let mut session = Session {
        options,
        adapter: Some(adapter),
        ops: hello.ops,
        starts: 1,
    };
    let mut results = Vec::new();
    for file in files {
        let mut restarts_left = 1;
        let mut dead: Option<String> = None;
        for case in file.cases.iter().filter(|c| options.filter.matches(c)) {
            let known = options.expectations.reason(case).map(str::to_owned);
            let observation = if let Some(why) = &dead {
                failed(
                    case,
                    format!(
                        "not run: {why}, and the adapter was already restarted once in area {}",
                        file.area
                    ),
                )
            } else if session.adapter.is_none() && restarts_left == 0 {
                failed(case, "not run: the adapter is not running".into())
            } else {
                if session.adapter.is_none() {
                    restarts_left -= 1;
                }
                match session.ensure_running() {
                    Err(why) => {
                        dead = Some(format!("the adapter did not restart: {why}"));
                        failed(case, format!("not run: the adapter did not restart: {why}"))
                    }
                    Ok(()) if !session.ops.iter().any(|op| op == case.check.op()) => Observation {
                        judgement: Judgement::Unsupported,
                        detail: format!("the adapter does not list the op {}", case.check.op()),
                        sent: String::new(),
                        expected: String::new(),
                        provided: String::new(),
                    },
                    Ok(()) => {
                        let ctx = Context {
                            error_map: &options.expectations.error_map,
                            state_prefix: format!("s{}", session.starts),
                        };
                        let result = match session.adapter.as_mut() {
                            Some(adapter) => check::run(adapter, case, &ctx),
                            None => Err(Broken::Exited("not running".into())),
                        };
                        match result {
                            Ok(observation) => observation,
                            Err(broken) => {
                                let why = session.bury(&broken);
                                if restarts_left == 0 {
                                    dead = Some(why.clone());
                                }
                                failed(case, why)
                            }
                        }
                    }
                }
            };
            let result = CaseResult {
                outcome: outcome(&observation, known.is_some(), options.strict),
                case: case.clone(),
                observation,
                known,
            };
            progress(&result);
            results.push(result);
        }
        // Forget every replay cache between areas.
        if session.ops.iter().any(|op| op == "reset") {
            if let Some(adapter) = session.adapter.as_mut() {
                let reset = adapter.request(vec![("op".into(), Value::String("reset".into()))]);
                if let Err(broken) = reset {
                    session.bury(&broken);
                }
            }
        }
    }
    if let Some(mut adapter) = session.adapter.take() {
        adapter.stop();
    }
    Ok(RunReport::finished(
        PROTOCOL,
        options,
        hello.implementation,
        hello.version,
        results,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expectations_and_strictness_decide_the_outcome() {
        let obs = |judgement| Observation {
            judgement,
            detail: String::new(),
            sent: String::new(),
            expected: String::new(),
            provided: String::new(),
        };
        assert_eq!(outcome(&obs(Judgement::Pass), false, false), Outcome::Pass);
        assert_eq!(outcome(&obs(Judgement::Pass), true, false), Outcome::Fixed);
        assert_eq!(outcome(&obs(Judgement::Fail), false, false), Outcome::Fail);
        assert_eq!(
            outcome(&obs(Judgement::Fail), true, true),
            Outcome::ExpectedFail
        );
        assert_eq!(
            outcome(&obs(Judgement::WrongCode), false, false),
            Outcome::Warn
        );
        assert_eq!(
            outcome(&obs(Judgement::WrongCode), false, true),
            Outcome::Fail
        );
        assert_eq!(
            outcome(&obs(Judgement::WrongCode), true, true),
            Outcome::ExpectedFail
        );
        assert_eq!(
            outcome(&obs(Judgement::Unsupported), true, true),
            Outcome::Skip
        );
    }
}
