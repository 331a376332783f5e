//! The properties of `properties.rs` hold on every behaviour within the CI bound (3 nonces,
//! capacity 2, ttl 2, times 0–6, 6 steps), and each can fail: a model with a deliberate bug
//! yields a counterexample path for the property that bug breaks.

use sipc_model::{Bounds, Mutation, VerifierModel};
use stateright::{Checker, Model};
use std::time::Instant;

fn check(model: VerifierModel) -> impl Checker<VerifierModel> {
    model.checker().threads(2).spawn_bfs().join()
}

/// Every `always` property holds and every `sometimes` one is reached, exhaustively.
#[test]
fn the_model_holds_every_property_within_the_ci_bound() {
    let started = Instant::now();
    let checker = check(VerifierModel::new(Bounds::CI));
    println!(
        "bound {:?}: {} states ({} unique), depth {}, {:.1} s",
        Bounds::CI,
        checker.state_count(),
        checker.unique_state_count(),
        checker.max_depth(),
        started.elapsed().as_secs_f64()
    );
    checker.assert_properties();
    assert!(
        checker.unique_state_count() > 10_000,
        "the bound explores too little"
    );
}

/// Each property can fail: the bug named breaks it, and the checker returns the path.
#[test]
fn each_property_fails_on_its_bug() {
    let small = Bounds {
        steps: 4,
        ..Bounds::CI
    };
    for (mutation, property) in [
        (
            Mutation::RecordBeforeMac,
            "a refusal changes nothing but the clock",
        ),
        (
            Mutation::EvictWhenFull,
            "no live nonce is dropped (a full cache refuses)",
        ),
        (
            Mutation::ExpireAtTtl,
            "each refusal is the first failing step of §8",
        ),
        (
            Mutation::ClockGoesBack,
            "every accept is fresh, authentic and well formed",
        ),
        (
            Mutation::ForgetAtTtl,
            "an authentic envelope is accepted at most once in its window",
        ),
        (
            Mutation::ReplayBeforeMac,
            "each refusal is the first failing step of §8",
        ),
        (
            Mutation::OffByOneCapacity,
            "the cache never holds more than its capacity",
        ),
        (
            Mutation::NoMacCheck,
            "every accept is fresh, authentic and well formed",
        ),
    ] {
        let checker = check(VerifierModel::mutated(small, mutation));
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
