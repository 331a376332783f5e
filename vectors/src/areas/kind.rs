//! `kind.json`: the kind whitelist, matched byte for byte (REQ-KIND-1).

use crate::suite::{meta, Area, Expect, Expect::Accept};
use crate::{Ctx, NOW};
use sipc_reference::envelope::is_valid_kind;

const NOT_ALLOWED: Expect = Expect::Reject("kind_not_allowed");

pub fn area(ctx: &Ctx) -> Area {
    let mut a = Area::new("kind");
    a.verify_group(&ctx.config);
    let allowed = &ctx.config.allowed_kinds;
    let req = ["REQ-KIND-1"];
    let mut tried: Vec<String> = Vec::new();
    for kind in allowed.iter().take(3) {
        let env = ctx.env().with_str("kind", kind);
        a.verify(
            meta(
                "SEC-IPC-06",
                &req,
                &["Valid", "KindMatch"],
                format!("{kind} is allowed"),
            ),
            NOW,
            ctx.wire(&env),
            Accept,
        );
        let len = kind.len();
        let mut candidates: Vec<(String, String)> = vec![
            (
                kind[..len - 1].to_owned(),
                "the allowed kind less its last character".into(),
            ),
            (
                kind[..1].to_owned(),
                "the first character of the allowed kind".into(),
            ),
            (
                format!("{kind}x"),
                "the allowed kind plus a character".into(),
            ),
            (
                format!("{kind}.extra"),
                "the allowed kind plus a suffix".into(),
            ),
            (
                format!("a{kind}"),
                "a character before the allowed kind".into(),
            ),
            (format!("{kind}{kind}"), "the allowed kind twice".into()),
        ];
        if let Some(dot) = kind.find('.') {
            candidates.push((
                kind[..dot].to_owned(),
                "the allowed kind up to its first dot".into(),
            ));
            candidates.push((
                kind[..=dot].to_owned(),
                "the allowed kind up to and with its first dot".into(),
            ));
        }
        let mut swapped: Vec<char> = kind.chars().collect();
        if let Some(last) = swapped.last_mut() {
            *last = if *last == 'z' { 'y' } else { 'z' };
        }
        candidates.push((
            swapped.into_iter().collect(),
            "the allowed kind with its last character changed".into(),
        ));
        for (candidate, comment) in candidates {
            if !is_valid_kind(&candidate)
                || allowed.contains(&candidate)
                || tried.contains(&candidate)
            {
                continue;
            }
            tried.push(candidate.clone());
            let env = ctx.env().with_str("kind", &candidate);
            a.verify(
                meta(
                    "SEC-IPC-06",
                    &req,
                    &["KindMatch"],
                    format!("{candidate}: {comment} ({kind})"),
                ),
                NOW,
                ctx.wire(&env),
                NOT_ALLOWED,
            );
        }
        let upper = kind.to_uppercase();
        let env = ctx.env().with_str("kind", &upper);
        a.verify(
            meta(
                "SEC-IPC-06",
                &["REQ-KIND-1", "REQ-ENV-3"],
                &["KindMatch"],
                format!("{upper}: the allowed kind in uppercase breaks the pattern"),
            ),
            NOW,
            ctx.wire(&env),
            Expect::Reject("malformed"),
        );
        let env = ctx.env().with_str("kind", &format!("{kind} "));
        a.verify(
            meta(
                "SEC-IPC-06",
                &["REQ-KIND-1", "REQ-ENV-3"],
                &["KindMatch"],
                "the allowed kind with a trailing space",
            ),
            NOW,
            ctx.wire(&env),
            Expect::Reject("malformed"),
        );
        let env = ctx.env().with_str("kind", &format!("{kind}\u{0}"));
        a.verify(
            meta(
                "SEC-IPC-06",
                &["REQ-KIND-1", "REQ-ENV-3"],
                &["KindMatch"],
                "the allowed kind followed by U+0000",
            ),
            NOW,
            ctx.wire(&env),
            Expect::Reject("malformed"),
        );
    }
    let env = ctx.env().with_str("kind", ctx.disallowed_kind());
    a.verify(
        meta("SEC-IPC-06", &req, &["KindMatch"], "an unrelated kind"),
        NOW,
        ctx.wire(&env),
        NOT_ALLOWED,
    );
    let env = ctx.env().with_str("kind", "a.*");
    a.verify(
        meta(
            "SEC-IPC-06",
            &["REQ-KIND-1", "REQ-ENV-3"],
            &["KindMatch"],
            "a wildcard is not a pattern",
        ),
        NOW,
        ctx.wire(&env),
        Expect::Reject("malformed"),
    );
    a
}
