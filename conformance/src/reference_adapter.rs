//! `sipc adapter`: the Rust reference behind the `sipc-adapter/1` protocol (spec/ADAPTER.md),
//! reading requests on stdin and answering on stdout. It is the model the Python and Node
//! adapters follow, and the runner's own self-test.

use crate::error::Error;
use sipc_reference::json::{parse, Value};
use sipc_reference::{canonicalize, sign, Config, Fields, Member, Reject, Target, Verifier};
use sipc_vectors::text;
use sipc_vectors::verdict::{accepted, b64, from_b64, rejected};
use std::collections::{BTreeMap, HashMap};
use std::io::{BufRead, Read, Write};

/// The longest request line read (a 16 MiB payload, base64 twice, and room to spare).
const MAX_REQUEST: u64 = 64 << 20;
/// The ops this adapter supports.
const OPS: [&str; 7] = [
    "hello",
    "verify",
    "reset",
    "sign",
    "canonicalize",
    "check_config",
    "application",
];

fn error(code: &str) -> Vec<(String, Value)> {
    vec![("error".into(), Value::string(code))]
}

fn members(value: Value) -> Vec<(String, Value)> {
    match value {
        Value::Object(m) => m,
        _ => Vec::new(),
    }
}

fn uint(value: Option<&Value>) -> Option<u64> {
    match value {
        Some(Value::Number(n)) => n.integer_literal().and_then(|i| u64::try_from(i).ok()),
        _ => None,
    }
}

fn bytes(request: &Value, name: &str) -> Option<Vec<u8>> {
    request.get(name).and_then(Value::as_str).and_then(from_b64)
}

fn string_member(fields: &Value, name: &str) -> Result<Member<String>, ()> {
    match fields.get(name) {
        None => Ok(Member::Absent),
        Some(Value::Null) => Ok(Member::Null),
        Some(Value::String(v)) => Ok(Member::Value(v.clone())),
        Some(_) => Err(()),
    }
}

/// The `fields` of a `sign` request.
fn fields(value: &Value) -> Result<Fields, ()> {
    let target = match value.get("target") {
        None => Member::Absent,
        Some(Value::Null) => Member::Null,
        Some(Value::String(t)) => Member::Value(Target::One(t.clone())),
        Some(Value::Array(items)) => Member::Value(Target::Many(
            items
                .iter()
                .map(|v| v.as_str().map(str::to_owned).ok_or(()))
                .collect::<Result<_, _>>()?,
        )),
        Some(_) => return Err(()),
    };
    let headers = match value.get("headers") {
        None => None,
        Some(Value::Object(m)) => Some(
            m.iter()
                .map(|(k, v)| v.as_str().map(|v| (k.clone(), v.to_owned())).ok_or(()))
                .collect::<Result<BTreeMap<_, _>, _>>()?,
        ),
        Some(_) => return Err(()),
    };
    Ok(Fields {
        kind: value
            .get("kind")
            .and_then(Value::as_str)
            .ok_or(())?
            .to_owned(),
        payload: bytes(value, "payload_b64").ok_or(())?,
        ts: uint(value.get("ts")).ok_or(())?,
        nonce: value
            .get("nonce")
            .and_then(Value::as_str)
            .ok_or(())?
            .to_owned(),
        target,
        trace_id: string_member(value, "trace_id")?,
        reply_to: string_member(value, "reply_to")?,
        headers,
    })
}

fn config_of(request: &Value) -> Result<Config, Reject> {
    Config::from_value(request.get("config").unwrap_or(&Value::Null))
}

fn config_error(reject: &Reject) -> Vec<(String, Value)> {
    vec![
        ("verdict".into(), Value::string("reject")),
        ("error".into(), Value::string(reject.code())),
        ("field".into(), Value::string(reject.field().unwrap_or(""))),
    ]
}

/// One adapter: its verifiers by state name.
#[derive(Default)]
struct Adapter {
    states: HashMap<String, Verifier>,
    profiles: crate::reference_profiles::Profiles,
}

impl Adapter {
    fn handle(&mut self, request: &Value) -> Vec<(String, Value)> {
        if let Some(profile) = crate::reference_profiles::of(request) {
            return self.profiles.handle(profile, request);
        }
        match request.get("op").and_then(Value::as_str) {
            Some("hello") => vec![
                (
                    "implementation".into(),
                    Value::string("sipc-reference (Rust)"),
                ),
                ("version".into(), Value::string(env!("CARGO_PKG_VERSION"))),
                (
                    "ops".into(),
                    Value::Array(OPS.iter().map(|o| Value::string(o)).collect()),
                ),
                ("profiles".into(), crate::reference_profiles::names()),
            ],
            Some("reset") => {
                self.states.clear();
                self.profiles.reset();
                vec![("ok".into(), Value::Bool(true))]
            }
            Some("verify") => self.verify(request),
            Some("sign") => match (config_of(request), request.get("fields").map(fields)) {
                (Ok(config), Some(Ok(f))) => {
                    vec![(
                        "envelope_b64".into(),
                        Value::string(&b64(&sign(&config.auth.secret, &f))),
                    )]
                }
                (Err(reject), _) => config_error(&reject),
                _ => error("bad_request"),
            },
            Some("canonicalize") => match bytes(request, "json_b64") {
                Some(input) => match canonicalize(&input) {
                    Ok(out) => vec![("canonical_b64".into(), Value::string(&b64(&out)))],
                    Err(reject) => error(reject.code()),
                },
                None => error("bad_request"),
            },
            Some("check_config") => match config_of(request) {
                Ok(_) => vec![("verdict".into(), Value::string("accept"))],
                Err(reject) => config_error(&reject),
            },
            _ => error("unsupported_op"),
        }
    }

    fn verify(&mut self, request: &Value) -> Vec<(String, Value)> {
        let (Some(now), Some(envelope)) =
            (uint(request.get("now")), bytes(request, "envelope_b64"))
        else {
            return error("bad_request");
        };
        let state = request
            .get("state")
            .and_then(Value::as_str)
            .map(str::to_owned);
        let mut fresh;
        let verifier = match state {
            Some(name) if self.states.contains_key(&name) => self.states.get_mut(&name),
            other => {
                let verifier = match config_of(request).and_then(Verifier::new) {
                    Ok(v) => v,
                    Err(reject) => return config_error(&reject),
                };
                match other {
                    Some(name) => Some(self.states.entry(name).or_insert(verifier)),
                    None => {
                        fresh = verifier;
                        Some(&mut fresh)
                    }
                }
            }
        };
        let Some(verifier) = verifier else {
            return error("bad_request");
        };
        members(match verifier.verify(&envelope, now) {
            Ok(message) => accepted(&message),
            Err(reject) => rejected(reject.code()),
        })
    }
}

/// Serves requests until stdin ends.
pub fn serve() -> Result<(), Error> {
    let stdin = std::io::stdin();
    let mut input = stdin.lock();
    let mut out = std::io::stdout().lock();
    let mut adapter = Adapter::default();
    loop {
        let mut line = Vec::new();
        let n = input
            .by_ref()
            .take(MAX_REQUEST)
            .read_until(b'\n', &mut line)
            .map_err(|e| Error::io("stdin", e))?;
        if n == 0 {
            return Ok(());
        }
        if line.last() == Some(&b'\n') {
            line.pop();
        } else if u64::try_from(line.len()).unwrap_or(u64::MAX) >= MAX_REQUEST {
            return Err(Error::TooLarge {
                what: "a request line".into(),
                limit: MAX_REQUEST,
            });
        }
        let (id, body) = match parse(&line) {
            Ok(request) => (
                request.get("id").cloned().unwrap_or(Value::Null),
                adapter.handle(&request),
            ),
            Err(_) => (Value::Null, error("bad_request")),
        };
        let mut response = vec![("id".into(), id)];
        response.extend(body);
        let mut bytes = text::compact(&Value::Object(response));
        bytes.push(b'\n');
        out.write_all(&bytes)
            .and_then(|()| out.flush())
            .map_err(|e| Error::io("stdout", e))?;
    }
}
