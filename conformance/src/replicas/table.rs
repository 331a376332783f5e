//! The replica tests (SIPC/1 §16): N replicas of the server, one config, one shared store.
//! Each test is one function of [`super::exec`] or [`super::race`]; failures name their REQ id.

use super::Ctx;
use crate::run::check::Observation;

/// One replica test: its identity, and what runs it.
pub struct StoreTest {
    /// Unique, after the TCP and spool tests' ids.
    pub tc_id: u64,
    /// The family.
    pub id: &'static str,
    /// The requirements it holds the replicas to.
    pub req: &'static [&'static str],
    /// Its flags (vectors/src/notes.rs).
    pub flags: &'static [&'static str],
    /// What it does.
    pub comment: &'static str,
    /// Runs it against the replicas and the store.
    pub run: fn(&mut Ctx) -> Observation,
}

/// Every replica test, in tcId order. The store-failure tests come last: they fill the store,
/// then stop it.
pub fn all() -> Vec<StoreTest> {
    vec![
        StoreTest {
            tc_id: 1201,
            id: "STORE-CROSS",
            req: &["REQ-STORE-1", "REQ-TCP-5"],
            flags: &["Replay", "SharedReplayStore"],
            comment: "an envelope accepted by one replica is a replay on every other, and on itself",
            run: super::exec::cross,
        },
        StoreTest {
            tc_id: 1202,
            id: "STORE-RACE",
            req: &["REQ-STORE-1"],
            flags: &["Replay", "SharedReplayStore"],
            comment: "the same envelope to every replica at the same instant, round after round (a barrier, the last byte of each frame held until every replica has the rest; some rounds with the store's writes paused): accepted exactly once per round",
            run: super::race::race,
        },
        StoreTest {
            tc_id: 1203,
            id: "STORE-KEY",
            req: &["REQ-STORE-2", "REQ-STORE-3", "REQ-STORE-4"],
            flags: &["StoreKeyPolicy"],
            comment: "forged, expired and disallowed envelopes leave no key; an accepted one leaves sipc1:replay:<HMAC of the nonce>, expiring at ts + ttl + 1, and no key naming the nonce",
            run: super::exec::key,
        },
        StoreTest {
            tc_id: 1204,
            id: "STORE-RESTART",
            req: &["REQ-STORE-1", "REQ-STORE-6"],
            flags: &["Replay", "SharedReplayStore"],
            comment: "a replica stopped and started again mid-run refuses replays of envelopes accepted before",
            run: super::exec::restart,
        },
        StoreTest {
            tc_id: 1205,
            id: "STORE-FULL",
            req: &["REQ-STORE-5", "REQ-STORE-6"],
            flags: &["Replay", "StoreFailClosed"],
            comment: "the store full under noeviction (its maxmemory set to 1 byte), so that every SET answers an OOM error: every replica refuses valid envelopes (replay_store_unavailable); the limit lifted, it accepts them",
            run: super::failure::full,
        },
        StoreTest {
            tc_id: 1206,
            id: "STORE-DOWN",
            req: &["REQ-STORE-5", "REQ-STORE-7"],
            flags: &["Replay", "StoreFailClosed"],
            comment: "with the store stopped every replica refuses valid envelopes (replay_store_unavailable), twice, and a replica started meanwhile too; once the store is back they accept again",
            run: super::failure::down,
        },
    ]
}
