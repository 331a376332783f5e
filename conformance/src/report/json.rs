//! `--report-json`: every test with its outcome, machine-readable.

use crate::run::RunReport;
use sipc_reference::json::Value;
use sipc_vectors::text;

fn n(x: usize) -> Value {
    Value::uint(x as u64)
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
                ("tcId".into(), Value::uint(c.tc_id)),
                ("id".into(), Value::string(&c.id)),
                ("area".into(), Value::string(&c.file)),
                (
                    "req".into(),
                    Value::Array(c.req.iter().map(|x| Value::string(x)).collect()),
                ),
                (
                    "flags".into(),
                    Value::Array(c.flags.iter().map(|x| Value::string(x)).collect()),
                ),
                ("comment".into(), Value::string(&c.comment)),
                ("outcome".into(), Value::string(r.outcome.word())),
            ];
            if !o.detail.is_empty() {
                m.push(("detail".into(), Value::string(&o.detail)));
            }
            if r.outcome.word() != "pass" {
                m.push(("sent".into(), Value::string(&o.sent)));
                m.push(("expected".into(), Value::string(&o.expected)));
                m.push(("provided".into(), Value::string(&o.provided)));
                m.push(("rerun".into(), Value::string(&report.rerun_of(c))));
            }
            if let Some(k) = &r.known {
                m.push(("known".into(), Value::string(k)));
            }
            Value::Object(m)
        })
        .collect();
    let mut head = vec![
        ("protocol".into(), Value::string(report.protocol)),
        ("profile".into(), Value::string(&report.profile)),
        (
            "implementation".into(),
            Value::string(&report.implementation),
        ),
        ("version".into(), Value::string(&report.version)),
        ("strict".into(), Value::Bool(report.strict)),
    ];
    if let Some(reason) = &report.not_started {
        head.push(("not_started".into(), Value::string(reason)));
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
