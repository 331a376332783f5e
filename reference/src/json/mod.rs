//! Strict JSON (SIPC/1 §2) and its RFC 8785 canonical form (SIPC/1 §3).

mod canon;
mod parse;
mod value;

pub(crate) use canon::write_members;
pub use canon::{canonicalize, utf16_cmp, write_value};
pub use parse::{parse, MAX_DEPTH};
pub(crate) use value::member;
pub use value::{Number, Value};
