//! The cases of the profiles other than SIPC/1 (spec/ADAPTER.md, "Profiles"): a message's
//! headers and body through `verify` (one delivery, or an application's sequence), and
//! `sign`, judged against the profile's reference.

use super::check::{
    body, judge_input, judged, observed, show, show_bytes, skip, unsupported, Context, Judgement,
    Observation,
};
use crate::process::{Adapter, Broken};
use sipc_profiles::{Message, Profile};
use sipc_reference::json::Value;
use sipc_vectors::load::{Case, MessageStep};
use sipc_vectors::verdict::{b64, from_b64, header_pairs, header_pairs_value};

/// The `message` member of a request: headers as `[name, value]` pairs in order, the body in
/// base64.
pub fn message_value(headers: &[(String, String)], body: &[u8]) -> Value {
    Value::Object(vec![
        ("headers".into(), header_pairs_value(headers)),
        ("body_b64".into(), Value::string(&b64(body))),
    ])
}

/// A message for the reports: each header on its own, then the body.
pub fn describe_message(headers: &[(String, String)], body: &[u8]) -> String {
    let headers: Vec<String> = headers
        .iter()
        .map(|(n, v)| format!("{}: {}", show_bytes(n.as_bytes()), show_bytes(v.as_bytes())))
        .collect();
    format!("[{}] body {}", headers.join(" | "), show_bytes(body))
}

/// What one delivery sends, for the reports.
pub fn describe_step(step: &MessageStep) -> String {
    format!(
        "verify at now={} the message {}",
        step.now,
        describe_message(&step.headers, &step.body)
    )
}

/// The deliveries of a case, in order; for the application layer through one `state`.
pub fn verify_steps(
    adapter: &mut Adapter,
    case: &Case,
    profile: &str,
    config: &Value,
    steps: &[MessageStep],
    application: bool,
    ctx: &Context,
) -> Result<Observation, Broken> {
    let state = application.then(|| format!("{}-{}", ctx.state_prefix, case.tc_id));
    let mut worst: Option<Observation> = None;
    let mut last_answer = String::new();
    for (i, step) in steps.iter().enumerate() {
        let mut request = vec![
            ("op".to_owned(), Value::string("verify")),
            ("profile".into(), Value::string(profile)),
        ];
        if let Some(state) = &state {
            request.push(("state".into(), Value::string(state)));
            request.push(("application".into(), Value::Bool(true)));
        }
        request.push(("config".into(), config.clone()));
        request.push(("now".into(), Value::uint(step.now)));
        request.push(("message".into(), message_value(&step.headers, &step.body)));
        let response = adapter.request(request)?;
        let place = if steps.len() > 1 {
            format!("step {} of {}: ", i + 1, steps.len())
        } else {
            String::new()
        };
        let sent = format!("{place}{}", describe_step(step));
        if unsupported(&response) {
            return Ok(skip(sent));
        }
        let obs = judge_input(&response, &step.expected, ctx, &place, sent, "a message");
        last_answer = obs.provided.clone();
        match obs.judgement {
            Judgement::Fail | Judgement::Crash => return Ok(obs),
            Judgement::WrongCode if worst.is_none() => worst = Some(obs),
            _ => {}
        }
    }
    // A pass keeps the last answer (`{"verdict":"accept"}` …): the matrix shows it.
    Ok(worst.unwrap_or(Observation {
        judgement: Judgement::Pass,
        detail: String::new(),
        sent: format!("{} deliveries", steps.len()),
        expected: String::new(),
        provided: last_answer,
    }))
}

fn headers_of(response: &Value) -> Option<Vec<(String, String)>> {
    header_pairs(response.get("headers")?)
}

/// `sign`: the headers the implementation answers must verify under the profile's reference at
/// the timestamp asked for, with the body asked for (REQ-SW-10, REQ-STRIPE-9).
pub fn sign_case(
    adapter: &mut Adapter,
    profile: &str,
    config: &Value,
    message: &Value,
    want: &[(String, String)],
) -> Result<Observation, Broken> {
    let response = adapter.request(vec![
        ("op".into(), Value::string("sign")),
        ("profile".into(), Value::string(profile)),
        ("config".into(), config.clone()),
        ("message".into(), message.clone()),
    ])?;
    let sent = format!("sign {}", show(message));
    if unsupported(&response) {
        return Ok(skip(sent));
    }
    let body_bytes = message
        .get("body_b64")
        .and_then(Value::as_str)
        .and_then(from_b64)
        .unwrap_or_default();
    let expected = format!("the headers {}", describe_message(want, &body_bytes));
    let timestamp = message
        .get("timestamp")
        .and_then(Value::as_str)
        .and_then(|t| t.parse::<u64>().ok())
        .unwrap_or(0);
    let j = if response.get("verdict").and_then(Value::as_str) == Some("crash") {
        judged(Judgement::Crash, "crashed while signing")
    } else {
        match headers_of(&response) {
            None => judged(
                Judgement::Fail,
                "no headers (a list of [name, value] pairs)",
            ),
            Some(headers) => {
                let verdict = Profile::from_name(profile)
                    .ok_or("unknown profile")
                    .and_then(|p| {
                        p.verifier(&sipc_vectors::text::compact(config))
                            .map_err(|_| "the reference refuses the config")
                    })
                    .map(|v| {
                        v.verify(
                            &Message {
                                headers,
                                body: body_bytes.clone(),
                            },
                            timestamp,
                        )
                    });
                match verdict {
                    Ok(Ok(())) => judged(Judgement::Pass, ""),
                    Ok(Err(reject)) => judged(
                        Judgement::Fail,
                        format!("the reference refuses what was signed: {reject}"),
                    ),
                    Err(why) => judged(Judgement::Fail, why),
                }
            }
        }
    };
    let provided = match headers_of(&response) {
        Some(headers) => describe_message(&headers, &body_bytes),
        None => show(&body(&response)),
    };
    Ok(observed(j, sent, expected, provided))
}
