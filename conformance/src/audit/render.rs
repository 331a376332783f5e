//! The audit as Markdown (for a security reviewer) and JSON (for tools; valid against
//! `vectors/schemas/sipc_audit_v1.schema.json`).

use super::{Audit, Probe, PropertyReport, Verdict};
use crate::run::check::Judgement;
use sipc_reference::json::Value;
use std::fmt::Write as _;

/// The JSON report's schema name.
pub const SCHEMA: &str = "sipc_audit_v1.schema.json";

fn req(p: &PropertyReport) -> String {
    let n = sipc_vectors::audit::Property::ALL
        .iter()
        .position(|x| *x == p.property)
        .map_or(0, |i| i + 1);
    format!("REQ-AUDIT-{n}")
}

/// The severity a report states: the fact's, when the property does not hold or is left to
/// the application.
fn severity(p: &PropertyReport) -> Option<&str> {
    match p.verdict {
        Verdict::DoesNotHold | Verdict::LeftToApplication { .. } => {
            p.fact.as_ref().map(|f| f.severity.as_str())
        }
        _ => None,
    }
}

fn outcome(probe: &Probe) -> &'static str {
    match (probe.held, probe.result.observation.judgement) {
        (_, Judgement::Crash) => "crashed",
        (Some(true), _) => "held",
        (Some(false), _) => "failed",
        (None, _) => "not_run",
    }
}

/// What the implementation answered, or why there was no answer (a broken exchange).
fn answer(probe: &Probe) -> &str {
    let obs = &probe.result.observation;
    if obs.provided.is_empty() {
        &obs.detail
    } else {
        &obs.provided
    }
}

fn escape(text: &str) -> String {
    text.replace('|', "\\|").replace('\n', " ")
}

/// At most `max` characters of `text`, and how many were left out.
fn clip(text: &str, max: usize) -> String {
    let n = text.chars().count();
    if n <= max {
        text.to_owned()
    } else {
        let head: String = text.chars().take(max).collect();
        format!("{head}… ({} more characters)", n - max)
    }
}

/// The audit as Markdown.
pub fn markdown(a: &Audit) -> Vec<u8> {
    let mut out = String::new();
    let _ = writeln!(out, "# sipc audit: profile `{}`\n", a.profile);
    let _ = writeln!(
        out,
        "What the scheme itself guarantees (spec/AUDIT.md), shown on **{} {}**. Probes: `vectors/testvectors/audit/{}.json`; a probe *holds* when the implementation answers as a scheme with the property must.\n",
        a.implementation, a.version, a.profile
    );
    let _ = writeln!(
        out,
        "| Property | Verdict | Severity | What the scheme provides |"
    );
    let _ = writeln!(out, "|---|---|---|---|");
    for p in &a.properties {
        let verdict = match p.verdict {
            Verdict::DoesNotHold => format!("**{}**", p.verdict.words()),
            Verdict::LeftToApplication { shown: false } => {
                format!("{} (not shown: no application op)", p.verdict.words())
            }
            v => v.words().to_owned(),
        };
        let _ = writeln!(
            out,
            "| {} ({}) | {verdict} | {} | {} |",
            p.property.flag(),
            req(p),
            severity(p).unwrap_or("–"),
            escape(p.fact.as_ref().map_or("", |f| f.scheme.as_str()))
        );
    }
    for p in &a.properties {
        let _ = writeln!(out, "\n## {}: {}\n", p.property.flag(), p.verdict.words());
        if let Some(fact) = &p.fact {
            let _ = writeln!(out, "- **The scheme:** {}", fact.scheme);
            if let Some(sev) = severity(p) {
                let _ = writeln!(out, "- **Severity:** {sev}");
                let _ = writeln!(out, "- **Fix:** {}", fact.fix);
            }
        }
        let _ = writeln!(out, "\n| tcId | Probe | Layer | Requires | Answer | |");
        let _ = writeln!(out, "|---:|---|---|---|---|---|");
        for probe in &p.probes {
            let mark = match outcome(probe) {
                "held" => "✓",
                "not_run" => "not run",
                _ => "✗",
            };
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} | {} | {mark} |",
                probe.result.case.tc_id,
                escape(&probe.result.case.comment),
                if probe.application {
                    "application"
                } else {
                    "scheme"
                },
                probe.requires(),
                escape(&clip(answer(probe), 160)),
            );
        }
        let shown: Vec<&Probe> = p.probes.iter().filter(|x| x.held == Some(false)).collect();
        if !shown.is_empty() {
            let _ = writeln!(out, "\nThe inputs that show it:\n");
            for probe in shown {
                let obs = &probe.result.observation;
                let _ = writeln!(
                    out,
                    "- tcId {}: {}\n  - sent: `{}`\n  - answered: `{}`",
                    probe.result.case.tc_id,
                    probe.result.case.comment,
                    clip(&obs.sent, 400).replace('`', "'"),
                    clip(answer(probe), 300).replace('`', "'")
                );
            }
        }
    }
    out.into_bytes()
}

fn opt(text: Option<&str>) -> Value {
    text.map_or(Value::Null, Value::string)
}

/// The audit as a JSON value.
pub fn value(a: &Audit) -> Value {
    let properties = a
        .properties
        .iter()
        .map(|p| {
            let probes = p
                .probes
                .iter()
                .map(|probe| {
                    let obs = &probe.result.observation;
                    Value::Object(vec![
                        ("tcId".into(), Value::uint(probe.result.case.tc_id)),
                        ("comment".into(), Value::string(&probe.result.case.comment)),
                        (
                            "layer".into(),
                            Value::string(if probe.application {
                                "application"
                            } else {
                                "scheme"
                            }),
                        ),
                        ("requires".into(), Value::string(probe.requires())),
                        ("outcome".into(), Value::string(outcome(probe))),
                        ("sent".into(), Value::string(&obs.sent)),
                        ("answer".into(), Value::string(answer(probe))),
                        ("detail".into(), Value::string(&obs.detail)),
                    ])
                })
                .collect();
            Value::Object(vec![
                ("property".into(), Value::string(p.property.flag())),
                ("req".into(), Value::string(&req(p))),
                ("verdict".into(), Value::string(p.verdict.token())),
                (
                    "applicationProbesRan".into(),
                    Value::Bool(p.probes.iter().any(|x| x.application && x.held.is_some())),
                ),
                ("severity".into(), opt(severity(p))),
                (
                    "scheme".into(),
                    opt(p.fact.as_ref().map(|f| f.scheme.as_str())),
                ),
                ("fix".into(), opt(p.fact.as_ref().map(|f| f.fix.as_str()))),
                ("probes".into(), Value::Array(probes)),
            ])
        })
        .collect();
    Value::Object(vec![
        ("schema".into(), Value::string(SCHEMA)),
        ("profile".into(), Value::string(&a.profile)),
        ("implementation".into(), Value::string(&a.implementation)),
        ("version".into(), Value::string(&a.version)),
        (
            "probes".into(),
            Value::string(&format!("vectors/testvectors/audit/{}.json", a.profile)),
        ),
        ("properties".into(), Value::Array(properties)),
    ])
}

/// The audit as JSON text.
pub fn json(a: &Audit) -> Vec<u8> {
    sipc_vectors::text::pretty(&value(a))
}
