//! Reading vector files (strictly, with the reference's parser) into the cases the runner
//! executes.

use crate::verdict::from_b64;
use sipc_reference::json::{parse, Value};

/// The name of the SIPC/1 profile (the suite `SIPC/1`).
pub const SIPC1: &str = "sipc1";

/// `result` of a test or a step.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verdict {
    /// Must be accepted.
    Valid,
    /// Must be refused with `error`.
    Invalid,
    /// Either is conformant (implementation-defined).
    Acceptable,
}

/// What a case expects of one operation.
#[derive(Clone, Debug)]
pub struct Expected {
    /// `valid`, `invalid` or `acceptable`.
    pub result: Verdict,
    /// The error code of a refusal.
    pub error: Option<String>,
    /// The config field of a `config_invalid`.
    pub field: Option<String>,
    /// The accepted message (`kind`, `payload_b64`, …) of a valid verification.
    pub accepted: Option<Value>,
    /// The canonical form, or the signed envelope, of a valid canonicalize or sign test.
    pub output: Option<Vec<u8>>,
}

/// One verification of a case.
#[derive(Clone, Debug)]
pub struct StepCase {
    /// The verifier's clock.
    pub now: u64,
    /// The raw envelope.
    pub envelope: Vec<u8>,
    /// The expected verdict.
    pub expected: Expected,
}

/// One delivery of a profile's message (`WebhookVerifyTest`, a step of a
/// `WebhookApplicationTest`).
#[derive(Clone, Debug)]
pub struct MessageStep {
    /// The receiver's clock.
    pub now: u64,
    /// The header fields, in order.
    pub headers: Vec<(String, String)>,
    /// The body.
    pub body: Vec<u8>,
    /// The expected verdict.
    pub expected: Expected,
}

/// The operation a case exercises.
#[derive(Clone, Debug)]
pub enum Check {
    /// A profile's `verify`: one message, or (`application`) a sequence through one
    /// application (id cache, body limit).
    Message {
        /// The profile's name.
        profile: String,
        /// The profile's config.
        config: Value,
        /// The deliveries, in order.
        steps: Vec<MessageStep>,
        /// Whether the application layer is under test (ADAPTER.md: op `application`).
        application: bool,
    },
    /// A profile's `sign`.
    MessageSign {
        /// The profile's name.
        profile: String,
        /// The profile's config.
        config: Value,
        /// The parts (`id`, `timestamp`, `body_b64`) as the adapter receives them.
        message: Value,
        /// The headers the reference signs with.
        headers: Vec<(String, String)>,
    },
    /// `canonicalize`.
    Canonicalize {
        /// The JSON text.
        input: Vec<u8>,
        /// The canonical form or `malformed`.
        expected: Expected,
    },
    /// `verify`, one step or a sequence through one verifier.
    Verify {
        /// The receiver's config.
        config: Value,
        /// The verifications, in order.
        steps: Vec<StepCase>,
        /// Whether the steps share one verifier (a `VerifySequenceTest`).
        stateful: bool,
    },
    /// `sign`.
    Sign {
        /// The signer's config.
        config: Value,
        /// The fields to sign.
        fields: Value,
        /// The reference's envelope.
        expected: Expected,
    },
    /// `check_config`.
    CheckConfig {
        /// The config to judge.
        config: Value,
        /// Accept, or `config_invalid` with a field.
        expected: Expected,
    },
}

impl Check {
    /// The profile the check belongs to.
    pub fn profile(&self) -> &str {
        match self {
            Check::Message { profile, .. } | Check::MessageSign { profile, .. } => profile,
            _ => SIPC1,
        }
    }

    /// The adapter op this check needs.
    pub fn op(&self) -> &'static str {
        match self {
            Check::Canonicalize { .. } => "canonicalize",
            Check::Verify { .. } => "verify",
            Check::Sign { .. } => "sign",
            Check::CheckConfig { .. } => "check_config",
            Check::Message {
                application: false, ..
            } => "verify",
            Check::Message {
                application: true, ..
            } => "application",
            Check::MessageSign { .. } => "sign",
        }
    }
}

/// One test.
#[derive(Clone, Debug)]
pub struct Case {
    /// The file (area) it comes from, without `.json`.
    pub file: String,
    /// Unique over the suite.
    pub tc_id: u64,
    /// The family id, e.g. `SEC-IPC-02`.
    pub id: String,
    /// The REQ ids it checks.
    pub req: Vec<String>,
    /// What it is about.
    pub comment: String,
    /// Flags naming the bug a failure reveals.
    pub flags: Vec<String>,
    /// The operation and its expectation.
    pub check: Check,
}

/// A flag's note as the file gives it.
#[derive(Clone, Debug)]
pub struct FileNote {
    /// The flag.
    pub flag: String,
    /// Its bug type.
    pub bug_type: String,
    /// What it checks.
    pub description: String,
    /// What failing it allows.
    pub effect: String,
}

/// What an audit file (area `audit`, spec/AUDIT.md) states about one property of its scheme.
#[derive(Clone, Debug)]
pub struct AuditFact {
    /// The property's flag (`Freshness`, …).
    pub flag: String,
    /// What the scheme provides for it.
    pub scheme: String,
    /// `scheme`, or `application` when the scheme leaves the property to the application.
    pub layer: String,
    /// The severity when the property does not hold.
    pub severity: String,
    /// The fix.
    pub fix: String,
}

/// A parsed vector file.
#[derive(Clone, Debug)]
pub struct VectorFile {
    /// The profile (`sipc1` for the files whose suite is `SIPC/1`).
    pub profile: String,
    /// The area, e.g. `replay`.
    pub area: String,
    /// The notes of its flags.
    pub notes: Vec<FileNote>,
    /// Its tests, in order.
    pub cases: Vec<Case>,
    /// An audit file's facts, per property (empty for other files).
    pub audit: Vec<AuditFact>,
}

fn field<'a>(v: &'a Value, name: &str) -> Result<&'a Value, String> {
    v.get(name).ok_or_else(|| format!("missing member {name}"))
}

fn string(v: &Value, name: &str) -> Result<String, String> {
    field(v, name)?
        .as_str()
        .map(str::to_owned)
        .ok_or_else(|| format!("{name} is not a string"))
}

fn opt_string(v: &Value, name: &str) -> Result<Option<String>, String> {
    v.get(name)
        .map(|x| {
            x.as_str()
                .map(str::to_owned)
                .ok_or_else(|| format!("{name} is not a string"))
        })
        .transpose()
}

fn uint(v: &Value, name: &str) -> Result<u64, String> {
    match field(v, name)? {
        Value::Number(n) => n
            .integer_literal()
            .and_then(|i| u64::try_from(i).ok())
            .ok_or_else(|| format!("{name} is not an unsigned integer")),
        _ => Err(format!("{name} is not a number")),
    }
}

fn array<'a>(v: &'a Value, name: &str) -> Result<&'a [Value], String> {
    match field(v, name)? {
        Value::Array(items) => Ok(items),
        _ => Err(format!("{name} is not an array")),
    }
}

fn strings(v: &Value, name: &str) -> Result<Vec<String>, String> {
    array(v, name)?
        .iter()
        .map(|x| {
            x.as_str()
                .map(str::to_owned)
                .ok_or_else(|| format!("{name} holds a non-string"))
        })
        .collect()
}

/// The bytes of `name` (text) or `name_b64` (base64), whichever is present.
fn bytes(v: &Value, name: &str) -> Result<Option<Vec<u8>>, String> {
    if let Some(text) = v.get(name) {
        return text
            .as_str()
            .map(|s| Some(s.as_bytes().to_vec()))
            .ok_or_else(|| format!("{name} is not a string"));
    }
    match v.get(&format!("{name}_b64")) {
        Some(b) => b
            .as_str()
            .and_then(from_b64)
            .map(Some)
            .ok_or_else(|| format!("{name}_b64 is not base64")),
        None => Ok(None),
    }
}

fn expected(v: &Value, output: &str) -> Result<Expected, String> {
    let result = match string(v, "result")?.as_str() {
        "valid" => Verdict::Valid,
        "invalid" => Verdict::Invalid,
        "acceptable" => Verdict::Acceptable,
        other => return Err(format!("unknown result {other}")),
    };
    let error = opt_string(v, "error")?;
    if result == Verdict::Invalid && error.is_none() {
        return Err("an invalid result without error".into());
    }
    Ok(Expected {
        result,
        error,
        field: opt_string(v, "field")?,
        accepted: v.get("accepted").cloned(),
        output: bytes(v, output)?,
    })
}

fn step(v: &Value) -> Result<StepCase, String> {
    Ok(StepCase {
        now: uint(v, "now")?,
        envelope: bytes(v, "envelope")?.ok_or("missing envelope")?,
        expected: expected(v, "canonical")?,
    })
}

fn headers(v: &Value, name: &str) -> Result<Vec<(String, String)>, String> {
    crate::verdict::header_pairs(field(v, name)?)
        .ok_or_else(|| format!("{name} is not an array of [name, value] string pairs"))
}

fn message_step(v: &Value) -> Result<MessageStep, String> {
    let message = field(v, "message")?;
    Ok(MessageStep {
        now: uint(v, "now")?,
        headers: headers(message, "headers")?,
        body: bytes(message, "body")?.ok_or("missing body")?,
        expected: expected(v, "canonical")?,
    })
}

/// The parts of a sign test as the adapter protocol sends them (`body_b64`).
fn sign_parts(v: &Value) -> Result<Value, String> {
    let message = field(v, "message")?;
    let mut out = Vec::new();
    if let Some(id) = message.get("id") {
        out.push(("id".into(), id.clone()));
    }
    out.push(("timestamp".into(), field(message, "timestamp")?.clone()));
    let body = bytes(message, "body")?.ok_or("missing body")?;
    out.push((
        "body_b64".into(),
        Value::string(&crate::verdict::b64(&body)),
    ));
    Ok(Value::Object(out))
}

fn case(
    profile: &str,
    area: &str,
    group_type: &str,
    group: &Value,
    t: &Value,
) -> Result<Case, String> {
    let config = || field(group, "config").cloned();
    let check = match group_type {
        "WebhookVerifyTest" => Check::Message {
            profile: profile.to_owned(),
            config: config()?,
            steps: vec![message_step(t)?],
            application: false,
        },
        "WebhookSequenceTest" => Check::Message {
            profile: profile.to_owned(),
            config: config()?,
            steps: array(t, "steps")?
                .iter()
                .map(message_step)
                .collect::<Result<_, _>>()?,
            application: false,
        },
        "WebhookApplicationTest" => Check::Message {
            profile: profile.to_owned(),
            config: config()?,
            steps: array(t, "steps")?
                .iter()
                .map(message_step)
                .collect::<Result<_, _>>()?,
            application: true,
        },
        "WebhookSignTest" => Check::MessageSign {
            profile: profile.to_owned(),
            config: config()?,
            message: sign_parts(t)?,
            headers: headers(t, "headers")?,
        },
        "CanonicalizationTest" => Check::Canonicalize {
            input: bytes(t, "input")?.ok_or("missing input")?,
            expected: expected(t, "canonical")?,
        },
        "VerifyTest" => Check::Verify {
            config: config()?,
            steps: vec![step(t)?],
            stateful: false,
        },
        "VerifySequenceTest" => Check::Verify {
            config: config()?,
            steps: array(t, "steps")?
                .iter()
                .map(step)
                .collect::<Result<_, _>>()?,
            stateful: true,
        },
        "SignTest" => Check::Sign {
            config: config()?,
            fields: field(t, "fields")?.clone(),
            expected: expected(t, "envelope")?,
        },
        "ConfigTest" => Check::CheckConfig {
            config: field(t, "config")?.clone(),
            expected: expected(t, "canonical")?,
        },
        other => return Err(format!("unknown group type {other}")),
    };
    Ok(Case {
        file: area.to_owned(),
        tc_id: uint(t, "tcId")?,
        id: string(t, "id")?,
        req: strings(t, "req")?,
        comment: string(t, "comment")?,
        flags: strings(t, "flags")?,
        check,
    })
}

/// Parses one vector file.
pub fn read(text: &[u8]) -> Result<VectorFile, String> {
    let root = parse(text).map_err(|e| format!("not strict JSON: {e}"))?;
    let profile = match string(&root, "suite")?.as_str() {
        "SIPC/1" => SIPC1.to_owned(),
        name if sipc_profiles::Profile::from_name(name).is_some() => name.to_owned(),
        other => return Err(format!("unknown suite {other}")),
    };
    let area = string(&root, "area")?;
    let mut notes = Vec::new();
    if let Some(Value::Object(members)) = root.get("notes") {
        for (flag, note) in members {
            notes.push(FileNote {
                flag: flag.clone(),
                bug_type: string(note, "bugType")?,
                description: string(note, "description")?,
                effect: string(note, "effect")?,
            });
        }
    }
    let mut cases = Vec::new();
    for group in array(&root, "testGroups")? {
        let group_type = string(group, "type")?;
        for t in array(group, "tests")? {
            let tc = t
                .get("tcId")
                .map(|v| String::from_utf8_lossy(&crate::text::compact(v)).into_owned())
                .unwrap_or_default();
            cases.push(
                case(&profile, &area, &group_type, group, t)
                    .map_err(|e| format!("{area} tcId {tc}: {e}"))?,
            );
        }
    }
    let mut audit = Vec::new();
    if let Some(Value::Object(members)) = root.get("audit") {
        for (flag, fact) in members {
            audit.push(AuditFact {
                flag: flag.clone(),
                scheme: string(fact, "scheme")?,
                layer: string(fact, "layer")?,
                severity: string(fact, "severity")?,
                fix: string(fact, "fix")?,
            });
        }
    }
    if uint(&root, "numberOfTests")? != cases.len() as u64 {
        return Err(format!("{area}: numberOfTests does not match the tests"));
    }
    Ok(VectorFile {
        profile,
        area,
        notes,
        cases,
        audit,
    })
}
