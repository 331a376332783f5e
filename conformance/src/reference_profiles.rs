//! The profiles of `sipc-profiles` behind `sipc adapter` (spec/ADAPTER.md, "Profiles"):
//! `verify` of a message (one delivery, or through an application kept per `state`) and
//! `sign`. The runner's self-test for the profiles, and a column of `sipc matrix`.

use sipc_profiles::{Application, Message, Profile, ProfileConfig, Reject};
use sipc_reference::json::Value;
use sipc_vectors::verdict::{from_b64, header_pairs, header_pairs_value};
use std::collections::HashMap;

fn error(code: &str) -> Vec<(String, Value)> {
    vec![("error".into(), Value::string(code))]
}

fn refusal(reject: &Reject) -> Vec<(String, Value)> {
    let mut out = vec![
        ("verdict".into(), Value::string("reject")),
        ("error".into(), Value::string(reject.code())),
    ];
    if let Some(field) = reject.field() {
        out.push(("field".into(), Value::string(field)));
    }
    out
}

/// The applications by state name.
#[derive(Default)]
pub struct Profiles {
    applications: HashMap<String, Application>,
}

impl Profiles {
    /// Forgets every application (`reset`).
    pub fn reset(&mut self) {
        self.applications.clear();
    }

    /// Answers a request that names a profile of `sipc-profiles`.
    pub fn handle(&mut self, profile: Profile, request: &Value) -> Vec<(String, Value)> {
        let config = request.get("config").unwrap_or(&Value::Null);
        let parsed = match ProfileConfig::from_value(config, profile.config_req()) {
            Ok(c) => c,
            Err(reject) => return refusal(&reject),
        };
        let verifier = match profile.verifier_for(&parsed) {
            Ok(v) => v,
            Err(reject) => return refusal(&reject),
        };
        let Some(message) = request.get("message") else {
            return error("bad_request");
        };
        let Some(body) = message
            .get("body_b64")
            .and_then(Value::as_str)
            .and_then(from_b64)
        else {
            return error("bad_request");
        };
        match request.get("op").and_then(Value::as_str) {
            Some("verify") => {
                let (Some(now), Some(headers)) = (
                    match request.get("now") {
                        Some(Value::Number(n)) => {
                            n.integer_literal().and_then(|i| u64::try_from(i).ok())
                        }
                        _ => None,
                    },
                    message.get("headers").and_then(header_pairs),
                ) else {
                    return error("bad_request");
                };
                let message = Message { headers, body };
                let verdict = if request.get("application") == Some(&Value::Bool(true)) {
                    let state = request
                        .get("state")
                        .and_then(Value::as_str)
                        .unwrap_or("")
                        .to_owned();
                    let app = match self.applications.entry(state) {
                        std::collections::hash_map::Entry::Occupied(e) => e.into_mut(),
                        std::collections::hash_map::Entry::Vacant(e) => {
                            match Application::new(profile, &parsed) {
                                Ok(app) => e.insert(app),
                                Err(reject) => return refusal(&reject),
                            }
                        }
                    };
                    app.receive(&message, now)
                } else {
                    verifier.verify(&message, now)
                };
                match verdict {
                    Ok(()) => vec![("verdict".into(), Value::string("accept"))],
                    Err(reject) => refusal(&reject),
                }
            }
            Some("sign") => {
                let text = |name: &str| message.get(name).and_then(Value::as_str).unwrap_or("");
                let signed = verifier.sign(text("id"), text("timestamp"), &body);
                vec![("headers".into(), header_pairs_value(&signed))]
            }
            _ => error("unsupported_op"),
        }
    }
}

/// The `profiles` member of `hello`.
pub fn names() -> Value {
    let mut names = vec![Value::string(sipc_vectors::load::SIPC1)];
    names.extend(Profile::ALL.iter().map(|p| Value::string(p.name())));
    Value::Array(names)
}

/// The profile a request names, when it is one of `sipc-profiles`.
pub fn of(request: &Value) -> Option<Profile> {
    request
        .get("profile")
        .and_then(Value::as_str)
        .and_then(Profile::from_name)
}
