//! The replica tests that go one envelope at a time (SIPC/1 §16): across replicas, the keys in
//! the store, a replica restarted. STORE-RACE is in [`super::race`], the store's failures in
//! [`super::failure`].

use super::{expect, failure, passed, Ctx};
use crate::run::check::{Judgement, Observation};
use sipc_reference::store::{store_expiry, store_key};

/// STORE-CROSS (REQ-STORE-1, REQ-TCP-5): for each replica, a fresh envelope accepted there is
/// a replay on every replica, itself included.
pub fn cross(ctx: &mut Ctx) -> Observation {
    let n = ctx.replicas.len();
    for first in 0..n {
        let (_, envelope) = ctx.fresh();
        let sent = format!("a fresh envelope to replica {first}");
        if let Some(f) = expect(
            &ctx.ask(first, &envelope),
            "accept",
            "REQ-STORE-1: a fresh valid envelope is accepted by the replica it reaches",
            &sent,
        ) {
            return f;
        }
        for other in (0..n).map(|k| (first + 1 + k) % n) {
            let sent = format!("the envelope replica {first} accepted, to replica {other}");
            if let Some(f) = expect(
                &ctx.ask(other, &envelope),
                "replay",
                "REQ-STORE-1: every replica shares one replay store, so an envelope accepted by one is a replay on all",
                &sent,
            ) {
                return f;
            }
        }
    }
    passed()
}

/// One admin command's reply, or a failed observation saying which command failed.
fn admin<T: redis::FromRedisValue>(
    connection: &mut redis::Connection,
    command: &mut redis::Cmd,
    what: &str,
) -> Result<T, Observation> {
    command.query(connection).map_err(|e| {
        failure(
            Judgement::Fail,
            &format!("the runner could not read the store ({what}): {e}"),
            what,
            "an answer",
            String::new(),
        )
    })
}

/// STORE-KEY (REQ-STORE-2 … REQ-STORE-4): envelopes refused before the replay step leave no
/// key; an accepted one leaves exactly its keyed digest, expiring at `ts + ttl + 1`, and
/// nothing that names its nonce.
pub fn key(ctx: &mut Ctx) -> Observation {
    match key_checks(ctx) {
        Ok(()) => passed(),
        Err(observation) => observation,
    }
}

fn key_checks(ctx: &mut Ctx) -> Result<(), Observation> {
    let mut store = ctx
        .store
        .admin()
        .map_err(|e| failure(Judgement::Fail, &e, "PING", "PONG", String::new()))?;
    let secret = ctx.config.auth.secret.clone();
    let ttl = i64::try_from(ctx.config.auth.ttl_seconds).unwrap_or(i64::MAX);
    // Refused at steps 6, 8 and 9: a kind not allowed, expired, forged.
    let mut refused = Vec::new();
    let mut disallowed = ctx.fields_at(0);
    disallowed.kind = "sipc.replica.not-allowed".into();
    refused.push((
        ctx.sign(&disallowed),
        disallowed.nonce,
        "kind_not_allowed",
        "a kind not allowed",
    ));
    let expired = ctx.fields_at(-ttl - 5);
    refused.push((
        ctx.sign(&expired),
        expired.nonce,
        "expired",
        "an expired envelope",
    ));
    let forged = ctx.fields_at(0);
    let mut wire = ctx.sign(&forged);
    if let Some(at) = wire
        .windows(7)
        .position(|w| w == b"\"sig\":\"")
        .map(|p| p + 7)
    {
        if let Some(byte) = wire.get_mut(at) {
            *byte = if *byte == b'0' { b'1' } else { b'0' };
        }
    }
    refused.push((
        wire,
        forged.nonce,
        "bad_signature",
        "a forged envelope (its sig changed)",
    ));
    for i in 0..ctx.replicas.len() {
        for (envelope, _, code, what) in &refused {
            let sent = format!("{what} to replica {i}");
            if let Some(f) = expect(
                &ctx.ask(i, envelope),
                code,
                "REQ-STORE-4: an envelope refused before the replay step is refused as without a store",
                &sent,
            ) {
                return Err(f);
            }
        }
    }
    for (_, nonce, _, what) in &refused {
        let digest = store_key(&secret, nonce);
        let pattern = format!("*{nonce}*");
        let keyed: bool = admin(&mut store, redis::cmd("EXISTS").arg(&digest), "EXISTS")?;
        let named: Vec<String> = admin(&mut store, redis::cmd("KEYS").arg(&pattern), "KEYS")?;
        if keyed || !named.is_empty() {
            return Err(failure(
                Judgement::Fail,
                "REQ-STORE-4: only authenticated envelopes reach the store; a refused one sends no command and leaves no key",
                &format!("{what} to every replica"),
                "no key for its nonce",
                format!("keys {}", if keyed { digest } else { named.join(", ") }),
            ));
        }
    }
    let fields = ctx.fields_at(0);
    let envelope = ctx.sign(&fields);
    if let Some(f) = expect(
        &ctx.ask(0, &envelope),
        "accept",
        "REQ-STORE-1: a fresh valid envelope is accepted",
        "a fresh envelope to replica 0",
    ) {
        return Err(f);
    }
    let digest = store_key(&secret, &fields.nonce);
    let sent = format!("an envelope with nonce {} to replica 0", fields.nonce);
    let named: Vec<String> = admin(
        &mut store,
        redis::cmd("KEYS").arg(format!("*{}*", fields.nonce)),
        "KEYS",
    )?;
    if !named.is_empty() {
        return Err(failure(
            Judgement::Fail,
            "REQ-STORE-2: the key is a keyed digest of the nonce, never the nonce itself",
            &sent,
            &digest,
            format!("keys naming the nonce: {}", named.join(", ")),
        ));
    }
    let exists: bool = admin(&mut store, redis::cmd("EXISTS").arg(&digest), "EXISTS")?;
    if !exists {
        return Err(failure(
            Judgement::Fail,
            "REQ-STORE-2: the key is sipc1:replay: + hex HMAC-SHA256(secret, \"SIPC-1 replay\\n\" + nonce), the same in every implementation",
            &sent,
            &digest,
            "no such key in the store".into(),
        ));
    }
    let expires: i64 = admin(
        &mut store,
        redis::cmd("EXPIRETIME").arg(&digest),
        "EXPIRETIME",
    )?;
    let due = store_expiry(fields.ts, ctx.config.auth.ttl_seconds);
    if u64::try_from(expires).ok() != Some(due) {
        let provided = match expires {
            -1 => "a key without expiry".to_owned(),
            t => format!("EXPIRETIME {t}"),
        };
        return Err(failure(
            Judgement::Fail,
            "REQ-STORE-3: the key expires at ts + ttl_seconds + 1 (SET … NX EXAT), never later and never without expiry",
            &sent,
            &format!("EXPIRETIME {due}"),
            provided,
        ));
    }
    Ok(())
}

/// STORE-RESTART (REQ-STORE-1, REQ-STORE-6): the last replica accepts an envelope, is stopped
/// and started again: it refuses the envelope as a replay, and so does replica 0; a fresh one
/// it accepts.
pub fn restart(ctx: &mut Ctx) -> Observation {
    let last = ctx.replicas.len().saturating_sub(1);
    let (_, envelope) = ctx.fresh();
    if let Some(f) = expect(
        &ctx.ask(last, &envelope),
        "accept",
        "REQ-STORE-1: a fresh valid envelope is accepted",
        &format!("a fresh envelope to replica {last}"),
    ) {
        return f;
    }
    if let Err(e) = ctx.replicas.restart(last) {
        return failure(
            Judgement::Fail,
            "REQ-STORE-7: a replica starts with the same config as before",
            &format!("replica {last} stopped and started again"),
            "LISTENING",
            e,
        );
    }
    let checks = [
        (
            last,
            envelope.clone(),
            "replay",
            "the accepted envelope again, to the restarted replica",
        ),
        (
            0,
            envelope,
            "replay",
            "the accepted envelope again, to replica 0",
        ),
        (
            last,
            ctx.fresh().1,
            "accept",
            "a fresh envelope to the restarted replica",
        ),
    ];
    for (i, envelope, want, what) in checks {
        if let Some(f) = expect(
            &ctx.ask(i, &envelope),
            want,
            "REQ-STORE-1: the replay state is the store's, not a replica's memory: a restart forgets nothing",
            what,
        ) {
            return f;
        }
    }
    passed()
}
