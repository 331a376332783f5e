//! `sipc audit`: what a scheme itself guarantees (spec/AUDIT.md), shown on an implementation
//! of it. The probes of `vectors/testvectors/audit/<profile>.json` run through the adapter like
//! any vectors; each property is then judged over its probes.

pub mod render;

use crate::error::Error;
use crate::run::check::Judgement;
use crate::run::{self, CaseResult};
use crate::suite::{self, Filter};
use sipc_vectors::audit::Property;
use sipc_vectors::load::{read, AuditFact, Check, VectorFile, Verdict as Expected};
use std::time::Duration;

/// The verdict on one property (spec/AUDIT.md, "Verdicts").
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verdict {
    /// Every probe answered as the property requires.
    Holds,
    /// The scheme leaves the property to the application, whose probes did not fail; `shown`
    /// says whether any of them ran.
    LeftToApplication {
        /// Whether the adapter ran the application-layer probes.
        shown: bool,
    },
    /// A probe failed or crashed.
    DoesNotHold,
    /// No probe ran.
    NotShown,
}

impl Verdict {
    /// The words of the reports.
    pub fn words(self) -> &'static str {
        match self {
            Verdict::Holds => "holds",
            Verdict::LeftToApplication { .. } => "left to the application",
            Verdict::DoesNotHold => "does not hold",
            Verdict::NotShown => "not shown",
        }
    }

    /// The stable token of the JSON report.
    pub fn token(self) -> &'static str {
        match self {
            Verdict::Holds => "holds",
            Verdict::LeftToApplication { .. } => "left_to_application",
            Verdict::DoesNotHold => "does_not_hold",
            Verdict::NotShown => "not_shown",
        }
    }
}

/// What one probe showed.
#[derive(Clone, Debug)]
pub struct Probe {
    /// The probe's test.
    pub result: CaseResult,
    /// Whether it exercises the application layer (op `application`).
    pub application: bool,
    /// `Some(true)` when it answered as the property requires, `Some(false)` when not, `None`
    /// when it did not run.
    pub held: Option<bool>,
}

impl Probe {
    /// What holding the property requires of this probe, in words.
    pub fn requires(&self) -> &'static str {
        match probe_expectation(&self.result.case.check) {
            Some(Expected::Valid) => "accepted",
            Some(Expected::Invalid) => "refused",
            _ => "any answer but a crash",
        }
    }
}

/// The report on one property.
#[derive(Clone, Debug)]
pub struct PropertyReport {
    /// The property.
    pub property: Property,
    /// Its verdict.
    pub verdict: Verdict,
    /// What the audit file states about it.
    pub fact: Option<AuditFact>,
    /// Its probes, in file order.
    pub probes: Vec<Probe>,
}

/// A whole audit.
pub struct Audit {
    /// The profile.
    pub profile: String,
    /// From `hello`.
    pub implementation: String,
    /// From `hello`.
    pub version: String,
    /// One per property, in spec order.
    pub properties: Vec<PropertyReport>,
}

/// What a probe asks of the implementation: a sequence is judged as a whole, so one whose
/// later step must be refused asks for a refusal.
fn probe_expectation(check: &Check) -> Option<Expected> {
    let steps: Vec<Expected> = match check {
        Check::Message { steps, .. } => steps.iter().map(|s| s.expected.result).collect(),
        Check::Verify { steps, .. } => steps.iter().map(|s| s.expected.result).collect(),
        Check::CheckConfig { expected, .. } => vec![expected.result],
        _ => return None,
    };
    if steps.contains(&Expected::Invalid) {
        Some(Expected::Invalid)
    } else {
        steps.first().copied()
    }
}

fn held(result: &CaseResult) -> Option<bool> {
    match result.observation.judgement {
        Judgement::Pass | Judgement::WrongCode => Some(true),
        Judgement::Fail | Judgement::Crash => Some(false),
        Judgement::Unsupported | Judgement::NotRun => None,
    }
}

/// The verdict over `probes`, given whether the scheme leaves the property to the application.
pub fn verdict(probes: &[Probe], left_to_application: bool) -> Verdict {
    let ran = |app: bool| {
        probes
            .iter()
            .filter(move |p| p.application == app && p.held.is_some())
    };
    let failed = |app: bool| ran(app).any(|p| p.held == Some(false));
    let crashed = probes
        .iter()
        .any(|p| p.result.observation.judgement == Judgement::Crash);
    if probes.iter().all(|p| p.held.is_none()) {
        Verdict::NotShown
    } else if crashed || failed(true) {
        Verdict::DoesNotHold
    } else if !failed(false) {
        Verdict::Holds
    } else if left_to_application {
        Verdict::LeftToApplication {
            shown: ran(true).next().is_some(),
        }
    } else {
        Verdict::DoesNotHold
    }
}

/// The published audit file of `profile`.
pub fn probes_of(profile: &str) -> Result<VectorFile, Error> {
    suite::published(profile)?;
    let (_, bytes) = suite::AUDIT
        .iter()
        .find(|(name, _)| *name == profile)
        .ok_or_else(|| Error::Usage(format!("no audit probes for profile {profile:?}")))?;
    read(bytes).map_err(|e| Error::Usage(format!("audit/{profile}.json: {e}")))
}

/// Runs the audit of `profile` through the adapter `command`.
pub fn run(profile: &str, command: &str, timeout: Duration) -> Result<Audit, Error> {
    let file = probes_of(profile)?;
    let options = run::Options {
        command: command.to_owned(),
        timeout,
        strict: false,
        filter: Filter::new(None),
        expectations: run::expectations::Expectations::default(),
        rerun: String::new(),
        profile: profile.to_owned(),
    };
    let report = run::run(std::slice::from_ref(&file), &options, |_| {})?;
    let properties = Property::ALL
        .into_iter()
        .map(|property| {
            let probes: Vec<Probe> = report
                .results
                .iter()
                .filter(|r| r.case.flags.iter().any(|f| f == property.flag()))
                .map(|r| Probe {
                    application: matches!(
                        r.case.check,
                        Check::Message {
                            application: true,
                            ..
                        }
                    ),
                    held: held(r),
                    result: r.clone(),
                })
                .collect();
            let fact = file
                .audit
                .iter()
                .find(|f| f.flag == property.flag())
                .cloned();
            let left = fact.as_ref().is_some_and(|f| f.layer == "application");
            PropertyReport {
                property,
                verdict: verdict(&probes, left),
                fact,
                probes,
            }
        })
        .collect();
    Ok(Audit {
        profile: profile.to_owned(),
        implementation: report.implementation,
        version: report.version,
        properties,
    })
}
