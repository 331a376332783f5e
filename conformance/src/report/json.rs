//! `--report-json`: every test with its outcome, machine-readable.

use crate::run::RunReport;
use sipc_reference::json::{Number, Value};
use sipc_vectors::text;

fn s(text: &str) -> Value {
    Value::String(text.to_owned())
}

fn n(x: usize) -> Value {
    Value::Number(Number::from_u64(x as u64))
}

/// The report as pretty JSON.
pub fn render(report: &RunReport) -> Vec<u8> {
    let t = report.totals();
    let results = report
        .results
        .iter()
        .map(|r| {
            let c = &r.case;
            let o = &r.observation;
            let mut m = vec![
                ("tcId".into(), Value::Number(Number::from_u64(c.tc_id))),
                ("id".into(), s(&c.id)),
                ("area".into(), s(&c.file)),
                (
                    "req".into(),
                    Value::Array(c.req.iter().map(|x| s(x)).collect()),
                ),
                (
                    "flags".into(),
                    Value::Array(c.flags.iter().map(|x| s(x)).collect()),
                ),
                ("comment".into(), s(&c.comment)),
                ("outcome".into(), s(r.outcome.word())),
            ];
            if !o.detail.is_empty() {
                m.push(("detail".into(), s(&o.detail)));
            }
            if r.outcome.word() != "pass" {
                m.push(("sent".into(), s(&o.sent)));
                m.push(("expected".into(), s(&o.expected)));
                m.push(("provided".into(), s(&o.provided)));
                m.push(("rerun".into(), s(&report.rerun_of(c))));
            }
            if let Some(k) = &r.known {
                m.push(("known".into(), s(k)));
            }
            Value::Object(m)
        })
        .collect();
    let mut head = vec![
        ("protocol".into(), s(report.protocol)),
        ("implementation".into(), s(&report.implementation)),
        ("version".into(), s(&report.version)),
        ("strict".into(), Value::Bool(report.strict)),
    ];
    if let Some(reason) = &report.not_started {
        head.push(("not_started".into(), s(reason)));
    }
    head.extend([
        (
            "summary".into(),
            Value::Object(vec![
                ("passed".into(), n(t.passed)),
                ("failed".into(), n(t.failed)),
                ("skipped".into(), n(t.skipped)),
                ("warnings".into(), n(t.warnings)),
                ("expected_failures".into(), n(t.expected_failures)),
                ("fixed".into(), n(t.fixed)),
            ]),
        ),
        ("results".into(), Value::Array(results)),
    ]);
    text::pretty(&Value::Object(head))
}
