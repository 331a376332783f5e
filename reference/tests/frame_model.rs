//! The reference's frame decoder held to the framing model (spec/model/src/framing.rs): the
//! same bytes, in the same chunks, go to the model's receiver and to [`FrameDecoder`] (driven
//! the way `sipc serve` drives it, one frame per `decode` call), and after every chunk the
//! answers, the verifier's cache and whether a frame is pending must agree; a close at every
//! point must leave the answers of the whole frames before it.
//!
//! Within the model's CI bound (399 scripts of up to 3 frames, bodies of 0–4 bytes, limit 2):
//! every chunking of every script of at most 14 bytes, and for the longer ones every split into
//! two or three chunks; then random scripts and chunkings beyond the bound.

use proptest::prelude::*;
use sipc_model::framing::Answer;
use sipc_model::{stream, Connection, FramingBounds, FramingModel, ScriptFrame, Verdict};
use sipc_reference::frame::{Decoded, FrameDecoder};
use std::collections::BTreeMap;

/// Streams up to this long are checked under every chunking (2^(n−1) of them).
const EVERY_CHUNKING_MAX_BYTES: usize = 14;

/// The reference's side: the decoder and the answers it leads to.
struct Reference {
    decoder: FrameDecoder,
    answers: Vec<Answer>,
    cache: BTreeMap<u8, u8>,
}

impl Reference {
    fn new(model: &FramingModel) -> Reference {
        Reference {
            decoder: FrameDecoder::new(u64::from(model.bounds.limit)),
            answers: Vec::new(),
            cache: BTreeMap::new(),
        }
    }

    /// One chunk, as `sipc serve` consumes a read: frame after frame until the chunk is used
    /// up or an oversize header stops the connection.
    fn receive(&mut self, model: &FramingModel, chunk: &[u8]) {
        let mut rest = chunk;
        while !rest.is_empty() && !self.decoder.is_finished() {
            let (used, event) = self.decoder.decode(rest);
            assert!(
                used > 0 || event.is_some(),
                "the decoder made no progress on {rest:?}"
            );
            rest = &rest[used..];
            match event {
                Some(Decoded::Frame(body)) => {
                    self.answers.push(model.verify_body(&mut self.cache, &body));
                }
                Some(Decoded::Oversize { .. }) => self.answers.push(Verdict::Oversize),
                None => {}
            }
        }
    }
}

/// Drives both with `chunks` of `script`'s bytes, comparing after every chunk and at a close
/// after every chunk.
fn agree(model: &FramingModel, script: &[ScriptFrame], chunks: &[usize]) -> Result<(), String> {
    let bytes = stream(script);
    let mut conn: Connection = model.open(script.to_vec());
    let mut reference = Reference::new(model);
    let mut at = 0;
    for &n in chunks {
        let chunk = &bytes[at..at + n];
        at += n;
        conn.delivered = at;
        model.receive(&mut conn, chunk);
        reference.receive(model, chunk);
        let context = || format!("script {script:?}, chunks {chunks:?}, after {at} bytes");
        if reference.answers != conn.answers {
            return Err(format!(
                "Requirement: REQ-TCP-1/2: answers {:?}, the model's {:?} ({})",
                reference.answers,
                conn.answers,
                context()
            ));
        }
        if reference.cache != conn.cache {
            return Err(format!(
                "Requirement: REQ-TCP-1: cache {:?}, the model's {:?} ({})",
                reference.cache,
                conn.cache,
                context()
            ));
        }
        if !conn.stopped && reference.decoder.is_between_frames() != conn.buffer.is_empty() {
            return Err(format!(
                "Requirement: REQ-TCP-4: between frames {}, the model {} ({})",
                reference.decoder.is_between_frames(),
                conn.buffer.is_empty(),
                context()
            ));
        }
        if conn.stopped != reference.decoder.is_finished() {
            return Err(format!(
                "Requirement: REQ-TCP-2: stopped {}, the model {} ({})",
                reference.decoder.is_finished(),
                conn.stopped,
                context()
            ));
        }
        // A close here: the model drops what is pending; so does a server that sees the
        // decoder mid-frame. Both must leave the answers of the whole frames.
        let mut closed = conn.clone();
        model.close(&mut closed);
        let whole = model.whole_frames(script, at);
        if (closed.answers.clone(), closed.cache.clone()) != whole
            || (reference.answers.clone(), reference.cache.clone()) != whole
        {
            return Err(format!(
                "Requirement: REQ-TCP-4: a close leaves {:?}, whole frames give {:?} ({})",
                reference.answers,
                whole.0,
                context()
            ));
        }
    }
    Ok(())
}

/// Every composition of `n` (the chunk sizes, in order), `n` ≥ 1.
fn compositions(n: usize) -> Vec<Vec<usize>> {
    (0..1u32 << (n - 1))
        .map(|cuts| {
            let mut parts = Vec::new();
            let mut size = 1;
            for i in 0..n - 1 {
                if cuts & (1 << i) != 0 {
                    parts.push(size);
                    size = 1;
                } else {
                    size += 1;
                }
            }
            parts.push(size);
            parts
        })
        .collect()
}

/// Every split of `n` bytes into one, two or three chunks.
fn few_chunks(n: usize) -> Vec<Vec<usize>> {
    let mut out = vec![vec![n]];
    for a in 1..n {
        out.push(vec![a, n - a]);
        for b in 1..n - a {
            out.push(vec![a, b, n - a - b]);
        }
    }
    out
}

/// Requirement: REQ-TCP-1, REQ-TCP-2, REQ-TCP-4 — the decoder agrees with the model on every
/// script of the CI bound, under every chunking of the short ones and every split into at most
/// three chunks of the long ones.
#[test]
fn req_tcp_frame_decoder_agrees_with_the_model_within_the_ci_bound() {
    let model = FramingModel::new(FramingBounds::CI);
    let scripts = model.scripts();
    assert_eq!(scripts.len(), 399);
    let (mut runs, mut exhaustive) = (0usize, 0usize);
    for script in &scripts {
        let n = stream(script).len();
        let chunkings = if n <= EVERY_CHUNKING_MAX_BYTES {
            exhaustive += 1;
            compositions(n)
        } else {
            few_chunks(n)
        };
        for chunks in chunkings {
            if let Err(why) = agree(&model, script, &chunks) {
                panic!("{why}");
            }
            runs += 1;
        }
    }
    println!("{runs} runs; {exhaustive} scripts under every chunking");
    assert!(
        exhaustive > 50 && runs > 50_000,
        "the bound checks too little"
    );
}

/// The comparison can fail: a decoder that is fed only the first frame of each chunk (the
/// pipelining bug the model's `OneFramePerChunk` stands for) disagrees.
#[test]
fn req_tcp_the_comparison_catches_a_dropped_pipelined_frame() {
    let model = FramingModel::new(FramingBounds::CI);
    let script = [
        ScriptFrame { len: 1, tag: 0 },
        ScriptFrame { len: 1, tag: 1 },
    ];
    let bytes = stream(&script);
    let mut conn = model.open(script.to_vec());
    conn.delivered = bytes.len();
    model.receive(&mut conn, &bytes);
    let mut reference = Reference::new(&model);
    let (used, event) = reference.decoder.decode(&bytes);
    assert!(used < bytes.len());
    if let Some(Decoded::Frame(body)) = event {
        reference
            .answers
            .push(model.verify_body(&mut reference.cache, &body));
    }
    assert_ne!(reference.answers, conn.answers);
    assert_eq!(conn.answers, vec![Verdict::Accept, Verdict::Accept]);
}

fn frame_strategy(bounds: FramingBounds) -> impl Strategy<Value = ScriptFrame> {
    (0..=bounds.max_body + 2, 0..bounds.tags).prop_map(|(len, tag)| ScriptFrame { len, tag })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

    /// Requirement: REQ-TCP-1, REQ-TCP-2, REQ-TCP-4 — beyond the bound: up to 8 frames of up to
    /// 6 bytes (limit 4), any chunking.
    #[test]
    fn req_tcp_frame_decoder_agrees_with_the_model_on_random_scripts(
        script in proptest::collection::vec(
            frame_strategy(FramingBounds { limit: 4, max_body: 4, frames: 8, tags: 3 }), 1..8),
        cuts in proptest::collection::vec(1usize..12, 0..40),
    ) {
        let model = FramingModel::new(FramingBounds { limit: 4, max_body: 6, frames: 8, tags: 3 });
        let n = stream(&script).len();
        let mut chunks = Vec::new();
        let mut at = 0;
        for cut in cuts {
            if at + cut >= n {
                break;
            }
            chunks.push(cut);
            at += cut;
        }
        chunks.push(n - at);
        prop_assert!(agree(&model, &script, &chunks).is_ok(), "{}", agree(&model, &script, &chunks).unwrap_err());
    }
}
