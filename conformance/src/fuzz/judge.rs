//! One fuzz case through the reference and through the implementation, and where they part.

use super::case::FuzzCase;
use crate::process::{Adapter, Broken};
use sipc_reference::json::{Number, Value};
use sipc_reference::{Config, Verifier};
use sipc_vectors::text;
use sipc_vectors::verdict::{accepted_fields, b64};
use std::collections::BTreeMap;

/// What one side said about one step (or one config).
#[derive(Clone, Debug, PartialEq)]
pub enum Said {
    /// Accepted; for `verify`, the message returned (`kind`, `payload_b64`, …).
    Accept(Value),
    /// Refused with this code (for configs: `config_invalid:<field>`).
    Reject(String),
    /// The exchange broke (crash, timeout, garbage); the reference never does this.
    Broken(String),
}

impl Said {
    /// A short form: `accept`, the code, or `broken`.
    pub fn code(&self) -> String {
        match self {
            Said::Accept(_) => "accept".into(),
            Said::Reject(code) => code.clone(),
            Said::Broken(_) => "broken".into(),
        }
    }
}

impl std::fmt::Display for Said {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Said::Accept(Value::Null) => write!(f, "accept"),
            Said::Accept(v) => write!(f, "accept {}", String::from_utf8_lossy(&text::compact(v))),
            Said::Reject(code) => write!(f, "reject: {code}"),
            Said::Broken(why) => write!(f, "broken exchange: {why}"),
        }
    }
}

/// The first place where the two sides differ.
#[derive(Clone, Debug, PartialEq)]
pub struct Disagreement {
    /// The step (0 for a config).
    pub step: usize,
    /// The reference's answer.
    pub reference: Said,
    /// The implementation's answer.
    pub implementation: Said,
}

impl Disagreement {
    /// What kind of disagreement it is, for grouping: `step kind: reference → implementation`.
    pub fn signature(&self, op: &str) -> String {
        format!(
            "{op}: reference {} / implementation {}",
            self.reference.code(),
            self.implementation.code()
        )
    }
}

/// The reference's answers.
pub fn reference(case: &FuzzCase) -> Vec<Said> {
    match case {
        FuzzCase::Config { config } => vec![match Config::from_value(config) {
            Ok(_) => Said::Accept(Value::Null),
            Err(r) => Said::Reject(format!("config_invalid:{}", r.field().unwrap_or(""))),
        }],
        FuzzCase::Message {
            profile,
            config,
            now,
            headers,
            body,
        } => vec![
            match profile_verdict(profile, config, *now, headers, body) {
                Ok(()) => Said::Accept(Value::Object(Vec::new())),
                Err(r) => Said::Reject(r.code().into()),
            },
        ],
        FuzzCase::Verify { config, steps } => {
            let Ok(mut verifier) = Config::from_value(config).and_then(Verifier::new) else {
                return Vec::new();
            };
            steps
                .iter()
                .map(|st| match verifier.verify(&st.envelope, st.now) {
                    Ok(message) => Said::Accept(accepted_fields(&message)),
                    Err(r) => Said::Reject(r.code().into()),
                })
                .collect()
        }
    }
}

/// The rule the reference's refusal of step `step` (0-based) broke, when it is `malformed`
/// (REQ-JSON-*, REQ-ENV-*, REQ-PAYLOAD-*): the case is run through a fresh reference verifier
/// again, up to that step. `None` for any other answer, and for configs.
pub fn reference_requirement(case: &FuzzCase, step: usize) -> Option<&'static str> {
    if let FuzzCase::Message {
        profile,
        config,
        now,
        headers,
        body,
    } = case
    {
        return profile_verdict(profile, config, *now, headers, body)
            .err()
            .map(|r| r.req());
    }
    let FuzzCase::Verify { config, steps } = case else {
        return None;
    };
    let mut verifier = Config::from_value(config).and_then(Verifier::new).ok()?;
    let mut last = None;
    for st in steps.iter().take(step.saturating_add(1)) {
        last = verifier.verify(&st.envelope, st.now).err();
    }
    last.and_then(|reject| reject.req())
}

/// The profile reference's verdict on one message.
fn profile_verdict(
    profile: &str,
    config: &Value,
    now: u64,
    headers: &[(String, String)],
    body: &[u8],
) -> Result<(), sipc_profiles::Reject> {
    let verifier = match sipc_profiles::Profile::from_name(profile) {
        Some(p) => p.verifier(&text::compact(config))?,
        None => {
            return Err(sipc_profiles::Reject::ConfigInvalid {
                field: "profile".into(),
                req: "spec/ADAPTER.md",
            })
        }
    };
    verifier.verify(
        &sipc_profiles::Message {
            headers: headers.to_vec(),
            body: body.to_vec(),
        },
        now,
    )
}

/// A response (an adapter's, or a TCP answer frame) as what the implementation said.
pub fn said(response: &Value, error_map: &BTreeMap<String, String>, config: bool) -> Said {
    let code = response
        .get("error")
        .and_then(Value::as_str)
        .map(|c| error_map.get(c).cloned().unwrap_or_else(|| c.to_owned()));
    match response.get("verdict").and_then(Value::as_str) {
        Some("accept") if config => Said::Accept(Value::Null),
        Some("accept") => Said::Accept(match response {
            Value::Object(m) => Value::Object(
                m.iter()
                    .filter(|(n, _)| n != "id" && n != "verdict")
                    .cloned()
                    .collect(),
            ),
            other => other.clone(),
        }),
        Some("reject") if config => Said::Reject(format!(
            "{}:{}",
            code.unwrap_or_default(),
            response.get("field").and_then(Value::as_str).unwrap_or("")
        )),
        Some("reject") => Said::Reject(code.unwrap_or_else(|| "(no code)".into())),
        Some("crash") => Said::Broken(format!(
            "crash: {}",
            response
                .get("exception")
                .and_then(Value::as_str)
                .unwrap_or("(no exception)")
        )),
        _ => Said::Broken(format!(
            "a response without a verdict: {}",
            String::from_utf8_lossy(&text::compact(response))
        )),
    }
}

/// The implementation's answers; `Err` when an exchange broke (the answers so far, and why).
pub fn implementation(
    adapter: &mut Adapter,
    case: &FuzzCase,
    state: &str,
    error_map: &BTreeMap<String, String>,
) -> Result<Vec<Said>, (Vec<Said>, Broken)> {
    match case {
        FuzzCase::Config { config } => {
            let response = adapter
                .request(vec![
                    ("op".into(), Value::string("check_config")),
                    ("config".into(), config.clone()),
                ])
                .map_err(|b| (Vec::new(), b))?;
            Ok(vec![said(&response, error_map, true)])
        }
        FuzzCase::Message {
            profile,
            config,
            now,
            headers,
            body,
        } => {
            let response = adapter
                .request(vec![
                    ("op".into(), Value::string("verify")),
                    ("profile".into(), Value::string(profile)),
                    ("config".into(), config.clone()),
                    ("now".into(), Value::Number(Number::from_u64(*now))),
                    (
                        "message".into(),
                        crate::run::message::message_value(headers, body),
                    ),
                ])
                .map_err(|b| (Vec::new(), b))?;
            Ok(vec![said(&response, error_map, false)])
        }
        FuzzCase::Verify { config, steps } => {
            let mut out = Vec::new();
            for st in steps {
                let response = adapter.request(vec![
                    ("op".into(), Value::string("verify")),
                    ("state".into(), Value::string(state)),
                    ("config".into(), config.clone()),
                    ("now".into(), Value::Number(Number::from_u64(st.now))),
                    ("envelope_b64".into(), Value::string(&b64(&st.envelope))),
                ]);
                match response {
                    Ok(r) => out.push(said(&r, error_map, false)),
                    Err(b) => return Err((out, b)),
                }
            }
            Ok(out)
        }
    }
}

/// The first step where the answers differ (a missing answer is a broken exchange).
pub fn compare(reference: &[Said], implementation: &[Said]) -> Option<Disagreement> {
    reference.iter().enumerate().find_map(|(step, r)| {
        let i = implementation
            .get(step)
            .cloned()
            .unwrap_or_else(|| Said::Broken("no answer".into()));
        // A library that does not say why it refused (`unspecified`) agrees with any refusal.
        let same = *r == i
            || matches!((r, &i), (Said::Reject(_), Said::Reject(code)) if code == crate::run::check::UNSPECIFIED);
        (!same).then(|| Disagreement {
            step,
            reference: r.clone(),
            implementation: i,
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_difference_is_reported() {
        let a = Said::Accept(Value::Null);
        let r = Said::Reject("replay".into());
        assert_eq!(
            compare(&[a.clone(), r.clone()], &[a.clone(), r.clone()]),
            None
        );
        let d = compare(&[a.clone(), r.clone()], &[a.clone(), a.clone()]).unwrap();
        assert_eq!(
            (d.step, d.reference, d.implementation),
            (1, r.clone(), a.clone())
        );
        let d = compare(&[a.clone(), r], &[a]).unwrap();
        assert_eq!(d.implementation, Said::Broken("no answer".into()));
    }

    #[test]
    fn responses_are_read_through_the_error_map() {
        let map = BTreeMap::from([("stale".to_owned(), "expired".to_owned())]);
        let response =
            sipc_reference::json::parse(br#"{"id":3,"verdict":"reject","error":"stale"}"#).unwrap();
        assert_eq!(said(&response, &map, false), Said::Reject("expired".into()));
        let response = sipc_reference::json::parse(
            br#"{"id":3,"verdict":"reject","error":"config_invalid","field":"bind_host"}"#,
        )
        .unwrap();
        assert_eq!(
            said(&response, &map, true),
            Said::Reject("config_invalid:bind_host".into())
        );
        let response =
            sipc_reference::json::parse(br#"{"id":3,"verdict":"accept","kind":"a"}"#).unwrap();
        assert_eq!(
            said(&response, &map, false),
            Said::Accept(sipc_reference::json::parse(br#"{"kind":"a"}"#).unwrap())
        );
    }
}
