//! The matrix as JSON and as Markdown. Both are deterministic (no timings, no paths), so that
//! a published matrix can be regenerated and compared byte for byte.

use super::{Cell, Matrix};
use sipc_reference::json::Value;
use std::fmt::Write;

fn cell_value(c: &Cell) -> Value {
    let mut m = vec![("answer".into(), Value::string(c.class))];
    if !c.detail.is_empty() {
        m.push(("detail".into(), Value::string(&c.detail)));
    }
    m.push(("outcome".into(), Value::string(c.outcome)));
    Value::Object(m)
}

/// The grid as a JSON value (also embedded in the HTML page).
pub fn value(m: &Matrix) -> Value {
    let columns = m
        .columns
        .iter()
        .map(|c| {
            Value::Object(vec![
                ("name".into(), Value::string(&c.name)),
                ("implementation".into(), Value::string(&c.implementation)),
                ("version".into(), Value::string(&c.version)),
            ])
        })
        .collect();
    let rows = m
        .rows
        .iter()
        .map(|r| {
            Value::Object(vec![
                ("tcId".into(), Value::uint(r.case.tc_id)),
                ("id".into(), Value::string(&r.case.id)),
                ("area".into(), Value::string(&r.case.file)),
                ("comment".into(), Value::string(&r.case.comment)),
                (
                    "flags".into(),
                    Value::Array(r.case.flags.iter().map(|f| Value::string(f)).collect()),
                ),
                (
                    "req".into(),
                    Value::Array(r.case.req.iter().map(|f| Value::string(f)).collect()),
                ),
                ("expected".into(), Value::string(&r.expected)),
                ("severity".into(), Value::string(r.severity)),
                ("disagree".into(), Value::Bool(r.disagree)),
                (
                    "cells".into(),
                    Value::Array(r.cells.iter().map(cell_value).collect()),
                ),
            ])
        })
        .collect();
    Value::Object(vec![
        ("profile".into(), Value::string(&m.profile)),
        ("columns".into(), Value::Array(columns)),
        ("rows".into(), Value::Array(rows)),
    ])
}

/// The grid as pretty JSON.
pub fn json(m: &Matrix) -> Vec<u8> {
    sipc_vectors::text::pretty(&value(m))
}

fn escape(text: &str) -> String {
    text.replace('|', "\\|").replace('\n', " ")
}

/// Counts per column: conforming answers, wrong ones, crashes, skips.
pub fn totals(m: &Matrix, column: usize) -> (usize, usize, usize, usize) {
    let mut t = (0, 0, 0, 0);
    for r in &m.rows {
        match r.cells.get(column).map(|c| c.outcome) {
            Some("pass" | "warn") => t.0 += 1,
            Some("fail") => t.1 += 1,
            Some("crash") => t.2 += 1,
            Some(_) => t.3 += 1,
            None => {}
        }
    }
    t
}

/// The grid as Markdown: the columns with their totals, then one table, disagreements first.
pub fn markdown(m: &Matrix) -> Vec<u8> {
    let mut out = String::new();
    let disagreements = m.rows.iter().filter(|r| r.disagree).count();
    let _ = writeln!(out, "# sipc matrix: profile `{}`\n", m.profile);
    let _ = writeln!(
        out,
        "{} tests, {} implementations, {disagreements} tests on which they disagree (listed first). A cell is the answer; ✗ marks an answer the vector does not allow.\n",
        m.rows.len(),
        m.columns.len()
    );
    let _ = writeln!(
        out,
        "| Implementation | Version | Conforming | Wrong | Crashes | Skipped |"
    );
    let _ = writeln!(out, "|---|---|---:|---:|---:|---:|");
    for (i, c) in m.columns.iter().enumerate() {
        let (pass, fail, crash, skip) = totals(m, i);
        let label = if c.name == c.implementation {
            escape(&c.name)
        } else {
            format!("{} ({})", escape(&c.name), escape(&c.implementation))
        };
        let _ = writeln!(
            out,
            "| {label} | {} | {pass} | {fail} | {crash} | {skip} |",
            escape(&c.version)
        );
    }
    let _ = write!(out, "\n| tcId | Family | Test | Expected | Severity |");
    for c in &m.columns {
        let _ = write!(out, " {} |", escape(&c.name));
    }
    let _ = write!(out, "\n|---:|---|---|---|---|");
    for _ in &m.columns {
        let _ = write!(out, "---|");
    }
    out.push('\n');
    for r in &m.rows {
        let _ = write!(
            out,
            "| {} | {}{} | {} | {} | {} |",
            r.case.tc_id,
            if r.disagree { "**≠** " } else { "" },
            r.case.id,
            escape(&r.case.comment),
            r.expected,
            r.severity
        );
        for c in &r.cells {
            let mark = if c.wrong() { " ✗" } else { "" };
            let _ = write!(out, " {}{mark} |", escape(&c.text()));
        }
        out.push('\n');
    }
    out.into_bytes()
}
