//! The audit probes of the four webhook profiles: standard-webhooks, stripe, github, slack.

use super::{step, Fact, Layer, Probes, Property};
use crate::profiles::build::Expect::{Accept, Either, Reject};
use crate::profiles::{default_config, with_member, NON_UTF8_A};
use crate::NOW;
use sipc_profiles::{Message, Profile, Verifier};
use sipc_reference::json::Value;

const DAY: u64 = 86_400;
const YEAR: u64 = 365 * DAY;
/// A JSON event as Python's `json.dumps` writes it: `", "`, `": "`, non-ASCII escaped.
const PYTHON_BODY: &[u8] = br#"{"id": "evt_audit_1", "type": "invoice.paid", "data": {"amount": 1.0, "name": "Zo\u00eb"}}"#;
/// The same event as Node's `JSON.stringify` writes it.
const NODE_BODY: &[u8] =
    "{\"id\":\"evt_audit_1\",\"type\":\"invoice.paid\",\"data\":{\"amount\":1,\"name\":\"Zoë\"}}"
        .as_bytes();
const BODY: &[u8] = br#"{"id":"evt_audit_0","type":"invoice.paid"}"#;

/// The message `verifier` signs for `id`, `ts` and `body`.
fn signed(verifier: &Verifier, id: &str, ts: u64, body: &[u8]) -> Message {
    Message {
        headers: verifier.sign(id, &ts.to_string(), body),
        body: body.to_vec(),
    }
}

/// `m` with header `name` set to `value` (appended when absent).
fn set_header(m: &Message, name: &str, value: &str) -> Message {
    let mut m = m.clone();
    match m
        .headers
        .iter_mut()
        .find(|(n, _)| n.eq_ignore_ascii_case(name))
    {
        Some(slot) => slot.1 = value.to_owned(),
        None => m.headers.push((name.to_owned(), value.to_owned())),
    }
    m
}

/// `m` with the value of header `name` changed by `f`.
fn edit_header(m: &Message, name: &str, f: impl Fn(&str) -> String) -> Message {
    let value = m
        .headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case(name))
        .map(|(_, v)| f(v))
        .unwrap_or_default();
    set_header(m, name, &value)
}

fn with_body(m: &Message, body: &[u8]) -> Message {
    Message {
        headers: m.headers.clone(),
        body: body.to_vec(),
    }
}

/// The name of the header that carries the signature.
fn signature_header(profile: Profile) -> &'static str {
    match profile {
        Profile::StandardWebhooks => "webhook-signature",
        Profile::Stripe => "stripe-signature",
        Profile::Github => "x-hub-signature-256",
        _ => "x-slack-signature",
    }
}

/// The probes and facts of a webhook profile.
pub(super) fn probes(profile: Profile) -> (Probes, Vec<Fact>) {
    let config = default_config(profile);
    let verifier = profile
        .verifier(&crate::text::compact(&config))
        .unwrap_or_else(|_| unreachable!("the published config is valid"));
    let mut a = Probes::new(profile, config.clone());
    let good = signed(&verifier, "msg_audit_1", NOW, BODY);
    let timed = profile != Profile::Github;

    // REQ-AUDIT-1.
    if timed {
        a.verify(
            Property::Freshness,
            "a message signed a day ago",
            NOW,
            signed(&verifier, "msg_audit_2", NOW - DAY, BODY),
            Reject("expired"),
        );
        a.verify(
            Property::Freshness,
            "a message signed a day ahead",
            NOW,
            signed(&verifier, "msg_audit_3", NOW + DAY, BODY),
            Reject("future"),
        );
    } else {
        a.verify(Property::Freshness, "a delivery signed a year ago (the scheme has no timestamp: the same bytes verify forever)", NOW + YEAR, good.clone(), Reject("expired"));
    }

    // REQ-AUDIT-2.
    let twice = |later: u64| {
        vec![
            step(NOW, good.clone(), Accept),
            step(NOW + later, good.clone(), Reject("replay")),
        ]
    };
    a.sequence(
        Property::Replay,
        "the same message twice, a minute apart, through the verifier",
        twice(60),
        false,
    );
    if profile.application_reqs().is_some() {
        a.sequence(
            Property::Replay,
            "the same message twice, a minute apart, through the application",
            twice(60),
            true,
        );
    }
    if profile == Profile::Github {
        let redelivered = set_header(
            &good,
            "X-GitHub-Delivery",
            "9d0e5c8a-0000-11ef-8000-000000000002",
        );
        let first = set_header(
            &good,
            "X-GitHub-Delivery",
            "9d0e5c8a-0000-11ef-8000-000000000001",
        );
        a.sequence(
            Property::Replay,
            "the same body twice with two X-GitHub-Delivery ids (the id is not signed)",
            vec![
                step(NOW, first, Accept),
                step(NOW + 60, redelivered, Reject("replay")),
            ],
            false,
        );
    }

    // REQ-AUDIT-3.
    match profile {
        Profile::StandardWebhooks => {
            a.verify(
                Property::Coverage,
                "webhook-id changed",
                NOW,
                set_header(&good, "webhook-id", "msg_audit_other"),
                Reject("bad_signature"),
            );
            a.verify(
                Property::Coverage,
                "webhook-timestamp one second later",
                NOW,
                set_header(&good, "webhook-timestamp", &(NOW + 1).to_string()),
                Reject("bad_signature"),
            );
        }
        Profile::Stripe => {
            a.verify(
                Property::Coverage,
                "t one second later",
                NOW,
                edit_header(&good, "stripe-signature", |v| {
                    v.replacen(&NOW.to_string(), &(NOW + 1).to_string(), 1)
                }),
                Reject("bad_signature"),
            );
        }
        Profile::Github => {
            let ping = set_header(&good, "X-GitHub-Event", "ping");
            a.verify(
                Property::Coverage,
                "X-GitHub-Event changed from ping to delete (the event name is not signed)",
                NOW,
                set_header(&ping, "X-GitHub-Event", "delete"),
                Reject("bad_signature"),
            );
        }
        _ => {
            a.verify(
                Property::Coverage,
                "X-Slack-Request-Timestamp one second later",
                NOW,
                set_header(&good, "X-Slack-Request-Timestamp", &(NOW + 1).to_string()),
                Reject("bad_signature"),
            );
        }
    }
    let mut changed = BODY.to_vec();
    changed[8] ^= 1;
    a.verify(
        Property::Coverage,
        "one bit of the body changed",
        NOW,
        with_body(&good, &changed),
        Reject("bad_signature"),
    );

    // REQ-AUDIT-4: the MAC is over the body's bytes, whatever wrote them.
    a.verify(
        Property::Interoperability,
        "a body written by Python's json.dumps (spaces, \\u escapes, 1.0), signed over its bytes",
        NOW,
        signed(&verifier, "msg_audit_4", NOW, PYTHON_BODY),
        Accept,
    );
    a.verify(
        Property::Interoperability,
        "a body written by Node's JSON.stringify (raw UTF-8), signed over its bytes",
        NOW,
        signed(&verifier, "msg_audit_5", NOW, NODE_BODY),
        Accept,
    );

    // REQ-AUDIT-5.
    let weak = match profile {
        Profile::StandardWebhooks => "whsec_AAECAwQFBgc=",
        _ => "k",
    };
    let weak_config = with_member(&config, "secret", Value::string(weak));
    let under_weak = profile
        .verifier(&crate::text::compact(&weak_config))
        .map(|v| signed(&v, "msg_audit_6", NOW, BODY))
        .unwrap_or_else(|_| good.clone());
    let bytes = if profile == Profile::StandardWebhooks {
        "8 bytes"
    } else {
        "1 byte"
    };
    a.weak_key(
        &format!("the config's secret set to {weak:?} ({bytes} of key)"),
        weak_config,
        NOW,
        under_weak,
    );

    // REQ-AUDIT-6.
    let header = signature_header(profile);
    if profile == Profile::StandardWebhooks {
        a.verify(
            Property::Malleability,
            "the signature's base64 without its padding",
            NOW,
            edit_header(&good, header, |v| v.trim_end_matches('=').to_owned()),
            Reject("bad_signature"),
        );
    } else {
        a.verify(
            Property::Malleability,
            "the signature in upper-case hex",
            NOW,
            edit_header(&good, header, |v| {
                let (head, hex) = v.split_at(v.len() - 64);
                format!("{head}{}", hex.to_ascii_uppercase())
            }),
            Reject("bad_signature"),
        );
    }
    let mut repeated = good.clone();
    let first = repeated.headers.first().cloned().unwrap_or_default();
    repeated.headers.push((
        first.0,
        if profile == Profile::Github {
            "sha256=".to_owned() + &"0".repeat(64)
        } else {
            first.1.replace('1', "2")
        },
    ));
    a.verify(
        Property::Malleability,
        &format!(
            "{} sent twice, the second another value",
            repeated.headers[0].0
        ),
        NOW,
        repeated,
        Reject("duplicate_header"),
    );

    // REQ-AUDIT-7: any answer but a crash.
    let mut odd = vec![
        (
            "a body that is not UTF-8",
            signed(&verifier, "msg_audit_7", NOW, NON_UTF8_A),
        ),
        (
            "the signature header cut after its prefix",
            edit_header(&good, header, |v| {
                v.split_inclusive(['=', ','])
                    .next()
                    .unwrap_or("")
                    .to_owned()
            }),
        ),
        (
            "the signature header holding only non-ASCII text",
            set_header(&good, header, "ü€😀"),
        ),
    ];
    if timed {
        let huge = Message {
            headers: verifier.sign("msg_audit_8", "99999999999999999999", BODY),
            body: BODY.to_vec(),
        };
        odd.push(("a 20-digit timestamp, signed over its text", huge));
    }
    for (comment, message) in odd {
        a.verify(Property::Robustness, comment, NOW, message, Either);
    }
    (a, facts(profile))
}

fn facts(profile: Profile) -> Vec<Fact> {
    use Property::*;
    let f = |property, scheme, layer, severity, fix| Fact {
        property,
        scheme,
        layer,
        severity,
        fix,
    };
    let interop = f(Interoperability, "The MAC is over the body's bytes as sent: any language that sends the bytes it signed interoperates.", Layer::Scheme, "low", "Nothing to fix.");
    let robust = f(Robustness, "Not a property of the scheme's text: each implementation must turn odd headers and bodies into refusals.", Layer::Scheme, "medium", "Parse headers without exceptions escaping; MAC the bytes, never a decoded string.");
    match profile {
        Profile::StandardWebhooks => vec![
            f(Freshness, "webhook-timestamp is signed; the specification asks verifiers to refuse timestamps outside a tolerance, both ways.", Layer::Scheme, "high", "Check the tolerance both ways."),
            f(Replay, "webhook-id is signed and unique per message; de-duplicating it is left to the application.", Layer::Application, "high", "Keep each webhook-id accepted inside the tolerance window and refuse it again (REQ-SW-APP-1)."),
            f(Coverage, "id, timestamp and body are all under the MAC.", Layer::Scheme, "critical", "Nothing to fix."),
            interop,
            f(KeyHandling, "The key is the base64 after whsec_, 24 to 64 bytes: one reading, a minimum length.", Layer::Scheme, "medium", "Refuse keys under 24 bytes."),
            f(Malleability, "One base64 spelling of each signature; repeated headers are the implementation's to refuse.", Layer::Scheme, "medium", "Compare the exact base64; refuse repeated headers."),
            robust,
        ],
        Profile::Stripe => vec![
            f(Freshness, "t is signed; the documentation bounds age by a tolerance and is silent on timestamps ahead of the clock (its libraries accept any).", Layer::Scheme, "high", "Refuse t more than the tolerance ahead as well as behind."),
            f(Replay, "No id in the header; the event's id is in the signed body, and de-duplicating it is left to the application.", Layer::Application, "high", "Log each processed event id and refuse it again (REQ-STRIPE-APP-1)."),
            f(Coverage, "t and the body are under the MAC.", Layer::Scheme, "critical", "Nothing to fix."),
            interop,
            f(KeyHandling, "The key is the whsec_ text's UTF-8 bytes, of any length: Stripe generates it, the verifier never checks it.", Layer::Scheme, "low", "Refuse a configured secret shorter than Stripe's (whsec_ and 32 characters)."),
            f(Malleability, "Hex, case unspecified; several v1 entries and a repeated t are the implementation's to refuse.", Layer::Scheme, "low", "Compare lowercase hex exactly; refuse a repeated t."),
            robust,
        ],
        Profile::Github => vec![
            f(Freshness, "No timestamp: a delivery verifies forever.", Layer::Scheme, "high", "Nothing in the scheme can fix it: a receiver can only bound age by its own records (or move to a scheme with a signed timestamp such as Standard Webhooks or SIPC/1)."),
            f(Replay, "X-GitHub-Delivery names each delivery but is outside the MAC: anyone replaying a body chooses a fresh id.", Layer::Scheme, "high", "De-duplicate on a hash of the body (the payload's own ids), never on X-GitHub-Delivery."),
            f(Coverage, "Only the body is signed: X-GitHub-Event, X-GitHub-Delivery and X-GitHub-Hook-ID are not.", Layer::Scheme, "high", "Take the event type from the signed body (its shape), not from X-GitHub-Event; treat every header as unauthenticated."),
            interop,
            f(KeyHandling, "The secret's UTF-8 bytes, any length: the documentation recommends a high-entropy string and checks nothing.", Layer::Scheme, "low", "Refuse configured secrets under 32 bytes."),
            f(Malleability, "Lowercase hex after sha256=, one header.", Layer::Scheme, "low", "Compare the exact string; refuse repeated headers."),
            robust,
        ],
        _ => vec![
            f(Freshness, "The timestamp is signed and the documentation refuses more than five minutes either way.", Layer::Scheme, "high", "Nothing to fix."),
            f(Replay, "No id: inside the five minutes a captured request verifies again (Events API bodies carry an event_id, slash commands nothing).", Layer::Scheme, "medium", "De-duplicate on event_id where the body has one, or on a hash of the signature, for the five minutes."),
            f(Coverage, "Version, timestamp and body are under the MAC.", Layer::Scheme, "critical", "Nothing to fix."),
            interop,
            f(KeyHandling, "The signing secret's UTF-8 bytes, any length: Slack generates it, the verifier never checks it.", Layer::Scheme, "low", "Refuse a configured secret shorter than Slack's (32 characters)."),
            f(Malleability, "Hex after v0=, case unspecified; repeated headers are the implementation's to refuse.", Layer::Scheme, "low", "Compare lowercase hex exactly; refuse repeated headers."),
            robust,
        ],
    }
}
