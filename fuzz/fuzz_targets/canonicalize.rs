//! `canonicalize` (REQ-CANON-6): idempotent, and its output parses back (strictly) to a value
//! whose canonical form is itself; no panic on any input.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sipc_reference::canonicalize;
use sipc_reference::json::parse;

fuzz_target!(|data: &[u8]| {
    if let Ok(canonical) = canonicalize(data) {
        assert!(
            parse(&canonical).is_ok(),
            "canonical output is not strict JSON"
        );
        let again = canonicalize(&canonical).expect("canonical output is refused");
        assert_eq!(again, canonical, "not idempotent");
        assert!(std::str::from_utf8(&canonical).is_ok());
    }
});
