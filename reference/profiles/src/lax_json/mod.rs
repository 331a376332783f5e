//! JSON as two languages' standard libraries read it, for the home-grown schemes whose MAC is
//! over a re-serialization (`spec/profiles/hmac-json-insertion-order.md`,
//! `spec/profiles/hmac-json-sorted-keys.md`): the scheme *is* what `JSON.parse` then
//! `JSON.stringify` (Node) or `json.loads` then `json.dumps(sort_keys=True)` (Python) do, so
//! the reference does exactly that, duplicate members and lone surrogates included.
//!
//! [`parse`] keeps everything either reader needs: members in document order with their
//! repeats, numbers as their literal text, strings as code points (a lone surrogate is kept as
//! one; an escaped pair `\ud83d\ude00` is joined, as both readers do). [`js`] and [`python`]
//! write it back the way each language does. Nesting is capped at [`MAX_DEPTH`], so no input
//! recurses without bound.

pub mod js;
pub mod python;

/// The deepest nesting read; deeper input is refused (Node and CPython read deeper, then fail
/// on their stacks at a depth that depends on the machine).
pub const MAX_DEPTH: usize = 128;

/// A parsed JSON value, before either language's reading of it.
#[derive(Clone, Debug, PartialEq)]
pub enum Lax {
    /// `null`.
    Null,
    /// `true` or `false`.
    Bool(bool),
    /// A number, as its literal text (`NaN`, `Infinity`, `-Infinity` where allowed).
    Number(String),
    /// A string, as code points (surrogates possible).
    Str(Vec<u32>),
    /// An array.
    Array(Vec<Lax>),
    /// An object: members in document order, repeats kept.
    Object(Vec<(Vec<u32>, Lax)>),
}

/// Which reader's grammar: Python's `json.loads` also reads `NaN`, `Infinity` and `-Infinity`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Dialect {
    /// ECMAScript `JSON.parse`.
    Js,
    /// CPython `json.loads`.
    Python,
}

/// Why a text does not parse.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Malformed;

/// `text` as `dialect` reads it, or [`Malformed`].
pub fn parse(text: &[char], dialect: Dialect) -> Result<Lax, Malformed> {
    let mut p = Parser {
        text,
        at: 0,
        dialect,
    };
    p.ws();
    let value = p.value(0)?;
    p.ws();
    if p.peek().is_some() {
        return Err(Malformed);
    }
    Ok(value)
}

/// Lone surrogate code points cannot be `char`s: a [`Lax`] string's text as Rust sees it
/// (each surrogate as U+FFFD), for messages and tests.
pub fn lossy(points: &[u32]) -> String {
    points
        .iter()
        .map(|&c| char::from_u32(c).unwrap_or('\u{FFFD}'))
        .collect()
}

/// The code points of a Rust string.
pub fn points(text: &str) -> Vec<u32> {
    text.chars().map(u32::from).collect()
}

/// The members of an object as a JavaScript object or a Python `dict` holds them: each name
/// once, at its first place, with its last value.
pub fn merged(members: &[(Vec<u32>, Lax)]) -> Vec<(&[u32], &Lax)> {
    let mut merged: Vec<(&[u32], &Lax)> = Vec::with_capacity(members.len());
    for (name, value) in members {
        match merged.iter_mut().find(|(n, _)| *n == name.as_slice()) {
            Some(slot) => slot.1 = value,
            None => merged.push((name, value)),
        }
    }
    merged
}

/// The two-character escape both `JSON.stringify` and `json.dumps` write for `c`, if any.
pub(crate) fn short_escape(c: u32) -> Option<&'static [u8]> {
    Some(match c {
        0x22 => b"\\\"",
        0x5C => b"\\\\",
        0x08 => b"\\b",
        0x09 => b"\\t",
        0x0A => b"\\n",
        0x0C => b"\\f",
        0x0D => b"\\r",
        _ => return None,
    })
}

/// The last value of member `name` (both readers keep the last of repeated members).
pub fn member<'a>(members: &'a [(Vec<u32>, Lax)], name: &str) -> Option<&'a Lax> {
    let name = points(name);
    members
        .iter()
        .rev()
        .find(|(n, _)| *n == name)
        .map(|(_, v)| v)
}

struct Parser<'a> {
    text: &'a [char],
    at: usize,
    dialect: Dialect,
}

impl Parser<'_> {
    fn peek(&self) -> Option<char> {
        self.text.get(self.at).copied()
    }

    fn bump(&mut self) -> Option<char> {
        let c = self.peek()?;
        self.at = self.at.saturating_add(1);
        Some(c)
    }

    fn eat(&mut self, want: char) -> Result<(), Malformed> {
        (self.bump() == Some(want)).then_some(()).ok_or(Malformed)
    }

    fn ws(&mut self) {
        while matches!(self.peek(), Some(' ' | '\t' | '\n' | '\r')) {
            self.at = self.at.saturating_add(1);
        }
    }

    fn word(&mut self, word: &str) -> Result<(), Malformed> {
        word.chars().try_for_each(|c| self.eat(c))
    }

    fn value(&mut self, depth: usize) -> Result<Lax, Malformed> {
        let inner = depth.saturating_add(1);
        match self.peek().ok_or(Malformed)? {
            '{' | '[' if inner > MAX_DEPTH => Err(Malformed),
            '{' => self.object(inner),
            '[' => self.array(inner),
            '"' => self.string().map(Lax::Str),
            't' => self.word("true").map(|()| Lax::Bool(true)),
            'f' => self.word("false").map(|()| Lax::Bool(false)),
            'n' => self.word("null").map(|()| Lax::Null),
            'N' if self.dialect == Dialect::Python => {
                self.word("NaN").map(|()| Lax::Number("NaN".into()))
            }
            'I' if self.dialect == Dialect::Python => self
                .word("Infinity")
                .map(|()| Lax::Number("Infinity".into())),
            '-' if self.dialect == Dialect::Python
                && self.text.get(self.at.saturating_add(1)) == Some(&'I') =>
            {
                self.word("-Infinity")
                    .map(|()| Lax::Number("-Infinity".into()))
            }
            '-' | '0'..='9' => self.number().map(Lax::Number),
            _ => Err(Malformed),
        }
    }

    fn array(&mut self, depth: usize) -> Result<Lax, Malformed> {
        self.eat('[')?;
        self.ws();
        let mut items = Vec::new();
        if self.peek() == Some(']') {
            self.bump();
            return Ok(Lax::Array(items));
        }
        loop {
            self.ws();
            items.push(self.value(depth)?);
            self.ws();
            match self.bump() {
                Some(',') => {}
                Some(']') => return Ok(Lax::Array(items)),
                _ => return Err(Malformed),
            }
        }
    }

    fn object(&mut self, depth: usize) -> Result<Lax, Malformed> {
        self.eat('{')?;
        self.ws();
        let mut members = Vec::new();
        if self.peek() == Some('}') {
            self.bump();
            return Ok(Lax::Object(members));
        }
        loop {
            self.ws();
            if self.peek() != Some('"') {
                return Err(Malformed);
            }
            let name = self.string()?;
            self.ws();
            self.eat(':')?;
            self.ws();
            members.push((name, self.value(depth)?));
            self.ws();
            match self.bump() {
                Some(',') => {}
                Some('}') => return Ok(Lax::Object(members)),
                _ => return Err(Malformed),
            }
        }
    }

    fn string(&mut self) -> Result<Vec<u32>, Malformed> {
        self.eat('"')?;
        let mut out: Vec<u32> = Vec::new();
        let mut high_escape = false;
        loop {
            match self.bump().ok_or(Malformed)? {
                '"' => return Ok(out),
                '\\' => {
                    let unit = match self.bump().ok_or(Malformed)? {
                        '"' => 0x22,
                        '\\' => 0x5C,
                        '/' => 0x2F,
                        'b' => 0x08,
                        'f' => 0x0C,
                        'n' => 0x0A,
                        'r' => 0x0D,
                        't' => 0x09,
                        'u' => self.hex4()?,
                        _ => return Err(Malformed),
                    };
                    // An escaped low surrogate right after an escaped high one is one code point.
                    match (high_escape, out.last_mut()) {
                        (true, Some(high)) if (0xDC00..=0xDFFF).contains(&unit) => {
                            *high = (((*high).wrapping_sub(0xD800) << 10)
                                | unit.wrapping_sub(0xDC00))
                            .wrapping_add(0x10000);
                            high_escape = false;
                        }
                        _ => {
                            high_escape = (0xD800..=0xDBFF).contains(&unit);
                            out.push(unit);
                        }
                    }
                }
                c if u32::from(c) < 0x20 => return Err(Malformed),
                c => {
                    high_escape = false;
                    out.push(u32::from(c));
                }
            }
        }
    }

    fn hex4(&mut self) -> Result<u32, Malformed> {
        let mut value = 0u32;
        for _ in 0..4 {
            let digit = self.bump().and_then(|c| c.to_digit(16)).ok_or(Malformed)?;
            value = value.wrapping_shl(4) | digit;
        }
        Ok(value)
    }

    fn digits(&mut self) -> usize {
        let start = self.at;
        while matches!(self.peek(), Some('0'..='9')) {
            self.at = self.at.saturating_add(1);
        }
        self.at.saturating_sub(start)
    }

    fn number(&mut self) -> Result<String, Malformed> {
        let start = self.at;
        if self.peek() == Some('-') {
            self.bump();
        }
        match self.peek() {
            Some('0') => {
                self.bump();
            }
            Some('1'..='9') => {
                self.digits();
            }
            _ => return Err(Malformed),
        }
        if self.peek() == Some('.') {
            self.bump();
            if self.digits() == 0 {
                return Err(Malformed);
            }
        }
        if matches!(self.peek(), Some('e' | 'E')) {
            self.bump();
            if matches!(self.peek(), Some('+' | '-')) {
                self.bump();
            }
            if self.digits() == 0 {
                return Err(Malformed);
            }
        }
        Ok(self
            .text
            .get(start..self.at)
            .unwrap_or_default()
            .iter()
            .collect())
    }
}
