//! An arbitrary message → `sign` → `verify` accepts it and returns exactly what was signed
//! (REQ-SIGNER-1, REQ-VERIFY-3); a copy with one byte changed is refused, unless it
//! canonicalizes to the very bytes that were signed (REQ-SIG-3, REQ-SIG-4).
#![no_main]

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use sipc_fuzz::{Knobs, NOW};
use sipc_reference::envelope::encode_payload;
use sipc_reference::{canonicalize, sign, Fields, Member, Target, Verifier};
use std::collections::BTreeMap;

/// `text` cut to at most `max` bytes at a character boundary.
fn cut(mut text: String, max: usize) -> String {
    while text.len() > max {
        text.pop();
    }
    text
}

fn member(m: Option<Option<String>>, max: usize) -> Member<String> {
    match m {
        None => Member::Absent,
        Some(None) => Member::Null,
        Some(Some(s)) => Member::Value(cut(s, max)),
    }
}

#[derive(Arbitrary, Debug)]
struct Message {
    cancel: bool,
    payload: Vec<u8>,
    ts_offset: i16,
    nonce: [u8; 16],
    target: Option<Option<Vec<String>>>,
    trace_id: Option<Option<String>>,
    reply_to: Option<Option<String>>,
    headers: Option<Vec<(String, String)>>,
    flip_at: usize,
    flip: u8,
}

impl Message {
    fn fields(self) -> Fields {
        let target = match self.target {
            None => Member::Absent,
            Some(None) => Member::Null,
            Some(Some(list)) => {
                let mut list: Vec<String> = list
                    .into_iter()
                    .map(|t| cut(t, 256))
                    .filter(|t| !t.is_empty())
                    .take(32)
                    .collect();
                match list.len() {
                    0 => Member::Value(Target::One("svc".into())),
                    1 if self.cancel => Member::Value(Target::One(list.remove(0))),
                    _ => Member::Value(Target::Many(list)),
                }
            }
        };
        let headers = self.headers.map(|pairs| {
            pairs
                .into_iter()
                .map(|(k, v)| (cut(k, 128), cut(v, 1024)))
                .filter(|(k, _)| !k.is_empty())
                .take(32)
                .collect::<BTreeMap<_, _>>()
        });
        Fields {
            kind: if self.cancel { "job.cancel" } else { "job.run" }.into(),
            payload: self.payload.into_iter().take(256).collect(),
            ts: NOW.saturating_add_signed(i64::from(self.ts_offset)),
            nonce: encode_payload(&self.nonce),
            target,
            trace_id: member(self.trace_id, 128),
            reply_to: member(self.reply_to, 256),
            headers,
        }
    }
}

fuzz_target!(|message: Message| {
    let (flip_at, flip) = (message.flip_at, message.flip);
    let fields = message.fields();
    let mut config = Knobs {
        ttl: 0,
        cache: 0,
        payload: 0,
        envelope: 0,
    }
    .config();
    config.max_envelope_bytes = Some(1 << 20);
    let wire = sign(&config.auth.secret, &fields);
    assert_eq!(
        canonicalize(&wire).as_deref(),
        Ok(&wire[..]),
        "signer output not canonical"
    );
    let mut verifier = Verifier::new(config.clone()).unwrap();
    assert_eq!(verifier.verify(&wire, fields.ts), Ok(fields.clone()));

    if flip == 0 || wire.is_empty() {
        return;
    }
    let mut mutated = wire.clone();
    let at = flip_at % mutated.len();
    mutated[at] ^= flip;
    let mut fresh = Verifier::new(config).unwrap();
    let mut general = fresh.clone();
    let verdict = fresh.verify(&mutated, fields.ts);
    // The canonical fast path answers as the general path does.
    assert_eq!(verdict, general.verify_general(&mutated, fields.ts));
    if let Ok(accepted) = verdict {
        assert_eq!(
            canonicalize(&mutated).as_deref(),
            Ok(&wire[..]),
            "a changed envelope was accepted: {:?}",
            String::from_utf8_lossy(&mutated)
        );
        assert_eq!(accepted, fields);
    }
});
