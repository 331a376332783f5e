//! The canonical fast path of the verifier: one pass over the wire bytes that recognises an
//! envelope already in its RFC 8785 form, without building a tree.
//!
//! A canonical envelope is its own canonical form, so its signature base (REQ-SIG-3) is
//! `SIPC-1\n` followed by the wire bytes on either side of the `,"sig":"…"` member, and the MAC
//! can be fed those two slices directly.
//!
//! The scanner is deliberately narrow: members in canonical order, no whitespace, strings
//! without escapes, `ts` and `v` as canonical integers, the payload decoded in the same step.
//! Anything else, valid or not, makes [`recognize`] return `None`, and the verifier takes the
//! general path (parse, check, canonicalize), which alone decides every refusal. So the fast
//! path needs only to be *sound*: whenever it returns `Some`, the general path would have passed
//! steps 2–5 of REQ-VERIFY-1 with the same members and the same signature base. The vectors,
//! `tests/fast_path.rs` and the `verify` fuzz target check that it is.

use crate::envelope::{
    is_valid_kind, is_valid_nonce, Checked, Member, Target, MAX_HEADERS, MAX_HEADER_NAME_BYTES,
    MAX_HEADER_VALUE_BYTES, MAX_REPLY_TO_BYTES, MAX_TARGETS, MAX_TARGET_BYTES, MAX_TRACE_ID_BYTES,
    MAX_TS,
};
use crate::hex::parse_sig_hex;
use crate::json::utf16_cmp;
use std::cmp::Ordering;
use std::collections::BTreeMap;

/// A canonical envelope, recognised and checked through step 5 of REQ-VERIFY-1.
pub(crate) struct Canonical<'a> {
    /// The members, as the general path's `envelope::check` would give them.
    pub checked: Checked<'a>,
    /// The payload, decoded: recognising it as base64url is what proves its string is plain.
    pub payload: Vec<u8>,
    /// The wire bytes before the `,"sig":"…"` member.
    pub before_sig: &'a [u8],
    /// The wire bytes after it.
    pub after_sig: &'a [u8],
}

/// The top-level member names, written once: the enum [`Name`] in RFC 8785 order (all ASCII, so
/// byte order is UTF-16 order), [`Name::of`] (a match on the bytes, which compiles to a length
/// switch and word compares, no call) and [`Name::bytes`].
macro_rules! member_names {
    ($($variant:ident = $bytes:literal,)*) => {
        /// A top-level member of the envelope table (REQ-ENV-11), in canonical order.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
        enum Name { $($variant,)* }

        impl Name {
            /// Every name, in canonical order.
            #[cfg(test)]
            const ALL: &'static [Name] = &[$(Name::$variant,)*];

            /// The member named `bytes`, or `None` for any other name.
            fn of(bytes: &[u8]) -> Option<Name> {
                match bytes {
                    $($bytes => Some(Name::$variant),)*
                    _ => None,
                }
            }

            /// The name as written.
            #[cfg(test)]
            fn bytes(self) -> &'static [u8] {
                match self {
                    $(Name::$variant => $bytes,)*
                }
            }
        }
    };
}

member_names! {
    Headers = b"headers",
    Kind = b"kind",
    Nonce = b"nonce",
    Payload = b"payload",
    ReplyTo = b"reply_to",
    Sig = b"sig",
    Target = b"target",
    TraceId = b"trace_id",
    Ts = b"ts",
    V = b"v",
}

/// The bytes that end a plain string's run: the quote, the backslash and the controls.
#[allow(clippy::indexing_slicing)] // evaluated at compile time
const STOPS_PLAIN: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 0x20 {
        table[b] = true;
        b += 1;
    }
    table[b'"' as usize] = true;
    table[b'\\' as usize] = true;
    table
};

#[cfg(test)]
mod tests {
    use super::Name;

    /// `Name::of` and `Name::bytes` agree, and the names are in RFC 8785 order (REQ-CANON-1).
    #[test]
    fn names_are_in_canonical_order() {
        for &name in Name::ALL {
            assert_eq!(Name::of(name.bytes()), Some(name));
        }
        let bytes = |n: Option<&Name>| n.map(|n| n.bytes());
        assert!(Name::ALL
            .windows(2)
            .all(|w| bytes(w.first()) < bytes(w.get(1))));
        assert_eq!(Name::of(b"sigs"), None);
    }
}

/// Recognises a canonical envelope whose encoded payload is at most `max_encoded` bytes long.
pub(crate) fn recognize(raw: &[u8], max_encoded: u64) -> Option<Canonical<'_>> {
    let mut s = Scanner { raw, pos: 0 };
    s.eat(b'{')?;
    // The members seen must come in strictly increasing canonical order.
    let mut last: Option<Name> = None;
    let mut members = Members::default();
    let mut sig_span = None;
    loop {
        let member_start = s.pos;
        // Names are compared as bytes with the ASCII names of the table.
        let name = s.plain_bytes()?;
        // Strictly increasing canonical order: no unknown name, no duplicate (REQ-JSON-4,
        // REQ-ENV-11, REQ-CANON-1).
        let name = Name::of(name)?;
        (last < Some(name)).then_some(())?;
        last = Some(name);
        s.eat(b':')?;
        match name {
            Name::Headers => members.headers = Some(s.headers()?),
            Name::Kind => members.kind = Some(s.plain_string().filter(|k| is_valid_kind(k))?),
            Name::Nonce => members.nonce = Some(s.plain_string().filter(|n| is_valid_nonce(n))?),
            Name::Payload => members.payload = Some(s.payload(max_encoded)?),
            Name::ReplyTo => members.reply_to = s.optional_string(MAX_REPLY_TO_BYTES)?,
            Name::Sig => {
                members.sig = Some(s.sig()?);
                // The comma before `"sig"`: a member always precedes it, since `kind` does.
                sig_span = Some((member_start.checked_sub(1)?, s.pos));
            }
            Name::Target => members.target = s.target()?,
            Name::TraceId => members.trace_id = s.optional_string(MAX_TRACE_ID_BYTES)?,
            Name::Ts => members.ts = Some(s.canonical_integer().filter(|&ts| ts <= MAX_TS)?),
            Name::V => {
                // REQ-ENV-2: any other version, or `1` written otherwise, takes the general path.
                (s.canonical_integer()? == 1).then_some(())?;
            }
        }
        match s.bump()? {
            b',' => continue,
            b'}' => break,
            _ => return None,
        }
    }
    // REQ-JSON-3, and canonical form: nothing after the object.
    (s.pos == raw.len()).then_some(())?;
    // REQ-ENV-2: `v` is required (it sorts last).
    (last == Some(Name::V)).then_some(())?;
    let (comma, sig_end) = sig_span?;
    // `sig` is never the first member (`kind` sorts before it and is required), so a comma
    // precedes it; checked rather than assumed.
    (raw.get(comma) == Some(&b',')).then_some(())?;
    let (payload_b64, payload) = members.payload?;
    Some(Canonical {
        checked: Checked {
            kind: members.kind?,
            payload_b64,
            ts: members.ts?,
            nonce: members.nonce?,
            target: members.target,
            trace_id: members.trace_id,
            reply_to: members.reply_to,
            headers: members.headers,
            sig: members.sig?,
        },
        payload,
        before_sig: raw.get(..comma)?,
        after_sig: raw.get(sig_end..)?,
    })
}

/// The members seen so far.
#[derive(Default)]
struct Members<'a> {
    kind: Option<&'a str>,
    payload: Option<(&'a [u8], Vec<u8>)>,
    ts: Option<u64>,
    nonce: Option<&'a str>,
    target: Member<Target>,
    trace_id: Member<String>,
    reply_to: Member<String>,
    headers: Option<BTreeMap<String, String>>,
    sig: Option<[u8; 32]>,
}

struct Scanner<'a> {
    raw: &'a [u8],
    pos: usize,
}

impl<'a> Scanner<'a> {
    fn bump(&mut self) -> Option<u8> {
        let b = *self.raw.get(self.pos)?;
        self.pos = self.pos.checked_add(1)?;
        Some(b)
    }

    fn eat(&mut self, want: u8) -> Option<()> {
        (self.bump()? == want).then_some(())
    }

    fn eat_word(&mut self, word: &[u8]) -> bool {
        let end = self.pos.saturating_add(word.len());
        if self.raw.get(self.pos..end) == Some(word) {
            self.pos = end;
            true
        } else {
            false
        }
    }

    /// The bytes of a string whose wire form is its canonical form: no escape, no control
    /// character (REQ-JSON-8, REQ-CANON-3). Not yet checked as UTF-8.
    fn plain_bytes(&mut self) -> Option<&'a [u8]> {
        self.eat(b'"')?;
        let rest = self.raw.get(self.pos..)?;
        let len = rest
            .iter()
            .position(|&b| STOPS_PLAIN.get(usize::from(b)).copied().unwrap_or(true))?;
        self.pos = self.pos.checked_add(len)?;
        self.eat(b'"')?;
        rest.get(..len)
    }

    /// A plain string (see [`Scanner::plain_bytes`]) that is valid UTF-8 (REQ-JSON-1).
    fn plain_string(&mut self) -> Option<&'a str> {
        std::str::from_utf8(self.plain_bytes()?).ok()
    }

    /// REQ-ENV-8, REQ-ENV-9: `null` or a plain string of at most `max` bytes.
    fn optional_string(&mut self, max: usize) -> Option<Member<String>> {
        if self.eat_word(b"null") {
            return Some(Member::Null);
        }
        let s = self.plain_string().filter(|s| s.len() <= max)?;
        Some(Member::Value(s.to_owned()))
    }

    /// REQ-ENV-7: `null`, an address, or 1–32 addresses; an address is 1–256 bytes.
    fn target(&mut self) -> Option<Member<Target>> {
        let address = |s: &mut Self| {
            s.plain_string()
                .filter(|a| (1..=MAX_TARGET_BYTES).contains(&a.len()))
                .map(str::to_owned)
        };
        if self.eat_word(b"null") {
            return Some(Member::Null);
        }
        if !self.eat_word(b"[") {
            return address(self).map(|a| Member::Value(Target::One(a)));
        }
        let mut all = Vec::new();
        loop {
            all.push(address(self)?);
            if all.len() > MAX_TARGETS {
                return None;
            }
            match self.bump()? {
                b',' => continue,
                b']' => return Some(Member::Value(Target::Many(all))),
                _ => return None,
            }
        }
    }

    /// REQ-ENV-10: at most 32 members, names of 1–128 bytes in canonical order (REQ-CANON-1),
    /// values plain strings of at most 1024 bytes.
    fn headers(&mut self) -> Option<BTreeMap<String, String>> {
        self.eat(b'{')?;
        let mut headers = BTreeMap::new();
        if self.eat_word(b"}") {
            return Some(headers);
        }
        let mut previous: Option<&str> = None;
        loop {
            let name = self
                .plain_string()
                .filter(|n| (1..=MAX_HEADER_NAME_BYTES).contains(&n.len()))?;
            if let Some(previous) = previous {
                // Strictly increasing: sorted and unique (REQ-JSON-4).
                (utf16_cmp(previous, name) == Ordering::Less).then_some(())?;
            }
            previous = Some(name);
            self.eat(b':')?;
            let value = self
                .plain_string()
                .filter(|v| v.len() <= MAX_HEADER_VALUE_BYTES)?;
            headers.insert(name.to_owned(), value.to_owned());
            if headers.len() > MAX_HEADERS {
                return None;
            }
            match self.bump()? {
                b',' => continue,
                b'}' => return Some(headers),
                _ => return None,
            }
        }
    }

    /// REQ-SIG-2: exactly 64 lowercase hex digits.
    fn sig(&mut self) -> Option<[u8; 32]> {
        parse_sig_hex(self.plain_bytes()?)
    }

    /// `0` or `[1-9][0-9]*`, at most 16 digits: for these, the literal is the canonical
    /// ECMAScript form of its value (REQ-CANON-4) and `ts` fits below 2⁵³ (REQ-ENV-5).
    fn canonical_integer(&mut self) -> Option<u64> {
        let start = self.pos;
        while let Some(b'0'..=b'9') = self.raw.get(self.pos) {
            self.pos = self.pos.checked_add(1)?;
        }
        let digits = self.raw.get(start..self.pos)?;
        let canonical = match digits {
            [b'0'] => true,
            [b'1'..=b'9', ..] => digits.len() <= 16,
            _ => false,
        };
        if !canonical {
            return None;
        }
        digits.iter().try_fold(0u64, |n, &d| {
            n.checked_mul(10)?
                .checked_add(u64::from(d.wrapping_sub(b'0')))
        })
    }

    /// The payload string: recognised by decoding it as canonical base64url (REQ-PAYLOAD-1,
    /// REQ-PAYLOAD-2), which proves it holds no escape, control or non-ASCII byte. Nothing
    /// longer than `max_encoded` is decoded (REQ-SIZE-2).
    fn payload(&mut self, max_encoded: u64) -> Option<(&'a [u8], Vec<u8>)> {
        self.eat(b'"')?;
        let rest = self.raw.get(self.pos..)?;
        let max_encoded = usize::try_from(max_encoded).unwrap_or(usize::MAX);
        let (len, decoded) = crate::base64url::decode_quoted(rest, max_encoded)?;
        self.pos = self.pos.checked_add(len)?.checked_add(1)?;
        Some((rest.get(..len)?, decoded))
    }
}
