//! # sipc-model
//!
//! The executable model of SIPC/1 verification: what a verifier *is*, written for clarity,
//! not speed. It is part of the specification (`spec/model/README.md`).
//!
//! Envelopes are abstract: a nonce, a `ts`, whether the MAC is authentic, and at most one
//! structural fault (too large, malformed, kind not allowed) standing for steps 1–7 of §8.
//! The caller reads clocks (`Action::Clock`) and verifies envelopes (`Action::Verify`) in any
//! interleaving, the clock stepping back included. The verifier keeps the greatest time it has
//! been given (REQ-TTL-3) and a replay cache of live nonces with a capacity (§9).
//!
//! The TCP profile's framing (§12) is a second model (`framing.rs`): a peer delivers frames
//! in chunks of any size and may close at any point; the receiver's answers must be those of
//! whole frames, whatever the chunking.
//!
//! The safety properties are checked on every transition, against definitions written apart
//! from the verifier (`properties.rs`); a broken one sets a sticky flag in the state, which
//! an `always` property of the checker watches, so that a counterexample is a path of actions.

pub mod framing;
pub mod model;
pub mod properties;

pub use framing::{
    stream, Connection, FramingAction, FramingBounds, FramingModel, FramingMutation, ScriptFrame,
};
pub use model::{Action, Bounds, Envelope, Fault, Mutation, State, Verdict, VerifierModel};
/// The checker's trait, for the model-based tests of the reference.
pub use stateright::Model;
