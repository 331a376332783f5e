//! One case through the adapter, and the judgement of its responses against the vector.

use crate::process::{Adapter, Broken};
use sipc_reference::json::{canonicalize, Value};
use sipc_reference::{Config, Verifier};
use sipc_vectors::load::{Case, Check, Expected, StepCase, Verdict};
use sipc_vectors::text;
use sipc_vectors::verdict::{accepted_fields, b64, from_b64};
use std::collections::BTreeMap;

/// How a case went, before expectations are applied.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Judgement {
    /// As the vector says.
    Pass,
    /// Refused as it should be, but with another error code (or config field).
    WrongCode,
    /// Not as the vector says.
    Fail,
    /// The adapter answered `unsupported_op`.
    Unsupported,
    /// Not run here, for the reason in the detail (a test that needs root): reported as a skip,
    /// never as a pass.
    NotRun,
    /// The implementation raised something other than its documented verification failure
    /// (`"verdict":"crash"`): a robustness finding, never a pass, whatever the vector allows.
    Crash,
}

/// What happened, in the words of the reports.
#[derive(Clone, Debug)]
pub struct Observation {
    /// The judgement.
    pub judgement: Judgement,
    /// One sentence on what went wrong (empty on a pass).
    pub detail: String,
    /// What was sent (the request, abridged).
    pub sent: String,
    /// What the vector expects.
    pub expected: String,
    /// What the adapter answered.
    pub provided: String,
}

/// Settings that apply to every case of a run.
pub struct Context<'a> {
    /// The implementation's codes mapped to SIPC/1 codes (`--expectations`).
    pub error_map: &'a BTreeMap<String, String>,
    /// Makes `state` names unique across restarts.
    pub state_prefix: String,
}

const SHOW: usize = 600;

/// Whether `c` would be invisible or move the cursor on a console or in Markdown: controls
/// (C0, DEL, C1), whitespace other than the space, and the format characters that render as
/// nothing (zero widths, bidi controls, the BOM, variation selectors, tags …).
fn is_invisible(c: char) -> bool {
    c.is_control()
        || (c.is_whitespace() && c != ' ')
        || matches!(c,
            '\u{ad}' | '\u{34f}' | '\u{61c}' | '\u{115f}' | '\u{1160}' | '\u{17b4}' | '\u{17b5}'
            | '\u{180b}'..='\u{180f}' | '\u{200b}'..='\u{200f}' | '\u{2028}'..='\u{202e}'
            | '\u{2060}'..='\u{206f}' | '\u{3164}' | '\u{fe00}'..='\u{fe0f}' | '\u{feff}'
            | '\u{ffa0}' | '\u{fff0}'..='\u{fffb}' | '\u{1d173}'..='\u{1d17a}'
            | '\u{e0000}'..='\u{e0fff}')
}

/// `text` with every invisible character (see [`is_invisible`]) written as `\u{hex}`, so that
/// what a report shows is what was sent, byte for byte readable. JSON never writes `\u{`, so
/// the escape cannot be mistaken for the text.
pub fn visible(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if is_invisible(c) {
            out.push_str(&format!("\\u{{{:x}}}", u32::from(c)));
        } else {
            out.push(c);
        }
    }
    out
}

/// Bytes for a report: the text when UTF-8 (abridged, invisible characters escaped), else base64.
pub fn show_bytes(bytes: &[u8]) -> String {
    match std::str::from_utf8(bytes) {
        Ok(text) if text.len() <= SHOW => visible(text),
        Ok(text) => {
            let cut = (0..=SHOW)
                .rev()
                .find(|&i| text.is_char_boundary(i))
                .unwrap_or(0);
            format!("{}… ({} bytes)", visible(&text[..cut]), bytes.len())
        }
        Err(_) if bytes.len() <= SHOW => format!("base64:{}", b64(bytes)),
        Err(_) => format!("base64:{}… ({} bytes)", &b64(&bytes[..SHOW]), bytes.len()),
    }
}

pub(crate) fn show(value: &Value) -> String {
    show_bytes(&text::compact(value))
}

/// The response less `id`.
pub(crate) fn body(response: &Value) -> Value {
    match response {
        Value::Object(m) => Value::Object(m.iter().filter(|(n, _)| n != "id").cloned().collect()),
        other => other.clone(),
    }
}

pub(crate) fn unsupported(response: &Value) -> bool {
    response.get("error").and_then(Value::as_str) == Some("unsupported_op")
        && response.get("verdict").is_none()
}

/// The response's error code through the error map: `(code, as shown)`.
fn mapped_code(response: &Value, ctx: &Context) -> (Option<String>, String) {
    match response.get("error").and_then(Value::as_str) {
        Some(code) => match ctx.error_map.get(code) {
            Some(ours) => (Some(ours.clone()), format!("{code} (mapped to {ours})")),
            None => (Some(code.to_owned()), code.to_owned()),
        },
        None => (None, "(no error code)".into()),
    }
}

/// What a vector expects, in the words of the reports.
pub fn expected_text(e: &Expected) -> String {
    match e.result {
        Verdict::Valid => match &e.accepted {
            Some(a) => format!("accept {}", show(a)),
            None => "accept".into(),
        },
        Verdict::Invalid => match &e.field {
            Some(f) => format!(
                "reject: {} (field \"{f}\")",
                e.error.as_deref().unwrap_or("?")
            ),
            None => format!("reject: {}", e.error.as_deref().unwrap_or("?")),
        },
        Verdict::Acceptable => "accept, or reject".into(),
    }
}

pub(crate) struct Judged {
    pub(crate) judgement: Judgement,
    pub(crate) detail: String,
}

pub(crate) fn judged(judgement: Judgement, detail: impl Into<String>) -> Judged {
    Judged {
        judgement,
        detail: detail.into(),
    }
}

/// The code an implementation gives when its library does not say why it refused: any
/// expected code is taken as met.
pub const UNSPECIFIED: &str = "unspecified";

/// A verdict response (`verify`, `check_config`) against the vector.
pub(crate) fn judge_verdict(response: &Value, e: &Expected, ctx: &Context, what: &str) -> Judged {
    let (code, code_text) = mapped_code(response, ctx);
    match response.get("verdict").and_then(Value::as_str) {
        Some("crash") => judged(
            Judgement::Crash,
            format!(
                "crashed on {what}: {} (an unhandled exception in a handler)",
                response
                    .get("exception")
                    .and_then(Value::as_str)
                    .map_or_else(|| "no exception given".into(), visible)
            ),
        ),
        Some("accept") => match e.result {
            Verdict::Invalid => judged(
                Judgement::Fail,
                format!(
                    "accepted {what} that must be refused with {}",
                    e.error.as_deref().unwrap_or("?")
                ),
            ),
            Verdict::Valid | Verdict::Acceptable => {
                let mut fields = body(response);
                if let Value::Object(m) = &mut fields {
                    m.retain(|(n, _)| n != "verdict");
                }
                match &e.accepted {
                    Some(want) if *want != fields => judged(
                        Judgement::Fail,
                        "accepted, but the message it returned differs from what was signed",
                    ),
                    _ => judged(Judgement::Pass, ""),
                }
            }
        },
        Some("reject") => match e.result {
            Verdict::Valid => judged(
                Judgement::Fail,
                format!("refused {what} that must be accepted ({code_text})"),
            ),
            Verdict::Invalid | Verdict::Acceptable => {
                let want = e.error.as_deref();
                let field = response.get("field").and_then(Value::as_str);
                if code.as_deref() == Some(UNSPECIFIED) {
                    judged(Judgement::Pass, "")
                } else if want.is_some() && code.as_deref() != want {
                    judged(
                        Judgement::WrongCode,
                        format!(
                            "refused, but with {code_text} instead of {}",
                            want.unwrap_or("?")
                        ),
                    )
                } else if e.field.is_some() && field != e.field.as_deref() {
                    judged(
                        Judgement::WrongCode,
                        format!(
                            "refused, but naming field {:?} instead of {:?}",
                            field.unwrap_or("(none)"),
                            e.field.as_deref().unwrap_or("")
                        ),
                    )
                } else {
                    judged(Judgement::Pass, "")
                }
            }
        },
        _ => judged(
            Judgement::Fail,
            "the response has no verdict \"accept\" or \"reject\"",
        ),
    }
}

pub(crate) fn observation(
    j: Judged,
    sent: String,
    expected: String,
    response: &Value,
) -> Observation {
    observed(j, sent, expected, show(&body(response)))
}

pub(crate) fn observed(j: Judged, sent: String, expected: String, provided: String) -> Observation {
    Observation {
        judgement: j.judgement,
        detail: j.detail,
        sent,
        expected,
        provided,
    }
}

/// One verdict (an adapter's `verify` response, or a TCP answer frame) against the step's
/// expectation; `place` prefixes the texts (`"step 2 of 3: "`).
pub fn judge_step(
    response: &Value,
    expected: &Expected,
    ctx: &Context,
    place: &str,
    sent: String,
) -> Observation {
    judge_input(response, expected, ctx, place, sent, "an envelope")
}

/// [`judge_step`] for another kind of input (`what`: "a message").
pub fn judge_input(
    response: &Value,
    expected: &Expected,
    ctx: &Context,
    place: &str,
    sent: String,
    what: &str,
) -> Observation {
    let mut j = judge_verdict(response, expected, ctx, what);
    if !j.detail.is_empty() {
        j.detail = format!("{place}{}", j.detail);
    }
    observation(
        j,
        sent,
        format!("{place}{}", expected_text(expected)),
        response,
    )
}

pub(crate) fn skip(sent: String) -> Observation {
    Observation {
        judgement: Judgement::Unsupported,
        detail: "the adapter answered unsupported_op".into(),
        sent,
        expected: String::new(),
        provided: "unsupported_op".into(),
    }
}

fn verify_steps(
    adapter: &mut Adapter,
    case: &Case,
    config: &Value,
    steps: &[StepCase],
    stateful: bool,
    ctx: &Context,
) -> Result<Observation, Broken> {
    let state = stateful.then(|| format!("{}-{}", ctx.state_prefix, case.tc_id));
    let mut worst: Option<Observation> = None;
    for (i, step) in steps.iter().enumerate() {
        let mut request = vec![("op".to_owned(), Value::string("verify"))];
        if let Some(state) = &state {
            request.push(("state".into(), Value::string(state)));
        }
        request.push(("config".into(), config.clone()));
        request.push(("now".into(), Value::uint(step.now)));
        request.push(("envelope_b64".into(), Value::string(&b64(&step.envelope))));
        let response = adapter.request(request)?;
        let place = if steps.len() > 1 {
            format!("step {} of {}: ", i + 1, steps.len())
        } else {
            String::new()
        };
        let sent = format!(
            "{place}verify at now={} the envelope {}",
            step.now,
            show_bytes(&step.envelope)
        );
        if unsupported(&response) {
            return Ok(skip(sent));
        }
        let obs = judge_step(&response, &step.expected, ctx, &place, sent);
        match obs.judgement {
            Judgement::Fail => return Ok(obs),
            Judgement::WrongCode if worst.is_none() => worst = Some(obs),
            _ => {}
        }
    }
    Ok(worst.unwrap_or(Observation {
        judgement: Judgement::Pass,
        detail: String::new(),
        sent: format!("{} verification(s)", steps.len()),
        expected: String::new(),
        provided: String::new(),
    }))
}

fn canonicalize_case(
    adapter: &mut Adapter,
    input: &[u8],
    e: &Expected,
    ctx: &Context,
) -> Result<Observation, Broken> {
    let response = adapter.request(vec![
        ("op".into(), Value::string("canonicalize")),
        ("json_b64".into(), Value::string(&b64(input))),
    ])?;
    let sent = format!("canonicalize {}", show_bytes(input));
    if unsupported(&response) {
        return Ok(skip(sent));
    }
    let expected = match (&e.result, &e.output) {
        (Verdict::Valid, Some(out)) => format!("canonical {}", show_bytes(out)),
        _ => expected_text(e),
    };
    let output = response
        .get("canonical_b64")
        .and_then(Value::as_str)
        .map(from_b64);
    let provided = match &output {
        Some(Some(out)) => format!("canonical {}", show_bytes(out)),
        _ => show(&body(&response)),
    };
    let j = match (e.result, output) {
        (_, Some(None)) => judged(Judgement::Fail, "canonical_b64 is not standard base64"),
        (Verdict::Invalid, Some(Some(_))) => judged(
            Judgement::Fail,
            "canonicalized a text that must be refused as malformed",
        ),
        (Verdict::Valid, Some(Some(out))) if Some(&out) == e.output.as_ref() => {
            judged(Judgement::Pass, "")
        }
        (Verdict::Valid, Some(Some(out))) => judged(
            Judgement::Fail,
            format!("a different canonical form: {}", show_bytes(&out)),
        ),
        (Verdict::Valid, None) => {
            judged(Judgement::Fail, "refused a text that must be canonicalized")
        }
        (_, None) => {
            let (code, text) = mapped_code(&response, ctx);
            match (code.as_deref(), e.error.as_deref()) {
                (Some(c), Some(w)) if c == w => judged(Judgement::Pass, ""),
                (Some(_), _) => judged(
                    Judgement::WrongCode,
                    format!("refused, but with {text} instead of malformed"),
                ),
                (None, _) => judged(
                    Judgement::Fail,
                    "neither canonical_b64 nor error in the response",
                ),
            }
        }
        (Verdict::Acceptable, Some(Some(_))) => judged(Judgement::Pass, ""),
    };
    Ok(observed(j, sent, expected, provided))
}

fn sign_case(
    adapter: &mut Adapter,
    config: &Value,
    fields: &Value,
    e: &Expected,
    ctx: &Context,
) -> Result<Observation, Broken> {
    let response = adapter.request(vec![
        ("op".into(), Value::string("sign")),
        ("config".into(), config.clone()),
        ("fields".into(), fields.clone()),
    ])?;
    let sent = format!("sign {}", show(fields));
    if unsupported(&response) {
        return Ok(skip(sent));
    }
    let want = e.output.clone().unwrap_or_default();
    let expected = match e.result {
        Verdict::Valid => format!("the envelope {}", show_bytes(&want)),
        Verdict::Invalid => expected_text(e),
        Verdict::Acceptable => format!(
            "the envelope {}, or reject: {}",
            show_bytes(&want),
            e.error.as_deref().unwrap_or("?")
        ),
    };
    let signed = response
        .get("envelope_b64")
        .and_then(Value::as_str)
        .map(from_b64);
    let j = match (signed, e.result) {
        (Some(None), _) => judged(Judgement::Fail, "envelope_b64 is not standard base64"),
        (Some(Some(_)), Verdict::Invalid) => judged(
            Judgement::Fail,
            format!(
                "signed, where the answer must be {}",
                expected_text(e).trim_start_matches("reject: ")
            ),
        ),
        (Some(Some(envelope)), Verdict::Valid) => judge_signed(&envelope, config, fields, &want),
        (Some(Some(envelope)), Verdict::Acceptable) if envelope == want => {
            judged(Judgement::Pass, "")
        }
        (Some(Some(_)), Verdict::Acceptable) => judged(
            Judgement::Fail,
            "signed other bytes than the fields as given: a signer must not change its fields \
             (REQ-SIGNER-3)",
        ),
        (None, Verdict::Valid) => match response.get("verdict") {
            Some(_) => judged(
                Judgement::Fail,
                format!(
                    "refused to sign fields that must be signed ({})",
                    mapped_code(&response, ctx).1
                ),
            ),
            None => judged(Judgement::Fail, "no envelope_b64 in the response"),
        },
        (None, Verdict::Invalid | Verdict::Acceptable) => {
            match response.get("verdict").and_then(Value::as_str) {
                Some("reject") => judge_verdict(&response, e, ctx, "the fields"),
                _ => judged(
                    Judgement::Fail,
                    "neither envelope_b64 nor a verdict \"reject\" in the response",
                ),
            }
        }
    };
    let provided = match response
        .get("envelope_b64")
        .and_then(Value::as_str)
        .and_then(from_b64)
    {
        Some(bytes) => show_bytes(&bytes),
        None => show(&body(&response)),
    };
    Ok(observed(j, sent, expected, provided))
}

/// A signer's output must verify under the reference with the fields asked for, be canonical,
/// and so equal the reference's bytes (REQ-SIGNER-1, REQ-SIGNER-2).
fn judge_signed(envelope: &[u8], config: &Value, fields: &Value, want: &[u8]) -> Judged {
    let ts = match fields.get("ts") {
        Some(Value::Number(n)) => n
            .integer_literal()
            .and_then(|i| u64::try_from(i).ok())
            .unwrap_or(0),
        _ => 0,
    };
    let verified = Config::from_value(config)
        .and_then(Verifier::new)
        .and_then(|mut v| v.verify(envelope, ts));
    match verified {
        Err(reject) => judged(
            Judgement::Fail,
            format!(
                "the reference refuses the signed envelope: {}",
                reject.code()
            ),
        ),
        Ok(message) if accepted_fields(&message) != *fields => judged(
            Judgement::Fail,
            "the signed envelope verifies but carries other fields than asked for",
        ),
        Ok(_) => match canonicalize(envelope) {
            Ok(canonical) if canonical != envelope => judged(
                Judgement::Fail,
                "the signed envelope verifies but is not in canonical form (REQ-SIGNER-1)",
            ),
            _ if envelope != want => judged(
                Judgement::Fail,
                "the signed envelope differs from the reference's bytes",
            ),
            _ => judged(Judgement::Pass, ""),
        },
    }
}

fn config_case(
    adapter: &mut Adapter,
    config: &Value,
    e: &Expected,
    ctx: &Context,
) -> Result<Observation, Broken> {
    let response = adapter.request(vec![
        ("op".into(), Value::string("check_config")),
        ("config".into(), config.clone()),
    ])?;
    let sent = format!("check_config {}", show(config));
    if unsupported(&response) {
        return Ok(skip(sent));
    }
    let j = judge_verdict(&response, e, ctx, "a config");
    Ok(observation(j, sent, expected_text(e), &response))
}

/// What `case` sends first, for a test whose exchange broke down.
pub fn describe(case: &Case) -> String {
    match &case.check {
        Check::Canonicalize { input, .. } => format!("canonicalize {}", show_bytes(input)),
        Check::Verify { steps, .. } => match steps.first() {
            Some(step) => format!(
                "verify at now={} the envelope {}",
                step.now,
                show_bytes(&step.envelope)
            ),
            None => "verify".into(),
        },
        Check::Sign { fields, .. } => format!("sign {}", show(fields)),
        Check::CheckConfig { config, .. } => format!("check_config {}", show(config)),
        Check::Message { steps, .. } => match steps.first() {
            Some(step) => super::message::describe_step(step),
            None => "verify".into(),
        },
        Check::MessageSign { message, .. } => format!("sign {}", show(message)),
    }
}

/// Runs `case`; `Err` when the adapter broke the protocol or died.
pub fn run(adapter: &mut Adapter, case: &Case, ctx: &Context) -> Result<Observation, Broken> {
    match &case.check {
        Check::Canonicalize { input, expected } => canonicalize_case(adapter, input, expected, ctx),
        Check::Verify {
            config,
            steps,
            stateful,
        } => verify_steps(adapter, case, config, steps, *stateful, ctx),
        Check::Sign {
            config,
            fields,
            expected,
        } => sign_case(adapter, config, fields, expected, ctx),
        Check::CheckConfig { config, expected } => config_case(adapter, config, expected, ctx),
        Check::Message {
            profile,
            config,
            steps,
            application,
        } => super::message::verify_steps(adapter, case, profile, config, steps, *application, ctx),
        Check::MessageSign {
            profile,
            config,
            message,
            headers,
        } => super::message::sign_case(adapter, profile, config, message, headers),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use sipc_reference::json::parse;

    fn expected(result: Verdict, error: Option<&str>, accepted: Option<&str>) -> Expected {
        Expected {
            result,
            error: error.map(str::to_owned),
            field: None,
            accepted: accepted.map(|a| parse(a.as_bytes()).unwrap()),
            output: None,
        }
    }

    fn judge(response: &str, e: &Expected, map: &[(&str, &str)]) -> Judgement {
        let map: BTreeMap<String, String> = map
            .iter()
            .map(|(a, b)| ((*a).into(), (*b).into()))
            .collect();
        let ctx = Context {
            error_map: &map,
            state_prefix: String::new(),
        };
        judge_verdict(&parse(response.as_bytes()).unwrap(), e, &ctx, "an envelope").judgement
    }

    #[test]
    fn verdicts_are_judged_against_the_vector() {
        let valid = expected(Verdict::Valid, None, Some(r#"{"kind":"k","ts":1}"#));
        assert_eq!(
            judge(
                r#"{"id":1,"verdict":"accept","ts":1,"kind":"k"}"#,
                &valid,
                &[]
            ),
            Judgement::Pass
        );
        assert_eq!(
            judge(
                r#"{"id":1,"verdict":"accept","kind":"k","ts":2}"#,
                &valid,
                &[]
            ),
            Judgement::Fail
        );
        assert_eq!(
            judge(
                r#"{"id":1,"verdict":"accept","kind":"k","ts":1,"trace_id":null}"#,
                &valid,
                &[]
            ),
            Judgement::Fail
        );
        assert_eq!(
            judge(
                r#"{"id":1,"verdict":"reject","error":"replay"}"#,
                &valid,
                &[]
            ),
            Judgement::Fail
        );
        let invalid = expected(Verdict::Invalid, Some("expired"), None);
        assert_eq!(
            judge(
                r#"{"id":1,"verdict":"reject","error":"expired"}"#,
                &invalid,
                &[]
            ),
            Judgement::Pass
        );
        assert_eq!(
            judge(
                r#"{"id":1,"verdict":"reject","error":"stale"}"#,
                &invalid,
                &[]
            ),
            Judgement::WrongCode
        );
        assert_eq!(
            judge(
                r#"{"id":1,"verdict":"reject","error":"stale"}"#,
                &invalid,
                &[("stale", "expired")]
            ),
            Judgement::Pass
        );
        assert_eq!(
            judge(
                r#"{"id":1,"verdict":"accept","kind":"k","ts":1}"#,
                &invalid,
                &[]
            ),
            Judgement::Fail
        );
        assert_eq!(
            judge(r#"{"id":1,"verdict":"maybe"}"#, &invalid, &[]),
            Judgement::Fail
        );
        assert_eq!(
            judge(r#"{"id":1,"error":"expired"}"#, &invalid, &[]),
            Judgement::Fail
        );
        let either = expected(Verdict::Acceptable, Some("malformed"), None);
        assert_eq!(
            judge(r#"{"id":1,"verdict":"accept","kind":"k"}"#, &either, &[]),
            Judgement::Pass
        );
        assert_eq!(
            judge(
                r#"{"id":1,"verdict":"reject","error":"malformed"}"#,
                &either,
                &[]
            ),
            Judgement::Pass
        );
        assert_eq!(
            judge(
                r#"{"id":1,"verdict":"reject","error":"oversize"}"#,
                &either,
                &[]
            ),
            Judgement::WrongCode
        );
    }

    #[test]
    fn invisible_characters_are_shown_escaped() {
        assert_eq!(visible("\u{b}{}"), "\\u{b}{}");
        assert_eq!(
            visible("a\u{0}b\tc\u{7f}\u{85}\u{200b}\u{202e}\u{feff}\u{a0}\u{e0041} é😀"),
            "a\\u{0}b\\u{9}c\\u{7f}\\u{85}\\u{200b}\\u{202e}\\u{feff}\\u{a0}\\u{e0041} é😀"
        );
        assert_eq!(show_bytes(b"{\"a\":\n1}"), "{\"a\":\\u{a}1}");
        assert_eq!(show_bytes(&[0xff, 0x00]), "base64:/wA=");
    }

    #[test]
    fn a_signer_must_verify_be_canonical_and_match() {
        let config = sipc_vectors::default_config().unwrap();
        let fields = sipc_reference::Fields {
            kind: "job.run".into(),
            payload: b"x".to_vec(),
            ts: 5,
            nonce: "n".repeat(22),
            ..Default::default()
        };
        let right = sipc_reference::sign(&config.auth.secret, &fields);
        let (cv, fv) = (config.to_value(), accepted_fields(&fields));
        assert_eq!(
            judge_signed(&right, &cv, &fv, &right).judgement,
            Judgement::Pass
        );
        let spaced = [b" ".as_slice(), &right].concat();
        assert!(judge_signed(&spaced, &cv, &fv, &right)
            .detail
            .contains("not in canonical form"));
        let mut forged = right.clone();
        let at = forged.windows(7).position(|w| w == b"\"sig\":\"").unwrap() + 10;
        forged[at] = if forged[at] == b'0' { b'1' } else { b'0' };
        assert!(judge_signed(&forged, &cv, &fv, &right)
            .detail
            .contains("bad_signature"));
        let other = sipc_reference::sign(
            &config.auth.secret,
            &sipc_reference::Fields {
                ts: 6,
                ..fields.clone()
            },
        );
        assert_eq!(
            judge_signed(&other, &cv, &fv, &right).judgement,
            Judgement::Fail
        );
    }
}
