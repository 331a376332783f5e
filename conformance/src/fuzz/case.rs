//! What the differential fuzzer sends: a sequence of verifications through one verifier, or
//! one config to judge; and the seeds it starts from (the vectors' own inputs).

use sipc_reference::json::{Number, Value};
use sipc_vectors::load::{Check, VectorFile};
use sipc_vectors::verdict::{b64, from_b64};

/// One verification: the verifier's clock and the raw envelope.
#[derive(Clone, Debug, PartialEq)]
pub struct Step {
    /// `now`.
    pub now: u64,
    /// The raw bytes.
    pub envelope: Vec<u8>,
}

/// One fuzz input.
#[derive(Clone, Debug, PartialEq)]
pub enum FuzzCase {
    /// Steps through one fresh verifier with this config.
    Verify {
        /// The receiver's config.
        config: Value,
        /// In order.
        steps: Vec<Step>,
    },
    /// `check_config` of a config.
    Config {
        /// The config judged.
        config: Value,
    },
    /// One message of a profile other than SIPC/1 through a fresh verifier.
    Message {
        /// The profile's name.
        profile: String,
        /// The profile's config.
        config: Value,
        /// The receiver's clock.
        now: u64,
        /// The header fields, in order.
        headers: Vec<(String, String)>,
        /// The body.
        body: Vec<u8>,
    },
}

impl FuzzCase {
    /// The op the case needs.
    pub fn op(&self) -> &'static str {
        match self {
            FuzzCase::Verify { .. } | FuzzCase::Message { .. } => "verify",
            FuzzCase::Config { .. } => "check_config",
        }
    }

    /// A finding's JSON form (the file `--reproduce` reads).
    pub fn to_value(&self) -> Value {
        match self {
            FuzzCase::Verify { config, steps } => Value::Object(vec![
                ("op".into(), Value::string("verify")),
                ("config".into(), config.clone()),
                (
                    "steps".into(),
                    Value::Array(
                        steps
                            .iter()
                            .map(|st| {
                                let mut m = vec![
                                    ("now".into(), Value::Number(Number::from_u64(st.now))),
                                    ("envelope_b64".into(), Value::string(&b64(&st.envelope))),
                                ];
                                if let Ok(text) = std::str::from_utf8(&st.envelope) {
                                    m.push(("envelope".into(), Value::string(text)));
                                }
                                Value::Object(m)
                            })
                            .collect(),
                    ),
                ),
            ]),
            FuzzCase::Config { config } => Value::Object(vec![
                ("op".into(), Value::string("check_config")),
                ("config".into(), config.clone()),
            ]),
            FuzzCase::Message {
                profile,
                config,
                now,
                headers,
                body,
            } => Value::Object(vec![
                ("op".into(), Value::string("verify")),
                ("profile".into(), Value::string(profile)),
                ("config".into(), config.clone()),
                ("now".into(), Value::Number(Number::from_u64(*now))),
                (
                    "message".into(),
                    crate::run::message::message_value(headers, body),
                ),
            ]),
        }
    }

    /// What step `step` (0-based, as [`crate::fuzz::judge::Disagreement::step`]) sends, in the
    /// words of the runner's reports: `step 2 of 3: verify at now=… the envelope …`, or
    /// `check_config {…}`. Invisible characters are escaped.
    pub fn describe_step(&self, step: usize) -> String {
        use crate::run::check::show_bytes;
        match self {
            FuzzCase::Verify { steps, .. } => match steps.get(step) {
                Some(st) => format!(
                    "step {} of {}: verify at now={} the envelope {}",
                    step + 1,
                    steps.len(),
                    st.now,
                    show_bytes(&st.envelope)
                ),
                None => format!("step {} of {}", step + 1, steps.len()),
            },
            FuzzCase::Config { config } => format!(
                "check_config {}",
                show_bytes(&sipc_vectors::text::compact(config))
            ),
            FuzzCase::Message {
                now, headers, body, ..
            } => format!(
                "verify at now={now} the message {}",
                crate::run::message::describe_message(headers, body)
            ),
        }
    }

    /// Reads what [`FuzzCase::to_value`] wrote.
    pub fn from_value(v: &Value) -> Result<FuzzCase, String> {
        let config = v.get("config").cloned().ok_or("no config")?;
        if let Some(profile) = v.get("profile").and_then(Value::as_str) {
            let now = match v.get("now") {
                Some(Value::Number(n)) => n
                    .integer_literal()
                    .and_then(|i| u64::try_from(i).ok())
                    .ok_or("bad now")?,
                _ => return Err("no now".into()),
            };
            let message = v.get("message").ok_or("no message")?;
            let headers = message
                .get("headers")
                .and_then(sipc_vectors::verdict::header_pairs)
                .ok_or("headers are not [name, value] string pairs")?;
            let body = message
                .get("body_b64")
                .and_then(Value::as_str)
                .and_then(from_b64)
                .ok_or("bad body_b64")?;
            return Ok(FuzzCase::Message {
                profile: profile.to_owned(),
                config,
                now,
                headers,
                body,
            });
        }
        match v.get("op").and_then(Value::as_str) {
            Some("check_config") => Ok(FuzzCase::Config { config }),
            Some("verify") => {
                let Some(Value::Array(items)) = v.get("steps") else {
                    return Err("no steps".into());
                };
                let steps = items
                    .iter()
                    .map(|st| {
                        let now = match st.get("now") {
                            Some(Value::Number(n)) => n
                                .integer_literal()
                                .and_then(|i| u64::try_from(i).ok())
                                .ok_or("bad now")?,
                            _ => return Err("no now"),
                        };
                        let envelope = st
                            .get("envelope_b64")
                            .and_then(Value::as_str)
                            .and_then(from_b64)
                            .ok_or("bad envelope_b64")?;
                        Ok(Step { now, envelope })
                    })
                    .collect::<Result<_, _>>()?;
                Ok(FuzzCase::Verify { config, steps })
            }
            _ => Err("op is neither verify nor check_config".into()),
        }
    }
}

/// The seeds: every verification (single or sequence) and every config of the vectors.
pub fn seeds(files: &[VectorFile]) -> Vec<FuzzCase> {
    let mut out = Vec::new();
    for case in files.iter().flat_map(|f| f.cases.iter()) {
        match &case.check {
            Check::Verify { config, steps, .. } => out.push(FuzzCase::Verify {
                config: config.clone(),
                steps: steps
                    .iter()
                    .map(|s| Step {
                        now: s.now,
                        envelope: s.envelope.clone(),
                    })
                    .collect(),
            }),
            Check::CheckConfig { config, .. } => out.push(FuzzCase::Config {
                config: config.clone(),
            }),
            Check::Message {
                profile,
                config,
                steps,
                application: false,
            } => {
                for step in steps {
                    out.push(FuzzCase::Message {
                        profile: profile.clone(),
                        config: config.clone(),
                        now: step.now,
                        headers: step.headers.clone(),
                        body: step.body.clone(),
                    });
                }
            }
            _ => {}
        }
    }
    out
}
