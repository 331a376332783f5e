//! `sipc matrix`: one suite over several implementations, side by side. The grid's JSON and
//! Markdown are checked here, and the HTML page is rendered by a real browser (Debian's
//! Chromium, headless; `.ci/run` installs it): the counts, a disagreement row, and the filters.

mod common;

use common::{sipc, temp_dir};
use sipc_reference::json::{parse, Value};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const GOOD: &str = "python=python3 conformance/adapters/python/webhooks_adapter.py";
const BROKEN: &str = "zoo=python3 conformance/zoo/profiles/sw_no_future_check.py";
const CRASHING: &str = "crashes=python3 conformance/zoo/profiles/sw_unpack_crash.py";

fn matrix(dir: &Path) -> (Value, String, PathBuf) {
    let (json, md, html) = (dir.join("m.json"), dir.join("m.md"), dir.join("m.html"));
    let run = sipc(
        &[
            "matrix",
            "--profile",
            "standard-webhooks",
            "--adapter",
            GOOD,
            "--adapter",
            BROKEN,
            "--adapter",
            CRASHING,
            "--json",
            json.to_str().unwrap(),
            "--md",
            md.to_str().unwrap(),
            "--html",
            html.to_str().unwrap(),
        ],
        b"",
    );
    assert_eq!(run.status, 0, "{}\n{}", run.stdout, run.stderr);
    (
        parse(&std::fs::read(&json).unwrap()).unwrap(),
        std::fs::read_to_string(&md).unwrap(),
        html,
    )
}

fn rows(grid: &Value) -> &[Value] {
    match grid.get("rows") {
        Some(Value::Array(rows)) => rows,
        _ => panic!("no rows"),
    }
}

fn disagreements(grid: &Value) -> usize {
    rows(grid)
        .iter()
        .filter(|r| r.get("disagree") == Some(&Value::Bool(true)))
        .count()
}

/// The grid: a row per test, a cell per implementation; the rows where they disagree come
/// first; a future timestamp the zoo member accepts is such a row, and a crash is a cell.
#[test]
fn grid_puts_disagreements_first() {
    let dir = temp_dir("matrix-grid");
    let (grid, md, _) = matrix(&dir);
    let rows = rows(&grid);
    let listed = sipc(&["run", "--profile", "standard-webhooks", "--list"], b"");
    assert!(
        listed.stdout.ends_with(&format!("{} tests\n", rows.len())),
        "{}",
        listed.stdout
    );
    let n = disagreements(&grid);
    assert!(n >= 5, "{n} disagreements");
    assert!(rows[..n]
        .iter()
        .all(|r| r.get("disagree") == Some(&Value::Bool(true))));
    let future = rows[..n]
        .iter()
        .find(|r| r.get("id").and_then(Value::as_str) == Some("SW-TOLERANCE"))
        .expect("a tolerance row among the disagreements");
    let Some(Value::Array(cells)) = future.get("cells") else {
        panic!()
    };
    let answer = |i: usize| cells[i].get("answer").and_then(Value::as_str).unwrap();
    assert_eq!((answer(0), answer(1)), ("reject", "accept"));
    assert!(rows.iter().any(|r| matches!(r.get("cells"), Some(Value::Array(c)) if c[2].get("answer").and_then(Value::as_str) == Some("crash"))));
    assert!(md.contains("| python (webhooks.py (Python"), "{md}");
    assert!(md.contains("**≠** SW-TOLERANCE"), "{md}");
    std::fs::remove_dir_all(dir).unwrap();
}

fn chromium() -> PathBuf {
    let path = std::env::var_os("SIPC_CHROMIUM")
        .map_or_else(|| PathBuf::from("/usr/bin/chromium"), PathBuf::from);
    assert!(
        path.exists(),
        "{} not found: the HTML matrix is checked in a real browser; install Debian's chromium (as .ci/run does) or set SIPC_CHROMIUM",
        path.display()
    );
    path
}

/// The DOM Chromium renders for `url` (headless, `--dump-dom`), within a minute.
fn rendered_dom(url: &str, profile_dir: &Path) -> String {
    let mut child = Command::new(chromium())
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-dev-shm-usage",
        ])
        .arg(format!("--user-data-dir={}", profile_dir.display()))
        .arg("--dump-dom")
        .arg(url)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut out = child.stdout.take().unwrap();
    let reader = std::thread::spawn(move || {
        let mut s = String::new();
        std::io::Read::read_to_string(&mut out, &mut s).unwrap();
        s
    });
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        if child.try_wait().unwrap().is_some() {
            break;
        }
        if Instant::now() > deadline {
            child.kill().unwrap();
            child.wait().unwrap();
            panic!("chromium did not render {url} in 60 s");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    reader.join().unwrap()
}

/// The grid rows of a dumped DOM: (tcId, area, disagree, hidden).
fn dom_rows(dom: &str) -> Vec<(String, String, bool, bool)> {
    dom.split("<tr ")
        .skip(1)
        .filter(|tr| tr.contains("data-tcid="))
        .map(|tr| {
            let head = &tr[..tr.find('>').unwrap()];
            let attr = |name: &str| {
                let start = head
                    .find(&format!("{name}=\""))
                    .map(|i| i + name.len() + 2)
                    .unwrap();
                head[start..start + head[start..].find('"').unwrap()].to_owned()
            };
            (
                attr("data-tcid"),
                attr("data-area"),
                attr("data-disagree") == "true",
                head.contains(" hidden"),
            )
        })
        .collect()
}

fn shown_count(dom: &str) -> usize {
    let at = dom.find("id=\"shown\"").expect("the shown counter");
    let tail = &dom[at..];
    let start = tail.find("data-count=\"").unwrap() + 12;
    tail[start..start + tail[start..].find('"').unwrap()]
        .parse()
        .unwrap()
}

/// In Chromium: every test is a row, the counts say so, a disagreement row is marked, and the
/// filters (from the page's fragment, the same code the controls run) hide exactly the rows
/// they should.
#[test]
fn html_matrix_renders_and_filters_in_chromium() {
    let dir = temp_dir("matrix-html");
    let (grid, _, html) = matrix(&dir);
    let total = rows(&grid).len();
    let n = disagreements(&grid);
    let url = format!("file://{}", html.canonicalize().unwrap().display());
    let profile = dir.join("chromium");

    let dom = rendered_dom(&url, &profile);
    let all = dom_rows(&dom);
    assert_eq!(all.len(), total, "rows rendered");
    assert_eq!(shown_count(&dom), total);
    assert!(dom.contains(&format!("data-disagreements=\"{n}\"")));
    assert_eq!(all.iter().filter(|r| r.2).count(), n);
    assert!(all.iter().take(n).all(|r| r.2), "disagreements first");
    assert!(dom.contains("class=\"disagree row\""));
    assert!(dom.contains("class=\"cell crash wrong\""), "a crash cell");

    let dom = rendered_dom(&format!("{url}#disagree=1"), &profile);
    let filtered = dom_rows(&dom);
    assert_eq!(shown_count(&dom), n);
    assert!(
        filtered.iter().all(|r| r.3 != r.2),
        "exactly the disagreements are visible"
    );

    let dom = rendered_dom(&format!("{url}#area=timestamp&answer=crash"), &profile);
    assert_eq!(
        shown_count(&dom),
        0,
        "the crashing member crashes only on signature lists"
    );
    let dom = rendered_dom(&format!("{url}#area=signature&answer=crash"), &profile);
    let visible: Vec<_> = dom_rows(&dom).into_iter().filter(|r| !r.3).collect();
    assert!(!visible.is_empty() && visible.iter().all(|r| r.1 == "signature"));
    assert_eq!(shown_count(&dom), visible.len());
    std::fs::remove_dir_all(dir).unwrap();
}
