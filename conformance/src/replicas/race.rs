//! STORE-RACE (REQ-STORE-1): the same envelope to every replica at the same instant, for
//! [`super::RACE_ROUNDS`] rounds; each round must accept it exactly once.
//!
//! How the rounds are made to overlap: each replica has one connection and one thread. In a
//! round every thread first sends all of the frame but its last byte, then all wait at a
//! barrier, then each sends its last byte: every replica receives the whole frame within
//! microseconds of the others. Every [`HOLD_EVERY`]th round the store's writes are paused for
//! [`HOLD`] first (`CLIENT PAUSE … WRITE`): reads go on, writes wait. A server that checks with
//! a read and records with a write then sees every replica's read answer "absent" before any
//! write lands, so it accepts the envelope more than once in every held round, whatever the
//! scheduling; an atomic `SET NX` waits, and then exactly one replica wins.

use super::{failure, outcome, passed, Ctx};
use crate::run::check::{Judgement, Observation};
use crate::tcp::client::Conn;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Barrier, Mutex};
use std::time::Duration;

/// Every this many rounds, the store's writes are held.
pub const HOLD_EVERY: usize = 25;
/// How long they are held, in milliseconds.
pub const HOLD: Duration = Duration::from_millis(40);

/// Whether the store's writes are held in `round`.
fn is_held(round: usize) -> bool {
    round % HOLD_EVERY == HOLD_EVERY - 1
}

/// What one replica answered in each round (`accept`, a code, or what went wrong).
type Answers = Vec<String>;

pub fn race(ctx: &mut Ctx) -> Observation {
    let n = ctx.replicas.len();
    let mut conns = Vec::new();
    for i in 0..n {
        let opened = ctx
            .replicas
            .addr(i)
            .ok_or_else(|| format!("replica {i} is not running"))
            .and_then(|addr| Conn::open(&addr, None));
        match opened {
            Ok(conn) => conns.push(conn),
            Err(e) => {
                return failure(
                    Judgement::Fail,
                    "a connection to every replica",
                    "connect",
                    "a connection",
                    e,
                )
            }
        }
    }
    let mut admin = ctx.store.admin().ok();
    let frame: Mutex<Vec<u8>> = Mutex::new(Vec::new());
    let stop = AtomicBool::new(false);
    let (ready, go) = (Barrier::new(n + 1), Barrier::new(n + 1));
    let timeout = ctx.timeout;
    let rounds = ctx.rounds;
    let mut held = 0;
    let answers: Vec<Answers> = std::thread::scope(|scope| {
        let workers: Vec<_> = conns
            .into_iter()
            .map(|mut conn| {
                let (frame, stop, ready, go) = (&frame, &stop, &ready, &go);
                scope.spawn(move || {
                    let mut answers = Answers::new();
                    loop {
                        ready.wait();
                        if stop.load(Ordering::SeqCst) {
                            return answers;
                        }
                        let bytes = frame.lock().map(|f| f.clone()).unwrap_or_default();
                        let (head, last) = bytes.split_at(bytes.len().saturating_sub(1));
                        let sent = conn.send(head);
                        go.wait();
                        let answer = sent
                            .and_then(|()| conn.send(last))
                            .map(|()| conn.answer(timeout));
                        let seen = match answer {
                            Ok(a) => outcome(&a).ok_or_else(|| a.to_string()),
                            Err(e) => Err(e),
                        };
                        answers.push(seen.clone().unwrap_or_else(|e| format!("({e})")));
                        if seen.is_err() {
                            stop.store(true, Ordering::SeqCst);
                        }
                    }
                })
            })
            .collect();
        for round in 0..=rounds {
            if round == rounds {
                stop.store(true, Ordering::SeqCst);
            } else {
                let (_, envelope) = ctx.fresh();
                if let Ok(mut f) = frame.lock() {
                    *f = sipc_reference::frame::encode(&envelope).unwrap_or_default();
                }
            }
            // Every worker has its answer to the round before: the store is idle.
            ready.wait();
            if stop.load(Ordering::SeqCst) {
                break;
            }
            if is_held(round) {
                let paused = admin.as_mut().is_some_and(|a| {
                    redis::cmd("CLIENT")
                        .arg("PAUSE")
                        .arg(HOLD.as_millis() as u64)
                        .arg("WRITE")
                        .query::<()>(a)
                        .is_ok()
                });
                held += usize::from(paused);
            }
            go.wait();
        }
        workers
            .into_iter()
            .map(|w| w.join().unwrap_or_default())
            .collect()
    });
    judge(&answers, rounds, held)
}

/// Exactly one `accept` per round, `replay` for the others.
fn judge(answers: &[Answers], rounds: usize, held: usize) -> Observation {
    let played = answers.iter().map(Vec::len).min().unwrap_or(0);
    let mut twice = 0;
    let mut twice_held = 0;
    let mut first_bad: Option<(usize, Vec<&str>)> = None;
    let mut wrong_code = None;
    for round in 0..played {
        let row: Vec<&str> = answers
            .iter()
            .map(|a| a.get(round).map_or("", String::as_str))
            .collect();
        let accepted = row.iter().filter(|a| **a == "accept").count();
        if accepted != 1 {
            twice += usize::from(accepted > 1);
            twice_held += usize::from(accepted > 1 && is_held(round));
            first_bad.get_or_insert((round, row.clone()));
        } else if let Some(code) = row.iter().find(|a| **a != "accept" && **a != "replay") {
            wrong_code.get_or_insert(((*code).to_owned(), round));
        }
    }
    let shown = |row: &[&str]| {
        row.iter()
            .enumerate()
            .map(|(i, a)| format!("replica {i}: {a}"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let sent = format!(
        "one fresh envelope to all {} replicas at once, each round; {rounds} rounds, the store's writes held {} ms in {held} of them",
        answers.len(),
        HOLD.as_millis()
    );
    if let Some((round, row)) = first_bad {
        return failure(
            Judgement::Fail,
            &format!(
                "REQ-STORE-1: the check and the record are one atomic command, so an envelope delivered to every replica at once is accepted exactly once; round {round}{} was not, and {twice} of {played} rounds accepted it more than once ({twice_held} of the {held} held rounds)",
                if is_held(round) { " (a held round)" } else { "" }
            ),
            &sent,
            "one accept, replay from every other replica",
            shown(&row),
        );
    }
    if played < rounds {
        return failure(
            Judgement::Fail,
            &format!("every replica answers every round; the rounds stopped after {played}"),
            &sent,
            "an answer from every replica",
            answers
                .iter()
                .enumerate()
                .map(|(i, a)| {
                    format!(
                        "replica {i}: {}",
                        a.last().map_or("nothing", String::as_str)
                    )
                })
                .collect::<Vec<_>>()
                .join(", "),
        );
    }
    if let Some((code, round)) = wrong_code {
        return failure(
            Judgement::WrongCode,
            &format!("REQ-STORE-1: the replicas that lose the race answer replay (round {round})"),
            &sent,
            "replay",
            code,
        );
    }
    passed()
}
