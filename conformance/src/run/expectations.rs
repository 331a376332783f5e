//! `--expectations FILE`: known failures and an error-code map, like BoGo's config, so a
//! project can adopt sipc before it is fully conformant.
//!
//! ```json
//! {
//!   "failures": { "SEC-IPC-04": "no replay cache yet (#12)", "131": "wrong code, fixed in 2.1" },
//!   "error_map": { "stale": "expired", "bad_mac": "bad_signature" }
//! }
//! ```
//!
//! Keys of `failures` are tcIds, family ids, areas, or prefixes ending in `*` (as `--filter`).
//! A listed test that fails is an expected failure; one that passes is reported as fixed and
//! counts as a failure, so that the list shrinks as the implementation improves.

use crate::suite::pattern_matches;
use sipc_reference::json::{parse, Value};
use sipc_reference::Reject;
use sipc_vectors::load::Case;
use std::collections::BTreeMap;

/// A parsed expectations file.
#[derive(Default, Debug)]
pub struct Expectations {
    /// Pattern → reason.
    pub failures: Vec<(String, String)>,
    /// The implementation's code → the SIPC/1 code.
    pub error_map: BTreeMap<String, String>,
}

fn string_map(value: Option<&Value>, what: &str) -> Result<Vec<(String, String)>, String> {
    match value {
        None => Ok(Vec::new()),
        Some(Value::Object(members)) => members
            .iter()
            .map(|(k, v)| {
                v.as_str()
                    .map(|s| (k.clone(), s.to_owned()))
                    .ok_or_else(|| format!("{what}.{k} is not a string"))
            })
            .collect(),
        Some(_) => Err(format!("{what} is not an object")),
    }
}

impl Expectations {
    /// Parses the file's text (strict JSON).
    pub fn parse(text: &[u8]) -> Result<Expectations, String> {
        let root = parse(text).map_err(|e| format!("not strict JSON: {e}"))?;
        let Value::Object(members) = &root else {
            return Err("not a JSON object".into());
        };
        if let Some((name, _)) = members
            .iter()
            .find(|(n, _)| n != "failures" && n != "error_map")
        {
            return Err(format!("unknown member {name}"));
        }
        let failures = string_map(root.get("failures"), "failures")?;
        let error_map: BTreeMap<String, String> = string_map(root.get("error_map"), "error_map")?
            .into_iter()
            .collect();
        if let Some((theirs, ours)) = error_map
            .iter()
            .find(|(_, ours)| !Reject::CODES.contains(&ours.as_str()))
        {
            return Err(format!(
                "error_map.{theirs}: {ours} is not a SIPC/1 error code"
            ));
        }
        Ok(Expectations {
            failures,
            error_map,
        })
    }

    /// The reason `case` is expected to fail, if it is listed.
    pub fn reason(&self, case: &Case) -> Option<&str> {
        self.failures
            .iter()
            .find(|(p, _)| pattern_matches(p, case))
            .map(|(_, r)| r.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_unknown_members_and_codes() {
        assert!(Expectations::parse(br#"{"failure":{}}"#).is_err());
        assert!(Expectations::parse(br#"{"error_map":{"stale":"too_old"}}"#).is_err());
        assert!(Expectations::parse(br#"{"failures":{"1":2}}"#).is_err());
        assert!(Expectations::parse(br#"{"failures":{"1":"a","1":"b"}}"#).is_err());
        let e = Expectations::parse(
            br#"{"failures":{"SEC-IPC-0*":"later"},"error_map":{"stale":"expired"}}"#,
        )
        .unwrap();
        assert_eq!(
            e.error_map.get("stale").map(String::as_str),
            Some("expired")
        );
        assert_eq!(e.failures.len(), 1);
    }
}
