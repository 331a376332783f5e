//! Building vector files: areas hold groups, groups hold tests; every expected result is
//! checked against the reference verifier as the test is added.

use crate::notes;
use crate::verdict;
use crate::wire::bytes_field;
use sipc_reference::json::Value;
use sipc_reference::{canonicalize, Config, Reject, Verifier};

/// The name of the schema every file declares.
pub const SCHEMA: &str = "sipc_vectors_v1.schema.json";

/// What a test expects of one verification.
#[derive(Clone, Copy, Debug)]
pub enum Expect {
    /// The envelope is accepted (`result: valid`).
    Accept,
    /// The envelope is refused with this code (`result: invalid`).
    Reject(&'static str),
}

/// The identity of a test: family id, requirements, flags and a comment.
pub struct Meta {
    id: &'static str,
    req: Vec<&'static str>,
    flags: Vec<&'static str>,
    comment: String,
}

impl Meta {
    /// The family id.
    pub fn id(&self) -> &'static str {
        self.id
    }

    /// The flags.
    pub fn flags(&self) -> &[&'static str] {
        &self.flags
    }

    /// The comment.
    pub fn comment(&self) -> &str {
        &self.comment
    }
}

/// A test's identity (`id` is its family, e.g. `SEC-IPC-02`).
pub fn meta(
    id: &'static str,
    req: &[&'static str],
    flags: &[&'static str],
    comment: impl Into<String>,
) -> Meta {
    Meta {
        id,
        req: req.to_vec(),
        flags: flags.to_vec(),
        comment: comment.into(),
    }
}

struct Test {
    meta: Meta,
    body: Vec<(String, Value)>,
}

struct Group {
    kind: &'static str,
    config: Option<Config>,
    tests: Vec<Test>,
}

/// One vector file under construction.
pub struct Area {
    /// The file name without `.json`.
    pub name: &'static str,
    groups: Vec<Group>,
    problems: Vec<String>,
}

fn result_members(expect: Expect, outcome: Result<Value, Reject>) -> Vec<(String, Value)> {
    match (expect, outcome) {
        (Expect::Accept, Ok(accepted)) => {
            vec![
                ("result".into(), Value::string("valid")),
                ("accepted".into(), accepted),
            ]
        }
        (_, Err(reject)) => vec![
            ("result".into(), Value::string("invalid")),
            ("error".into(), Value::string(reject.code())),
        ],
        (Expect::Reject(_), Ok(_)) => vec![("result".into(), Value::string("valid"))],
    }
}

fn config_invalid(field: &str) -> [(String, Value); 3] {
    [
        ("result".into(), Value::string("invalid")),
        ("error".into(), Value::string("config_invalid")),
        ("field".into(), Value::string(field)),
    ]
}

fn outcome_code(outcome: &Result<Value, Reject>) -> &'static str {
    match outcome {
        Ok(_) => "accept",
        Err(reject) => reject.code(),
    }
}

fn expect_code(expect: Expect) -> &'static str {
    match expect {
        Expect::Accept => "accept",
        Expect::Reject(code) => code,
    }
}

impl Area {
    /// A new, empty file.
    pub fn new(name: &'static str) -> Area {
        Area {
            name,
            groups: Vec::new(),
            problems: Vec::new(),
        }
    }

    fn group(&mut self, kind: &'static str, config: Option<&Config>) {
        self.groups.push(Group {
            kind,
            config: config.cloned(),
            tests: Vec::new(),
        });
    }

    fn push(&mut self, meta: Meta, body: Vec<(String, Value)>) {
        if let Some(group) = self.groups.last_mut() {
            group.tests.push(Test { meta, body });
        } else {
            self.problems
                .push(format!("{}: test before any group", meta.id));
        }
    }

    fn config(&self) -> Option<Config> {
        self.groups.last().and_then(|g| g.config.clone())
    }

    fn check(&mut self, meta: &Meta, what: &str, wanted: &str, got: &str) {
        if wanted != got {
            self.problems.push(format!(
                "{} ({}): {what}: the vector says {wanted}, the reference says {got}",
                meta.id, meta.comment
            ));
        }
    }

    /// Starts a group of single verifications under `config`.
    pub fn verify_group(&mut self, config: &Config) {
        self.group("VerifyTest", Some(config));
    }

    /// Starts a group of stateful sequences under `config`.
    pub fn sequence_group(&mut self, config: &Config) {
        self.group("VerifySequenceTest", Some(config));
    }

    /// Starts a group of canonicalization tests.
    pub fn canon_group(&mut self) {
        self.group("CanonicalizationTest", None);
    }

    /// Starts a group of config checks.
    pub fn config_group(&mut self) {
        self.group("ConfigTest", None);
    }

    /// Starts a group of signer tests under `config`.
    pub fn sign_group(&mut self, config: &Config) {
        self.group("SignTest", Some(config));
    }

    fn run_step(
        &mut self,
        meta: &Meta,
        verifier: &mut Option<Verifier>,
        step: &Step,
    ) -> Vec<(String, Value)> {
        let outcome = match verifier.as_mut() {
            Some(v) => v
                .verify(&step.wire, step.now)
                .map(|a| verdict::accepted_fields(&a)),
            None => Err(Reject::ConfigInvalid {
                field: String::new(),
            }),
        };
        self.check(
            meta,
            "verify",
            expect_code(step.expect),
            outcome_code(&outcome),
        );
        let mut body = vec![("now".into(), Value::uint(step.now))];
        body.push(bytes_field("envelope", &step.wire));
        body.extend(result_members(step.expect, outcome));
        body
    }

    fn verifier(&mut self, meta: &Meta) -> Option<Verifier> {
        let verifier = self.config().and_then(|c| Verifier::new(c).ok());
        if verifier.is_none() {
            self.problems
                .push(format!("{}: no valid group config", meta.id));
        }
        verifier
    }

    /// One verification with a fresh verifier.
    pub fn verify(&mut self, meta: Meta, now: u64, wire: Vec<u8>, expect: Expect) {
        let mut verifier = self.verifier(&meta);
        let body = self.run_step(&meta, &mut verifier, &Step { now, wire, expect });
        self.push(meta, body);
    }

    /// Several verifications in order, through one verifier (one replay cache, one clock).
    pub fn sequence(&mut self, meta: Meta, steps: Vec<Step>) {
        let mut verifier = self.verifier(&meta);
        let mut out = Vec::new();
        let mut all_valid = true;
        for step in &steps {
            all_valid &= matches!(step.expect, Expect::Accept);
            out.push(Value::Object(self.run_step(&meta, &mut verifier, step)));
        }
        let result = if all_valid { "valid" } else { "invalid" };
        self.push(
            meta,
            vec![
                ("steps".into(), Value::Array(out)),
                ("result".into(), Value::string(result)),
            ],
        );
    }

    /// Canonicalization of `input`; `expect` is `Accept` or `Reject("malformed")`.
    pub fn canon(&mut self, meta: Meta, input: &[u8], expect: Expect) {
        let outcome = canonicalize(input);
        let got = match &outcome {
            Ok(_) => "accept",
            Err(reject) => reject.code(),
        };
        self.check(&meta, "canonicalize", expect_code(expect), got);
        let mut body = vec![bytes_field("input", input)];
        match outcome {
            Ok(canonical) => {
                body.push(("result".into(), Value::string("valid")));
                body.push(bytes_field("canonical", &canonical));
            }
            Err(reject) => {
                body.push(("result".into(), Value::string("invalid")));
                body.push(("error".into(), Value::string(reject.code())));
            }
        }
        self.push(meta, body);
    }

    /// A config check: `field` is `None` for a valid config, else the dotted field expected.
    pub fn check_config(&mut self, meta: Meta, config: Value, field: Option<&str>) {
        let outcome = Config::from_value(&config);
        let got = match &outcome {
            Ok(_) => "accept".to_owned(),
            Err(reject) => format!("{}:{}", reject.code(), reject.field().unwrap_or("")),
        };
        let wanted = field.map_or("accept".to_owned(), |f| format!("config_invalid:{f}"));
        self.check(&meta, "check_config", &wanted, &got);
        let mut body = vec![("config".into(), config)];
        match outcome {
            Ok(_) => body.push(("result".into(), Value::string("valid"))),
            Err(reject) => {
                body.push(("result".into(), Value::string("invalid")));
                body.push(("error".into(), Value::string(reject.code())));
                body.push(("field".into(), Value::string(reject.field().unwrap_or(""))));
            }
        }
        self.push(meta, body);
    }

    /// A verification under the group's config, which is invalid on purpose: the answer is
    /// `config_invalid` naming `field`, whatever the envelope (spec/ADAPTER.md, `verify`).
    pub fn verify_under_invalid_config(
        &mut self,
        meta: Meta,
        now: u64,
        wire: Vec<u8>,
        field: &str,
    ) {
        let got = self.config_verdict();
        self.check(&meta, "verify", &format!("config_invalid:{field}"), &got);
        let mut body = vec![("now".into(), Value::uint(now))];
        body.push(bytes_field("envelope", &wire));
        body.extend(config_invalid(field));
        self.push(meta, body);
    }

    /// A signer test under the group's config, which is invalid on purpose: the answer is
    /// `config_invalid` naming `field`, and no envelope (spec/ADAPTER.md, `sign`).
    pub fn sign_under_invalid_config(
        &mut self,
        meta: Meta,
        fields: &sipc_reference::Fields,
        field: &str,
    ) {
        let got = self.config_verdict();
        self.check(&meta, "sign", &format!("config_invalid:{field}"), &got);
        let mut body = vec![("fields".into(), verdict::accepted_fields(fields))];
        body.extend(config_invalid(field));
        self.push(meta, body);
    }

    /// A signer test whose fields break §4 (REQ-SIGNER-3): `acceptable`, either the envelope the
    /// reference signs for the fields as given, or a refusal with `malformed`. The generator
    /// checks that the reference verifier does refuse that envelope as `malformed`.
    pub fn sign_as_given(&mut self, meta: Meta, fields: &sipc_reference::Fields) {
        let Some(config) = self.config() else {
            self.problems
                .push(format!("{}: sign test without config", meta.id));
            return;
        };
        let envelope = sipc_reference::sign(&config.auth.secret, fields);
        let got = match Verifier::new(config).map(|mut v| v.verify(&envelope, fields.ts)) {
            Ok(Err(reject)) => reject.code(),
            Ok(Ok(_)) => "accept",
            Err(reject) => reject.code(),
        };
        self.check(&meta, "verify what was signed", "malformed", got);
        let body = vec![
            ("fields".into(), verdict::accepted_fields(fields)),
            ("result".into(), Value::string("acceptable")),
            ("error".into(), Value::string("malformed")),
            bytes_field("envelope", &envelope),
        ];
        self.push(meta, body);
    }

    /// `config_invalid:<field>` for the group's config, or what else it is.
    fn config_verdict(&self) -> String {
        match self.config().map(Verifier::new) {
            Some(Err(reject)) => format!("{}:{}", reject.code(), reject.field().unwrap_or("")),
            Some(Ok(_)) => "a valid config".into(),
            None => "no group config".into(),
        }
    }

    /// A signer test: the fields, and the envelope the reference signs for them.
    pub fn sign(&mut self, meta: Meta, fields: &sipc_reference::Fields) {
        let Some(config) = self.config() else {
            self.problems
                .push(format!("{}: sign test without config", meta.id));
            return;
        };
        let envelope = sipc_reference::sign(&config.auth.secret, fields);
        let accepted = Verifier::new(config)
            .ok()
            .map(|mut v| v.verify(&envelope, fields.ts));
        let got = match &accepted {
            Some(Ok(a)) if a == fields => "accept",
            _ => "not accepted as signed",
        };
        self.check(&meta, "sign then verify", "accept", got);
        let body = vec![
            ("fields".into(), verdict::accepted_fields(fields)),
            ("result".into(), Value::string("valid")),
            bytes_field("envelope", &envelope),
        ];
        self.push(meta, body);
    }

    /// The file as a JSON value, numbering tests from `first_tc_id`; returns the next free id.
    pub fn finish(self, first_tc_id: u64) -> Result<(Value, u64), Vec<String>> {
        self.finish_with(first_tc_id, notes::NOTES, notes::spec_path(), None)
    }

    /// [`Area::finish`] with another notes table and text (the audit file's), and the audit
    /// facts of an audit file.
    pub fn finish_with(
        self,
        first_tc_id: u64,
        table: &[notes::Note],
        spec: &str,
        audit: Option<Value>,
    ) -> Result<(Value, u64), Vec<String>> {
        if !self.problems.is_empty() {
            return Err(self.problems);
        }
        let mut tc_id = first_tc_id;
        let mut count = 0u64;
        let mut flags_used: Vec<&'static str> = Vec::new();
        let mut groups = Vec::new();
        for group in self.groups {
            let mut tests = Vec::new();
            for test in group.tests {
                let meta = test.meta;
                for flag in &meta.flags {
                    if !flags_used.contains(flag) {
                        flags_used.push(flag);
                    }
                }
                let mut members = test_head(tc_id, &meta);
                members.extend(test.body);
                tests.push(Value::Object(members));
                tc_id += 1;
                count += 1;
            }
            let mut members = vec![("type".into(), Value::string(group.kind))];
            if let Some(config) = group.config {
                members.push(("config".into(), config.to_value()));
            }
            members.push(("tests".into(), Value::Array(tests)));
            groups.push(Value::Object(members));
        }
        let notes = notes_value(table, spec, &flags_used, |_| true);
        let mut file = file_value("SIPC/1", self.name, count, notes, groups);
        if let (Some(audit), Value::Object(members)) = (audit, &mut file) {
            members.push(("audit".into(), audit));
        }
        Ok((file, tc_id))
    }
}

/// One verification of a sequence.
pub struct Step {
    /// The verifier's time.
    pub now: u64,
    /// The raw envelope.
    pub wire: Vec<u8>,
    /// What the reference must answer.
    pub expect: Expect,
}

/// A step of a sequence.
pub fn step(now: u64, wire: Vec<u8>, expect: Expect) -> Step {
    Step { now, wire, expect }
}

/// The members every test starts with: tcId, family id, REQ ids, comment, flags.
pub(crate) fn test_head(tc_id: u64, meta: &Meta) -> Vec<(String, Value)> {
    vec![
        ("tcId".into(), Value::uint(tc_id)),
        ("id".into(), Value::string(meta.id)),
        (
            "req".into(),
            Value::Array(meta.req.iter().map(|r| Value::string(r)).collect()),
        ),
        ("comment".into(), Value::string(&meta.comment)),
        (
            "flags".into(),
            Value::Array(meta.flags.iter().map(|f| Value::string(f)).collect()),
        ),
    ]
}

/// The `notes` of a file: each flag used, in the table's order, with links into `spec`.
pub(crate) fn notes_value(
    table: &[notes::Note],
    spec: &str,
    used: &[&str],
    keep_link: impl Fn(&str) -> bool,
) -> Value {
    let mut out = Vec::new();
    for note in table.iter().filter(|n| used.contains(&n.flag)) {
        out.push((
            note.flag.to_owned(),
            Value::Object(vec![
                ("bugType".into(), Value::string(note.bug_type)),
                ("description".into(), Value::string(note.description)),
                ("effect".into(), Value::string(note.effect)),
                (
                    "links".into(),
                    Value::Array(
                        note.links
                            .iter()
                            .filter(|l| keep_link(l))
                            .map(|l| Value::string(&format!("{spec}#{l}")))
                            .collect(),
                    ),
                ),
            ]),
        ));
    }
    Value::Object(out)
}

/// A whole vector file.
pub(crate) fn file_value(
    suite: &str,
    area: &str,
    count: u64,
    notes: Value,
    groups: Vec<Value>,
) -> Value {
    Value::Object(vec![
        ("suite".into(), Value::string(suite)),
        ("schema".into(), Value::string(SCHEMA)),
        (
            "source".into(),
            Value::Object(vec![
                ("name".into(), Value::string("sipc-vectors")),
                ("version".into(), Value::string(env!("CARGO_PKG_VERSION"))),
            ]),
        ),
        ("area".into(), Value::string(area)),
        ("numberOfTests".into(), Value::uint(count)),
        ("notes".into(), notes),
        ("testGroups".into(), Value::Array(groups)),
    ])
}
