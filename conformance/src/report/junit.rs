//! `--junit`: JUnit XML, one `testsuite` per area, one `testcase` per test.

use crate::run::{Outcome, RunReport};

fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // XML 1.0 cannot hold most control characters, even escaped.
            c if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') => {
                out.push_str(&format!("\\u{:04x}", c as u32))
            }
            '\u{fffe}' | '\u{ffff}' => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out
}

/// The report as JUnit XML.
pub fn render(report: &RunReport) -> Vec<u8> {
    let t = report.totals();
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    out.push_str(&format!(
        "<testsuites name=\"sipc {}\" tests=\"{}\" failures=\"{}\" errors=\"{}\" skipped=\"{}\">\n",
        escape(&format!("{} {}", report.implementation, report.version)),
        report.results.len() + usize::from(report.not_started.is_some()),
        t.failed,
        usize::from(report.not_started.is_some()),
        t.skipped
    ));
    if let Some(reason) = &report.not_started {
        // A run that could not start is one erroring test, so that CI shows the reason.
        out.push_str(&format!(
            "  <testsuite name=\"start\" tests=\"1\" failures=\"0\" errors=\"1\" skipped=\"0\">\n    <testcase classname=\"sipc.start\" name=\"start the implementation under test\"><error message=\"{}\">{}</error></testcase>\n  </testsuite>\n",
            escape(reason.lines().next().unwrap_or("")),
            escape(&format!("{reason}\ncommand: {}", report.rerun))
        ));
    }
    let mut areas: Vec<&str> = Vec::new();
    for r in &report.results {
        if !areas.contains(&r.case.file.as_str()) {
            areas.push(&r.case.file);
        }
    }
    for area in areas {
        let results: Vec<_> = report
            .results
            .iter()
            .filter(|r| r.case.file == area)
            .collect();
        let failures = results
            .iter()
            .filter(|r| matches!(r.outcome, Outcome::Fail | Outcome::Fixed | Outcome::Crash))
            .count();
        let skipped = results
            .iter()
            .filter(|r| matches!(r.outcome, Outcome::Skip | Outcome::ExpectedFail))
            .count();
        out.push_str(&format!("  <testsuite name=\"{}\" tests=\"{}\" failures=\"{failures}\" skipped=\"{skipped}\">\n", escape(area), results.len()));
        for r in results {
            let c = &r.case;
            let o = &r.observation;
            out.push_str(&format!(
                "    <testcase classname=\"sipc.{}.{}\" name=\"tcId {} {}: {}\">",
                escape(area),
                escape(&c.id),
                c.tc_id,
                escape(&c.id),
                escape(&c.comment)
            ));
            let body = format!(
                "Requirement: {}\nsent: {}\nexpected: {}\nprovided: {}\nre-run: {}",
                c.req.join(", "),
                o.sent,
                o.expected,
                o.provided,
                report.rerun_of(c)
            );
            match r.outcome {
                Outcome::Pass => {}
                Outcome::Warn => {
                    out.push_str(&format!("<system-out>{}</system-out>", escape(&o.detail)))
                }
                Outcome::Fail | Outcome::Crash => out.push_str(&format!(
                    "<failure message=\"{}\">{}</failure>",
                    escape(&o.detail),
                    escape(&body)
                )),
                Outcome::Fixed => out.push_str(&format!(
                    "<failure message=\"passes but is listed as a known failure: {}\"/>",
                    escape(r.known.as_deref().unwrap_or(""))
                )),
                Outcome::Skip => {
                    out.push_str(&format!("<skipped message=\"{}\"/>", escape(&o.detail)))
                }
                Outcome::ExpectedFail => out.push_str(&format!(
                    "<skipped message=\"known failure: {}\"/>",
                    escape(r.known.as_deref().unwrap_or(""))
                )),
            }
            out.push_str("</testcase>\n");
        }
        out.push_str("  </testsuite>\n");
    }
    out.push_str("</testsuites>\n");
    out.into_bytes()
}
