//! Structure-aware mutations of the seeds: envelopes are parsed into their members and changed
//! the ways implementations get wrong (member order, escapes, case, dropped and duplicated
//! members, numbers and lengths at and across their limits, flipped bytes of `sig` and
//! `payload`), often signed again so that the change reaches the checks after the MAC; steps
//! are replayed and their clocks shifted; configs get their members dropped, retyped and
//! pushed across their ranges. A few raw byte changes keep the parser busy too.

use super::case::FuzzCase;
use super::rng::Rng;
use sipc_reference::hex::lower_hex;
use sipc_reference::json::{parse, Value};
use sipc_reference::sign::{mac, signature_base};
use sipc_reference::Config;
use sipc_vectors::wire::{self, json};

/// The envelope's members when it parses as a strict JSON object.
fn members(envelope: &[u8]) -> Option<Vec<(String, Value)>> {
    match parse(envelope) {
        Ok(Value::Object(m)) => Some(m),
        _ => None,
    }
}

pub(super) fn set(members: &mut Vec<(String, Value)>, name: &str, value: Value) {
    match members.iter_mut().find(|(n, _)| n == name) {
        Some((_, v)) => *v = value,
        None => members.push((name.to_owned(), value)),
    }
}

pub(super) fn get<'a>(members: &'a [(String, Value)], name: &str) -> Option<&'a Value> {
    members.iter().find(|(n, _)| n == name).map(|(_, v)| v)
}

/// A string of `n` characters drawn from `alphabet`.
fn text(rng: &mut Rng, alphabet: &[char], n: usize) -> String {
    (0..n)
        .map(|_| *rng.pick(alphabet).unwrap_or(&'a'))
        .collect()
}

const NONCE_CHARS: &[char] = &[
    'a', 'Z', '0', '9', '-', '_', 'q', 'Q', 'x', 'X', '5', 'm', 'M',
];
/// Two-byte and four-byte characters probe limits counted in characters instead of bytes.
const WIDE: &[char] = &['é', 'ß', '😀', 'a', '\u{7f}', '\u{1}', '"', '\\'];

/// Integer literals across the ranges of SIPC/1.
pub(super) fn number_across(rng: &mut Rng, center: i128, span: i128) -> Value {
    let choices = [
        center - span - 1,
        center - span,
        center + span,
        center + span + 1,
        center,
        0,
        -1,
        (1 << 53) - 1,
        1 << 53,
    ];
    let n = *rng.pick(&choices).unwrap_or(&center);
    match rng.below(8) {
        0 => json(&format!("{n}.0")),
        1 if n > 0 => json(&format!("{}e{}", n / 10, 1)),
        2 => json("-0"),
        3 => Value::string(&n.to_string()),
        _ => json(&n.to_string()),
    }
}

/// Changes one member of an envelope.
fn change_member(rng: &mut Rng, m: &mut Vec<(String, Value)>, config: Option<&Config>, now: u64) {
    let ttl = config.map_or(60, |c| c.auth.ttl_seconds);
    let max_payload = config.map_or(256, |c| c.max_payload_bytes);
    let kind = config
        .and_then(|c| c.allowed_kinds.first().cloned())
        .unwrap_or_else(|| "job.run".into());
    match rng.below(11) {
        0 => set(
            m,
            "ts",
            number_across(rng, i128::from(now), i128::from(ttl)),
        ),
        1 => {
            let v = [
                json("2"),
                json("0"),
                json("1.0"),
                Value::string("1"),
                json("-1"),
                json("1e0"),
                json("100000000000000000000"),
                json("1"),
            ];
            set(m, "v", rng.pick(&v).cloned().unwrap_or(Value::Null));
        }
        2 => {
            let n = *rng.pick(&[21usize, 22, 64, 128, 129]).unwrap_or(&22);
            let nonce = text(rng, NONCE_CHARS, n);
            set(m, "nonce", Value::string(&nonce));
        }
        3 => {
            let variants = [
                format!("{kind}.x"),
                kind[..kind.len().saturating_sub(1)].to_owned(),
                kind.to_uppercase(),
                format!("{kind} "),
                format!("a{}", "b".repeat(63)),
                format!("a{}", "b".repeat(64)),
                kind.clone(),
            ];
            let k = rng.pick(&variants).cloned().unwrap_or_default();
            set(m, "kind", Value::string(&k));
        }
        4 => {
            let len = usize::try_from(max_payload).unwrap_or(256);
            let n = *rng
                .pick(&[0, 1, 2, 3, len.saturating_sub(1), len, len + 1])
                .unwrap_or(&0);
            let bytes: Vec<u8> = (0..n).map(|_| rng.next() as u8).collect();
            let mut p = sipc_reference::envelope::encode_payload(&bytes);
            match rng.below(7) {
                0 => p.push('='),
                1 => p.push('A'),
                2 if !p.is_empty() => {
                    p.pop();
                    p.push('B');
                }
                3 => p = p.replace('-', "+").replace('_', "/"),
                4 if !p.is_empty() => {
                    // A wide last character: limits count UTF-8 bytes, not characters.
                    p.pop();
                    p.push(*rng.pick(&['é', '聡', '😀']).unwrap_or(&'é'));
                }
                _ => {}
            }
            set(m, "payload", Value::string(&p));
        }
        5 => {
            let n = *rng.pick(&[0usize, 1, 32, 33]).unwrap_or(&1);
            let len = *rng.pick(&[1usize, 128, 256, 257]).unwrap_or(&1);
            let items: Vec<Value> = (0..n).map(|_| Value::string(&"t".repeat(len))).collect();
            let target = match rng.below(4) {
                0 => Value::Null,
                1 => Value::string(&text(rng, WIDE, len.min(200))),
                2 => Value::string(""),
                _ => Value::Array(items),
            };
            set(m, "target", target);
        }
        6 | 7 => {
            let (name, limit) = if rng.one_in(2) {
                ("trace_id", 128)
            } else {
                ("reply_to", 256)
            };
            let value = match rng.below(4) {
                0 => Value::Null,
                1 => {
                    let n = limit / 2 + rng.below(3);
                    Value::string(&text(rng, WIDE, n))
                }
                2 => json("7"),
                _ => Value::string(&"r".repeat(limit + rng.below(2))),
            };
            set(m, name, value);
        }
        8 => {
            let n = *rng.pick(&[0usize, 1, 32, 33]).unwrap_or(&1);
            let mut headers = Vec::new();
            for i in 0..n {
                let name = match rng.below(5) {
                    0 => "h".repeat(128 + rng.below(2)),
                    1 => String::new(),
                    2 => "sig".into(),
                    _ => format!("x-{i}"),
                };
                let value = match rng.below(5) {
                    0 => Value::string(&"v".repeat(1024 + rng.below(2))),
                    1 => Value::Null,
                    2 => Value::string(&text(rng, WIDE, 5)),
                    _ => Value::string("1"),
                };
                headers.push((name, value));
            }
            let h = if rng.one_in(8) {
                Value::Null
            } else {
                Value::Object(headers)
            };
            set(m, "headers", h);
        }
        9 => {
            if !m.is_empty() {
                let i = rng.below(m.len());
                m.remove(i);
            }
        }
        _ => {
            let unknown = *rng
                .pick(&["Kind", "sig ", "extra", "V", "nonce\u{0}"])
                .unwrap_or(&"extra");
            set(m, unknown, Value::string("x"));
        }
    }
}

/// Changes the case of one name or string value, or of a whole one.
fn change_case(rng: &mut Rng, m: &mut [(String, Value)]) {
    let Some(i) = (!m.is_empty()).then(|| rng.below(m.len())) else {
        return;
    };
    let flip = |t: &str, all: bool, at: usize| -> String {
        t.chars()
            .enumerate()
            .map(|(j, c)| {
                if all || j == at {
                    if c.is_ascii_lowercase() {
                        c.to_ascii_uppercase()
                    } else {
                        c.to_ascii_lowercase()
                    }
                } else {
                    c
                }
            })
            .collect()
    };
    let all = rng.one_in(3);
    if rng.one_in(3) {
        let at = rng.below(m[i].0.len().max(1));
        m[i].0 = flip(&m[i].0, all, at);
    } else if let Value::String(v) = &m[i].1 {
        let at = rng.below(v.len().max(1));
        m[i].1 = Value::string(&flip(v, all, at));
    }
}

/// Flips a hex digit of `sig` (anywhere, often after the 16th), or bends its form.
fn change_sig(rng: &mut Rng, m: &mut Vec<(String, Value)>) {
    let Some(Value::String(sig)) = get(m, "sig").cloned() else {
        return;
    };
    let mut chars: Vec<char> = sig.chars().collect();
    match rng.below(6) {
        0 => return set(m, "sig", Value::string(&sig.to_uppercase())),
        1 => return set(m, "sig", Value::string(&sig[..sig.len().saturating_sub(1)])),
        2 => return set(m, "sig", Value::string(&format!("{sig}0"))),
        _ => {}
    }
    if chars.is_empty() {
        return;
    }
    let at = if rng.one_in(2) {
        16 + rng.below(chars.len().saturating_sub(16).max(1))
    } else {
        rng.below(chars.len())
    };
    let at = at.min(chars.len() - 1);
    chars[at] = if chars[at] == '0' { '1' } else { '0' };
    set(
        m,
        "sig",
        Value::string(&chars.into_iter().collect::<String>()),
    );
}

/// Changes one character of the payload string.
fn change_payload(rng: &mut Rng, m: &mut Vec<(String, Value)>) {
    if let Some(Value::String(p)) = get(m, "payload").cloned() {
        let mut chars: Vec<char> = p.chars().collect();
        if chars.is_empty() {
            return set(m, "payload", Value::string("AA"));
        }
        let at = rng.below(chars.len());
        chars[at] = *rng
            .pick(&['A', 'a', '-', '_', '=', '+', ' '])
            .unwrap_or(&'A');
        set(
            m,
            "payload",
            Value::string(&chars.into_iter().collect::<String>()),
        );
    }
}

/// Writes one ASCII letter or digit inside a string as a `\u00XX` escape: same value, other bytes.
fn escape_some(rng: &mut Rng, bytes: &[u8]) -> Vec<u8> {
    let mut inside = false;
    let mut escaped = false;
    let mut spots = Vec::new();
    for (i, &b) in bytes.iter().enumerate() {
        if inside {
            if escaped {
                escaped = false;
            } else if b == b'\\' {
                escaped = true;
            } else if b == b'"' {
                inside = false;
            } else if b.is_ascii_alphanumeric() {
                spots.push(i);
            }
        } else if b == b'"' {
            inside = true;
        }
    }
    let Some(&at) = rng.pick(&spots) else {
        return bytes.to_vec();
    };
    let mut out = bytes[..at].to_vec();
    let hex = if rng.one_in(2) {
        format!("\\u{:04x}", bytes[at])
    } else {
        format!("\\u{:04X}", bytes[at])
    };
    out.extend_from_slice(hex.as_bytes());
    out.extend_from_slice(&bytes[at + 1..]);
    out
}

/// Raw byte changes: a flipped byte, an insertion, a deletion, a cut, a BOM, trailing bytes.
fn change_bytes(rng: &mut Rng, bytes: &mut Vec<u8>) {
    let len = bytes.len();
    match rng.below(6) {
        0 if len > 0 => {
            let at = rng.below(len);
            bytes[at] ^= 1 << rng.below(8);
        }
        1 => {
            let at = rng.below(len + 1);
            let b = *rng
                .pick(b"{}[]\",:\\ \t\n\x00\x7f\xc3\xed\xff0")
                .unwrap_or(&b' ');
            bytes.insert(at, b);
        }
        2 if len > 0 => {
            let at = rng.below(len);
            let n = 1 + rng.below((len - at).min(8));
            bytes.drain(at..at + n);
        }
        3 => bytes.truncate(rng.below(len + 1)),
        4 => {
            bytes.splice(0..0, [0xEF, 0xBB, 0xBF]);
        }
        _ => bytes.extend_from_slice(
            rng.pick(&[&b" "[..], b"\n", b"\x00", b" {}", b",", b"//"])
                .copied()
                .unwrap_or(b" "),
        ),
    }
}

/// A changed envelope: one to three changes, then signed again half of the time.
fn mutate_envelope(rng: &mut Rng, envelope: &[u8], config: Option<&Config>, now: u64) -> Vec<u8> {
    let Some(mut m) = members(envelope).filter(|_| !rng.one_in(10)) else {
        let mut bytes = envelope.to_vec();
        change_bytes(rng, &mut bytes);
        return bytes;
    };
    let mut resign = rng.one_in(2);
    let mut raw_escape = false;
    for _ in 0..1 + rng.below(3) {
        match rng.below(10) {
            0..=4 => change_member(rng, &mut m, config, now),
            5 => change_case(rng, &mut m),
            6 => {
                change_sig(rng, &mut m);
                resign = false;
            }
            7 => change_payload(rng, &mut m),
            8 => {
                if let Some(i) = (!m.is_empty()).then(|| rng.below(m.len())) {
                    let mut copy = m[i].clone();
                    if rng.one_in(2) {
                        // The duplicate with another value: which one does the reader keep?
                        let mut one = vec![copy.clone()];
                        change_member(rng, &mut one, config, now);
                        copy = one.pop().unwrap_or(copy);
                    }
                    let at = rng.below(m.len() + 1);
                    m.insert(at, copy);
                }
            }
            _ => raw_escape = true,
        }
    }
    if resign {
        if let Some(c) = config {
            let sig = lower_hex(&mac(&c.auth.secret, &signature_base(&m)));
            m.retain(|(n, _)| n != "sig");
            m.push(("sig".into(), Value::string(&sig)));
        }
    }
    let mut out = match rng.below(5) {
        0 => {
            // Shuffle: Fisher-Yates.
            for i in (1..m.len()).rev() {
                let j = rng.below(i + 1);
                m.swap(i, j);
            }
            wire::in_order(&m)
        }
        1 => wire::spaced(&m),
        2 => wire::escaped(&m),
        _ => wire::canonical(&m),
    };
    if raw_escape {
        out = escape_some(rng, &out);
    }
    if rng.one_in(20) {
        change_bytes(rng, &mut out);
    }
    out
}

/// A mutant of `seed`; `other` is another seed to splice steps from.
pub fn mutate(rng: &mut Rng, seed: &FuzzCase, other: &FuzzCase) -> FuzzCase {
    match seed {
        FuzzCase::Message { .. } => super::mutate_message::mutate_message(rng, seed, other),
        FuzzCase::Config { config } => FuzzCase::Config {
            config: super::mutate_config::mutate_config(rng, config),
        },
        FuzzCase::Verify { config, steps } => {
            let parsed = Config::from_value(config).ok();
            let ttl = parsed.as_ref().map_or(60, |c| c.auth.ttl_seconds);
            let mut steps = steps.clone();
            if steps.is_empty() {
                return seed.clone();
            }
            for _ in 0..1 + rng.below(2) {
                let i = rng.below(steps.len());
                match rng.below(8) {
                    0 => {
                        // Replay: the same envelope again, at once or later, maybe re-worded.
                        let mut again = steps[i].clone();
                        again.now += *rng.pick(&[0, 1, ttl, ttl + 1]).unwrap_or(&0);
                        if rng.one_in(2) {
                            if let Some(m) = members(&again.envelope) {
                                again.envelope = wire::reversed(&m);
                            }
                        }
                        steps.insert(i + 1, again);
                    }
                    1 => {
                        // Shift the clock, across the window's edges or back.
                        let shifts = [
                            -(ttl as i64) - 1,
                            -(ttl as i64),
                            ttl as i64,
                            ttl as i64 + 1,
                            -1000,
                            1,
                        ];
                        let d = *rng.pick(&shifts).unwrap_or(&1);
                        steps[i].now = steps[i].now.saturating_add_signed(d);
                    }
                    2 => {
                        if let FuzzCase::Verify { steps: theirs, .. } = other {
                            if let Some(step) = rng.pick(theirs) {
                                steps.insert(rng.below(steps.len() + 1), step.clone());
                            }
                        }
                    }
                    _ => {
                        let now = steps[i].now;
                        steps[i].envelope =
                            mutate_envelope(rng, &steps[i].envelope, parsed.as_ref(), now);
                    }
                }
            }
            steps.truncate(8);
            FuzzCase::Verify {
                config: config.clone(),
                steps,
            }
        }
    }
}
