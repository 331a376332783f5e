//! JSON writers that keep what the vectors mean: members in the order given and numbers exactly
//! as written (`60.0` stays `60.0`, which a config vector may need). Strings use the RFC 8785
//! escapes, so every string round-trips through the strict parser.

use sipc_reference::json::{write_value, Value};

/// `value` on one line, no spaces: the form of an adapter request line.
pub fn compact(value: &Value) -> Vec<u8> {
    let mut out = Vec::new();
    write(&mut out, value, None);
    out
}

/// `value` indented by two spaces, arrays of scalars kept on one line; ends with a newline.
pub fn pretty(value: &Value) -> Vec<u8> {
    let mut out = Vec::new();
    write(&mut out, value, Some(0));
    out.push(b'\n');
    out
}

fn newline(out: &mut Vec<u8>, indent: usize) {
    out.push(b'\n');
    out.extend(std::iter::repeat_n(b' ', indent * 2));
}

fn is_scalar(value: &Value) -> bool {
    !matches!(value, Value::Array(_) | Value::Object(_))
}

/// `indent` is `None` for the compact form, else the current depth.
fn write(out: &mut Vec<u8>, value: &Value, indent: Option<usize>) {
    match value {
        Value::Number(n) => out.extend_from_slice(n.literal().as_bytes()),
        Value::Array(items) => {
            let inner = indent.filter(|_| !items.iter().all(is_scalar));
            out.push(b'[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                    if indent.is_some() && inner.is_none() {
                        out.push(b' ');
                    }
                }
                if let Some(depth) = inner {
                    newline(out, depth + 1);
                }
                write(out, item, inner.map(|d| d + 1));
            }
            if let (Some(depth), false) = (inner, items.is_empty()) {
                newline(out, depth);
            }
            out.push(b']');
        }
        Value::Object(members) => {
            out.push(b'{');
            for (i, (name, item)) in members.iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                if let Some(depth) = indent {
                    newline(out, depth + 1);
                }
                write_value(out, &Value::String(name.clone()));
                out.push(b':');
                if indent.is_some() {
                    out.push(b' ');
                }
                write(out, item, indent.map(|d| d + 1));
            }
            if let (Some(depth), false) = (indent, members.is_empty()) {
                newline(out, depth);
            }
            out.push(b'}');
        }
        scalar => write_value(out, scalar),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use sipc_reference::json::parse;

    #[test]
    fn literals_and_order_survive() {
        let text = br#"{"b":60.0,"a":[1,"x\u0000"],"c":{"d":[{"e":-0}]}}"#;
        let value = parse(text).unwrap();
        assert_eq!(compact(&value), text.to_vec());
        let pretty = pretty(&value);
        assert_eq!(
            String::from_utf8(pretty.clone()).unwrap(),
            "{\n  \"b\": 60.0,\n  \"a\": [1, \"x\\u0000\"],\n  \"c\": {\n    \"d\": [\n      {\n        \"e\": -0\n      }\n    ]\n  }\n}\n"
        );
        assert_eq!(compact(&parse(&pretty).unwrap()), text.to_vec());
    }
}
