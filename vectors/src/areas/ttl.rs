//! `ttl.json`: the freshness window (REQ-TTL-1, REQ-TTL-2) at its exact boundaries, moving
//! either the timestamp or the verifier's clock.

use crate::suite::{meta, Area, Expect, Expect::Accept};
use crate::{Ctx, NOW};
use sipc_reference::envelope::MAX_TS;

const EXPIRED: Expect = Expect::Reject("expired");
const FUTURE: Expect = Expect::Reject("from_future");

pub fn area(ctx: &Ctx) -> Area {
    let mut a = Area::new("ttl");
    a.verify_group(&ctx.config);
    let ttl = ctx.ttl();
    let old = ["REQ-TTL-1"];
    let new = ["REQ-TTL-2"];
    let cases: Vec<(&[&str], u64, u64, Expect, &[&str], String)> = vec![
        (
            &old,
            NOW - ttl,
            NOW,
            Accept,
            &["Valid", "Expired"],
            format!("ts = now - ttl ({ttl} s): the last accepted second"),
        ),
        (
            &old,
            NOW - ttl - 1,
            NOW,
            EXPIRED,
            &["Expired"],
            "ts = now - ttl - 1: one second too old".into(),
        ),
        (
            &old,
            NOW - ttl - 2,
            NOW,
            EXPIRED,
            &["Expired"],
            "ts = now - ttl - 2".into(),
        ),
        (
            &old,
            NOW - 2 * ttl - 1,
            NOW,
            EXPIRED,
            &["Expired"],
            "ts = now - 2 ttl - 1".into(),
        ),
        (
            &old,
            NOW - 86_400 * 365,
            NOW,
            EXPIRED,
            &["Expired"],
            "a year old".into(),
        ),
        (&old, 0, NOW, EXPIRED, &["Expired"], "ts = 0".into()),
        (&old, 1, NOW, EXPIRED, &["Expired"], "ts = 1".into()),
        (
            &old,
            NOW,
            NOW + ttl,
            Accept,
            &["Valid", "Expired"],
            "the clock at ts + ttl".into(),
        ),
        (
            &old,
            NOW,
            NOW + ttl + 1,
            EXPIRED,
            &["Expired"],
            "the clock at ts + ttl + 1".into(),
        ),
        (
            &old,
            NOW,
            u64::from(u32::MAX),
            EXPIRED,
            &["Expired"],
            "the clock at 2^32 - 1 (year 2106)".into(),
        ),
        (
            &new,
            NOW + ttl,
            NOW,
            Accept,
            &["Valid", "FromFuture"],
            "ts = now + ttl: the last accepted second".into(),
        ),
        (
            &new,
            NOW + ttl + 1,
            NOW,
            FUTURE,
            &["FromFuture"],
            "ts = now + ttl + 1: one second too new".into(),
        ),
        (
            &new,
            NOW + ttl + 2,
            NOW,
            FUTURE,
            &["FromFuture"],
            "ts = now + ttl + 2".into(),
        ),
        (
            &new,
            NOW + 2 * ttl + 1,
            NOW,
            FUTURE,
            &["FromFuture"],
            "ts = now + 2 ttl + 1".into(),
        ),
        (
            &new,
            NOW + 86_400 * 365 * 10,
            NOW,
            FUTURE,
            &["FromFuture"],
            "ten years ahead".into(),
        ),
        (
            &new,
            u64::from(u32::MAX),
            NOW,
            FUTURE,
            &["FromFuture"],
            "ts = 2^32 - 1".into(),
        ),
        (
            &new,
            u64::from(u32::MAX) + 1,
            NOW,
            FUTURE,
            &["FromFuture"],
            "ts = 2^32 (a 32-bit wrap would make it old)".into(),
        ),
        (
            &new,
            MAX_TS,
            NOW,
            FUTURE,
            &["FromFuture"],
            "ts = 2^53 - 1".into(),
        ),
        (
            &new,
            NOW,
            NOW - ttl,
            Accept,
            &["Valid", "FromFuture"],
            "the clock at ts - ttl".into(),
        ),
        (
            &new,
            NOW,
            NOW - ttl - 1,
            FUTURE,
            &["FromFuture"],
            "the clock at ts - ttl - 1".into(),
        ),
        (
            &new,
            NOW,
            0,
            FUTURE,
            &["FromFuture"],
            "the clock at 0".into(),
        ),
        (&old, NOW, NOW, Accept, &["Valid"], "ts = now".into()),
    ];
    for (req, ts, now, expect, flags, comment) in cases {
        a.verify(
            meta("SEC-IPC-03", req, flags, comment),
            now,
            ctx.wire(&ctx.env_at(ts)),
            expect,
        );
    }
    let order = ["REQ-VERIFY-1", "REQ-TTL-1"];
    let other = ctx
        .env_at(NOW - ttl - 1)
        .with_str("kind", ctx.disallowed_kind());
    a.verify(
        meta(
            "TTL-ORDER",
            &order,
            &["VerifyOrder"],
            "expired and a kind not allowed: kind_not_allowed first",
        ),
        NOW,
        ctx.wire(&other),
        Expect::Reject("kind_not_allowed"),
    );
    let other = ctx.env_at(NOW + ttl + 1).with_str("payload", "QR");
    a.verify(
        meta(
            "TTL-ORDER",
            &order,
            &["VerifyOrder"],
            "from the future with a bad payload encoding: malformed first",
        ),
        NOW,
        ctx.wire(&other),
        Expect::Reject("malformed"),
    );
    a
}
