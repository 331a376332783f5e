//! `sipc run --spool 'CMD --dir {dir} --config {config}'`: the spool profile (SIPC/1 §14)
//! against a running receiver. The runner makes a folder of mode 0700 in a folder of its own,
//! writes a `spool` config naming it, starts the receiver, waits (10 s at most) for
//! `LISTENING spool:<dir>`, then drops files: first every TCP test made of frames, each frame
//! a file ([`derived`]), then the tests only a folder has ([`table`]); those that start
//! receivers of their own run last, after the main one is stopped.

pub mod exec;
mod exec_folder;
mod exec_special;
pub mod receiver;
pub mod table;

use crate::error::Error;
use crate::run::check::{Context, Judgement, Observation};
use crate::run::{CaseResult, Options, RunReport};
use crate::tcp::cases::{Builder, Script, TcpTest};
use crate::tcp::server::{ConfigDir, PLACEHOLDER};
use receiver::Receiver;
use sipc_reference::{Config, Transport};
use sipc_vectors::load::{Case, Check, StepCase};
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use table::{SpoolScript, SpoolTest};

/// How a spool run drives the implementation, as the JSON report says.
pub const PROFILE: &str = "SIPC/1 spool profile";
/// The `version` a spool report gives.
const VERSION: &str = "(spool receiver)";
/// How long a receiver that failed a test is given to say the rest before the next test.
const SETTLE: std::time::Duration = std::time::Duration::from_millis(500);
/// How often the main receiver may be started in a run: once, and once more after a crash.
const MAX_STARTS: usize = 2;

/// The config a spool run gives the receiver: `config` reading `dir`, without `tls`.
pub fn spool_config(config: &Config, dir: &Path) -> Config {
    Config {
        transport: Transport::Spool {
            spool_dir: dir.display().to_string(),
        },
        tls: None,
        replay_store: None,
        ..config.clone()
    }
}

/// The TCP tests made of frames only, which a folder runs as files, one per frame.
pub fn derived(config: &Config) -> Vec<TcpTest> {
    let builder = Builder::new(config.clone(), 1_700_000_000, 0);
    crate::tcp::table::all()
        .into_iter()
        .filter(|t| matches!((t.build)(&builder), Script::Frames(_)))
        .collect()
}

fn case_of(test: &SpoolTest, script: Option<&SpoolScript>, config: &Config, now: u64) -> Case {
    let steps = script.map(SpoolScript::steps).unwrap_or_default();
    Case {
        file: table::AREA.into(),
        tc_id: test.tc_id,
        id: test.meta.id.into(),
        req: test.meta.req.iter().map(|r| (*r).to_owned()).collect(),
        comment: test.meta.comment.into(),
        flags: test.meta.flags.iter().map(|f| (*f).to_owned()).collect(),
        check: Check::Verify {
            config: config.to_value(),
            steps: steps
                .into_iter()
                .map(|s| StepCase {
                    now,
                    envelope: s.envelope.clone(),
                    expected: s.expected.clone(),
                })
                .collect(),
            stateful: true,
        },
    }
}

/// The spool tests as report entries, without running them (`--list`, `--filter`).
pub fn listed(config: &Config) -> Vec<Case> {
    let mut cases: Vec<Case> = derived(config)
        .iter()
        .map(|t| crate::tcp::case_of(t, None, config, 0))
        .collect();
    cases.extend(table::table().iter().map(|t| case_of(t, None, config, 0)));
    cases
}

/// The main receiver, started at most [`MAX_STARTS`] times in a run.
struct Main<'a> {
    command: &'a str,
    config: PathBuf,
    dir: PathBuf,
    receiver: Option<Receiver>,
    starts: usize,
}

impl Main<'_> {
    /// The running receiver, restarting it once if it died; `Err` says why there is none.
    fn ensure(&mut self) -> Result<&mut Receiver, String> {
        if let Some(r) = self.receiver.as_mut() {
            if r.is_running() {
                return self.receiver.as_mut().ok_or_else(String::new);
            }
            let status = r.stop();
            let tail = r.stderr_tail();
            self.receiver = None;
            if self.starts >= MAX_STARTS {
                return Err(format!(
                    "the receiver died again ({status}) and is not restarted; stderr: {}",
                    tail.trim()
                ));
            }
        }
        if self.starts >= MAX_STARTS {
            return Err("the receiver is not running".into());
        }
        self.starts += 1;
        let r = Receiver::start(self.command, &self.config, &self.dir)
            .map_err(|e| format!("the receiver did not start: {e}"))?;
        Ok(self.receiver.insert(r))
    }

    fn stop(&mut self) {
        if let Some(mut r) = self.receiver.take() {
            r.stop();
        }
    }
}

/// One test to run: a TCP test whose frames become files, or a spool test.
enum Planned {
    Derived(TcpTest),
    Spool(SpoolTest),
}

fn failed(detail: String) -> Observation {
    Observation {
        judgement: Judgement::Fail,
        detail,
        sent: String::new(),
        expected: String::new(),
        provided: String::new(),
    }
}

/// Runs the spool suite. `Err` (exit 2) when the command has no `{config}` or the receiver does
/// not start with the suite's valid config.
pub fn run(
    options: &Options,
    config: &Config,
    mut progress: impl FnMut(&CaseResult),
) -> Result<RunReport, Error> {
    if !options.command.contains(PLACEHOLDER) {
        return Err(Error::Usage(format!(
            "--spool needs {PLACEHOLDER} in its command line, where the config file's path goes"
        )));
    }
    let own = ConfigDir::new()?;
    let dir = own.0.join("spool");
    std::fs::create_dir(&dir)
        .and_then(|()| std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o700)))
        .map_err(|e| Error::io(dir.display().to_string(), e))?;
    let config = &spool_config(config, &dir);
    let mut main = Main {
        command: &options.command,
        config: own.write("config.json", &config.to_json())?,
        dir: dir.clone(),
        receiver: None,
        starts: 0,
    };
    if let Err(why) = main.ensure().map(|_| ()) {
        main.stop();
        return Err(Error::Implementation(why));
    }
    let ctx = Context {
        error_map: &options.expectations.error_map,
        state_prefix: String::new(),
    };
    let now = crate::oneoff::unix_now().unwrap_or_default();
    let mut builder = Builder::new(config.clone(), now, now);
    let plan = derived(config)
        .into_iter()
        .map(Planned::Derived)
        .chain(table::table().into_iter().map(Planned::Spool));
    let mut results = Vec::new();
    for planned in plan {
        let listed = match &planned {
            Planned::Derived(t) => crate::tcp::case_of(t, None, config, 0),
            Planned::Spool(t) => case_of(t, None, config, 0),
        };
        if !options.filter.matches(&listed) {
            continue;
        }
        let now = crate::oneoff::unix_now().unwrap_or_default();
        builder.at(now);
        let (case, script) = match &planned {
            Planned::Derived(t) => match (t.build)(&builder) {
                Script::Frames(steps) => {
                    let case =
                        crate::tcp::case_of(t, Some(&Script::Frames(steps.clone())), config, now);
                    (case, SpoolScript::Files(steps))
                }
                _ => (listed, SpoolScript::Files(Vec::new())),
            },
            Planned::Spool(t) => {
                let script = (t.build)(&builder);
                (case_of(t, Some(&script), config, now), script)
            }
        };
        let target = exec::Target {
            dir: &dir,
            outside: &own.0,
            command: &options.command,
            timeout: options.timeout,
            ctx: &ctx,
            tc_id: case.tc_id,
        };
        let problems = builder.take_problems();
        let observation = if !problems.is_empty() {
            failed(format!(
                "not run: a bug of the suite: {}",
                problems.join("; ")
            ))
        } else if script.needs_receiver() {
            match main.ensure() {
                Ok(receiver) => {
                    let o = exec::run(&script, Some(receiver), &target);
                    if o.judgement == Judgement::Fail {
                        receiver.drain(SETTLE);
                    }
                    o
                }
                Err(why) => failed(format!("not run: {why}")),
            }
        } else {
            main.stop();
            main.starts = MAX_STARTS;
            exec::run(&script, None, &target)
        };
        let result = CaseResult::judged(case, observation, options);
        progress(&result);
        results.push(result);
    }
    main.stop();
    Ok(RunReport::finished(
        PROFILE,
        options,
        options.command.clone(),
        VERSION.into(),
        results,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every spool test's intended verdicts are the reference's, and the frame tests of the
    /// TCP table that a folder runs are there.
    #[test]
    fn every_script_agrees_with_the_reference() {
        let config = spool_config(
            &sipc_vectors::default_config().unwrap(),
            Path::new("/tmp/s"),
        );
        let derived = derived(&config);
        assert!(derived.len() >= 15, "{}", derived.len());
        assert!(derived.iter().any(|t| t.meta.id == "SEC-IPC-04"));
        assert!(!derived.iter().any(|t| t.meta.id == "SEC-IPC-05"));
        let builder = Builder::new(config, 1_700_000_000, 7);
        for test in table::table() {
            let _ = (test.build)(&builder);
            let problems = builder.take_problems();
            assert!(problems.is_empty(), "tcId {}: {problems:?}", test.tc_id);
        }
    }

    #[test]
    fn tc_ids_are_unique_and_after_the_tcp_tables() {
        let last_tcp = crate::tcp::table::all().last().unwrap().tc_id;
        let spool = table::table();
        assert!(spool[0].tc_id > last_tcp);
        let mut ids: Vec<u64> = spool.iter().map(|t| t.tc_id).collect();
        ids.dedup();
        assert_eq!(ids.len(), spool.len());
    }
}
