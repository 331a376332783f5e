//! Building a profile's vector files: messages (headers in order, body bytes) verified by the
//! profile's reference as each test is added. `valid` and `invalid` tests must match the
//! reference's answer; `acceptable` ones record it for the reader.

use crate::notes::Note;
use crate::suite::{file_value, notes_value, test_head, Meta};
use crate::verdict::header_pairs_value;
use crate::wire::bytes_field;
use sipc_profiles::{Application, Message, Profile, ProfileConfig, Reject, Verifier};
use sipc_reference::json::Value;

/// What a test expects of one verification.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Expect {
    /// Accepted (`valid`).
    Accept,
    /// Refused with this code (`invalid`).
    Reject(&'static str),
    /// The documentation is silent: either answer conforms (`acceptable`); the flag names
    /// the ambiguity.
    Either,
}

/// One verification of an application sequence.
pub struct Step {
    /// The receiver's clock.
    pub now: u64,
    /// The message.
    pub message: Message,
    /// Its expected result.
    pub expect: Expect,
}

struct Group {
    kind: &'static str,
    /// Audit probes: not checked against the reference (the scheme may not hold the property).
    probe: bool,
    config: Value,
    tests: Vec<(Meta, Vec<(String, Value)>)>,
}

/// One file of a profile under construction.
pub struct File {
    profile: Profile,
    notes: &'static [Note],
    spec: &'static str,
    /// The area, e.g. `timestamp`.
    pub name: &'static str,
    groups: Vec<Group>,
    problems: Vec<String>,
    audit: Option<Value>,
}

/// A message's JSON form: `{"headers": [[name, value], …], "body" | "body_b64": …}`.
pub fn message_value(message: &Message) -> Value {
    Value::Object(vec![
        ("headers".into(), header_pairs_value(&message.headers)),
        bytes_field("body", &message.body),
    ])
}

/// The `result` (and `error`) members of an expectation.
fn expectation(expect: Expect) -> Vec<(String, Value)> {
    match expect {
        Expect::Accept => vec![("result".into(), Value::string("valid"))],
        Expect::Reject(code) => vec![
            ("result".into(), Value::string("invalid")),
            ("error".into(), Value::string(code)),
        ],
        Expect::Either => vec![("result".into(), Value::string("acceptable"))],
    }
}

fn verdict(outcome: &Result<(), Reject>) -> &'static str {
    match outcome {
        Ok(()) => "accept",
        Err(reject) => reject.code(),
    }
}

impl File {
    /// A new, empty file of `profile`'s area `name`; flags are looked up in `notes`, and
    /// their links point into `spec`.
    pub fn new(
        profile: Profile,
        name: &'static str,
        notes: &'static [Note],
        spec: &'static str,
    ) -> File {
        File {
            profile,
            notes,
            spec,
            name,
            groups: Vec::new(),
            problems: Vec::new(),
            audit: None,
        }
    }

    fn group(&mut self, kind: &'static str, config: &Value) {
        self.groups.push(Group {
            probe: false,
            kind,
            config: config.clone(),
            tests: Vec::new(),
        });
    }

    /// Starts a group of single verifications under `config`.
    pub fn verify_group(&mut self, config: &Value) {
        self.group("WebhookVerifyTest", config);
    }

    /// Starts a group of application sequences under `config`.
    pub fn application_group(&mut self, config: &Value) {
        self.group("WebhookApplicationTest", config);
    }

    /// Starts a group of audit probes (spec/AUDIT.md): `WebhookVerifyTest`, or
    /// `WebhookSequenceTest` (steps through the stateless `verify`) or `WebhookApplicationTest`
    /// (steps through one application). Their `result` is what a scheme that holds the
    /// property answers; the reference is not asked.
    pub fn probe_group(&mut self, kind: &'static str, config: &Value) {
        self.group(kind, config);
        if let Some(group) = self.groups.last_mut() {
            group.probe = true;
        }
    }

    /// The audit facts of an audit file (its `audit` member).
    pub fn set_audit(&mut self, facts: Value) {
        self.audit = Some(facts);
    }

    /// An audit probe: one message, or several in order (the group's kind says through what);
    /// each step's expectation is what holding the property requires. `code` names the
    /// refusal such a scheme gives.
    pub fn probe(&mut self, meta: Meta, steps: Vec<Step>) {
        let single = self.groups.last().map(|g| g.kind) == Some("WebhookVerifyTest");
        let mut out: Vec<Vec<(String, Value)>> = steps
            .iter()
            .map(|step| {
                let mut body = vec![
                    ("now".into(), Value::uint(step.now)),
                    ("message".into(), message_value(&step.message)),
                ];
                body.extend(expectation(step.expect));
                body
            })
            .collect();
        let body = match (single, out.len()) {
            (true, 1) => out.pop().unwrap_or_default(),
            (true, _) => return self.problem(&meta, "a single-message probe with several steps"),
            (false, _) => {
                let all_valid = steps.iter().all(|s| s.expect == Expect::Accept);
                vec![
                    (
                        "steps".into(),
                        Value::Array(out.into_iter().map(Value::Object).collect()),
                    ),
                    (
                        "result".into(),
                        Value::string(if all_valid { "valid" } else { "invalid" }),
                    ),
                ]
            }
        };
        self.push(meta, body);
    }

    /// An audit probe of the group's config (a weak key): holding the property means refusing
    /// the config (`config_invalid` on `field`), whatever the message.
    pub fn probe_config(&mut self, meta: Meta, now: u64, message: Message, field: &str) {
        let body = vec![
            ("now".into(), Value::uint(now)),
            ("message".into(), message_value(&message)),
            ("result".into(), Value::string("invalid")),
            ("error".into(), Value::string("config_invalid")),
            ("field".into(), Value::string(field)),
        ];
        self.push(meta, body);
    }

    /// Starts a group of signer tests under `config`.
    pub fn sign_group(&mut self, config: &Value) {
        self.group("WebhookSignTest", config);
    }

    fn config(&self) -> Option<ProfileConfig> {
        let config = &self.groups.last()?.config;
        ProfileConfig::from_value(config, self.profile.config_req()).ok()
    }

    fn verifier(&mut self, meta: &Meta) -> Option<Verifier> {
        let verifier = self
            .config()
            .and_then(|c| self.profile.verifier_for(&c).ok());
        if verifier.is_none() {
            self.problem(meta, "no valid group config");
        }
        verifier
    }

    fn problem(&mut self, meta: &Meta, what: &str) {
        self.problems.push(format!(
            "{} {} ({}): {what}",
            self.name,
            meta.id(),
            meta.comment()
        ));
    }

    fn push(&mut self, meta: Meta, body: Vec<(String, Value)>) {
        match self.groups.last_mut() {
            Some(group) => group.tests.push((meta, body)),
            None => self.problem(&meta, "test before any group"),
        }
    }

    /// The members of one judged verification; records a problem where `expect` and the
    /// reference's `outcome` differ.
    fn judged(
        &mut self,
        meta: &Meta,
        now: u64,
        message: &Message,
        expect: Expect,
        outcome: &Result<(), Reject>,
    ) -> Vec<(String, Value)> {
        let got = verdict(outcome);
        match expect {
            Expect::Accept if got != "accept" => self.problem(
                meta,
                &format!("the vector says accept, the reference {got}"),
            ),
            Expect::Reject(code) if got != code => self.problem(
                meta,
                &format!("the vector says {code}, the reference {got}"),
            ),
            Expect::Either if meta.flags().is_empty() => self.problem(
                meta,
                "an acceptable test without a flag naming the ambiguity",
            ),
            _ => {}
        }
        let mut body = vec![
            ("now".into(), Value::uint(now)),
            ("message".into(), message_value(message)),
        ];
        match (expect, outcome) {
            (Expect::Accept, _) => body.push(("result".into(), Value::string("valid"))),
            (Expect::Reject(code), _) => {
                body.push(("result".into(), Value::string("invalid")));
                body.push(("error".into(), Value::string(code)));
            }
            (Expect::Either, Ok(())) => body.push(("result".into(), Value::string("acceptable"))),
            (Expect::Either, Err(reject)) => {
                body.push(("result".into(), Value::string("acceptable")));
                body.push(("error".into(), Value::string(reject.code())));
            }
        }
        body
    }

    /// One verification, by the profile's verifier alone.
    pub fn verify(&mut self, meta: Meta, now: u64, message: Message, expect: Expect) {
        let Some(verifier) = self.verifier(&meta) else {
            return;
        };
        let outcome = verifier.verify(&message, now);
        let body = self.judged(&meta, now, &message, expect, &outcome);
        self.push(meta, body);
    }

    /// One verification under the group's config, which is invalid on purpose: the answer is
    /// `config_invalid` naming `field`, whatever the message (spec/ADAPTER.md, "Profiles").
    pub fn verify_under_invalid_config(
        &mut self,
        meta: Meta,
        now: u64,
        message: Message,
        field: &str,
    ) {
        let config = self
            .groups
            .last()
            .map(|g| g.config.clone())
            .unwrap_or(Value::Null);
        let got = match ProfileConfig::from_value(&config, self.profile.config_req())
            .and_then(|c| self.profile.verifier_for(&c))
        {
            Ok(_) => "a valid config".to_owned(),
            Err(e) => format!("{}:{}", e.code(), e.field().unwrap_or("")),
        };
        if got != format!("config_invalid:{field}") {
            self.problem(
                &meta,
                &format!("the vector says config_invalid:{field}, the reference {got}"),
            );
        }
        let body = vec![
            ("now".into(), Value::uint(now)),
            ("message".into(), message_value(&message)),
            ("result".into(), Value::string("invalid")),
            ("error".into(), Value::string("config_invalid")),
            ("field".into(), Value::string(field)),
        ];
        self.push(meta, body);
    }

    /// Several deliveries in order to one application (one id cache, one body limit).
    pub fn application(&mut self, meta: Meta, steps: Vec<Step>) {
        let Some(config) = self.config() else {
            return self.problem(&meta, "no valid group config");
        };
        let mut app = match Application::new(self.profile, &config) {
            Ok(app) => app,
            Err(e) => return self.problem(&meta, &format!("config: {e}")),
        };
        let mut out = Vec::new();
        for step in &steps {
            let outcome = app.receive(&step.message, step.now);
            out.push(Value::Object(self.judged(
                &meta,
                step.now,
                &step.message,
                step.expect,
                &outcome,
            )));
        }
        let all_valid = steps.iter().all(|s| s.expect == Expect::Accept);
        let body = vec![
            ("steps".into(), Value::Array(out)),
            (
                "result".into(),
                Value::string(if all_valid { "valid" } else { "invalid" }),
            ),
        ];
        self.push(meta, body);
    }

    /// A signer test: the parts, and the headers the reference signs them with (which its
    /// verifier must accept at `timestamp`).
    pub fn sign(&mut self, meta: Meta, id: &str, timestamp: u64, body: &[u8]) {
        let Some(verifier) = self.verifier(&meta) else {
            return;
        };
        let ts = timestamp.to_string();
        let headers = verifier.sign(id, &ts, body);
        let message = Message {
            headers: headers.clone(),
            body: body.to_vec(),
        };
        if verifier.verify(&message, timestamp).is_err() {
            self.problem(&meta, "the reference does not accept what it signed");
        }
        let mut parts = Vec::new();
        if self.profile == Profile::StandardWebhooks {
            parts.push(("id".into(), Value::string(id)));
        }
        parts.push(("timestamp".into(), Value::string(&ts)));
        parts.push(bytes_field("body", body));
        let result = vec![
            ("message".into(), Value::Object(parts)),
            ("result".into(), Value::string("valid")),
            ("headers".into(), header_pairs_value(&message.headers)),
        ];
        self.push(meta, result);
    }

    /// The file as a JSON value, numbering tests from `first_tc_id`; returns the next free id.
    pub fn finish(self, first_tc_id: u64) -> Result<(Value, u64), Vec<String>> {
        let mut problems = self.problems;
        let mut tc_id = first_tc_id;
        let mut count = 0u64;
        let mut used: Vec<&str> = Vec::new();
        let mut groups = Vec::new();
        for group in self.groups {
            let mut tests = Vec::new();
            for (meta, body) in group.tests {
                for flag in meta.flags() {
                    if !self.notes.iter().any(|n| n.flag == *flag) {
                        problems.push(format!("{}: flag {flag} has no note", meta.id()));
                    }
                    if !used.contains(flag) {
                        used.push(flag);
                    }
                }
                let mut members = test_head(tc_id, &meta);
                members.extend(body);
                tests.push(Value::Object(members));
                tc_id += 1;
                count += 1;
            }
            groups.push(Value::Object(vec![
                ("type".into(), Value::string(group.kind)),
                ("config".into(), group.config),
                ("tests".into(), Value::Array(tests)),
            ]));
        }
        if !problems.is_empty() {
            return Err(problems);
        }
        // A notes table shared by two profiles links only into this profile's REQ ids.
        let own = self.profile.config_req().trim_end_matches(char::is_numeric);
        let notes = notes_value(self.notes, self.spec, &used, |link| {
            !link.starts_with("REQ-") || link.starts_with(own) || link.starts_with("REQ-AUDIT-")
        });
        let mut file = file_value(self.profile.name(), self.name, count, notes, groups);
        if let (Some(audit), Value::Object(members)) = (self.audit, &mut file) {
            members.push(("audit".into(), audit));
        }
        Ok((file, tc_id))
    }
}
