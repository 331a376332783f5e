//! The vectors of the profiles other than SIPC/1 (`spec/profiles/`): one module per profile,
//! the shared builder ([`build`]), and the inputs several profiles use (bodies, base64
//! re-encodings, timestamp spellings and what lax parsers make of them).

pub mod build;
pub mod github;
pub mod hmac_json;
pub mod slack;
pub mod standard_webhooks;
pub mod stripe;

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use sipc_profiles::{hmac_sha256, Profile};
use sipc_reference::json::{parse, Value};

/// A JSON body with one byte that is not UTF-8 (0xFF)...
pub const NON_UTF8_A: &[u8] = b"{\"note\":\"\xff\"}";
/// ...and the same body with another (0xFE): both decode, with replacement, to the same text.
pub const NON_UTF8_B: &[u8] = b"{\"note\":\"\xfe\"}";

/// One header test: family id, REQ id, flags, comment, the headers, the expectation.
pub(crate) type HeaderRow = (
    &'static str,
    &'static str,
    &'static [&'static str],
    &'static str,
    Vec<(String, String)>,
    build::Expect,
);

/// Verifies each row's headers with `body` at `now`.
pub(crate) fn header_rows(f: &mut build::File, rows: Vec<HeaderRow>, now: u64, body: &[u8]) {
    for (id, req, flags, comment, headers, expect) in rows {
        f.verify(
            crate::suite::meta(id, &[req], flags, comment),
            now,
            sipc_profiles::Message {
                headers,
                body: body.to_vec(),
            },
            expect,
        );
    }
}

/// `good` (lowercase hex) with its last digit changed.
pub(crate) fn last_digit_changed(good: &str) -> String {
    let mut last = good.to_owned();
    let flipped = if last.pop() == Some('0') { '1' } else { '0' };
    last.push(flipped);
    last
}

/// The hex signature families of a scheme that sends one hex MAC: each of `mangled` refused
/// as `bad_signature` (family `ids.0`, flag `SignatureMangled`), the right MAC in upper case
/// and with one letter re-cased `acceptable` (family `ids.1`, flag `SignatureHexCase`).
/// `carry` puts a signature into a message.
pub(crate) fn hex_signature_rows(
    f: &mut build::File,
    ids: (&'static str, &'static str),
    req: &'static str,
    good: &str,
    mangled: Vec<(&'static str, String)>,
    carry: impl Fn(&str) -> sipc_profiles::Message,
) {
    use crate::suite::meta;
    for (comment, sig) in mangled {
        f.verify(
            meta(ids.0, &[req], &["SignatureMangled"], comment),
            crate::NOW,
            carry(&sig),
            build::Expect::Reject("bad_signature"),
        );
    }
    for (comment, sig) in [
        ("the right MAC in upper-case hex", good.to_ascii_uppercase()),
        (
            "the right MAC with one hex letter in upper case",
            flip_case_at(good),
        ),
    ] {
        f.verify(
            meta(ids.1, &[req], &["SignatureHexCase"], comment),
            crate::NOW,
            carry(&sig),
            build::Expect::Either,
        );
    }
}

/// The config of `profile`'s published vectors.
pub fn default_config(profile: Profile) -> Value {
    let text = match profile {
        Profile::StandardWebhooks => standard_webhooks::DEFAULT_CONFIG,
        Profile::Stripe => stripe::DEFAULT_CONFIG,
        Profile::Github => github::DEFAULT_CONFIG,
        Profile::Slack => slack::DEFAULT_CONFIG,
        Profile::HmacJsonInsertionOrder => hmac_json::INSERTION_CONFIG,
        Profile::HmacJsonSortedKeys => hmac_json::SORTED_CONFIG,
    };
    parse(text.as_bytes()).unwrap_or(Value::Null)
}

/// Every vector file of `profile` for `config`: (file name, bytes), numbered from tcId 1.
pub fn generate(profile: Profile, config: &Value) -> Result<Vec<(String, Vec<u8>)>, Vec<String>> {
    let files = match profile {
        Profile::StandardWebhooks => standard_webhooks::files(config),
        Profile::Stripe => stripe::files(config),
        Profile::Github => github::files(config),
        Profile::Slack => slack::files(config),
        Profile::HmacJsonInsertionOrder | Profile::HmacJsonSortedKeys => {
            hmac_json::files(profile, config)
        }
    }
    .map_err(|e| vec![e])?;
    let mut out = Vec::new();
    let mut problems = Vec::new();
    let mut tc_id = 1;
    for file in files {
        let name = format!("{}.json", file.name);
        match file.finish(tc_id) {
            Ok((value, next)) => {
                tc_id = next;
                out.push((name, crate::text::pretty(&value)));
            }
            Err(mut p) => problems.append(&mut p),
        }
    }
    if problems.is_empty() {
        Ok(out)
    } else {
        Err(problems)
    }
}

/// The messages of the application families: one authentic message, the same id re-signed
/// five seconds later, another id, and a body exactly at the limit and one byte over.
pub(crate) struct AppMessages {
    /// The base message at `NOW`.
    pub base: sipc_profiles::Message,
    /// The same id (event), re-signed at `NOW + 5`.
    pub resent: sipc_profiles::Message,
    /// Another id, at `NOW`.
    pub other: sipc_profiles::Message,
    /// A body of exactly `max_body_bytes`, and one of a byte more (other ids).
    pub at_limit: (sipc_profiles::Message, sipc_profiles::Message),
}

/// The application families of a profile (`<prefix>-APP-REPLAY`, `<prefix>-APP-SIZE`):
/// replays inside and after the window, forgeries that must not burn an id, the body limit.
/// `families` are the replay and size family ids, `reqs` the replay, size and window REQ ids.
pub(crate) fn application_families(
    f: &mut build::File,
    families: (&'static str, &'static str),
    reqs: (&'static str, &'static str, &'static str),
    m: AppMessages,
    tol: u64,
    limit: usize,
) {
    use build::Expect::{Accept, Reject};
    let (replay, size) = families;
    let (replay_req, size_req, window_req) = reqs;
    let req_replay = &[replay_req][..];
    let step = |now, message: &sipc_profiles::Message, expect| build::Step {
        now,
        message: message.clone(),
        expect,
    };
    let mut forged = m.base.clone();
    forged.body.push(b' ');
    let now = crate::NOW;
    let rows = [
        (
            "Replay",
            "the same message twice, a second apart",
            vec![
                step(now, &m.base, Accept),
                step(now + 1, &m.base, Reject("replay")),
            ],
        ),
        (
            "Replay",
            "the same id re-signed five seconds later (a retry already processed)",
            vec![
                step(now, &m.base, Accept),
                step(now + 5, &m.resent, Reject("replay")),
            ],
        ),
        (
            "Replay",
            "a forgery first: only authenticated ids are recorded",
            vec![
                step(now, &forged, Reject("bad_signature")),
                step(now, &m.base, Accept),
            ],
        ),
        (
            "Valid",
            "two ids, each once",
            vec![step(now, &m.base, Accept), step(now, &m.other, Accept)],
        ),
    ];
    for (flag, comment, steps) in rows {
        f.application(
            crate::suite::meta(replay, req_replay, &[flag], comment),
            steps,
        );
    }
    f.application(
        crate::suite::meta(replay, &[replay_req, window_req], &["Replay"], "the same message after the window: refused by the tolerance, whatever the cache forgot"),
        vec![step(now, &m.base, Accept), step(now + tol + 1, &m.base, Reject("expired"))],
    );
    f.application(
        crate::suite::meta(
            size,
            &[size_req],
            &["Oversize"],
            format!("a body of exactly {limit} bytes"),
        ),
        vec![step(now, &m.at_limit.0, Accept)],
    );
    f.application(
        crate::suite::meta(
            size,
            &[size_req],
            &["Oversize"],
            format!("a body of {} bytes", limit + 1),
        ),
        vec![step(now, &m.at_limit.1, Reject("oversize"))],
    );
}

/// `config` with member `name` set to `value` (added at the end when absent).
pub(crate) fn with_member(config: &Value, name: &str, value: Value) -> Value {
    let mut c = config.clone();
    if let Value::Object(members) = &mut c {
        match members.iter_mut().find(|(n, _)| n == name) {
            Some((_, v)) => *v = value,
            None => members.push((name.to_owned(), value)),
        }
    }
    c
}

/// The tolerance rows both profiles share: (flag, comment, timestamp, expected), at the
/// vectors' `NOW` with tolerance `tol`. `ahead` is the flag and expectation of a timestamp
/// more than the tolerance ahead (Standard Webhooks: `future`; Stripe: silent, `acceptable`).
pub(crate) fn tolerance_rows(
    now: u64,
    tol: u64,
    ahead: (&'static str, build::Expect),
) -> Vec<(&'static str, String, u64, build::Expect)> {
    use build::Expect::{Accept, Either, Reject};
    let under = tol.saturating_sub(1);
    vec![
        (
            "Expired",
            format!("{} s old (tolerance + 1)", tol + 1),
            now - tol - 1,
            Reject("expired"),
        ),
        (
            "ToleranceBoundary",
            format!("{tol} s old (exactly the tolerance)"),
            now - tol,
            Either,
        ),
        ("Valid", format!("{under} s old"), now - under, Accept),
        ("Valid", format!("{under} s ahead"), now + under, Accept),
        (
            "ToleranceBoundary",
            format!("{tol} s ahead (exactly the tolerance)"),
            now + tol,
            Either,
        ),
        (
            ahead.0,
            format!("{} s ahead (tolerance + 1)", tol + 1),
            now + tol + 1,
            ahead.1,
        ),
        ("Expired", "the epoch (0)".into(), 0, Reject("expired")),
        (
            ahead.0,
            "2^53 - 1".into(),
            sipc_profiles::MAX_TIMESTAMP,
            ahead.1,
        ),
        (ahead.0, "a year ahead".into(), now + 365 * 86400, ahead.1),
        (
            ahead.0,
            "milliseconds instead of seconds".into(),
            now * 1000,
            ahead.1,
        ),
    ]
}

/// The `secret` of a config, as text.
pub(crate) fn secret_text(config: &Value) -> String {
    config
        .get("secret")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned()
}

/// Standard base64 of HMAC-SHA256 of `parts` under `key`.
pub(crate) fn b64_hmac(key: &[u8], parts: &[&[u8]]) -> String {
    STANDARD.encode(hmac_sha256(key, parts))
}

/// Lowercase hex of HMAC-SHA256 of `parts` under `key`.
pub(crate) fn hex_hmac(key: &[u8], parts: &[&[u8]]) -> String {
    sipc_reference::hex::lower_hex(&hmac_sha256(key, parts))
}

/// `text` with its first ASCII letter's case flipped.
pub(crate) fn flip_case_at(text: &str) -> String {
    let mut done = false;
    text.chars()
        .map(|c| {
            if !done && c.is_ascii_alphabetic() {
                done = true;
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
}

/// Standard base64 of `bytes`.
pub(crate) fn b64(bytes: &[u8]) -> String {
    STANDARD.encode(bytes)
}

/// The bytes of a standard base64 text.
pub(crate) fn b64_bytes(text: &str) -> Vec<u8> {
    STANDARD.decode(text).unwrap_or_default()
}

/// The MAC of a base64 signature, in hex.
pub(crate) fn b64_to_hex(text: &str) -> String {
    sipc_reference::hex::lower_hex(&b64_bytes(text))
}

/// A base64 signature whose first byte has its low bit flipped.
pub(crate) fn b64_flip_first_byte(text: &str) -> String {
    let mut bytes = b64_bytes(text);
    if let Some(b) = bytes.first_mut() {
        *b ^= 1;
    }
    STANDARD.encode(bytes)
}

/// The same bytes as `good` (canonical, padded standard base64) in other spellings: no
/// padding, extra padding, the URL alphabet (when the text has `+` or `/`), and other unused
/// bits in the last character.
pub(crate) fn b64_variants(good: &str) -> Vec<(&'static str, String)> {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = vec![
        (
            "the padding left out",
            good.trim_end_matches('=').to_owned(),
        ),
        ("an extra padding character", format!("{good}=")),
    ];
    if good.contains(['+', '/']) {
        out.push((
            "the URL-safe alphabet",
            good.replace('+', "-").replace('/', "_"),
        ));
    }
    let body = good.trim_end_matches('=');
    let pad = good.len() - body.len();
    if pad > 0 {
        let last = body.as_bytes().last().copied().unwrap_or(b'A');
        let index = ALPHABET.iter().position(|c| *c == last).unwrap_or(0);
        // With one padding character the last one carries 2 unused bits; with two, 4.
        let changed = ALPHABET.get(index | 1).copied().unwrap_or(last);
        if changed != last {
            let mut text = body[..body.len() - 1].to_owned();
            text.push(char::from(changed));
            text.push_str(&good[body.len()..]);
            out.push(("other unused bits in the last character", text));
        }
    }
    out
}

/// How the profiles class a timestamp spelling.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TsClass {
    /// An integer in a spelling the documentation does not rule out (sign, leading zero,
    /// whitespace): `acceptable`.
    Lenient,
    /// Not an integer, or out of range: `invalid`.
    Invalid,
}

/// Spellings of the timestamp `t` (canonical decimal) and near it.
pub(crate) fn timestamp_texts(t: &str) -> Vec<(&'static str, String, TsClass)> {
    let digits = |base: u32| -> String {
        t.chars()
            .map(|c| {
                c.to_digit(10)
                    .and_then(|d| char::from_u32(base + d))
                    .unwrap_or(c)
            })
            .collect()
    };
    let n: u64 = t.parse().unwrap_or(0);
    let grouped = |sep: char| -> String {
        let mut out = String::new();
        for (i, c) in t.chars().enumerate() {
            if i > 0 && (t.len() - i).is_multiple_of(3) {
                out.push(sep);
            }
            out.push(c);
        }
        out
    };
    use TsClass::{Invalid, Lenient};
    vec![
        ("a plus sign", format!("+{t}"), Lenient),
        ("a leading zero", format!("0{t}"), Lenient),
        ("a leading space", format!(" {t}"), Lenient),
        ("a trailing space", format!("{t} "), Lenient),
        ("a fraction .0", format!("{t}.0"), Invalid),
        ("a fraction .9", format!("{t}.9"), Invalid),
        ("an exponent", format_exponent(n), Invalid),
        ("underscore digit separators", grouped('_'), Invalid),
        ("comma digit separators", grouped(','), Invalid),
        ("Arabic-Indic digits", digits(0x660), Invalid),
        ("fullwidth digits", digits(0xFF10), Invalid),
        ("hexadecimal", format!("0x{n:x}"), Invalid),
        ("letters after the digits", format!("{t}abc"), Invalid),
        ("a minus sign", format!("-{t}"), Invalid),
        ("twenty digits", "99999999999999999999".into(), Invalid),
        ("2^64", "18446744073709551616".into(), Invalid),
        ("NaN", "NaN".into(), Invalid),
        ("nan", "nan".into(), Invalid),
        ("Infinity", "Infinity".into(), Invalid),
        ("inf", "inf".into(), Invalid),
        ("a sign alone", "+".into(), Invalid),
    ]
}

/// `n` with a decimal exponent, e.g. `1.7e9` (exact when `n` has trailing zeros).
fn format_exponent(n: u64) -> String {
    let digits = n.to_string();
    let trimmed = digits.trim_end_matches('0');
    let exponent = digits.len().saturating_sub(1);
    match trimmed.split_at_checked(1) {
        Some((first, "")) => format!("{first}e{exponent}"),
        Some((first, rest)) => format!("{first}.{rest}e{exponent}"),
        None => "0e0".into(),
    }
}

/// What lax parsers make of a timestamp spelling, re-written as a decimal integer (or `NaN`,
/// JavaScript's rendering of an unparsable `parseInt`): JavaScript's `parseInt(text, 10)`,
/// Python's `int(text)` and `floor(float(text))`. The spelling itself is left out.
pub(crate) fn lax_readings(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut add = |r: Option<String>| {
        if let Some(r) = r {
            if r != text && !out.contains(&r) {
                out.push(r);
            }
        }
    };
    add(Some(js_parse_int(text)));
    add(python_int(text));
    add(python_float_floor(text));
    out
}

fn js_parse_int(text: &str) -> String {
    let s = text.trim_start_matches([' ', '\t', '\n', '\r']);
    let (sign, s) = match s.as_bytes().first() {
        Some(b'-') => ("-", &s[1..]),
        Some(b'+') => ("", &s[1..]),
        _ => ("", s),
    };
    let digits: String = s.chars().take_while(char::is_ascii_digit).collect();
    if digits.is_empty() {
        return "NaN".into();
    }
    match digits.parse::<f64>() {
        Ok(v) if v < 1e21 => format!("{sign}{}", v as u128),
        _ => "NaN".into(),
    }
}

/// Python's text-to-number normalisation: whitespace stripped, Unicode decimal digits read,
/// underscores between digits dropped.
fn python_normal(text: &str) -> Option<String> {
    let s = text.trim();
    let mut out = String::new();
    let chars: Vec<char> = s.chars().collect();
    for (i, c) in chars.iter().enumerate() {
        let d = match *c as u32 {
            0x660..=0x669 => char::from_u32(*c as u32 - 0x660 + 0x30),
            0xFF10..=0xFF19 => char::from_u32(*c as u32 - 0xFF10 + 0x30),
            _ => Some(*c),
        }?;
        if d == '_' {
            let between = i > 0
                && chars.get(i + 1).is_some_and(|n| n.is_numeric())
                && chars.get(i - 1).is_some_and(|p| p.is_numeric());
            if !between {
                return None;
            }
            continue;
        }
        out.push(d);
    }
    Some(out)
}

fn python_int(text: &str) -> Option<String> {
    let s = python_normal(text)?;
    let (sign, digits) = match s.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", s.strip_prefix('+').unwrap_or(&s)),
    };
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let trimmed = digits.trim_start_matches('0');
    Some(format!(
        "{sign}{}",
        if trimmed.is_empty() { "0" } else { trimmed }
    ))
}

fn python_float_floor(text: &str) -> Option<String> {
    let s = python_normal(text)?;
    let v: f64 = s.parse().ok()?;
    if !v.is_finite() || v.abs() >= 1e21 {
        return None;
    }
    Some(format!("{}", v.floor() as i128))
}
