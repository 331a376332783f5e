//! The strict JSON parser of SIPC/1 §2 (REQ-JSON-1 … REQ-JSON-8).
//!
//! Stricter than RFC 8259 requires and than `serde_json` is: duplicate member names, lone
//! surrogates, a BOM and numbers that overflow binary64 are errors. Recursion is bounded by
//! [`MAX_DEPTH`], so the stack use is bounded whatever the input (REQ-JSON-7).

use super::value::{Number, Value};
use crate::{Reject, Rule};

/// REQ-JSON-8: what else RFC 8259 forbids (unknown escapes, trailing commas, comments, the end
/// of input inside a value …).
const GRAMMAR: Reject = Reject::Malformed(Rule::Json8);
/// REQ-JSON-6: a number outside the grammar, or one that overflows binary64.
const NUMBER: Reject = Reject::Malformed(Rule::Json6);

/// The deepest nesting of arrays and objects accepted: 64 is accepted, 65 is not (REQ-JSON-7).
pub const MAX_DEPTH: usize = 64;

/// Parses one strict JSON text (REQ-JSON-1 … REQ-JSON-8). Every failure is [`Reject::Malformed`]
/// naming the rule it broke.
pub fn parse(input: &[u8]) -> Result<Value, Reject> {
    // REQ-JSON-2: a byte order mark is not whitespace.
    if input.starts_with(&[0xEF, 0xBB, 0xBF]) {
        return Err(Reject::Malformed(Rule::Json2));
    }
    // REQ-JSON-1: the whole text is UTF-8 (this also refuses encoded surrogates, REQ-JSON-5).
    let text = std::str::from_utf8(input).map_err(|_| Reject::Malformed(Rule::Json1))?;
    let mut parser = Parser {
        bytes: text.as_bytes(),
        pos: 0,
    };
    parser.skip_whitespace();
    let value = parser.value(0)?;
    parser.skip_whitespace();
    // REQ-JSON-3: nothing but whitespace after the value (a comment is REQ-JSON-8's).
    match parser.peek() {
        None => {}
        Some(b'/') => return Err(GRAMMAR),
        Some(_) => return Err(Reject::Malformed(Rule::Json3)),
    }
    Ok(value)
}

struct Parser<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl Parser<'_> {
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    fn bump(&mut self) -> Option<u8> {
        let b = self.peek()?;
        self.pos = self.pos.saturating_add(1);
        Some(b)
    }

    fn expect(&mut self, want: u8) -> Result<(), Reject> {
        match self.bump() {
            Some(b) if b == want => Ok(()),
            _ => Err(GRAMMAR),
        }
    }

    /// RFC 8259 whitespace only: space, tab, LF, CR.
    fn skip_whitespace(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.peek() {
            self.pos = self.pos.saturating_add(1);
        }
    }

    /// A value at nesting `depth` (the number of arrays/objects around it).
    fn value(&mut self, depth: usize) -> Result<Value, Reject> {
        match self.peek() {
            Some(b'{') => self.object(depth),
            Some(b'[') => self.array(depth),
            Some(b'"') => self.string().map(Value::String),
            Some(b't') => self.literal(b"true", Value::Bool(true)),
            Some(b'f') => self.literal(b"false", Value::Bool(false)),
            Some(b'n') => self.literal(b"null", Value::Null),
            Some(b'-' | b'0'..=b'9') => self.number().map(Value::Number),
            // REQ-JSON-6: `+1`, `.5`, `NaN`, `Infinity`.
            Some(b'+' | b'.' | b'N' | b'I') => Err(Reject::Malformed(Rule::Json6)),
            // REQ-JSON-3: an empty text, or whitespace other than RFC 8259's around the value.
            None | Some(0x00 | 0x0B | 0x0C | 0xC2 | 0xE2 | 0xE3 | 0xEF) if depth == 0 => {
                Err(Reject::Malformed(Rule::Json3))
            }
            _ => Err(GRAMMAR),
        }
    }

    fn literal(&mut self, word: &[u8], value: Value) -> Result<Value, Reject> {
        let end = self.pos.saturating_add(word.len());
        if self.bytes.get(self.pos..end) != Some(word) {
            return Err(GRAMMAR);
        }
        self.pos = end;
        Ok(value)
    }

    /// Entering a container: REQ-JSON-7 caps the depth before any recursion happens.
    fn enter(depth: usize) -> Result<usize, Reject> {
        let inner = depth.saturating_add(1);
        if inner > MAX_DEPTH {
            return Err(Reject::Malformed(Rule::Json7));
        }
        Ok(inner)
    }

    fn array(&mut self, depth: usize) -> Result<Value, Reject> {
        let inner = Self::enter(depth)?;
        self.expect(b'[')?;
        let mut items = Vec::new();
        self.skip_whitespace();
        if self.peek() == Some(b']') {
            self.pos = self.pos.saturating_add(1);
            return Ok(Value::Array(items));
        }
        loop {
            self.skip_whitespace();
            items.push(self.value(inner)?);
            self.skip_whitespace();
            match self.bump() {
                Some(b',') => continue,
                Some(b']') => return Ok(Value::Array(items)),
                _ => return Err(GRAMMAR),
            }
        }
    }

    fn object(&mut self, depth: usize) -> Result<Value, Reject> {
        let inner = Self::enter(depth)?;
        self.expect(b'{')?;
        let mut members: Vec<(String, Value)> = Vec::new();
        self.skip_whitespace();
        if self.peek() == Some(b'}') {
            self.pos = self.pos.saturating_add(1);
            return Ok(Value::Object(members));
        }
        loop {
            self.skip_whitespace();
            if self.peek() != Some(b'"') {
                return Err(GRAMMAR);
            }
            let name = self.string()?;
            self.skip_whitespace();
            self.expect(b':')?;
            self.skip_whitespace();
            let value = self.value(inner)?;
            members.push((name, value));
            self.skip_whitespace();
            match self.bump() {
                Some(b',') => continue,
                Some(b'}') => break,
                _ => return Err(GRAMMAR),
            }
        }
        // REQ-JSON-4: member names are unique, compared after unescaping. Sorting keeps the
        // check O(n log n) for hostile objects with many members.
        let mut names: Vec<&str> = members.iter().map(|(n, _)| n.as_str()).collect();
        names.sort_unstable();
        if names.windows(2).any(|w| w.first() == w.get(1)) {
            return Err(Reject::Malformed(Rule::Json4));
        }
        Ok(Value::Object(members))
    }

    /// A string token, unescaped (REQ-JSON-5, REQ-JSON-8).
    fn string(&mut self) -> Result<String, Reject> {
        self.expect(b'"')?;
        let mut out: Vec<u8> = Vec::new();
        loop {
            // Copy the run of plain bytes up to the next quote, backslash or control.
            let start = self.pos;
            while let Some(b) = self.peek() {
                if b == b'"' || b == b'\\' || b < 0x20 {
                    break;
                }
                self.pos = self.pos.saturating_add(1);
            }
            out.extend_from_slice(self.bytes.get(start..self.pos).unwrap_or_default());
            match self.bump() {
                Some(b'"') => break,
                Some(b'\\') => self.escape(&mut out)?,
                // REQ-JSON-8: raw control characters, or the end of input inside a string.
                _ => return Err(GRAMMAR),
            }
        }
        // The input was valid UTF-8 and escapes add whole scalar values, so this cannot fail;
        // it is still mapped to an error rather than assumed.
        String::from_utf8(out).map_err(|_| Reject::Malformed(Rule::Json1))
    }

    fn escape(&mut self, out: &mut Vec<u8>) -> Result<(), Reject> {
        let simple = match self.bump() {
            Some(b'"') => b'"',
            Some(b'\\') => b'\\',
            Some(b'/') => b'/',
            Some(b'b') => 0x08,
            Some(b'f') => 0x0C,
            Some(b'n') => b'\n',
            Some(b'r') => b'\r',
            Some(b't') => b'\t',
            Some(b'u') => {
                let c = self.unicode_escape()?;
                let mut buf = [0u8; 4];
                out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
                return Ok(());
            }
            _ => return Err(GRAMMAR),
        };
        out.push(simple);
        Ok(())
    }

    /// After `\u`: four hex digits, joined with a following `\uDC00`–`\uDFFF` when they are a
    /// high surrogate. Any unpaired surrogate is refused (REQ-JSON-5).
    fn unicode_escape(&mut self) -> Result<char, Reject> {
        let first = self.hex4()?;
        let code = match first {
            0xD800..=0xDBFF => {
                let lone = Reject::Malformed(Rule::Json5);
                self.expect(b'\\').map_err(|_| lone.clone())?;
                self.expect(b'u').map_err(|_| lone.clone())?;
                let second = self.hex4()?;
                if !(0xDC00..=0xDFFF).contains(&second) {
                    return Err(lone);
                }
                // Both ranges are checked above, so this stays within 0x10000..=0x10FFFF.
                0x10000u32
                    .saturating_add((first.saturating_sub(0xD800)) << 10)
                    .saturating_add(second.saturating_sub(0xDC00))
            }
            0xDC00..=0xDFFF => return Err(Reject::Malformed(Rule::Json5)),
            other => other,
        };
        char::from_u32(code).ok_or(Reject::Malformed(Rule::Json5))
    }

    fn hex4(&mut self) -> Result<u32, Reject> {
        let mut code = 0u32;
        for _ in 0..4 {
            let digit = self
                .bump()
                .and_then(|b| char::from(b).to_digit(16))
                .ok_or(GRAMMAR)?;
            code = (code << 4) | digit;
        }
        Ok(code)
    }

    /// RFC 8259 number grammar; the value must be finite as binary64 (REQ-JSON-6).
    fn number(&mut self) -> Result<Number, Reject> {
        let start = self.pos;
        if self.peek() == Some(b'-') {
            self.pos = self.pos.saturating_add(1);
        }
        match self.bump() {
            // A leading zero is the whole integer part: `01` and `-00` are refused here.
            Some(b'0') if matches!(self.peek(), Some(b'0'..=b'9')) => return Err(NUMBER),
            Some(b'0') => {}
            Some(b'1'..=b'9') => self.digits(),
            _ => return Err(NUMBER),
        }
        if self.peek() == Some(b'.') {
            self.pos = self.pos.saturating_add(1);
            self.one_or_more_digits()?;
        }
        if let Some(b'e' | b'E') = self.peek() {
            self.pos = self.pos.saturating_add(1);
            if let Some(b'+' | b'-') = self.peek() {
                self.pos = self.pos.saturating_add(1);
            }
            self.one_or_more_digits()?;
        }
        let literal = self
            .bytes
            .get(start..self.pos)
            .and_then(|b| std::str::from_utf8(b).ok())
            .ok_or(NUMBER)?;
        // Rust's float parser rounds correctly to nearest, ties to even, as ECMAScript does.
        let value: f64 = literal.parse().map_err(|_| NUMBER)?;
        if !value.is_finite() {
            return Err(NUMBER);
        }
        // A letter, digit or dot right after a number continues it outside the grammar
        // (`0x10`, `1.5.2`, `1f`); no valid text has one there.
        if matches!(self.peek(), Some(b) if b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'+' | b'-'))
        {
            return Err(NUMBER);
        }
        Ok(Number::from_parts(literal, value))
    }

    fn digits(&mut self) {
        while let Some(b'0'..=b'9') = self.peek() {
            self.pos = self.pos.saturating_add(1);
        }
    }

    fn one_or_more_digits(&mut self) -> Result<(), Reject> {
        let start = self.pos;
        self.digits();
        if self.pos == start {
            return Err(NUMBER);
        }
        Ok(())
    }
}
