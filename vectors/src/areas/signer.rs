//! `sign.json`: what a signer emits for given fields (§11), checked byte for byte.

use crate::suite::{meta, Area};
use crate::{Ctx, NOW};
use sipc_reference::{Fields, Member, Target};
use std::collections::BTreeMap;

pub fn area(ctx: &Ctx) -> Area {
    let mut a = Area::new("sign");
    a.sign_group(&ctx.config);
    let req = ["REQ-SIGNER-1", "REQ-SIGNER-2", "REQ-SIG-4"];
    let flags = ["SignerOutput"];
    let max = usize::try_from(ctx.config.max_payload_bytes).unwrap_or(usize::MAX);
    let base = || Fields {
        kind: ctx.kind().to_owned(),
        payload: b"hello".iter().copied().take(max).collect(),
        ts: NOW,
        nonce: ctx.nonce(),
        ..Fields::default()
    };
    let headers = |pairs: &[(&str, &str)]| {
        Some(
            pairs
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect::<BTreeMap<_, _>>(),
        )
    };
    let cases: Vec<(&str, Fields)> = vec![
        ("the required fields only", base()),
        (
            "an empty payload",
            Fields {
                payload: Vec::new(),
                ..base()
            },
        ),
        (
            "binary payload bytes 00 to FF (as many as fit)",
            Fields {
                payload: (0..=255u8).take(max).collect(),
                ..base()
            },
        ),
        (
            "every optional member",
            Fields {
                target: Member::Value(Target::Many(vec!["svc-b".into(), "svc-a".into()])),
                trace_id: Member::Value("trace-1".into()),
                reply_to: Member::Value("spool/replies".into()),
                headers: headers(&[
                    ("content-type", "text/plain"),
                    ("sig", "a header named sig"),
                ]),
                ..base()
            },
        ),
        (
            "optional members as null",
            Fields {
                target: Member::Null,
                trace_id: Member::Null,
                reply_to: Member::Null,
                ..base()
            },
        ),
        (
            "a single target and empty headers",
            Fields {
                target: Member::Value(Target::One("svc".into())),
                headers: headers(&[]),
                ..base()
            },
        ),
        (
            "header names that sort differently in UTF-16 and UTF-8",
            Fields {
                headers: headers(&[
                    ("\u{e000}", "private use"),
                    ("\u{10000}", "astral"),
                    ("\u{7f}", "del"),
                    ("~", "tilde"),
                ]),
                ..base()
            },
        ),
        (
            "strings that need escapes",
            Fields {
                trace_id: Member::Value("tab\tquote\"back\\slash/\u{1}\u{7f}\u{e9}\u{2028}".into()),
                ..base()
            },
        ),
        ("ts 0", Fields { ts: 0, ..base() }),
        (
            "ts 2^53 - 1",
            Fields {
                ts: sipc_reference::envelope::MAX_TS,
                ..base()
            },
        ),
    ];
    for (comment, fields) in cases {
        a.sign(meta("SIGN-CANON", &req, &flags, comment), &fields);
    }

    // REQ-SIGNER-3: fields that §4 refuses are signed as given or refused, never repaired.
    let input = ["REQ-SIGNER-3"];
    for (comment, fields) in [
        (
            "a kind in uppercase, which the kind pattern refuses: not case-folded",
            Fields {
                kind: ctx.kind().to_uppercase(),
                ..base()
            },
        ),
        (
            "a nonce of 10 characters, under the 22 the pattern asks: not padded",
            Fields {
                nonce: "short-1234".into(),
                ..base()
            },
        ),
        (
            "a trace_id of 129 bytes, one over its limit: not truncated",
            Fields {
                trace_id: Member::Value("t".repeat(129)),
                ..base()
            },
        ),
    ] {
        a.sign_as_given(
            meta("SIGN-INPUT", &input, &["SignerInput"], comment),
            &fields,
        );
    }

    // spec/ADAPTER.md: `sign` under an invalid config answers config_invalid, naming the field.
    let weak = ctx.config_with(|c| c.auth.secret.truncate(16));
    a.sign_group(&weak);
    a.sign_under_invalid_config(
        meta(
            "SIGN-CONFIG",
            &["REQ-CONFIG-6"],
            &["ConfigSchema", "WeakSecret"],
            "a 16-byte secret: sign refuses the config rather than sign with a weak key",
        ),
        &base(),
        "auth.secret_hex",
    );
    a
}
