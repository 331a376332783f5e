//! The store's failures (SIPC/1 §16, REQ-STORE-5 … REQ-STORE-7): the store stopped and
//! started again (STORE-DOWN), the store full and answering errors (STORE-FULL). Both change a
//! store the runner started only; with `--redis` they are skips.

use super::{expect, failure, passed, Ctx};
use crate::run::check::{Judgement, Observation};

/// The skip of a test that would change a store the runner did not start.
fn not_ours() -> Observation {
    Observation {
        judgement: Judgement::NotRun,
        detail: "not run: the store was given with --redis, and the runner stops or fills only a store it started".into(),
        ..passed()
    }
}

/// STORE-DOWN (REQ-STORE-5, REQ-STORE-7): the store stopped, every replica refuses a valid
/// envelope with `replay_store_unavailable`, and the same envelope again; a replica started
/// meanwhile (if it starts: it MAY) refuses too. The store started again, every replica
/// accepts its envelope, which is then a replay on the next replica.
pub fn down(ctx: &mut Ctx) -> Observation {
    if !ctx.store.is_owned() {
        return not_ours();
    }
    ctx.store.stop();
    let outcome = while_down(ctx);
    if let Err(e) = ctx.store.start() {
        return failure(
            Judgement::Fail,
            "the runner could not start the store again",
            "redis-server",
            "PONG",
            e,
        );
    }
    if let Some(f) = outcome {
        return f;
    }
    let n = ctx.replicas.len();
    for i in 0..n {
        let (_, envelope) = ctx.fresh();
        let requirement = "REQ-STORE-5: once the store answers again, valid envelopes are accepted again (and recorded)";
        if let Some(f) = expect(
            &ctx.ask(i, &envelope),
            "accept",
            requirement,
            &format!("a fresh envelope to replica {i}, the store back"),
        ) {
            return f;
        }
        let next = (i + 1) % n;
        if let Some(f) = expect(
            &ctx.ask(next, &envelope),
            "replay",
            requirement,
            &format!("the envelope replica {i} accepted, to replica {next}"),
        ) {
            return f;
        }
    }
    passed()
}

/// The part of STORE-DOWN while the store is stopped: the first failure, if any.
fn while_down(ctx: &mut Ctx) -> Option<Observation> {
    let code = "replay_store_unavailable";
    let requirement = "REQ-STORE-5: while the store cannot be reached the verifier refuses with replay_store_unavailable; it never falls back to a cache of its own";
    for i in 0..ctx.replicas.len() {
        let (_, envelope) = ctx.fresh();
        for what in ["a fresh envelope", "the same envelope again"] {
            let sent = format!("{what} to replica {i}, the store stopped");
            if let Some(f) = expect(&ctx.ask(i, &envelope), code, requirement, &sent) {
                return Some(f);
            }
        }
    }
    // REQ-STORE-7: a replica that starts without its store MAY start; if it does, it refuses.
    if let Ok(mut late) = ctx.replicas.extra() {
        let (_, envelope) = ctx.fresh();
        let answer = super::ask(&late.addr, &envelope, ctx.timeout);
        late.kill();
        return expect(
            &answer,
            code,
            "REQ-STORE-7: a replica started while its store is down treats the store's absence as unavailable, never as an empty cache",
            "a fresh envelope to a replica started while the store was stopped",
        );
    }
    None
}

/// STORE-FULL (REQ-STORE-5, REQ-STORE-6): the store's memory limit set below what it holds,
/// under `noeviction`, so that every `SET` answers an `OOM` error: every replica refuses a valid
/// envelope with `replay_store_unavailable`. The limit lifted, each replica accepts it.
pub fn full(ctx: &mut Ctx) -> Observation {
    if !ctx.store.is_owned() {
        return not_ours();
    }
    let limit = |ctx: &Ctx, bytes: &str| -> Result<(), Observation> {
        let mut admin = ctx
            .store
            .admin()
            .map_err(|e| failure(Judgement::Fail, &e, "PING", "PONG", String::new()))?;
        redis::cmd("CONFIG")
            .arg("SET")
            .arg("maxmemory")
            .arg(bytes)
            .query::<()>(&mut admin)
            .map_err(|e| {
                failure(
                    Judgement::Fail,
                    &format!("the runner could not set the store's maxmemory: {e}"),
                    "CONFIG SET maxmemory",
                    "OK",
                    String::new(),
                )
            })
    };
    if let Err(f) = limit(ctx, "1") {
        return f;
    }
    let envelopes: Vec<Vec<u8>> = (0..ctx.replicas.len()).map(|_| ctx.fresh().1).collect();
    let mut outcome = None;
    for (i, envelope) in envelopes.iter().enumerate() {
        outcome = expect(
            &ctx.ask(i, envelope),
            "replay_store_unavailable",
            "REQ-STORE-5, REQ-STORE-6: a store that answers an error (here OOM: full, with noeviction) makes the verifier refuse with replay_store_unavailable, never accept",
            &format!("a fresh envelope to replica {i}, every write to the store refused"),
        );
        if outcome.is_some() {
            break;
        }
    }
    if let Err(f) = limit(ctx, "0") {
        return f;
    }
    if let Some(f) = outcome {
        return f;
    }
    for (i, envelope) in envelopes.iter().enumerate() {
        if let Some(f) = expect(
            &ctx.ask(i, envelope),
            "accept",
            "REQ-STORE-5: once the store accepts writes again, the envelope it refused is accepted",
            &format!("the same envelope to replica {i}, the store's limit lifted"),
        ) {
            return f;
        }
    }
    passed()
}
