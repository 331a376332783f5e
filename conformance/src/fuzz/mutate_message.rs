//! Mutating and shrinking the messages of the profiles other than SIPC/1: header values edited
//! with the characters their parsers split on, names re-cased, repeated or dropped, body bytes
//! changed, the clock moved across the tolerance, and — half the time — the message re-signed
//! with the config's secret over its new parts, so that parsers are reached behind a valid
//! signature (a lax timestamp or id reader is only visible there).

use super::case::FuzzCase;
use super::rng::Rng;
use sipc_profiles::Profile;

/// Characters the profiles' parsers split on or misread.
const INTERESTING: &[&str] = &[
    " ", ",", ".", "=", "+", "-", "0", "1", "9", "v1", "v0", "t=", "e", "_", "\t", "é", "\u{663}",
    "\u{ff11}", "\u{fffd}", "NaN", "  ",
];

fn edit_text(rng: &mut Rng, text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let at = rng.below(chars.len() + 1);
    let (head, tail) = chars.split_at(at);
    let head: String = head.iter().collect();
    let tail: String = tail.iter().collect();
    match rng.below(5) {
        0 => format!("{head}{}{tail}", rng.pick(INTERESTING).unwrap_or(&" ")),
        1 => format!("{head}{}", tail.chars().skip(1).collect::<String>()),
        2 => head,
        3 => format!(
            "{head}{}{tail}",
            rng.pick(INTERESTING).unwrap_or(&" ").repeat(2)
        ),
        _ => format!("{}{text}", rng.pick(INTERESTING).unwrap_or(&" ")),
    }
}

/// `token` inserted at a random character boundary of `text`.
fn edit_json(rng: &mut Rng, text: &str, token: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let at = rng.below(chars.len() + 1);
    let (head, tail) = chars.split_at(at);
    format!(
        "{}{token}{}",
        head.iter().collect::<String>(),
        tail.iter().collect::<String>()
    )
}

/// The message re-signed with the config's secret over its current id, timestamp and body.
fn resign(
    profile: &str,
    config: &sipc_reference::json::Value,
    headers: &mut [(String, String)],
    body: &[u8],
) {
    let Some(verifier) = Profile::from_name(profile)
        .and_then(|p| p.verifier(&sipc_vectors::text::compact(config)).ok())
    else {
        return;
    };
    let value_of = |headers: &[(String, String)], name: &str| {
        headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.clone())
    };
    match verifier.profile() {
        Profile::StandardWebhooks => {
            let (Some(id), Some(ts)) = (
                value_of(headers, "webhook-id"),
                value_of(headers, "webhook-timestamp"),
            ) else {
                return;
            };
            let signed = verifier.sign(&id, &ts, body);
            if let (Some(slot), Some((_, sig))) = (
                headers
                    .iter_mut()
                    .find(|(n, _)| n.eq_ignore_ascii_case("webhook-signature")),
                signed.get(2),
            ) {
                slot.1 = sig.clone();
            }
        }
        Profile::Github | Profile::Slack => {
            let ts = value_of(headers, "x-slack-request-timestamp").unwrap_or_default();
            for (name, value) in verifier.sign("", &ts, body) {
                if let Some(slot) = headers
                    .iter_mut()
                    .find(|(n, _)| n.eq_ignore_ascii_case(&name) && !name.contains("Timestamp"))
                {
                    slot.1 = value;
                }
            }
        }
        Profile::HmacJsonInsertionOrder | Profile::HmacJsonSortedKeys => {}
        Profile::Stripe => {
            let Some(value) = value_of(headers, "stripe-signature") else {
                return;
            };
            let Some(t) = value.split(',').find_map(|i| i.strip_prefix("t=")) else {
                return;
            };
            let signed = verifier.sign("", t, body);
            if let (Some(slot), Some((_, fresh))) = (
                headers
                    .iter_mut()
                    .find(|(n, _)| n.eq_ignore_ascii_case("stripe-signature")),
                signed.first(),
            ) {
                let sig = fresh.split("v1=").nth(1).unwrap_or_default();
                slot.1 = value
                    .split(',')
                    .map(|i| {
                        if i.starts_with("v1=") {
                            format!("v1={sig}")
                        } else {
                            i.to_owned()
                        }
                    })
                    .collect::<Vec<_>>()
                    .join(",");
            }
        }
    }
}

/// The body re-signed in place: the MAC member's text replaced by the MAC of the rest as the
/// profile computes it, so that the wire form (whitespace, escapes, repeats) stays.
fn resign_body(
    profile: &str,
    config: &sipc_reference::json::Value,
    body: &[u8],
) -> Option<Vec<u8>> {
    use sipc_profiles::hmac_json::{INSERTION_MAC, SORTED_MAC};
    use sipc_profiles::lax_json::{self, Dialect, Lax};
    use sipc_profiles::Verifier;
    let verifier = Profile::from_name(profile)?
        .verifier(&sipc_vectors::text::compact(config))
        .ok()?;
    let (dialect, member) = match verifier {
        Verifier::InsertionOrder(_) => (Dialect::Js, INSERTION_MAC),
        Verifier::SortedKeys(_) => (Dialect::Python, SORTED_MAC),
        _ => return None,
    };
    let text = String::from_utf8_lossy(body);
    let chars: Vec<char> = text.chars().collect();
    let Ok(Lax::Object(members)) = lax_json::parse(&chars, dialect) else {
        return None;
    };
    let Some(Lax::Str(old)) = lax_json::member(&members, member) else {
        return None;
    };
    let old = lax_json::lossy(old);
    let name = lax_json::points(member);
    let rest = Lax::Object(
        members
            .iter()
            .filter(|(n, _)| *n != name)
            .cloned()
            .collect(),
    );
    let fresh = match &verifier {
        Verifier::InsertionOrder(v) => v.mac(&rest).ok()?,
        Verifier::SortedKeys(v) => v.mac(&rest).ok()?,
        _ => return None,
    };
    if old.is_empty() {
        return None;
    }
    Some(text.replacen(&old, &fresh, 1).into_bytes())
}

/// A mutant of a message case; `other` may lend its body.
pub fn mutate_message(rng: &mut Rng, seed: &FuzzCase, other: &FuzzCase) -> FuzzCase {
    let FuzzCase::Message {
        profile,
        config,
        now,
        headers,
        body,
    } = seed
    else {
        return seed.clone();
    };
    let (mut now, mut headers, mut body) = (*now, headers.clone(), body.clone());
    for _ in 0..1 + rng.below(3) {
        let i = rng.below(headers.len().max(1));
        match rng.below(10) {
            0..=3 => {
                if let Some((_, v)) = headers.get_mut(i) {
                    *v = edit_text(rng, v);
                }
            }
            4 => {
                if let Some((n, _)) = headers.get_mut(i) {
                    *n = if rng.one_in(2) {
                        n.to_ascii_uppercase()
                    } else {
                        edit_text(rng, n)
                    };
                }
            }
            5 => {
                if let Some(h) = headers.get(i).cloned() {
                    headers.insert(rng.below(headers.len() + 1), h);
                }
            }
            6 => {
                if i < headers.len() {
                    headers.remove(i);
                }
            }
            7 => match rng.below(5) {
                4 => {
                    // JSON-shaped edits, for the profiles that parse the body.
                    let text = String::from_utf8_lossy(&body).into_owned();
                    let token = rng
                        .pick(&[
                            " ", "\\u0041", "1.0", "-0", "1e400", "NaN", ",\"k\":1", "\\ud800",
                            "[", "é",
                        ])
                        .copied()
                        .unwrap_or(" ");
                    body = edit_json(rng, &text, token).into_bytes();
                }
                0 => body.push(
                    *rng.pick(&[b' ', b'\n', 0xff, 0xfe, 0x80, b'.'])
                        .unwrap_or(&b' '),
                ),
                1 if !body.is_empty() => {
                    let j = rng.below(body.len());
                    body[j] ^= 1 << rng.below(8);
                }
                2 => body.truncate(rng.below(body.len() + 1)),
                _ => {
                    if let FuzzCase::Message { body: theirs, .. } = other {
                        body = theirs.clone();
                    }
                }
            },
            _ => {
                let shifts: [i64; 7] = [-301, -300, 300, 301, 1, -1, 100_000];
                now = now.saturating_add_signed(*rng.pick(&shifts).unwrap_or(&1));
            }
        }
    }
    if rng.one_in(2) {
        resign(profile, config, &mut headers, &body);
        if let Some(resigned) = resign_body(profile, config, &body) {
            body = resigned;
        }
    }
    headers.truncate(8);
    FuzzCase::Message {
        profile: profile.clone(),
        config: config.clone(),
        now,
        headers,
        body,
    }
}

/// Shrinks a message case: headers dropped one by one, then the body cut in halving chunks.
pub fn minimize_message(case: &FuzzCase, try_it: &mut impl FnMut(&FuzzCase) -> bool) -> FuzzCase {
    let FuzzCase::Message {
        profile,
        config,
        now,
        headers,
        body,
    } = case
    else {
        return case.clone();
    };
    let build = |headers: &[(String, String)], body: &[u8]| FuzzCase::Message {
        profile: profile.clone(),
        config: config.clone(),
        now: *now,
        headers: headers.to_vec(),
        body: body.to_vec(),
    };
    let (mut headers, mut body) = (headers.clone(), body.clone());
    let mut i = 0;
    while i < headers.len() {
        let mut fewer = headers.clone();
        fewer.remove(i);
        if try_it(&build(&fewer, &body)) {
            headers = fewer;
        } else {
            i += 1;
        }
    }
    let mut chunk = body.len() / 2;
    while chunk > 0 {
        let mut start = 0;
        while start + chunk <= body.len() {
            let mut shorter = body.clone();
            shorter.drain(start..start + chunk);
            if try_it(&build(&headers, &shorter)) {
                body = shorter;
            } else {
                start += chunk;
            }
        }
        chunk /= 2;
    }
    build(&headers, &body)
}
