//! Arbitrary bytes and config limits into `Verifier::verify` (REQ-VERIFY-4): no panic, and the
//! verdict is a code of §1. Each envelope is verified twice, at two clocks, through one
//! verifier, so that the replay cache and the clock are exercised too; and through a second
//! verifier on the general path only (`verify_general`), which must answer the same: the
//! canonical fast path may recognise envelopes, never decide them differently. Time and memory are
//! bounded by libFuzzer's `-timeout` and `-rss_limit_mb`.
#![no_main]

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use sipc_fuzz::{Knobs, NOW};
use sipc_reference::{Reject, Verifier};

#[derive(Arbitrary, Debug)]
struct Input<'a> {
    knobs: Knobs,
    /// Clock offset from the vectors' NOW for the second verification.
    later: i16,
    envelope: &'a [u8],
}

fuzz_target!(|input: Input| {
    let mut verifier = Verifier::new(input.knobs.config()).expect("knobs make valid configs");
    let mut general = verifier.clone();
    let later = NOW.saturating_add_signed(i64::from(input.later));
    let first = verifier.verify(input.envelope, NOW);
    let again = verifier.verify(input.envelope, later);
    assert_eq!(first, general.verify_general(input.envelope, NOW), "fast and general paths differ");
    assert_eq!(again, general.verify_general(input.envelope, later), "fast and general paths differ");
    for verdict in [&first, &again] {
        if let Err(reject) = verdict {
            assert!(Reject::CODES.contains(&reject.code()));
        }
    }
    // An accepted envelope is never accepted again: it is a replay while remembered
    // (REQ-REPLAY-2) and expired once forgotten (REQ-REPLAY-1, REQ-TTL-3). Only accepted
    // envelopes fill the cache (REQ-REPLAY-3).
    if first.is_ok() {
        assert!(again.is_err(), "accepted twice: {:?}", input.envelope);
    }
    if first.is_err() && again.is_err() {
        assert_eq!(verifier.live_nonces(), 0);
    }
});
