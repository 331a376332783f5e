//! The signature base, the MAC and the signer (SIPC/1 §6 and §11: REQ-SIG-3, REQ-SIG-4, REQ-SIGNER-*).

use crate::envelope::{encode_payload, Fields, Member, Target};
use crate::hex::lower_hex;
use crate::json::{write_members, Number, Value};
use hmac::{Hmac, Mac};
use sha2::Sha256;

/// The domain-separation prefix of every signature base: `SIPC-1` and a line feed (REQ-SIG-3).
pub const SIG_PREFIX: &[u8; 7] = b"SIPC-1\n";

type HmacSha256 = Hmac<Sha256>;

/// The signature base of an envelope object (REQ-SIG-3): [`SIG_PREFIX`] followed by the RFC 8785
/// form of the object without its *top-level* `sig` member. A nested member named `sig`
/// (inside `headers`, say) stays.
pub fn signature_base(members: &[(String, Value)]) -> Vec<u8> {
    let mut base = SIG_PREFIX.to_vec();
    write_members(
        &mut base,
        members
            .iter()
            .filter(|(name, _)| name != "sig")
            .map(|(n, v)| (n.as_str(), v)),
    );
    base
}

/// HMAC-SHA256 of `base` under `secret` (REQ-SIG-4).
pub fn mac(secret: &[u8], base: &[u8]) -> [u8; 32] {
    MacKey::new(secret)
        .fed(&[base])
        .map_or([0; 32], |mac| mac.finalize().into_bytes().into())
}

/// Whether `sig` is the MAC of `base` under `secret`, by the very compare verification uses
/// (`verify_slice`, constant time over all 32 bytes, REQ-SIG-4). For the dudect bench
/// (`benches/benches/ct_compare.rs`); verification itself keeps its key set up once.
#[doc(hidden)]
pub fn signature_matches(secret: &[u8], base: &[u8], sig: &[u8; 32]) -> bool {
    MacKey::new(secret).matches(&[base], sig)
}

/// The verifier's HMAC key, set up once: the keyed state after the key block, cloned for each
/// envelope (the two compressions of the padded key are not redone per message).
#[derive(Clone)]
pub(crate) struct MacKey(Option<HmacSha256>);

impl MacKey {
    pub(crate) fn new(secret: &[u8]) -> MacKey {
        MacKey(HmacSha256::new_from_slice(secret).ok())
    }

    /// Whether `sig` is the MAC of the concatenation of `parts`, compared in constant time over
    /// all 32 bytes (REQ-SIG-4, REQ-SIG-5). Fails closed should the key ever be refused.
    pub(crate) fn matches(&self, parts: &[&[u8]], sig: &[u8; 32]) -> bool {
        // `verify_slice` compares with `subtle::ConstantTimeEq` and refuses any other length.
        self.fed(parts)
            .is_some_and(|mac| mac.verify_slice(sig).is_ok())
    }

    /// A copy of the keyed state fed `parts` in order. HMAC takes keys of every length, so
    /// `None` never happens with this crate; should it ever, both callers fail closed.
    fn fed(&self, parts: &[&[u8]]) -> Option<HmacSha256> {
        let mut mac = self.0.clone()?;
        for part in parts {
            mac.update(part);
        }
        Some(mac)
    }
}

/// The key is never printed.
impl std::fmt::Debug for MacKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("MacKey(..)")
    }
}

/// Signs an arbitrary envelope object: drops any top-level `sig`, adds the right one and
/// returns the whole object in canonical form. The members are *not* checked against the
/// envelope table, so the conformance vectors can sign envelopes that are wrong on purpose.
pub fn sign_members(secret: &[u8], mut members: Vec<(String, Value)>) -> Vec<u8> {
    members.retain(|(name, _)| name != "sig");
    let sig = lower_hex(&mac(secret, &signature_base(&members)));
    members.push(("sig".to_owned(), Value::String(sig)));
    let mut out = Vec::new();
    write_members(&mut out, members.iter().map(|(n, v)| (n.as_str(), v)));
    out
}

/// The envelope members for `fields`, `"v": 1` included, `sig` not (REQ-SIGNER-1, REQ-SIGNER-2).
/// Absent optional members stay absent and `null` stays `null` (REQ-ENV-12).
pub fn envelope_members(fields: &Fields) -> Vec<(String, Value)> {
    let string = |s: &str| Value::String(s.to_owned());
    let mut members = vec![
        ("v".to_owned(), Value::Number(Number::from_u64(1))),
        ("kind".to_owned(), string(&fields.kind)),
        (
            "payload".to_owned(),
            Value::String(encode_payload(&fields.payload)),
        ),
        ("ts".to_owned(), Value::Number(Number::from_u64(fields.ts))),
        ("nonce".to_owned(), string(&fields.nonce)),
    ];
    let target = match &fields.target {
        Member::Absent => None,
        Member::Null => Some(Value::Null),
        Member::Value(Target::One(t)) => Some(string(t)),
        Member::Value(Target::Many(ts)) => {
            Some(Value::Array(ts.iter().map(|t| string(t)).collect()))
        }
    };
    let optional = |m: &Member<String>| match m {
        Member::Absent => None,
        Member::Null => Some(Value::Null),
        Member::Value(s) => Some(string(s)),
    };
    let headers = fields
        .headers
        .as_ref()
        .map(|h| Value::Object(h.iter().map(|(k, v)| (k.clone(), string(v))).collect()));
    for (name, value) in [
        ("target", target),
        ("trace_id", optional(&fields.trace_id)),
        ("reply_to", optional(&fields.reply_to)),
        ("headers", headers),
    ] {
        if let Some(value) = value {
            members.push((name.to_owned(), value));
        }
    }
    members
}

/// Signs `fields` with `secret` (a config's decoded `auth.secret_hex`, [`crate::Auth::secret`]):
/// the whole envelope, `"v": 1` and `sig` included, in RFC 8785 form (REQ-SIGNER-1). The fields
/// are signed exactly as given, never repaired (REQ-SIGNER-3); [`crate::Verifier`] is the judge
/// of whether they are valid.
pub fn sign(secret: &[u8], fields: &Fields) -> Vec<u8> {
    sign_members(secret, envelope_members(fields))
}
