//! The framing properties (`framing.rs`) hold on every behaviour within the CI bound — 399
//! scripts of up to 3 frames, every chunking of their bytes, a close at every point — and each
//! can fail: a receiver with a deliberate bug yields a counterexample path for the property
//! that bug breaks.

use sipc_model::{FramingBounds, FramingModel, FramingMutation};
use stateright::{Checker, Model};
use std::time::Instant;

fn check(model: FramingModel) -> impl Checker<FramingModel> {
    model.checker().spawn_bfs().join()
}

/// Requirement: REQ-TCP-1, REQ-TCP-2, REQ-TCP-4 — every property holds, every reachability
/// property is reached.
#[test]
fn req_tcp_framing_holds_every_property_within_the_ci_bound() {
    let started = Instant::now();
    let model = FramingModel::new(FramingBounds::CI);
    let scripts = model.scripts().len();
    let checker = check(model);
    println!(
        "bound {:?}: {scripts} scripts, {} states ({} unique), depth {}, {:.1} s",
        FramingBounds::CI,
        checker.state_count(),
        checker.unique_state_count(),
        checker.max_depth(),
        started.elapsed().as_secs_f64()
    );
    checker.assert_properties();
    assert_eq!(scripts, 7 + 7 * 7 + 7 * 7 * 7, "the scripts of the bound");
    assert!(
        checker.unique_state_count() > 10_000,
        "the bound explores too little"
    );
}

/// Each property can fail: the bug named breaks it, and the checker returns the path.
#[test]
fn req_tcp_framing_each_property_fails_on_its_bug() {
    for (mutation, property) in [
        (
            FramingMutation::HeaderInOneChunk,
            "any split or pipelining gives the answers of whole frames, in order",
        ),
        (
            FramingMutation::OneFramePerChunk,
            "any split or pipelining gives the answers of whole frames, in order",
        ),
        (
            FramingMutation::ReadOnAfterOversize,
            "any split or pipelining gives the answers of whole frames, in order",
        ),
        (
            FramingMutation::OversizeAfterBody,
            "a pending frame never holds more than the limit",
        ),
        (
            FramingMutation::PartialFrameOnClose,
            "a frame cut off by a close has no effect",
        ),
    ] {
        let checker = check(FramingModel::mutated(FramingBounds::CI, mutation));
        let path = checker.discovery(property);
        assert!(
            path.is_some(),
            "{mutation:?}: no counterexample for {property:?}"
        );
        println!(
            "{mutation:?} breaks {property:?}: {:?}",
            path.map(|p| p.into_actions())
        );
    }
}
