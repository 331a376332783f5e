//! `sipc fuzz --adapter 'CMD'`: differential fuzzing of an implementation against the
//! reference. Structure-aware mutations of the vectors ([`mutate`]) go through the adapter and
//! through the reference; every input on which the verdict, the error code or the accepted
//! message differs is shrunk ([`minimize`]) and written as a finding with the command line that
//! reproduces it. A seed makes a run repeatable; `--time` and `--iterations` bound it.

pub mod case;
pub mod judge;
pub mod minimize;
pub mod mutate;
pub mod mutate_config;
pub mod mutate_message;
pub mod rng;
pub mod tcp;

use crate::error::Error;
use crate::process::{describe, Adapter};
use crate::run;
use case::FuzzCase;
use judge::{compare, implementation, reference, Disagreement, Said};
use rng::Rng;
use sipc_reference::json::Value;
use sipc_vectors::load::VectorFile;
use sipc_vectors::text;
use std::collections::BTreeMap;
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// What a fuzz run needs.
pub struct Options {
    /// The adapter command, or the server (receiver) command.
    pub command: String,
    /// How a server is reached (TCP, a Unix socket, a spool folder); `None` for an adapter.
    pub via: Option<tcp::Via>,
    /// With a TCP or Unix server: under mutual TLS (SIPC/1 §15).
    pub tls: bool,
    /// Per-request timeout.
    pub timeout: Duration,
    /// The seed of the mutations.
    pub seed: u64,
    /// Stop after this long.
    pub time: Option<Duration>,
    /// Stop after this many cases.
    pub iterations: Option<u64>,
    /// Stop after this many distinct findings.
    pub max_findings: Option<usize>,
    /// Where findings are written.
    pub out: PathBuf,
    /// The implementation's error codes mapped to SIPC/1's.
    pub error_map: BTreeMap<String, String>,
    /// No progress bar.
    pub quiet: bool,
}

/// One distinct disagreement, shrunk.
pub struct Finding {
    /// How it disagrees (`verify: reference replay / implementation accept`).
    pub signature: String,
    /// The shortest input found that still disagrees that way.
    pub case: FuzzCase,
    /// Where, and what each side said.
    pub disagreement: Disagreement,
    /// How many mutants disagreed this way.
    pub hits: u64,
    /// The file it was written to.
    pub path: PathBuf,
}

/// A run's totals.
pub struct Summary {
    /// Cases sent.
    pub iterations: u64,
    /// Cases on which the sides differed.
    pub disagreements: u64,
    /// The distinct findings.
    pub findings: Vec<Finding>,
    /// How long it ran.
    pub elapsed: Duration,
    /// How often the reference answered each verdict, by op (`verify`, `check_config`) and
    /// verdict (`accept`, a code, or `config_invalid:<field>`): how far the mutants reached
    /// into the verification steps. [`verdict_lines`] writes it for the console.
    pub reached: BTreeMap<(&'static str, String), u64>,
}

/// The adapter with its ops, restarted after a broken exchange.
struct AdapterSubject<'a> {
    options: &'a Options,
    adapter: Option<Adapter>,
    ops: Vec<String>,
    states: u64,
}

impl AdapterSubject<'_> {
    fn start(options: &Options) -> Result<AdapterSubject<'_>, Error> {
        let (adapter, hello) =
            run::start(&options.command, options.timeout).map_err(Error::Implementation)?;
        if !hello.ops.iter().any(|o| o == "verify") {
            return Err(Error::Implementation(
                "the adapter does not implement verify".into(),
            ));
        }
        Ok(AdapterSubject {
            options,
            adapter: Some(adapter),
            ops: hello.ops,
            states: 0,
        })
    }

    fn supports(&self, case: &FuzzCase) -> bool {
        self.ops.iter().any(|o| o == case.op())
    }

    /// Both sides' answers to `case`, on a fresh state; a broken exchange restarts the adapter.
    fn answers(&mut self, case: &FuzzCase) -> Result<(Vec<Said>, Vec<Said>), Error> {
        if self.adapter.is_none() {
            let (adapter, _) = run::start(&self.options.command, self.options.timeout)
                .map_err(|e| Error::Implementation(format!("the adapter did not restart: {e}")))?;
            self.adapter = Some(adapter);
        }
        self.states += 1;
        let state = format!("fuzz-{}", self.states);
        let Some(adapter) = self.adapter.as_mut() else {
            return Err(Error::Implementation("the adapter is not running".into()));
        };
        let theirs = match implementation(adapter, case, &state, &self.options.error_map) {
            Ok(answers) => answers,
            Err((mut answers, broken)) => {
                let status = adapter.stop().map(describe).unwrap_or_default();
                self.adapter = None;
                answers.push(Said::Broken(format!("{broken} ({status})")));
                answers
            }
        };
        // Forget the verifiers of past cases now and then.
        if self.states.is_multiple_of(200) && self.ops.iter().any(|o| o == "reset") {
            if let Some(adapter) = self.adapter.as_mut() {
                if adapter
                    .request(vec![("op".into(), Value::String("reset".into()))])
                    .is_err()
                {
                    adapter.stop();
                    self.adapter = None;
                }
            }
        }
        Ok((reference(case), theirs))
    }

    fn stop(&mut self) {
        if let Some(mut a) = self.adapter.take() {
            a.stop();
        }
    }
}

/// What is fuzzed: an adapter, or a TCP server.
enum Subject<'a> {
    Adapter(AdapterSubject<'a>),
    Tcp(Box<tcp::TcpSubject>),
}

impl Subject<'_> {
    fn start(options: &Options) -> Result<Subject<'_>, Error> {
        Ok(match options.via {
            Some(via) => Subject::Tcp(Box::new(tcp::TcpSubject::start(
                &options.command,
                options.timeout,
                options.error_map.clone(),
                via,
                options.tls,
            )?)),
            None => Subject::Adapter(AdapterSubject::start(options)?),
        })
    }

    fn supports(&self, case: &FuzzCase) -> bool {
        match self {
            Subject::Adapter(a) => a.supports(case),
            Subject::Tcp(t) => t.supports(case),
        }
    }

    /// The reference's and the implementation's answers (a TCP case is rebased on the real
    /// clock first).
    fn answers(&mut self, case: &FuzzCase) -> Result<(Vec<Said>, Vec<Said>), Error> {
        match self {
            Subject::Adapter(a) => a.answers(case),
            Subject::Tcp(t) => t.answers(case),
        }
    }

    fn disagreement(&mut self, case: &FuzzCase) -> Result<Option<Disagreement>, Error> {
        let (ours, theirs) = self.answers(case)?;
        Ok(compare(&ours, &theirs))
    }

    fn stop(&mut self) {
        match self {
            Subject::Adapter(a) => a.stop(),
            Subject::Tcp(t) => t.stop(),
        }
    }
}

/// How many `config_invalid` fields a verdict line names (the most frequent).
const VERDICT_FIELDS_SHOWN: usize = 5;

/// One verdict's count on a console line, with the fields of `config_invalid` under it.
struct Tally {
    code: String,
    count: u64,
    fields: Vec<(String, u64)>,
}

/// The reference's verdicts, one line per op, most frequent first; the fields of
/// `config_invalid` are folded into one entry with their counts in brackets, so that each line
/// stays short enough to read.
pub fn verdict_lines(reached: &BTreeMap<(&'static str, String), u64>) -> Vec<String> {
    let mut ops: Vec<&'static str> = reached.keys().map(|(op, _)| *op).collect();
    ops.dedup();
    ops.into_iter()
        .map(|op| {
            let mut tallies: Vec<Tally> = Vec::new();
            for ((_, said), &count) in reached.iter().filter(|((o, _), _)| *o == op) {
                let (code, field) = match said.split_once(':') {
                    Some((code, "")) => (code, Some("(text)")),
                    Some((code, field)) => (code, Some(field)),
                    None => (said.as_str(), None),
                };
                let at = match tallies.iter().position(|t| t.code == code) {
                    Some(at) => at,
                    None => {
                        tallies.push(Tally {
                            code: code.to_owned(),
                            count: 0,
                            fields: Vec::new(),
                        });
                        tallies.len() - 1
                    }
                };
                if let Some(tally) = tallies.get_mut(at) {
                    tally.count += count;
                    if let Some(field) = field {
                        tally.fields.push((field.to_owned(), count));
                    }
                }
            }
            tallies.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.code.cmp(&b.code)));
            let entries: Vec<String> = tallies
                .into_iter()
                .map(|mut t| {
                    if t.fields.is_empty() {
                        return format!("{} {}", t.code, t.count);
                    }
                    t.fields
                        .sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
                    let mut shown: Vec<String> = t
                        .fields
                        .iter()
                        .take(VERDICT_FIELDS_SHOWN)
                        .map(|(f, n)| format!("{f} {n}"))
                        .collect();
                    if t.fields.len() > VERDICT_FIELDS_SHOWN {
                        shown.push(format!("{} more", t.fields.len() - VERDICT_FIELDS_SHOWN));
                    }
                    format!("{} {} ({})", t.code, t.count, shown.join(", "))
                })
                .collect();
            format!("reference verdicts, {op}: {}", entries.join(", "))
        })
        .collect()
}

/// The reference's answer in a finding, with the rule a `malformed` broke:
/// `reject: malformed (REQ-JSON-4)`.
pub fn reference_text(f: &Finding) -> String {
    match judge::reference_requirement(&f.case, f.disagreement.step) {
        Some(req) => format!("{} ({req})", f.disagreement.reference),
        None => f.disagreement.reference.to_string(),
    }
}

/// The option that names a server reached `via`.
pub fn flag_of(via: tcp::Via) -> &'static str {
    match via {
        tcp::Via::Tcp => "--tcp-server",
        tcp::Via::Unix => "--unix-server",
        tcp::Via::Spool => "--spool",
    }
}

/// The command line that replays a finding.
pub fn reproducer(options: &Options, path: &Path) -> String {
    format!(
        "sipc fuzz {} {}{} --reproduce {}",
        options.via.map_or("--adapter", flag_of),
        crate::shell::quote(&options.command),
        if options.tls { " --tls" } else { "" },
        crate::shell::quote(&path.display().to_string())
    )
}

fn finding_value(f: &Finding, options: &Options, iteration: u64) -> Value {
    Value::Object(vec![
        ("signature".into(), Value::string(&f.signature)),
        // Steps are numbered from 1, as on the console.
        ("step".into(), Value::uint(f.disagreement.step as u64 + 1)),
        (
            "input".into(),
            Value::string(&f.case.describe_step(f.disagreement.step)),
        ),
        ("reference".into(), Value::string(&reference_text(f))),
        (
            "implementation".into(),
            Value::string(&f.disagreement.implementation.to_string()),
        ),
        ("seed".into(), Value::uint(options.seed)),
        ("iteration".into(), Value::uint(iteration)),
        (
            "reproduce".into(),
            Value::string(&reproducer(options, &f.path)),
        ),
        ("case".into(), f.case.to_value()),
    ])
}

struct Progress {
    quiet: bool,
    tty: bool,
    last: Instant,
}

impl Progress {
    fn show(
        &mut self,
        options: &Options,
        iterations: u64,
        disagreements: u64,
        unique: usize,
        started: Instant,
        done: bool,
    ) {
        if self.quiet
            || (!done
                && self.last.elapsed() < Duration::from_millis(if self.tty { 200 } else { 5000 }))
        {
            return;
        }
        self.last = Instant::now();
        let secs = started.elapsed().as_secs_f64();
        let fraction = match (options.time, options.iterations) {
            (Some(t), _) => secs / t.as_secs_f64().max(0.001),
            (None, Some(n)) => iterations as f64 / (n.max(1) as f64),
            (None, None) => 0.0,
        }
        .min(1.0);
        let filled = (fraction * 20.0) as usize;
        let line = format!(
            "[{}{}] {iterations} cases, {:.0}/s, {disagreements} disagreements ({unique} distinct), {secs:.0} s",
            "#".repeat(filled),
            "-".repeat(20 - filled),
            iterations as f64 / secs.max(0.001),
        );
        let mut err = std::io::stderr().lock();
        let _ = if self.tty {
            write!(err, "\r{line}{}", if done { "\n" } else { "" })
        } else {
            writeln!(err, "{line}")
        };
        let _ = err.flush();
    }
}

/// Runs the campaign. `Err` (exit 2) when the adapter does not start or speak the protocol.
pub fn fuzz(files: &[VectorFile], options: &Options) -> Result<Summary, Error> {
    let seeds = case::seeds(files);
    let mut target = Subject::start(options)?;
    let usable: Vec<&FuzzCase> = seeds.iter().filter(|c| target.supports(c)).collect();
    let (verify, config): (Vec<&FuzzCase>, Vec<&FuzzCase>) = usable
        .iter()
        .partition(|c| matches!(c, FuzzCase::Verify { .. } | FuzzCase::Message { .. }));
    if verify.is_empty() {
        return Err(Error::Usage(
            "no seeds: the vectors hold no verification the implementation supports".into(),
        ));
    }
    let mut rng = Rng::new(options.seed);
    let started = Instant::now();
    let mut progress = Progress {
        quiet: options.quiet,
        tty: std::io::stderr().is_terminal(),
        last: Instant::now(),
    };
    let mut iterations = 0u64;
    let mut disagreements = 0u64;
    let mut findings: Vec<Finding> = Vec::new();
    let mut reached: BTreeMap<(&'static str, String), u64> = BTreeMap::new();
    loop {
        if options.iterations.is_some_and(|n| iterations >= n)
            || options.time.is_some_and(|t| started.elapsed() >= t)
            || options.max_findings.is_some_and(|n| findings.len() >= n)
        {
            break;
        }
        let pool = if !config.is_empty() && rng.one_in(5) {
            &config
        } else {
            &verify
        };
        let (Some(seed), Some(other)) = (rng.pick(pool), rng.pick(&verify)) else {
            break;
        };
        let case = mutate::mutate(&mut rng, seed, other);
        iterations += 1;
        let (ours, theirs) = target.answers(&case)?;
        for said in &ours {
            *reached.entry((case.op(), said.code())).or_default() += 1;
        }
        if let Some(d) = compare(&ours, &theirs) {
            disagreements += 1;
            let signature = d.signature(case.op());
            if let Some(f) = findings.iter_mut().find(|f| f.signature == signature) {
                f.hits += 1;
            } else {
                let small = minimize::minimize(
                    &case,
                    d.step,
                    |candidate| matches!(target.disagreement(candidate), Ok(Some(c)) if c.signature(candidate.op()) == signature),
                );
                let disagreement = target.disagreement(&small)?.unwrap_or(d);
                let path = options
                    .out
                    .join(format!("finding-{}.json", findings.len() + 1));
                let finding = Finding {
                    signature,
                    case: small,
                    disagreement,
                    hits: 1,
                    path,
                };
                std::fs::create_dir_all(&options.out)
                    .map_err(|e| Error::io(options.out.display().to_string(), e))?;
                crate::io::write_file(
                    &finding.path,
                    &text::pretty(&finding_value(&finding, options, iterations)),
                )?;
                findings.push(finding);
            }
        }
        progress.show(
            options,
            iterations,
            disagreements,
            findings.len(),
            started,
            false,
        );
    }
    progress.show(
        options,
        iterations,
        disagreements,
        findings.len(),
        started,
        true,
    );
    let elapsed = started.elapsed();
    target.stop();
    Ok(Summary {
        iterations,
        disagreements,
        findings,
        elapsed,
        reached,
    })
}

/// `--reproduce FILE`: runs a finding's case once more; `Ok(true)` when it still disagrees.
pub fn reproduce(path: &Path, options: &Options) -> Result<bool, Error> {
    let bytes = crate::io::read_bounded(Some(path), 256 << 20)?;
    let value = sipc_reference::json::parse(&bytes)
        .map_err(|e| Error::Usage(format!("{}: {e}", path.display())))?;
    let case = FuzzCase::from_value(value.get("case").unwrap_or(&value))
        .map_err(|e| Error::Usage(format!("{}: {e}", path.display())))?;
    let mut target = Subject::start(options)?;
    let (ours, theirs) = target.answers(&case)?;
    target.stop();
    for (i, r) in ours.iter().enumerate() {
        let t = theirs
            .get(i)
            .map_or_else(|| "(no answer)".to_owned(), ToString::to_string);
        crate::io::print_line(&format!(
            "step {}: reference {r}\n        implementation {t}",
            i + 1
        ));
    }
    Ok(compare(&ours, &theirs).is_some())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn verdict_lines_are_one_per_op_most_frequent_first_with_fields_folded() {
        let mut reached = BTreeMap::new();
        for (op, said, n) in [
            ("verify", "accept", 5),
            ("verify", "malformed", 9),
            ("verify", "replay", 5),
            ("check_config", "accept", 2),
            ("check_config", "config_invalid:bind_host", 4),
            ("check_config", "config_invalid:", 1),
            ("check_config", "config_invalid:a", 1),
            ("check_config", "config_invalid:b", 1),
            ("check_config", "config_invalid:c", 1),
            ("check_config", "config_invalid:d", 1),
            ("check_config", "config_invalid:e", 1),
        ] {
            reached.insert((op, said.to_owned()), n);
        }
        assert_eq!(
            verdict_lines(&reached),
            [
                "reference verdicts, check_config: config_invalid 10 (bind_host 4, (text) 1, \
                 a 1, b 1, c 1, 2 more), accept 2",
                "reference verdicts, verify: malformed 9, accept 5, replay 5",
            ]
        );
    }
}
