//! The audit probes of SIPC/1, where every property should hold: the probes are checked
//! against the reference as they are written, so a property SIPC/1 failed would stop the
//! generator.

use super::{facts_value, Fact, Layer, Property, NOTES, SPEC};
use crate::suite::{meta, step, Area, Expect};
use crate::wire::{in_order, reversed, spaced};
use crate::{default_config, Ctx, NOW};
use sipc_reference::json::Value;
use sipc_reference::Verifier;

const DAY: u64 = 86_400;

/// The audit file of SIPC/1.
pub(super) fn file() -> Result<Value, Vec<String>> {
    let config = default_config().map_err(|e| vec![e])?;
    let ctx = Ctx::new(config.clone());
    let secret = ctx.secret().to_vec();
    let mut a = Area::new("audit");
    let m = |p: Property, comment: &str| {
        let (req, id) = p.ids();
        meta(id, &[req], &[p.flag()], comment.to_owned())
    };
    // The reference's answer to `wire`: robustness probes ask only that there is one.
    let refusal = |wire: &[u8]| -> &'static str {
        Verifier::new(config.clone())
            .ok()
            .and_then(|mut v| v.verify(wire, NOW).err())
            .map_or("malformed", |e| e.code())
    };

    a.verify_group(&config);
    a.verify(
        m(Property::Freshness, "ts a day ago"),
        NOW,
        ctx.wire(&ctx.env_at(NOW - DAY)),
        Expect::Reject("expired"),
    );
    a.verify(
        m(Property::Freshness, "ts a day ahead"),
        NOW,
        ctx.wire(&ctx.env_at(NOW + DAY)),
        Expect::Reject("from_future"),
    );

    let base = ctx.env();
    let signed = base.signed(&secret);
    let kind = base.clone().with_str("kind", "job.cancel");
    a.verify(
        m(Property::Coverage, "kind changed after signing"),
        NOW,
        kind.wire_sig(&format!("\"{}\"", base.sig(&secret))),
        Expect::Reject("bad_signature"),
    );
    let later = base.clone().with("ts", &(NOW + 1).to_string());
    a.verify(
        m(Property::Coverage, "ts one second later after signing"),
        NOW,
        later.wire_sig(&format!("\"{}\"", base.sig(&secret))),
        Expect::Reject("bad_signature"),
    );
    let targeted = base.clone().with_str("target", "agent-b");
    a.verify(
        m(Property::Coverage, "a target added after signing"),
        NOW,
        targeted.wire_sig(&format!("\"{}\"", base.sig(&secret))),
        Expect::Reject("bad_signature"),
    );

    for (comment, wire) in [
        (
            "members in a JavaScript object's insertion order (JSON.stringify)",
            in_order(&ctx.env().signed(&secret)),
        ),
        (
            "members reversed, as another serializer may write them",
            reversed(&ctx.env().signed(&secret)),
        ),
        (
            "spaces and line breaks around every token (Python's json.dumps(indent=…))",
            spaced(&ctx.env().signed(&secret)),
        ),
    ] {
        a.verify(
            m(Property::Interoperability, comment),
            NOW,
            wire,
            Expect::Accept,
        );
    }

    let dup =
        String::from_utf8_lossy(&in_order(&signed)).replacen("{", "{\"kind\":\"job.cancel\",", 1);
    a.verify(
        m(
            Property::Malleability,
            "a repeated kind whose first value is not the signed one",
        ),
        NOW,
        dup.into_bytes(),
        Expect::Reject("malformed"),
    );
    let sig = base.sig(&secret);
    a.verify(
        m(Property::Malleability, "sig in upper-case hex"),
        NOW,
        base.wire_sig(&format!("\"{}\"", sig.to_ascii_uppercase())),
        Expect::Reject("sig_malformed"),
    );

    for (comment, wire) in [
        ("sig 3 characters long", base.wire_sig("\"abc\"")),
        ("sig a number", base.wire_sig("5")),
        ("an envelope that is null", b"null".to_vec()),
        (
            "an envelope nested 100 000 deep",
            format!("{}1{}", "[".repeat(100_000), "]".repeat(100_000)).into_bytes(),
        ),
        (
            "a 5 000-digit ts",
            base.clone().with("ts", &"9".repeat(5000)).wire(&secret),
        ),
    ] {
        let code = refusal(&wire);
        a.verify(
            m(Property::Robustness, comment),
            NOW,
            wire,
            Expect::Reject(code),
        );
    }

    a.sequence_group(&config);
    let once = ctx.wire(&ctx.env());
    let (req, id) = Property::Replay.ids();
    a.sequence(
        meta(
            id,
            &[req],
            &["Replay"],
            "the same envelope twice, a second apart",
        ),
        vec![
            step(NOW, once.clone(), Expect::Accept),
            step(NOW + 1, once, Expect::Reject("replay")),
        ],
    );

    a.config_group();
    let mut weak = config.to_value();
    if let Value::Object(members) = &mut weak {
        for (name, value) in members.iter_mut() {
            if name == "auth" {
                *value = crate::profiles::with_member(
                    value,
                    "secret_hex",
                    Value::string("0001020304050607"),
                );
            }
        }
    }
    a.check_config(
        m(Property::KeyHandling, "auth.secret_hex of 8 bytes"),
        weak,
        Some("auth.secret_hex"),
    );

    let (value, _) = a.finish_with(1, NOTES, SPEC, Some(facts_value(&facts())))?;
    Ok(value)
}

fn facts() -> Vec<Fact> {
    use Property::*;
    let f = |property, scheme, severity, fix| Fact {
        property,
        scheme,
        layer: Layer::Scheme,
        severity,
        fix,
    };
    vec![
        f(Freshness, "`ts` is signed and refused outside ttl_seconds, both ways (REQ-TTL-1, REQ-TTL-2).", "high", "Nothing to fix."),
        f(Replay, "`nonce` is signed, and the verifier keeps every accepted nonce for its window (REQ-REPLAY-*).", "critical", "Nothing to fix."),
        f(Coverage, "Every member but `sig` is under the MAC, over the canonical form (REQ-SIG-3).", "critical", "Nothing to fix."),
        f(Interoperability, "The MAC is over the RFC 8785 (JCS) form of the parsed envelope, which any language produces: member order, whitespace and escapes do not matter.", "medium", "Nothing to fix."),
        f(KeyHandling, "auth.secret_hex is decoded to bytes, at least 32 (REQ-CONFIG-6).", "medium", "Nothing to fix."),
        f(Malleability, "Duplicate members, lone surrogates and non-canonical numbers are refused before the MAC; `sig` is exactly 64 lowercase hex digits. Several byte forms of one envelope verify (whitespace, member order, escapes), all with one reading.", "high", "Nothing to fix."),
        f(Robustness, "Every input gets a stable code (REQ-VERIFY-4); nesting is capped (REQ-JSON-7).", "medium", "Nothing to fix."),
    ]
}
