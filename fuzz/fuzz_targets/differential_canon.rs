//! Our canonicalizer against an independent one (serde_json + serde_json_canonicalizer). On
//! inputs both accept, the bytes are identical. Where only ours refuses, the input must break a
//! rule in which SIPC/1 is stricter than RFC 8259 readers (REQ-JSON-4 duplicate names,
//! REQ-JSON-7 depth over 64); where only theirs refuses, ours must be wrong.
#![no_main]

use libfuzzer_sys::fuzz_target;
use serde::de::{DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use sipc_reference::canonicalize;
use std::collections::HashSet;
use std::fmt;

/// What the spec's stricter rules see in a text that serde_json reads: duplicate member
/// names (after unescaping) at any depth, and the greatest nesting depth.
#[derive(Default)]
struct Strictness {
    duplicate: bool,
    depth: usize,
}

struct Walk<'a> {
    seen: &'a mut Strictness,
    depth: usize,
}

impl<'de> DeserializeSeed<'de> for Walk<'_> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Walk<'_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("JSON")
    }
    fn visit_bool<E>(self, _: bool) -> Result<(), E> {
        Ok(())
    }
    fn visit_i64<E>(self, _: i64) -> Result<(), E> {
        Ok(())
    }
    fn visit_u64<E>(self, _: u64) -> Result<(), E> {
        Ok(())
    }
    fn visit_f64<E>(self, _: f64) -> Result<(), E> {
        Ok(())
    }
    fn visit_str<E>(self, _: &str) -> Result<(), E> {
        Ok(())
    }
    fn visit_unit<E>(self) -> Result<(), E> {
        Ok(())
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let depth = self.depth + 1;
        self.seen.depth = self.seen.depth.max(depth);
        while seq
            .next_element_seed(Walk {
                seen: &mut *self.seen,
                depth,
            })?
            .is_some()
        {}
        Ok(())
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let depth = self.depth + 1;
        self.seen.depth = self.seen.depth.max(depth);
        let mut names = HashSet::new();
        while let Some(name) = map.next_key::<String>()? {
            if !names.insert(name) {
                self.seen.duplicate = true;
            }
            map.next_value_seed(Walk {
                seen: &mut *self.seen,
                depth,
            })?;
        }
        Ok(())
    }
}

fn theirs(data: &[u8]) -> Option<Vec<u8>> {
    let value: serde_json::Value = serde_json::from_slice(data).ok()?;
    serde_json_canonicalizer::to_vec(&value).ok()
}

fuzz_target!(|data: &[u8]| {
    let ours = canonicalize(data).ok();
    match (ours, theirs(data)) {
        (Some(a), Some(b)) => assert_eq!(
            a,
            b,
            "the canonical forms differ for {:?}",
            String::from_utf8_lossy(data)
        ),
        (None, Some(_)) => {
            let mut seen = Strictness::default();
            let mut de = serde_json::Deserializer::from_slice(data);
            Walk {
                seen: &mut seen,
                depth: 0,
            }
            .deserialize(&mut de)
            .expect("serde_json read it once");
            assert!(
                seen.duplicate || seen.depth > sipc_reference::json::MAX_DEPTH,
                "refused by us only, with no duplicate name and depth {}: {:?}",
                seen.depth,
                String::from_utf8_lossy(data)
            );
        }
        (Some(_), None) => panic!("accepted by us only: {:?}", String::from_utf8_lossy(data)),
        (None, None) => {}
    }
});
