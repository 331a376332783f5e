//! `replay.json`: stateful sequences through one verifier (§9, REQ-TTL-3).

use crate::suite::{meta, step, Area, Expect, Expect::Accept};
use crate::wire;
use crate::{Ctx, NOW};

const REPLAY: Expect = Expect::Reject("replay");
const FULL: Expect = Expect::Reject("replay_cache_full");
const BAD: Expect = Expect::Reject("bad_signature");
const EXPIRED: Expect = Expect::Reject("expired");

pub fn area(ctx: &Ctx) -> Area {
    let mut a = Area::new("replay");
    a.sequence_group(&ctx.config);
    let secret = ctx.secret();
    let ttl = ctx.ttl();
    let rep = ["REQ-REPLAY-1", "REQ-REPLAY-2"];

    // SEC-IPC-04: the same nonce twice is refused.
    let env = ctx.env();
    let w = ctx.wire(&env);
    a.sequence(
        meta(
            "SEC-IPC-04",
            &rep,
            &["Replay"],
            "the same envelope twice, a second apart",
        ),
        vec![
            step(NOW, w.clone(), Accept),
            step(NOW + 1, w.clone(), REPLAY),
        ],
    );
    let env = ctx.env();
    let w = ctx.wire(&env);
    a.sequence(
        meta(
            "SEC-IPC-04",
            &rep,
            &["Replay"],
            "the same envelope three times at the same second",
        ),
        vec![
            step(NOW, w.clone(), Accept),
            step(NOW, w.clone(), REPLAY),
            step(NOW, w, REPLAY),
        ],
    );
    let env = ctx.env();
    a.sequence(
        meta(
            "SEC-IPC-04",
            &rep,
            &["Replay", "NonCanonicalWire"],
            "the same envelope again in another wire form",
        ),
        vec![
            step(NOW, ctx.wire(&env), Accept),
            step(NOW + 1, wire::reversed(&env.signed(secret)), REPLAY),
        ],
    );
    let env = ctx.env();
    let again = env
        .clone()
        .with_str("payload", "QQ")
        .with("ts", &(NOW + 1).to_string());
    a.sequence(
        meta(
            "SEC-IPC-04",
            &rep,
            &["Replay"],
            "a genuine envelope with a used nonce but other payload and ts",
        ),
        vec![
            step(NOW, ctx.wire(&env), Accept),
            step(NOW + 1, ctx.wire(&again), REPLAY),
        ],
    );
    if let Some(kind) = ctx.config.allowed_kinds.get(1) {
        let env = ctx.env();
        let again = env.clone().with_str("kind", kind);
        a.sequence(
            meta(
                "SEC-IPC-04",
                &rep,
                &["Replay"],
                "a used nonce with another allowed kind",
            ),
            vec![
                step(NOW, ctx.wire(&env), Accept),
                step(NOW, ctx.wire(&again), REPLAY),
            ],
        );
    }
    let env = ctx.env();
    a.sequence(
        meta(
            "SEC-IPC-04",
            &rep,
            &["Replay", "WindowEnd"],
            "a replay at ts + ttl, the last second of the window",
        ),
        vec![
            step(NOW, ctx.wire(&env), Accept),
            step(NOW + ttl, ctx.wire(&env), REPLAY),
        ],
    );
    let env = ctx.env();
    a.sequence(
        meta(
            "SEC-IPC-04",
            &rep,
            &["Replay", "WindowEnd"],
            "a replay at ts + ttl + 1 is expired",
        ),
        vec![
            step(NOW, ctx.wire(&env), Accept),
            step(NOW + ttl + 1, ctx.wire(&env), EXPIRED),
        ],
    );
    let (e1, e2) = (ctx.env(), ctx.env());
    a.sequence(
        meta("SEC-IPC-04", &rep, &["Replay"], "two nonces, each replayed"),
        vec![
            step(NOW, ctx.wire(&e1), Accept),
            step(NOW, ctx.wire(&e2), Accept),
            step(NOW + 1, ctx.wire(&e2), REPLAY),
            step(NOW + 2, ctx.wire(&e1), REPLAY),
        ],
    );

    let lower = ctx.env().with_str("nonce", "case-sensitive-nonce-a");
    let upper = ctx.env().with_str("nonce", "CASE-SENSITIVE-NONCE-A");
    a.sequence(
        meta(
            "SEC-IPC-04",
            &rep,
            &["Replay"],
            "nonces that differ only in case are different nonces",
        ),
        vec![
            step(NOW, ctx.wire(&lower), Accept),
            step(NOW, ctx.wire(&upper), Accept),
            step(NOW + 1, ctx.wire(&upper), REPLAY),
        ],
    );

    // The window follows ts and ends (REQ-REPLAY-1).
    let win = ["REQ-REPLAY-1", "REQ-TTL-1"];
    let env = ctx.env();
    let nonce = env.get("nonce");
    let later = ctx.env_at(NOW + ttl + 1).set("nonce", nonce);
    a.sequence(
        meta(
            "REPLAY-WINDOW",
            &win,
            &["WindowEnd"],
            "a nonce is forgotten once now > ts + ttl: a new envelope may reuse it",
        ),
        vec![
            step(NOW, ctx.wire(&env), Accept),
            step(NOW + ttl + 1, ctx.wire(&later), Accept),
        ],
    );
    let early = ctx.env_at(NOW - ttl);
    let nonce = early.get("nonce");
    let reuse = ctx.env_at(NOW + 1).set("nonce", nonce);
    a.sequence(
        meta(
            "REPLAY-WINDOW",
            &win,
            &["WindowEnd"],
            "the window follows ts, not the time of acceptance",
        ),
        vec![
            step(NOW, ctx.wire(&early), Accept),
            step(NOW + 1, ctx.wire(&reuse), Accept),
        ],
    );
    let env = ctx.env();
    let nonce = env.get("nonce");
    let reuse = ctx.env_at(NOW + ttl).set("nonce", nonce);
    a.sequence(
        meta(
            "REPLAY-WINDOW",
            &win,
            &["WindowEnd", "Replay"],
            "a nonce reused at ts + ttl is still remembered",
        ),
        vec![
            step(NOW, ctx.wire(&env), Accept),
            step(NOW + ttl, ctx.wire(&reuse), REPLAY),
        ],
    );

    // REQ-TTL-3: the clock never goes back.
    let env = ctx.env();
    let tick = ctx.env_at(NOW + ttl + 1);
    a.sequence(
        meta(
            "REPLAY-CLOCK",
            &["REQ-TTL-3", "REQ-REPLAY-1"],
            &["WindowEnd"],
            "after the clock reached ts + ttl + 1, a replay sent with an older now is expired",
        ),
        vec![
            step(NOW, ctx.wire(&env), Accept),
            step(NOW + ttl + 1, ctx.wire(&tick), Accept),
            step(NOW, ctx.wire(&env), EXPIRED),
        ],
    );
    let env = ctx.env();
    let tick = ctx.env_at(NOW + ttl + 1);
    a.sequence(
        meta(
            "REPLAY-CLOCK",
            &["REQ-TTL-3"],
            &["WindowEnd", "Expired"],
            "a fresh envelope after the clock moved on is judged by the later clock",
        ),
        vec![
            step(NOW + ttl + 1, ctx.wire(&tick), Accept),
            step(NOW, ctx.wire(&env), EXPIRED),
        ],
    );

    // REQ-TTL-3: every verification moves the clock, whatever its verdict.
    let late = NOW + ttl + 1;
    let limit = ctx.config.envelope_limit();
    let mut refused: Vec<(Vec<u8>, Expect, &str)> = vec![
        (
            b"not json".to_vec(),
            Expect::Reject("malformed"),
            "a malformed text at ts + ttl + 1 moves the clock: a fresh envelope at the older now is expired",
        ),
        (
            ctx.env_at(late)
                .wire_sig(&format!("\"{}\"", "0".repeat(64))),
            BAD,
            "a forgery at ts + ttl + 1 moves the clock: a fresh envelope at the older now is expired",
        ),
    ];
    if limit < 1 << 20 {
        refused.push((
            vec![b'x'; usize::try_from(limit + 1).unwrap_or(0)],
            Expect::Reject("oversize"),
            "an oversize text at ts + ttl + 1 moves the clock: a fresh envelope at the older now is expired",
        ));
    }
    for (first, code, comment) in refused {
        let env = ctx.env();
        a.sequence(
            meta(
                "REPLAY-CLOCK",
                &["REQ-TTL-3", "REQ-TTL-1"],
                &["WindowEnd", "Expired"],
                comment,
            ),
            vec![step(late, first, code), step(NOW, ctx.wire(&env), EXPIRED)],
        );
    }

    // REQ-REPLAY-3, REQ-REPLAY-5: refused envelopes do not touch the cache.
    let forged = ["REQ-REPLAY-3", "REQ-REPLAY-5"];
    let env = ctx.env();
    let forgery = env
        .clone()
        .with_str("payload", "QQ")
        .wire_sig(&format!("\"{}\"", "0".repeat(64)));
    a.sequence(
        meta(
            "REPLAY-FORGED",
            &forged,
            &["ForgedNonce"],
            "a forgery carrying the nonce first, then the genuine envelope",
        ),
        vec![
            step(NOW, forgery.clone(), BAD),
            step(NOW, forgery, BAD),
            step(NOW + 1, ctx.wire(&env), Accept),
        ],
    );
    let env = ctx.env();
    let stale = env.clone().with("ts", &(NOW - ttl - 1).to_string());
    a.sequence(
        meta(
            "REPLAY-FORGED",
            &forged,
            &["ForgedNonce"],
            "an expired envelope carrying the nonce, then a fresh one",
        ),
        vec![
            step(NOW, ctx.wire(&stale), EXPIRED),
            step(NOW, ctx.wire(&env), Accept),
        ],
    );
    let env = ctx.env();
    let wrong_kind = env.clone().with_str("kind", ctx.disallowed_kind());
    a.sequence(
        meta(
            "REPLAY-FORGED",
            &forged,
            &["ForgedNonce"],
            "a signed envelope of a kind not allowed, then the genuine one",
        ),
        vec![
            step(
                NOW,
                ctx.wire(&wrong_kind),
                Expect::Reject("kind_not_allowed"),
            ),
            step(NOW, ctx.wire(&env), Accept),
        ],
    );
    let env = ctx.env();
    let malformed = env.clone().with("trace_id", "1");
    a.sequence(
        meta(
            "REPLAY-FORGED",
            &forged,
            &["ForgedNonce"],
            "a malformed envelope carrying the nonce, then the genuine one",
        ),
        vec![
            step(NOW, ctx.wire(&malformed), Expect::Reject("malformed")),
            step(NOW, ctx.wire(&env), Accept),
        ],
    );
    let env = ctx.env();
    let forgery = env
        .clone()
        .with_str("payload", "QQ")
        .wire_sig(&format!("\"{}\"", "0".repeat(64)));
    a.sequence(
        meta(
            "REPLAY-FORGED",
            &forged,
            &["ForgedNonce", "VerifyOrder"],
            "a forgery with a remembered nonce is bad_signature, not replay",
        ),
        vec![
            step(NOW, ctx.wire(&env), Accept),
            step(NOW, forgery, BAD),
            step(NOW, ctx.wire(&env), REPLAY),
        ],
    );

    // REQ-REPLAY-4: fail closed when full.
    let small = ctx.config_with(|c| c.auth.nonce_cache_size = 2);
    a.sequence_group(&small);
    let full = ["REQ-REPLAY-4", "REQ-REPLAY-5"];
    let (e1, e2, e3) = (ctx.env(), ctx.env(), ctx.env());
    a.sequence(
        meta(
            "REPLAY-FULL",
            &full,
            &["CacheFull"],
            "a third live nonce with room for two is refused",
        ),
        vec![
            step(NOW, ctx.wire(&e1), Accept),
            step(NOW, ctx.wire(&e2), Accept),
            step(NOW, ctx.wire(&e3), FULL),
        ],
    );
    let (e1, e2, e3) = (ctx.env(), ctx.env(), ctx.env());
    a.sequence(
        meta(
            "REPLAY-FULL",
            &full,
            &["CacheFull", "Replay"],
            "when full, live nonces are not evicted: both still replay",
        ),
        vec![
            step(NOW, ctx.wire(&e1), Accept),
            step(NOW, ctx.wire(&e2), Accept),
            step(NOW, ctx.wire(&e3), FULL),
            step(NOW + 1, ctx.wire(&e1), REPLAY),
            step(NOW + 1, ctx.wire(&e2), REPLAY),
            step(NOW + 1, ctx.wire(&e3), FULL),
        ],
    );
    let (e1, e2) = (ctx.env(), ctx.env());
    let e3 = ctx.env_at(NOW + ttl + 1);
    let e4 = ctx.env_at(NOW + ttl + 1);
    a.sequence(
        meta(
            "REPLAY-FULL",
            &full,
            &["CacheFull", "WindowEnd"],
            "forgotten nonces free their places",
        ),
        vec![
            step(NOW, ctx.wire(&e1), Accept),
            step(NOW, ctx.wire(&e2), Accept),
            step(NOW + ttl + 1, ctx.wire(&e3), Accept),
            step(NOW + ttl + 1, ctx.wire(&e4), Accept),
        ],
    );
    let (e1, e2) = (ctx.env_at(NOW - 1), ctx.env());
    let e3 = ctx.env_at(NOW + ttl);
    a.sequence(
        meta(
            "REPLAY-FULL",
            &full,
            &["CacheFull", "WindowEnd"],
            "the earliest window ends first and frees exactly one place",
        ),
        vec![
            step(NOW, ctx.wire(&e1), Accept),
            step(NOW, ctx.wire(&e2), Accept),
            step(NOW + ttl, ctx.wire(&e3), Accept),
            step(NOW + ttl, ctx.wire(&ctx.env_at(NOW + ttl)), FULL),
        ],
    );
    let (e1, e2) = (ctx.env(), ctx.env());
    let forgery = ctx.env().wire_sig(&format!("\"{}\"", "0".repeat(64)));
    a.sequence(
        meta(
            "REPLAY-FULL",
            &full,
            &["CacheFull", "ForgedNonce"],
            "when full, a forgery is still bad_signature",
        ),
        vec![
            step(NOW, ctx.wire(&e1), Accept),
            step(NOW, ctx.wire(&e2), Accept),
            step(NOW, forgery, BAD),
        ],
    );
    a
}
