//! `sipc run --tcp-server 'CMD … {config} …'`: the TCP profile (SIPC/1 §12) against a running
//! server. The runner writes the suite's config to a file, starts the server with its path,
//! waits (10 s at most) for `LISTENING <host>:<port>`, then runs the TCP tests over loopback
//! connections; the tests that start servers of their own run last, after the main server is
//! stopped. Results go to the same reports as the stdin runner.

pub mod cases;
pub mod client;
pub mod exec;
pub mod exec_tls;
pub mod exec_unix;
pub mod server;
pub mod table;
pub mod table_tls;
pub mod table_unix;

use crate::error::Error;
use crate::run::check::{Context, Judgement, Observation};
use crate::run::{CaseResult, Options, RunReport};
use cases::{Builder, Script, TcpTest};
use client::Endpoint;
use server::{ConfigDir, Server};
use sipc_reference::{Config, Transport};
use sipc_vectors::load::{Case, Check, Expected, StepCase, Verdict};

/// The `version` a TCP report gives (a server has no `hello`).
const VERSION: &str = "(TCP server)";
/// The `version` a Unix socket report gives.
const UNIX_VERSION: &str = "(Unix socket server)";
/// How long a failed test waits for a server that may be crashing.
const CRASH_GRACE: std::time::Duration = std::time::Duration::from_millis(200);
/// How a TCP run drives the implementation, as the JSON report says.
pub const PROFILE: &str = "SIPC/1 TCP profile";
/// How a Unix socket run drives the implementation (SIPC/1 §13: the TCP profile's frames).
pub const UNIX_PROFILE: &str = "SIPC/1 Unix socket profile";
/// A TCP run under mutual TLS (SIPC/1 §15).
pub const TLS_PROFILE: &str = "SIPC/1 TCP profile, mutual TLS";
/// A Unix socket run under mutual TLS.
pub const UNIX_TLS_PROFILE: &str = "SIPC/1 Unix socket profile, mutual TLS";

/// The report entry of a TCP test: its identity, and what it sends as vector-like steps.
pub(crate) fn case_of(test: &TcpTest, script: Option<&Script>, config: &Config, now: u64) -> Case {
    let config_value = config.to_value();
    let step = |s: &cases::Step| StepCase {
        now,
        envelope: s.envelope.clone(),
        expected: s.expected.clone(),
    };
    let check = match script {
        Some(Script::Frames(steps) | Script::Pipelined(steps)) => Check::Verify {
            config: config_value,
            steps: steps.iter().map(step).collect(),
            stateful: true,
        },
        Some(Script::Bytewise(s) | Script::CutOff { step: s, .. }) => Check::Verify {
            config: config_value,
            steps: vec![step(s)],
            stateful: true,
        },
        Some(Script::RefusesToStart(bytes)) => Check::CheckConfig {
            config: sipc_reference::json::parse(bytes).unwrap_or(config_value),
            expected: Expected {
                result: Verdict::Invalid,
                error: Some("config_invalid".into()),
                field: None,
                accepted: None,
                output: None,
            },
        },
        _ => Check::Verify {
            config: config_value,
            steps: Vec::new(),
            stateful: true,
        },
    };
    Case {
        file: cases::AREA.into(),
        tc_id: test.tc_id,
        id: test.meta.id.into(),
        req: test.meta.req.iter().map(|r| (*r).to_owned()).collect(),
        comment: test.meta.comment.into(),
        flags: test.meta.flags.iter().map(|f| (*f).to_owned()).collect(),
        check,
    }
}

fn unix_now() -> u64 {
    // A clock before 1970 reads 0: every valid test then fails, loudly.
    crate::oneoff::unix_now().unwrap_or_default()
}

/// The socket a run reaches the server on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Socket {
    /// `--tcp-server`: a loopback port (SIPC/1 §12).
    Tcp,
    /// `--unix-server`: a Unix socket file in the runner's folder (§13).
    Unix,
}

/// Whether `test` runs over `socket`: the bind checks (SEC-IPC-07, SEC-IPC-07b) are TCP's,
/// the `UNIX-*` tests a Unix socket's.
/// With `tls`, the `TLS-*` tests run and the `UNIX-*` ones do not (they start servers of their
/// own, which a plain Unix run checks).
fn applies(test: &TcpTest, socket: Socket, tls: bool) -> bool {
    let id = test.meta.id;
    if id.starts_with("TLS-") {
        return tls;
    }
    match socket {
        Socket::Tcp => !id.starts_with("UNIX-"),
        Socket::Unix => {
            let bind_check = id.starts_with("SEC-IPC-07");
            let own_unix_servers = tls && id.starts_with("UNIX-");
            !(bind_check || own_unix_servers)
        }
    }
}

/// The TCP tests as report entries, without running them (`--list`, `--filter`).
pub fn listed(config: &Config, socket: Socket, tls: bool) -> Vec<Case> {
    table::all()
        .iter()
        .filter(|t| applies(t, socket, tls))
        .map(|t| case_of(t, None, config, 0))
        .collect()
}

/// The config a Unix run gives the server: `config` on the socket `path`, open to the runner's
/// uid only, without `tls`.
pub(crate) fn unix_config(config: &Config, path: &std::path::Path) -> Config {
    Config {
        transport: Transport::UnixLocal {
            socket_path: path.display().to_string(),
            socket_mode: None,
            allowed_peer_uids: vec![u64::from(rustix::process::geteuid().as_raw())],
        },
        tls: None,
        replay_store: None,
        ..config.clone()
    }
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

/// How often the main server may be started in a run: once, and once more after a crash.
const MAX_STARTS: usize = 2;

/// The main server, started at most [`MAX_STARTS`] times in a run.
struct Main<'a> {
    command: &'a str,
    config: std::path::PathBuf,
    /// The Unix socket the config names, in a Unix run.
    unix: Option<Endpoint>,
    server: Option<Server>,
    /// Starts so far; [`MAX_STARTS`] means it is never started again.
    starts: usize,
}

impl Main<'_> {
    /// The running server, restarting it once if it died; `Err` says why there is none.
    fn ensure(&mut self) -> Result<&Server, String> {
        if let Some(s) = self.server.as_mut() {
            if s.is_running() {
                return self.server.as_ref().ok_or_else(String::new);
            }
            let status = s.stop();
            let tail = s.stderr_tail();
            self.server = None;
            if self.starts >= MAX_STARTS {
                let tail = tail.trim();
                return Err(if tail.is_empty() {
                    format!("the server died again ({status}) and is not restarted")
                } else {
                    format!("the server died again ({status}) and is not restarted; stderr: {tail}")
                });
            }
        }
        if self.starts >= MAX_STARTS {
            return Err("the server is not running".into());
        }
        self.starts += 1;
        let command = match self.unix {
            Some(_) => exec_unix::under_umask(self.command),
            None => self.command.to_owned(),
        };
        let s = Server::start(&command, &self.config, self.unix.as_ref())
            .map_err(|e| format!("the server did not start: {e}"))?;
        Ok(self.server.insert(s))
    }

    fn stop(&mut self) {
        if let Some(mut s) = self.server.take() {
            s.stop();
        }
    }
}

/// Runs the TCP suite over `socket` (under mutual TLS with `tls`, SIPC/1 §15: a PKI made for
/// the run, the config's `tls` naming its files). `Err` (exit 2) when the command has no
/// `{config}` or the server does not start with the suite's valid config. Tests that start
/// servers of their own run after all the others, once the main server is stopped; the report
/// lists every test in tcId order.
pub fn run(
    options: &Options,
    config: &Config,
    socket: Socket,
    tls: bool,
    mut progress: impl FnMut(&CaseResult),
) -> Result<RunReport, Error> {
    if !options.command.contains(server::PLACEHOLDER) {
        return Err(Error::Usage(format!(
            "--{}-server needs {} in its command line, where the config file's path goes",
            if socket == Socket::Tcp { "tcp" } else { "unix" },
            server::PLACEHOLDER
        )));
    }
    let dir = ConfigDir::new()?;
    let (mut config, unix) = match socket {
        Socket::Tcp => (config.clone(), None),
        Socket::Unix => {
            let path = dir.0.join("sipc.sock");
            (unix_config(config, &path), Some(Endpoint::Unix(path)))
        }
    };
    let clients = if tls {
        let pki = crate::tls::pki::Pki::make(&dir.0, unix_now()).map_err(Error::Usage)?;
        config.tls = Some(pki.files.clone());
        Some(crate::tls::Clients::new(pki).map_err(Error::Usage)?)
    } else {
        None
    };
    let config = &config;
    let config_path = dir.write("config.json", &config.to_json())?;
    let mut main = Main {
        command: &options.command,
        config: config_path,
        unix,
        server: None,
        starts: 0,
    };
    let first = main.ensure().map(|s| s.addr.clone());
    if let Err(why) = first {
        main.stop();
        return Err(Error::Implementation(why));
    }
    let ctx = Context {
        error_map: &options.expectations.error_map,
        state_prefix: String::new(),
    };
    let mut builder = Builder::new(config.clone(), unix_now(), unix_now());
    let selected: Vec<TcpTest> = table::all()
        .into_iter()
        .filter(|t| applies(t, socket, tls) && options.filter.matches(&case_of(t, None, config, 0)))
        .collect();
    let mut results = Vec::new();
    let mut deferred = Vec::new();
    for own_servers in [false, true] {
        if own_servers {
            // Servers of their own: stop the main one first, so that only one runs at a time.
            main.stop();
            main.starts = MAX_STARTS; // never restarted after this
        }
        let tests = if own_servers {
            std::mem::take(&mut deferred)
        } else {
            selected.iter().collect()
        };
        for test in tests {
            let now = unix_now();
            builder.at(now);
            let script = (test.build)(&builder);
            if !own_servers && !script.needs_server() {
                deferred.push(test);
                continue;
            }
            let case = case_of(test, Some(&script), config, now);
            let problems = builder.take_problems();
            let target = |addr| exec::Target {
                addr,
                command: &options.command,
                dir: &dir.0,
                timeout: options.timeout,
                ctx: &ctx,
                tls: clients.as_ref(),
            };
            let observation = if !problems.is_empty() {
                failed(format!(
                    "not run: a bug of the suite: {}",
                    problems.join("; ")
                ))
            } else if own_servers {
                exec::run(
                    &script,
                    &target(Endpoint::Tcp(std::net::SocketAddr::from((
                        [127, 0, 0, 1],
                        0,
                    )))),
                )
            } else {
                match main.ensure().map(|s| s.addr.clone()) {
                    Ok(addr) => {
                        let observation = exec::run(&script, &target(addr));
                        // A failure may be a crash: let the next test find the server dead (and
                        // restart it) rather than fail against a process on its way out.
                        if observation.judgement == Judgement::Fail {
                            if let Some(s) = main.server.as_mut() {
                                s.survives(CRASH_GRACE);
                            }
                        }
                        observation
                    }
                    Err(why) => failed(format!("not run: {why}")),
                }
            };
            let result = CaseResult::judged(case, observation, options);
            progress(&result);
            results.push(result);
        }
    }
    main.stop();
    results.sort_by_key(|r| r.case.tc_id);
    let protocol = match (socket, tls) {
        (Socket::Tcp, false) => PROFILE,
        (Socket::Tcp, true) => TLS_PROFILE,
        (Socket::Unix, false) => UNIX_PROFILE,
        (Socket::Unix, true) => UNIX_TLS_PROFILE,
    };
    let version = if socket == Socket::Tcp {
        VERSION
    } else {
        UNIX_VERSION
    };
    Ok(RunReport::finished(
        protocol,
        options,
        options.command.clone(),
        version.into(),
        results,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every TCP test's intended verdicts are the reference's, at any time of day.
    #[test]
    fn every_script_agrees_with_the_reference() {
        let config = sipc_vectors::default_config().unwrap();
        for now in [1_700_000_000, unix_now()] {
            let builder = Builder::new(config.clone(), now, 7);
            for test in table::all() {
                let _ = (test.build)(&builder);
                let problems = builder.take_problems();
                assert!(problems.is_empty(), "tcId {}: {problems:?}", test.tc_id);
            }
        }
    }

    #[test]
    fn tc_ids_are_unique_and_after_the_vectors() {
        let all = table::all();
        let files = crate::suite::load(crate::suite::SIPC1, None).unwrap();
        let last = files
            .iter()
            .flat_map(|f| f.cases.iter().map(|c| c.tc_id))
            .max()
            .unwrap();
        assert!(all[0].tc_id > last);
        let mut ids: Vec<u64> = all.iter().map(|t| t.tc_id).collect();
        ids.dedup();
        assert_eq!(ids.len(), all.len());
    }
}
