//! The matrix as one self-contained HTML page: the grid's JSON embedded, a small script that
//! renders it, and filters by area, by answer and to disagreements only. No network, no
//! external assets. The filters also read the page's fragment (`#area=timestamp&disagree=1`),
//! so that a link can share a view and a headless browser can be asked for one.

use super::render::{totals, value};
use super::Matrix;
use sipc_vectors::text::compact;

const STYLE: &str = r#"
body { font: 14px/1.4 system-ui, sans-serif; margin: 1.5em; color: #222; }
table { border-collapse: collapse; }
th, td { border: 1px solid #ccc; padding: 2px 6px; vertical-align: top; }
th { background: #f3f3f3; position: sticky; top: 0; }
tr.disagree td.tc { border-left: 4px solid #c60; }
td.wrong { background: #fdd; }
td.crash { background: #f9c; font-weight: bold; }
td.skip { color: #999; }
.controls { margin: 1em 0; display: flex; gap: 1.5em; align-items: center; }
.sev-critical { color: #b00; font-weight: bold; } .sev-high { color: #c60; }
"#;

const SCRIPT: &str = r#"
const data = JSON.parse(document.getElementById('matrix-data').textContent);
const $ = (id) => document.getElementById(id);
function el(tag, attrs, text) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, v);
  if (text !== undefined) e.textContent = text;
  return e;
}
function build() {
  const head = $('grid-head');
  for (const h of ['tcId', 'Family', 'Area', 'Test', 'Expected', 'Severity']) head.appendChild(el('th', {}, h));
  for (const c of data.columns) head.appendChild(el('th', { title: c.implementation + ' ' + c.version }, c.name));
  const body = $('grid-body');
  const areas = new Set();
  for (const r of data.rows) {
    areas.add(r.area);
    const tr = el('tr', { 'data-tcid': r.tcId, 'data-area': r.area, 'data-disagree': String(r.disagree),
      'data-answers': r.cells.map((c) => c.answer).join(' '), class: r.disagree ? 'disagree row' : 'row' });
    tr.appendChild(el('td', { class: 'tc' }, String(r.tcId)));
    tr.appendChild(el('td', {}, (r.disagree ? '≠ ' : '') + r.id));
    tr.appendChild(el('td', {}, r.area));
    tr.appendChild(el('td', { title: r.flags.join(', ') + ' — ' + r.req.join(', ') }, r.comment));
    tr.appendChild(el('td', {}, r.expected));
    tr.appendChild(el('td', { class: 'sev-' + r.severity }, r.severity));
    for (const c of r.cells) {
      const cls = ['cell', c.answer];
      if (c.outcome === 'fail' || c.outcome === 'crash') cls.push('wrong');
      // A crash shows its exception's type; the whole message is the cell's tooltip.
      const short = c.answer === 'crash' ? (c.detail || '').split(':')[0] : c.detail;
      tr.appendChild(el('td', { class: cls.join(' '), title: c.detail || '' }, short ? c.answer + ' (' + short + ')' : c.answer));
    }
    body.appendChild(tr);
  }
  const select = $('area');
  for (const a of [...areas].sort()) select.appendChild(el('option', { value: a }, a));
}
function fromHash() {
  const p = new URLSearchParams(location.hash.slice(1));
  $('area').value = p.get('area') || '';
  $('answer').value = p.get('answer') || '';
  $('disagree').checked = p.get('disagree') === '1';
}
function apply() {
  const area = $('area').value, answer = $('answer').value, only = $('disagree').checked;
  let shown = 0;
  for (const tr of document.querySelectorAll('#grid-body tr')) {
    const ok = (!area || tr.dataset.area === area)
      && (!answer || tr.dataset.answers.split(' ').includes(answer))
      && (!only || tr.dataset.disagree === 'true');
    tr.hidden = !ok;
    if (ok) shown++;
  }
  $('shown').textContent = shown + ' of ' + data.rows.length + ' tests shown';
  $('shown').dataset.count = String(shown);
}
function onControl() {
  const p = new URLSearchParams();
  if ($('area').value) p.set('area', $('area').value);
  if ($('answer').value) p.set('answer', $('answer').value);
  if ($('disagree').checked) p.set('disagree', '1');
  history.replaceState(null, '', '#' + p.toString());
  apply();
}
build();
fromHash();
apply();
for (const id of ['area', 'answer', 'disagree']) $(id).addEventListener('change', onControl);
window.addEventListener('hashchange', () => { fromHash(); apply(); });
"#;

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// The page.
pub fn page(m: &Matrix) -> Vec<u8> {
    // JSON inside <script>: only `</` could end the element early.
    let json = String::from_utf8_lossy(&compact(&value(m))).replace("</", "<\\/");
    let disagreements = m.rows.iter().filter(|r| r.disagree).count();
    let mut totals_rows = String::new();
    for (i, c) in m.columns.iter().enumerate() {
        let (pass, fail, crash, skip) = totals(m, i);
        totals_rows.push_str(&format!(
            "<tr class=\"column\" data-name=\"{}\"><td>{}</td><td>{}</td><td>{}</td><td>{pass}</td><td>{fail}</td><td>{crash}</td><td>{skip}</td></tr>\n",
            escape(&c.name),
            escape(&c.name),
            escape(&c.implementation),
            escape(&c.version)
        ));
    }
    format!(
        r#"<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>sipc matrix: {profile}</title>
<style>{STYLE}</style>
</head>
<body>
<h1>sipc matrix: profile <code>{profile}</code></h1>
<p id="summary" data-tests="{tests}" data-implementations="{impls}" data-disagreements="{disagreements}">{tests} tests, {impls} implementations, {disagreements} tests on which they disagree (listed first).</p>
<table id="totals">
<thead><tr><th>Name</th><th>Implementation</th><th>Version</th><th>Conforming</th><th>Wrong</th><th>Crashes</th><th>Skipped</th></tr></thead>
<tbody>
{totals_rows}</tbody>
</table>
<div class="controls">
<label>Area <select id="area"><option value="">all</option></select></label>
<label>Answer <select id="answer"><option value="">any</option><option value="accept">accept</option><option value="reject">reject</option><option value="crash">crash</option><option value="timeout">timeout</option><option value="broken">broken</option></select></label>
<label><input type="checkbox" id="disagree"> disagreements only</label>
<span id="shown"></span>
</div>
<table id="grid"><thead><tr id="grid-head"></tr></thead><tbody id="grid-body"></tbody></table>
<script type="application/json" id="matrix-data">{json}</script>
<script>{SCRIPT}</script>
</body>
</html>
"#,
        profile = escape(&m.profile),
        tests = m.rows.len(),
        impls = m.columns.len(),
    )
    .into_bytes()
}
