//! `sipc run --tcp-server 'CMD … {config} …' --replicas N [--redis URL]`: several replicas of a
//! receiver sharing one replay store (SIPC/1 §16). The runner starts a `redis-server` of its
//! own on a free loopback port (or uses `--redis`), names it in the config's `replay_store`,
//! runs the TCP suite against one server on that config, then starts N replicas with the same
//! config and runs the replica tests ([`table`]): replays across replicas, the same envelope
//! to all at once, the keys left in the store, a replica restarted, the store full, the store
//! stopped and started again.

pub mod exec;
pub mod failure;
pub mod race;
pub mod store;
pub mod table;

use crate::error::Error;
use crate::run::check::{Judgement, Observation};
use crate::run::{CaseResult, Options, RunReport};
use crate::tcp::client::{Answer, Conn, Endpoint};
use crate::tcp::server::{ConfigDir, Server};
use sipc_reference::json::Value;
use sipc_reference::{Config, Fields, ReplayStore};
use sipc_vectors::load::{Case, Check};
use std::cell::Cell;
use std::path::PathBuf;
use store::RunStore;

/// How a replicas run drives the implementation, as the JSON report says.
pub const PROFILE: &str = "SIPC/1 TCP profile, replicas sharing a replay store";
/// The report area of the replica tests.
pub const AREA: &str = "replicas";
/// Fewest and most replicas a run may start.
pub const REPLICAS: std::ops::RangeInclusive<usize> = 2..=8;
/// Rounds of the concurrent test (STORE-RACE).
pub const RACE_ROUNDS: usize = 1000;

/// The replicas of one run: the same command and config file, each on its own port.
pub struct Replicas {
    command: String,
    config: PathBuf,
    servers: Vec<Option<Server>>,
}

impl Replicas {
    /// Starts `n` replicas of `command` with the config at `config`.
    fn start(command: &str, config: PathBuf, n: usize) -> Result<Replicas, String> {
        let mut replicas = Replicas {
            command: command.to_owned(),
            config,
            servers: Vec::new(),
        };
        for i in 0..n {
            let server = replicas.spawn().map_err(|e| format!("replica {i}: {e}"))?;
            replicas.servers.push(Some(server));
        }
        Ok(replicas)
    }

    fn spawn(&self) -> Result<Server, String> {
        Server::start(&self.command, &self.config, None)
            .map_err(|e| format!("the server did not start: {e}"))
    }

    /// How many replicas the run has.
    pub fn len(&self) -> usize {
        self.servers.len()
    }

    /// Where replica `i` listens (`None` once it is stopped and not started again).
    pub fn addr(&self, i: usize) -> Option<Endpoint> {
        self.servers
            .get(i)
            .and_then(Option::as_ref)
            .map(|s| s.addr.clone())
    }

    /// Stops replica `i` and starts it again with the same config.
    pub fn restart(&mut self, i: usize) -> Result<(), String> {
        if let Some(mut old) = self.servers.get_mut(i).and_then(Option::take) {
            old.kill();
        }
        let server = self.spawn()?;
        if let Some(slot) = self.servers.get_mut(i) {
            *slot = Some(server);
        }
        Ok(())
    }

    /// Starts one more server with the same config, outside the set (STORE-DOWN's late
    /// replica); the caller stops it.
    pub fn extra(&self) -> Result<Server, String> {
        self.spawn()
    }

    fn stop_all(&mut self) {
        for mut server in self.servers.iter_mut().filter_map(Option::take) {
            server.kill();
        }
    }
}

impl Drop for Replicas {
    fn drop(&mut self) {
        self.stop_all();
    }
}

/// What a replica test works with.
pub struct Ctx<'a> {
    /// The replicas.
    pub replicas: &'a mut Replicas,
    /// The shared store.
    pub store: &'a mut RunStore,
    /// The config every replica runs with.
    pub config: &'a Config,
    /// How long each answer may take.
    pub timeout: std::time::Duration,
    /// Rounds of STORE-RACE.
    pub rounds: usize,
    /// Makes this run's nonces unique.
    tag: u64,
    count: Cell<u64>,
}

impl Ctx<'_> {
    /// A fresh nonce.
    pub fn nonce(&self) -> String {
        let n = self.count.get() + 1;
        self.count.set(n);
        format!("sipc-replica-{:010}-{n:07}", self.tag)
    }

    /// The fields of a valid envelope with a fresh nonce, `ts` = now + `offset`.
    pub fn fields_at(&self, offset: i64) -> Fields {
        Fields {
            kind: self
                .config
                .allowed_kinds
                .first()
                .cloned()
                .unwrap_or_default(),
            payload: b"replica".to_vec(),
            ts: crate::oneoff::unix_now()
                .unwrap_or_default()
                .saturating_add_signed(offset),
            nonce: self.nonce(),
            ..Fields::default()
        }
    }

    /// `fields` signed with the config's secret.
    pub fn sign(&self, fields: &Fields) -> Vec<u8> {
        sipc_reference::sign(&self.config.auth.secret, fields)
    }

    /// A valid envelope at now with a fresh nonce, and that nonce.
    pub fn fresh(&self) -> (String, Vec<u8>) {
        let fields = self.fields_at(0);
        (fields.nonce.clone(), self.sign(&fields))
    }

    /// Sends `envelope` in one frame to replica `i` on a new connection; its answer.
    pub fn ask(&self, i: usize, envelope: &[u8]) -> Answer {
        let Some(addr) = self.replicas.addr(i) else {
            return Answer::Error(format!("replica {i} is not running"));
        };
        ask(&addr, envelope, self.timeout)
    }
}

/// Sends `envelope` in one frame to `addr` on a new connection; its answer.
pub fn ask(addr: &Endpoint, envelope: &[u8], timeout: std::time::Duration) -> Answer {
    let mut conn = match Conn::open(addr, None) {
        Ok(c) => c,
        Err(e) => return Answer::Error(e),
    };
    let frame = sipc_reference::frame::encode(envelope).unwrap_or_default();
    if let Err(e) = conn.send(&frame) {
        return Answer::Error(e);
    }
    conn.answer(timeout)
}

/// `accept`, the error code of a refusal, or `None` for anything that is not a verdict.
pub fn outcome(answer: &Answer) -> Option<String> {
    let Answer::Verdict(Value::Object(members)) = answer else {
        return None;
    };
    let get = |name: &str| {
        members
            .iter()
            .find(|(n, _)| n == name)
            .and_then(|(_, v)| v.as_str())
    };
    match get("verdict") {
        Some("accept") => Some("accept".into()),
        Some("reject") => get("error").map(str::to_owned),
        _ => None,
    }
}

/// A failed observation whose detail is `requirement` (`Requirement: …`), what was sent,
/// expected and answered.
pub fn failure(
    judgement: Judgement,
    requirement: &str,
    sent: &str,
    expected: &str,
    provided: String,
) -> Observation {
    Observation {
        judgement,
        detail: format!("Requirement: {requirement}"),
        sent: sent.to_owned(),
        expected: expected.to_owned(),
        provided,
    }
}

/// Checks one answer: `Some` failure when it is not `want` (`accept` or a refusal code).
/// A refusal where a refusal was due, with another code, is a wrong code, not a failure.
pub fn expect(answer: &Answer, want: &str, requirement: &str, sent: &str) -> Option<Observation> {
    let got = outcome(answer);
    let judgement = match got.as_deref() {
        Some(g) if g == want => return None,
        Some(g) if g != "accept" && want != "accept" => Judgement::WrongCode,
        _ => Judgement::Fail,
    };
    Some(failure(
        judgement,
        requirement,
        sent,
        want,
        answer.to_string(),
    ))
}

/// A passing observation.
pub fn passed() -> Observation {
    Observation {
        judgement: Judgement::Pass,
        detail: String::new(),
        sent: String::new(),
        expected: String::new(),
        provided: String::new(),
    }
}

fn case_of(test: &table::StoreTest, config: &Config) -> Case {
    Case {
        file: AREA.into(),
        tc_id: test.tc_id,
        id: test.id.into(),
        req: test.req.iter().map(|r| (*r).to_owned()).collect(),
        comment: test.comment.into(),
        flags: test.flags.iter().map(|f| (*f).to_owned()).collect(),
        check: Check::Verify {
            config: config.to_value(),
            steps: Vec::new(),
            stateful: true,
        },
    }
}

/// The replica tests as report entries, without running them (`--list`, `--filter`).
pub fn listed(config: &Config) -> Vec<Case> {
    table::all().iter().map(|t| case_of(t, config)).collect()
}

/// `config` with the run's store as its `replay_store`.
pub fn with_store(config: &Config, url: &str) -> Config {
    Config {
        replay_store: Some(ReplayStore {
            kind: "redis".into(),
            url: url.into(),
        }),
        ..config.clone()
    }
}

/// The whole run: the store, the TCP suite on its config, then the replica tests on
/// `replicas` servers. `Err` (exit 2) when the store or the replicas do not start.
pub fn run(
    options: &Options,
    config: &Config,
    replicas: usize,
    redis: Option<&str>,
    mut progress: impl FnMut(&CaseResult),
) -> Result<RunReport, Error> {
    if !REPLICAS.contains(&replicas) {
        return Err(Error::Usage(format!(
            "--replicas {replicas}: between {} and {}",
            REPLICAS.start(),
            REPLICAS.end()
        )));
    }
    let dir = ConfigDir::new()?;
    let mut store = RunStore::open(redis, &dir.0).map_err(Error::Usage)?;
    let config = with_store(config, store.url());
    let mut report = crate::tcp::run(
        options,
        &config,
        crate::tcp::Socket::Tcp,
        false,
        &mut progress,
    )?;
    let selected: Vec<table::StoreTest> = table::all()
        .into_iter()
        .filter(|t| options.filter.matches(&case_of(t, &config)))
        .collect();
    if !selected.is_empty() {
        let path = dir.write("replicas.json", &config.to_json())?;
        let mut set =
            Replicas::start(&options.command, path, replicas).map_err(Error::Implementation)?;
        let mut ctx = Ctx {
            replicas: &mut set,
            store: &mut store,
            config: &config,
            timeout: options.timeout,
            rounds: RACE_ROUNDS,
            tag: crate::oneoff::unix_now().unwrap_or_default(),
            count: Cell::new(0),
        };
        for test in &selected {
            let observation = (test.run)(&mut ctx);
            let result = CaseResult::judged(case_of(test, &config), observation, options);
            progress(&result);
            report.results.push(result);
        }
    }
    report.results.sort_by_key(|r| r.case.tc_id);
    report.protocol = PROFILE;
    report.version = format!("({replicas} replicas, store {})", store.url());
    Ok(report)
}
