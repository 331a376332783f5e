//! The audit probes (spec/AUDIT.md): for each profile, inputs that show whether the *scheme*
//! guarantees freshness, replay protection, coverage, interoperability, key handling,
//! non-malleability and robustness, and the facts a report states beside them. One file per
//! profile, `testvectors/audit/<profile>.json`, in the vector format (area `audit`).

mod hmac_json;
mod sipc1;
mod webhooks;

use crate::profiles::build::{Expect, File, Step};
use crate::suite::meta;
use sipc_profiles::{Message, Profile};
use sipc_reference::json::Value;

/// The text the audit files link into.
pub const SPEC: &str = "spec/AUDIT.md";

crate::notes::notes! {
    "Freshness", "STALENESS", &["REQ-AUDIT-1"],
    "Is a message's age bounded, both ways? A message signed a day ago, or a day ahead, must be refused.",
    "Captured messages are accepted late, or a message signed ahead of time stays valid.";
    "Replay", "REPLAY", &["REQ-AUDIT-2"],
    "Does the message carry an id under the MAC, and does anything refuse its second delivery inside the window?",
    "A captured message is processed twice.";
    "Coverage", "AUTHENTICATION_BYPASS", &["REQ-AUDIT-3"],
    "Is everything the receiver acts on under the MAC: headers, id, kind, event name, the timestamp's own bytes, the body's bytes?",
    "What is outside the MAC can be changed on an authentic message.";
    "Interoperability", "INTEROPERABILITY", &["REQ-AUDIT-4"],
    "Can a signer in another common language, using its standard library the obvious way, produce bytes this verifier accepts?",
    "Peers in other languages cannot talk to the receiver, and teams 'fix' it by loosening the verifier.";
    "KeyHandling", "MISCONFIGURATION", &["REQ-AUDIT-5"],
    "Is the key's reading fixed, and is a key too short to be secret refused when the verifier is configured?",
    "A guessable key is accepted, or two peers read one secret as two keys.";
    "Malleability", "MALLEABILITY", &["REQ-AUDIT-6"],
    "Does one signature authenticate one reading: no accepted form that parsers read differently, no second spelling of the signature?",
    "Two consumers of one authentic message act on different content, or a signature has several accepted forms.";
    "Robustness", "ROBUSTNESS", &["REQ-AUDIT-7"],
    "Does odd input (a short or non-string MAC, a missing member, a body that is null or a list, a huge number) get an answer rather than a crash?",
    "Anyone can make the receiver raise: a crash, a 500, a stuck queue.";
}

/// A property of spec/AUDIT.md.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Property {
    /// REQ-AUDIT-1.
    Freshness,
    /// REQ-AUDIT-2.
    Replay,
    /// REQ-AUDIT-3.
    Coverage,
    /// REQ-AUDIT-4.
    Interoperability,
    /// REQ-AUDIT-5.
    KeyHandling,
    /// REQ-AUDIT-6.
    Malleability,
    /// REQ-AUDIT-7.
    Robustness,
}

impl Property {
    /// Every property, in report order.
    pub const ALL: [Property; 7] = [
        Property::Freshness,
        Property::Replay,
        Property::Coverage,
        Property::Interoperability,
        Property::KeyHandling,
        Property::Malleability,
        Property::Robustness,
    ];

    /// The flag its probes carry.
    pub fn flag(self) -> &'static str {
        match self {
            Property::Freshness => "Freshness",
            Property::Replay => "Replay",
            Property::Coverage => "Coverage",
            Property::Interoperability => "Interoperability",
            Property::KeyHandling => "KeyHandling",
            Property::Malleability => "Malleability",
            Property::Robustness => "Robustness",
        }
    }

    /// Its REQ id and its family id.
    fn ids(self) -> (&'static str, &'static str) {
        match self {
            Property::Freshness => ("REQ-AUDIT-1", "AUDIT-FRESHNESS"),
            Property::Replay => ("REQ-AUDIT-2", "AUDIT-REPLAY"),
            Property::Coverage => ("REQ-AUDIT-3", "AUDIT-COVERAGE"),
            Property::Interoperability => ("REQ-AUDIT-4", "AUDIT-INTEROPERABILITY"),
            Property::KeyHandling => ("REQ-AUDIT-5", "AUDIT-KEYHANDLING"),
            Property::Malleability => ("REQ-AUDIT-6", "AUDIT-MALLEABILITY"),
            Property::Robustness => ("REQ-AUDIT-7", "AUDIT-ROBUSTNESS"),
        }
    }

    /// The property of `flag`.
    pub fn from_flag(flag: &str) -> Option<Property> {
        Property::ALL.into_iter().find(|p| p.flag() == flag)
    }
}

/// Whether the scheme itself is meant to provide a property, or leaves it to the application.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Layer {
    /// The scheme.
    Scheme,
    /// The receiving application.
    Application,
}

/// What the report states about one property of one scheme.
pub struct Fact {
    /// The property.
    pub property: Property,
    /// What the scheme provides for it, in a sentence or two.
    pub scheme: &'static str,
    /// Who is meant to provide it.
    pub layer: Layer,
    /// The severity when it does not hold: critical, high, medium or low.
    pub severity: &'static str,
    /// The fix.
    pub fix: &'static str,
}

fn facts_value(facts: &[Fact]) -> Value {
    Value::Object(
        facts
            .iter()
            .map(|f| {
                (
                    f.property.flag().to_owned(),
                    Value::Object(vec![
                        ("scheme".into(), Value::string(f.scheme)),
                        (
                            "layer".into(),
                            Value::string(match f.layer {
                                Layer::Scheme => "scheme",
                                Layer::Application => "application",
                            }),
                        ),
                        ("severity".into(), Value::string(f.severity)),
                        ("fix".into(), Value::string(f.fix)),
                    ]),
                )
            })
            .collect(),
    )
}

/// The probes of one profile other than SIPC/1 under construction: a [`File`] whose groups
/// are opened as the probes need them.
pub(crate) struct Probes {
    file: File,
    config: Value,
    open: Option<(&'static str, Value)>,
}

/// One delivery of a probe.
pub(crate) fn step(now: u64, message: Message, expect: Expect) -> Step {
    Step {
        now,
        message,
        expect,
    }
}

impl Probes {
    fn new(profile: Profile, config: Value) -> Probes {
        Probes {
            file: File::new(profile, "audit", NOTES, SPEC),
            config,
            open: None,
        }
    }

    fn group(&mut self, kind: &'static str, config: &Value) {
        if self.open.as_ref() != Some(&(kind, config.clone())) {
            self.file.probe_group(kind, config);
            self.open = Some((kind, config.clone()));
        }
    }

    /// One message, verified at `now`.
    pub(crate) fn verify(
        &mut self,
        p: Property,
        comment: &str,
        now: u64,
        message: Message,
        expect: Expect,
    ) {
        let config = self.config.clone();
        self.verify_under(p, comment, &config, now, message, expect);
    }

    /// One message under another config.
    pub(crate) fn verify_under(
        &mut self,
        p: Property,
        comment: &str,
        config: &Value,
        now: u64,
        message: Message,
        expect: Expect,
    ) {
        self.group("WebhookVerifyTest", config);
        let (req, id) = p.ids();
        self.file.probe(
            meta(id, &[req], &[p.flag()], comment),
            vec![step(now, message, expect)],
        );
    }

    /// Deliveries in order: through the stateless `verify`, or through one application.
    pub(crate) fn sequence(
        &mut self,
        p: Property,
        comment: &str,
        steps: Vec<Step>,
        application: bool,
    ) {
        let kind = if application {
            "WebhookApplicationTest"
        } else {
            "WebhookSequenceTest"
        };
        let config = self.config.clone();
        self.group(kind, &config);
        let (req, id) = p.ids();
        self.file
            .probe(meta(id, &[req], &[p.flag()], comment), steps);
    }

    /// A config with a weak secret, which holding REQ-AUDIT-5 means refusing.
    pub(crate) fn weak_key(&mut self, comment: &str, config: Value, now: u64, message: Message) {
        self.group("WebhookVerifyTest", &config);
        let (req, id) = Property::KeyHandling.ids();
        self.file.probe_config(
            meta(id, &[req], &["KeyHandling"], comment),
            now,
            message,
            "secret",
        );
    }

    fn finish(mut self, facts: &[Fact]) -> Result<Value, Vec<String>> {
        self.file.set_audit(facts_value(facts));
        self.file.finish(1).map(|(value, _)| value)
    }
}

/// The audit file of `profile` (`sipc1` or a profile of `sipc-profiles`), for the published
/// configs.
pub fn generate(profile: &str) -> Result<Vec<u8>, Vec<String>> {
    let value = match Profile::from_name(profile) {
        Some(p @ (Profile::HmacJsonInsertionOrder | Profile::HmacJsonSortedKeys)) => {
            let (probes, facts) = hmac_json::probes(p);
            probes.finish(&facts)?
        }
        Some(p) => {
            let (probes, facts) = webhooks::probes(p);
            probes.finish(&facts)?
        }
        None if profile == crate::load::SIPC1 => sipc1::file()?,
        None => return Err(vec![format!("unknown profile {profile}")]),
    };
    Ok(crate::text::pretty(&value))
}

/// Every profile with an audit file, SIPC/1 first.
pub fn profiles() -> Vec<&'static str> {
    let mut out = vec![crate::load::SIPC1];
    out.extend(Profile::ALL.iter().map(|p| p.name()));
    out
}
