//! The JSON value tree produced by the strict parser.

/// A JSON number: the literal as written and the IEEE-754 binary64 value nearest to it.
///
/// The literal is kept because SIPC/1 constrains how some numbers are *written*
/// (REQ-ENV-5: `ts` is an integer literal), while canonicalization uses the value (REQ-CANON-4).
#[derive(Debug, Clone)]
pub struct Number {
    literal: Box<str>,
    value: f64,
}

impl Number {
    /// Builds a number from a finite `f64`; the literal is its canonical (ECMAScript) form.
    /// Returns `None` for NaN and infinities, which JSON cannot hold (REQ-JSON-6).
    pub fn from_f64(value: f64) -> Option<Number> {
        if !value.is_finite() {
            return None;
        }
        let literal = ryu_js::Buffer::new().format_finite(value).into();
        Some(Number { literal, value })
    }

    /// Builds a number from an unsigned integer, written exactly (not rounded) as its literal.
    pub fn from_u64(value: u64) -> Number {
        #[allow(clippy::cast_precision_loss)] // the nearest double, as a JSON reader would see it
        let as_f64 = value as f64;
        Number {
            literal: value.to_string().into(),
            value: as_f64,
        }
    }

    pub(crate) fn from_parts(literal: &str, value: f64) -> Number {
        Number {
            literal: literal.into(),
            value,
        }
    }

    /// The number exactly as it was written in the JSON text.
    pub fn literal(&self) -> &str {
        &self.literal
    }

    /// The binary64 value nearest to the literal.
    pub fn value(&self) -> f64 {
        self.value
    }

    /// The value of an *integer literal*: `0` or `-?[1-9][0-9]*`, with no fraction, no exponent
    /// and no `-0` (REQ-ENV-5, REQ-CONFIG-12). Literals outside `i128` saturate, which every
    /// range check in SIPC/1 then rejects.
    pub fn integer_literal(&self) -> Option<i128> {
        let (negative, digits) = match self.literal.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, &*self.literal),
        };
        let well_formed = !digits.is_empty()
            && digits.bytes().all(|b| b.is_ascii_digit())
            && (digits == "0" || !digits.starts_with('0'))
            && !(negative && digits == "0");
        if !well_formed {
            return None;
        }
        let magnitude = digits.parse::<i128>().unwrap_or(i128::MAX);
        Some(if negative {
            magnitude.saturating_neg()
        } else {
            magnitude
        })
    }
}

/// Numbers are equal when their values are (`1.0` equals `1`, `-0` equals `0`): the literal is
/// presentation, the value is content (REQ-CANON-4).
impl PartialEq for Number {
    fn eq(&self, other: &Number) -> bool {
        self.value == other.value
    }
}

/// A parsed JSON value. Objects keep their members in document order; the strict parser
/// guarantees their names are unique (REQ-JSON-4).
#[derive(Debug, Clone)]
pub enum Value {
    /// `null`
    Null,
    /// `true` or `false`
    Bool(bool),
    /// A finite number.
    Number(Number),
    /// A string, unescaped, valid Unicode (no lone surrogates, REQ-JSON-5).
    String(String),
    /// An array, in order.
    Array(Vec<Value>),
    /// An object's members in document order.
    Object(Vec<(String, Value)>),
}

impl Value {
    /// A string value.
    pub fn string(text: &str) -> Value {
        Value::String(text.to_owned())
    }

    /// A non-negative integer value, written as its integer literal.
    pub fn uint(n: u64) -> Value {
        Value::Number(Number::from_u64(n))
    }

    /// The member `name` of an object, if this is an object that has it.
    pub fn get(&self, name: &str) -> Option<&Value> {
        match self {
            Value::Object(members) => member(members, name),
            _ => None,
        }
    }

    /// The string, if this is a string.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::String(s) => Some(s),
            _ => None,
        }
    }
}

/// The value of member `name` among `members`.
pub(crate) fn member<'a>(members: &'a [(String, Value)], name: &str) -> Option<&'a Value> {
    members.iter().find(|(n, _)| n == name).map(|(_, v)| v)
}

/// JSON data-model equality: objects compare as sets of members (order is presentation),
/// numbers by value, strings by code points. This is the equality under which
/// `parse(canonicalize(x)) == x` holds.
impl PartialEq for Value {
    fn eq(&self, other: &Value) -> bool {
        match (self, other) {
            (Value::Null, Value::Null) => true,
            (Value::Bool(a), Value::Bool(b)) => a == b,
            (Value::Number(a), Value::Number(b)) => a == b,
            (Value::String(a), Value::String(b)) => a == b,
            (Value::Array(a), Value::Array(b)) => a == b,
            (Value::Object(a), Value::Object(b)) => {
                a.len() == b.len()
                    && a.iter()
                        .all(|(name, value)| member(b, name).is_some_and(|v| v == value))
            }
            _ => false,
        }
    }
}
