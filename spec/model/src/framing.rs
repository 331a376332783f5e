//! The TCP profile's framing (SIPC/1 §12, REQ-TCP-1…4) as a state machine: a peer delivers the
//! bytes of a script of frames in chunks of any size, several frames in one chunk included, and
//! may close at any point; the receiver reassembles frames and answers each one through the
//! verifier of `model.rs`.
//!
//! The receiver here is written for clarity: it appends each chunk to a buffer and takes whole
//! frames off its front. What it must do is stated apart from it, from the script alone
//! ([`whole_frames`]): the answers of the frames that are whole in the bytes delivered so far,
//! in order, up to the first oversize header. The properties compare the two on every state,
//! whatever the chunking: any split or pipelining gives the verdicts of whole frames, and a
//! frame cut off by a close has no effect.

use crate::model::{Bounds, Envelope, Fault, State, Verdict, VerifierModel};
use stateright::{Model, Property};
use std::collections::BTreeMap;

/// The length of a frame header (REQ-TCP-1).
pub const HEADER_BYTES: usize = 4;

/// The bounds of the framing check.
#[derive(Clone, Copy, Debug)]
pub struct FramingBounds {
    /// `max_envelope_bytes`: longer bodies are `oversize` (REQ-TCP-2).
    pub limit: u8,
    /// Body lengths are `0..=max_body` (above `limit` to reach oversize frames, two above so
    /// that waiting for an oversize body would hold more than the limit).
    pub max_body: u8,
    /// Frames per script, `1..=frames`.
    pub frames: usize,
    /// Body bytes are tags `0..tags`; a body of one tag is the authentic envelope with that
    /// nonce, a body mixing tags is `malformed` (a mis-split shows), an empty one too.
    pub tags: u8,
}

impl FramingBounds {
    /// The bound CI checks: limit 2, bodies of 0–4 bytes, up to 3 frames, 2 tags (399 scripts
    /// of up to 24 bytes, every chunking and every close).
    pub const CI: FramingBounds = FramingBounds {
        limit: 2,
        max_body: 4,
        frames: 3,
        tags: 2,
    };
}

/// One frame of a script: a body of `len` bytes, each `tag`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct ScriptFrame {
    /// The length its header announces, and of its body.
    pub len: u8,
    /// Every byte of its body.
    pub tag: u8,
}

/// The bytes of `script` on the wire: each frame's 4-byte big-endian length, then its body.
pub fn stream(script: &[ScriptFrame]) -> Vec<u8> {
    let mut out = Vec::new();
    for frame in script {
        out.extend_from_slice(&u32::from(frame.len).to_be_bytes());
        out.extend(std::iter::repeat_n(frame.tag, usize::from(frame.len)));
    }
    out
}

/// What the receiver answers a frame: the verifier's verdict, or `Oversize` from the header.
pub type Answer = Verdict;

/// A deliberate bug of the receiver, to show each property can fail.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FramingMutation {
    /// The receiver as specified.
    None,
    /// Bytes of a header that arrived in an earlier chunk are dropped (REQ-TCP-1 broken).
    HeaderInOneChunk,
    /// The rest of a chunk after the first frame is dropped (pipelining broken, REQ-TCP-1).
    OneFramePerChunk,
    /// The limit is checked once the whole body is in (REQ-TCP-2 broken).
    OversizeAfterBody,
    /// After an oversize answer the receiver reads on (REQ-TCP-2 broken).
    ReadOnAfterOversize,
    /// A close mid-frame verifies what arrived of the frame (REQ-TCP-4 broken).
    PartialFrameOnClose,
}

/// An action of the peer.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum FramingAction {
    /// The next `n` bytes of the stream arrive, in one chunk.
    Deliver(usize),
    /// The peer closes the connection.
    Close,
}

/// A connection's state: the script, the receiver, the verifier's cache, and ghost flags.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Connection {
    /// The frames the peer sends.
    pub script: Vec<ScriptFrame>,
    /// Bytes of the stream delivered so far.
    pub delivered: usize,
    /// Bytes received and not yet taken as a frame.
    pub buffer: Vec<u8>,
    /// Whether the receiver has stopped reading (after an oversize header, REQ-TCP-2).
    pub stopped: bool,
    /// Whether the peer has closed.
    pub closed: bool,
    /// The answers, in order.
    pub answers: Vec<Answer>,
    /// The verifier's replay cache (nonce → ts).
    pub cache: BTreeMap<u8, u8>,
    /// Ghost: a frame whose bytes came in more than one chunk was answered.
    pub answered_split_frame: bool,
    /// Ghost: one chunk brought two answers or more.
    pub answered_two_in_one_chunk: bool,
}

/// The framing model: bounds, the verifier answering the frames, and a mutation.
#[derive(Clone, Debug)]
pub struct FramingModel {
    /// The bounds.
    pub bounds: FramingBounds,
    /// The deliberate bug, if any.
    pub mutation: FramingMutation,
    verifier: VerifierModel,
}

impl FramingModel {
    /// The receiver as specified.
    pub fn new(bounds: FramingBounds) -> FramingModel {
        FramingModel::mutated(bounds, FramingMutation::None)
    }

    /// The receiver with `mutation`.
    pub fn mutated(bounds: FramingBounds, mutation: FramingMutation) -> FramingModel {
        let verifier = VerifierModel::new(Bounds {
            nonces: bounds.tags,
            capacity: usize::from(bounds.tags),
            ttl: 2,
            max_time: 0,
            steps: 0,
        });
        FramingModel {
            bounds,
            mutation,
            verifier,
        }
    }

    /// Every script within the bounds: 1 to `frames` frames of every length and tag (an
    /// empty or oversize body has one tag, 0).
    pub fn scripts(&self) -> Vec<Vec<ScriptFrame>> {
        let mut one = Vec::new();
        for len in 0..=self.bounds.max_body {
            let tags = if len == 0 || len > self.bounds.limit {
                1
            } else {
                self.bounds.tags
            };
            one.extend((0..tags).map(|tag| ScriptFrame { len, tag }));
        }
        let mut all: Vec<Vec<ScriptFrame>> = Vec::new();
        let mut last: Vec<Vec<ScriptFrame>> = vec![Vec::new()];
        for _ in 0..self.bounds.frames {
            let longer: Vec<Vec<ScriptFrame>> = last
                .iter()
                .flat_map(|s| {
                    one.iter().map(move |f| {
                        let mut s = s.clone();
                        s.push(*f);
                        s
                    })
                })
                .collect();
            all.extend(longer.iter().cloned());
            last = longer;
        }
        all
    }

    /// A connection before any byte.
    pub fn open(&self, script: Vec<ScriptFrame>) -> Connection {
        Connection {
            script,
            delivered: 0,
            buffer: Vec::new(),
            stopped: false,
            closed: false,
            answers: Vec::new(),
            cache: BTreeMap::new(),
            answered_split_frame: false,
            answered_two_in_one_chunk: false,
        }
    }

    /// The verifier's answer to a frame's body, at time 0 (every envelope is fresh): a body
    /// of one tag is the authentic envelope with that nonce; an empty body, or one mixing
    /// tags, is `malformed` (REQ-TCP-1: N = 0 is an empty envelope).
    pub fn verify_body(&self, cache: &mut BTreeMap<u8, u8>, body: &[u8]) -> Answer {
        let nonce = body.first().copied().unwrap_or(0);
        let whole =
            !body.is_empty() && body.iter().all(|b| *b == nonce) && nonce < self.bounds.tags;
        let envelope = Envelope {
            nonce,
            ts: 0,
            authentic: true,
            fault: if whole { Fault::None } else { Fault::Malformed },
        };
        let state = State {
            given: 0,
            clock: 0,
            cache: cache.clone(),
            steps: 0,
            accepted: BTreeMap::new(),
            latest: 0,
            violations: Default::default(),
        };
        let (verdict, after, _) = self.verifier.verify(&state, envelope);
        *cache = after;
        verdict
    }

    /// The receiver: `chunk` arrives; whole frames are taken off the front of the buffer and
    /// answered, an oversize header is answered as soon as it is in and reading stops.
    pub fn receive(&self, conn: &mut Connection, chunk: &[u8]) {
        let m = self.mutation;
        if conn.stopped || conn.closed {
            return;
        }
        let pending_before = !conn.buffer.is_empty();
        if m == FramingMutation::HeaderInOneChunk && conn.buffer.len() < HEADER_BYTES {
            conn.buffer.clear();
        }
        conn.buffer.extend_from_slice(chunk);
        let answers_before = conn.answers.len();
        while conn.buffer.len() >= HEADER_BYTES {
            let mut header = [0u8; HEADER_BYTES];
            header.copy_from_slice(&conn.buffer[..HEADER_BYTES]);
            let announced = u32::from_be_bytes(header);
            let oversize = announced > u32::from(self.bounds.limit);
            if oversize && m != FramingMutation::OversizeAfterBody {
                conn.answers.push(Verdict::Oversize);
                if m == FramingMutation::ReadOnAfterOversize {
                    conn.buffer.drain(..HEADER_BYTES);
                    continue;
                }
                conn.stopped = true;
                conn.buffer.clear();
                break;
            }
            let end = HEADER_BYTES + announced as usize;
            if conn.buffer.len() < end {
                break;
            }
            if oversize {
                conn.answers.push(Verdict::Oversize);
                conn.stopped = true;
                conn.buffer.clear();
                break;
            }
            let body: Vec<u8> = conn.buffer.drain(..end).skip(HEADER_BYTES).collect();
            let answer = self.verify_body(&mut conn.cache, &body);
            conn.answers.push(answer);
            if m == FramingMutation::OneFramePerChunk {
                conn.buffer.clear();
                break;
            }
        }
        let answered = conn.answers.len() - answers_before;
        conn.answered_split_frame |= pending_before && answered > 0;
        conn.answered_two_in_one_chunk |= answered >= 2;
    }

    /// The peer closes: what is left of a frame is dropped (REQ-TCP-4).
    pub fn close(&self, conn: &mut Connection) {
        if self.mutation == FramingMutation::PartialFrameOnClose && conn.buffer.len() > HEADER_BYTES
        {
            let body = conn.buffer.split_off(HEADER_BYTES);
            let answer = self.verify_body(&mut conn.cache, &body);
            conn.answers.push(answer);
        }
        conn.buffer.clear();
        conn.closed = true;
    }

    /// What §12 prescribes, from the script alone: the answers (and the cache after them) of
    /// the frames whole in the first `delivered` bytes, in order, up to and including the
    /// first oversize header, answered as soon as its 4 bytes are in.
    pub fn whole_frames(
        &self,
        script: &[ScriptFrame],
        delivered: usize,
    ) -> (Vec<Answer>, BTreeMap<u8, u8>) {
        let mut answers = Vec::new();
        let mut cache = BTreeMap::new();
        let mut offset = 0;
        for frame in script {
            if offset + HEADER_BYTES > delivered {
                break;
            }
            if frame.len > self.bounds.limit {
                answers.push(Verdict::Oversize);
                break;
            }
            let end = offset + HEADER_BYTES + usize::from(frame.len);
            if end > delivered {
                break;
            }
            let body = vec![frame.tag; usize::from(frame.len)];
            answers.push(self.verify_body(&mut cache, &body));
            offset = end;
        }
        (answers, cache)
    }
}

impl Model for FramingModel {
    type State = Connection;
    type Action = FramingAction;

    fn init_states(&self) -> Vec<Connection> {
        self.scripts().into_iter().map(|s| self.open(s)).collect()
    }

    fn actions(&self, conn: &Connection, actions: &mut Vec<FramingAction>) {
        if conn.closed {
            return;
        }
        let left = stream(&conn.script).len() - conn.delivered;
        if !conn.stopped {
            actions.extend((1..=left).map(FramingAction::Deliver));
        }
        actions.push(FramingAction::Close);
    }

    fn next_state(&self, conn: &Connection, action: FramingAction) -> Option<Connection> {
        let mut next = conn.clone();
        match action {
            FramingAction::Deliver(n) => {
                let bytes = stream(&conn.script);
                let chunk = &bytes[conn.delivered..conn.delivered + n];
                next.delivered += n;
                self.receive(&mut next, chunk);
            }
            FramingAction::Close => self.close(&mut next),
        }
        Some(next)
    }

    fn properties(&self) -> Vec<Property<Self>> {
        vec![
            Property::always(
                "any split or pipelining gives the answers of whole frames, in order",
                |m: &FramingModel, c: &Connection| {
                    c.closed
                        || (c.answers.clone(), c.cache.clone())
                            == m.whole_frames(&c.script, c.delivered)
                },
            ),
            Property::always(
                "a frame cut off by a close has no effect",
                |m: &FramingModel, c: &Connection| {
                    !c.closed
                        || (c.answers.clone(), c.cache.clone())
                            == m.whole_frames(&c.script, c.delivered)
                },
            ),
            Property::always(
                "a pending frame never holds more than the limit",
                |m: &FramingModel, c: &Connection| {
                    c.buffer.len() <= HEADER_BYTES + usize::from(m.bounds.limit)
                },
            ),
            Property::sometimes(
                "a frame split over chunks is answered",
                |_, c: &Connection| c.answered_split_frame,
            ),
            Property::sometimes("one chunk brings two answers", |_, c: &Connection| {
                c.answered_two_in_one_chunk
            }),
            Property::sometimes(
                "a close cuts a frame off",
                |m: &FramingModel, c: &Connection| {
                    c.closed && c.delivered > 0 && !c.stopped && {
                        let whole = m.whole_frames(&c.script, c.delivered).0.len();
                        stream(&c.script[..whole]).len() < c.delivered
                    }
                },
            ),
            Property::sometimes("an oversize header is answered", |_, c: &Connection| {
                c.answers.contains(&Verdict::Oversize)
            }),
            Property::sometimes("a nonce is answered replay", |_, c: &Connection| {
                c.answers.contains(&Verdict::Replay)
            }),
        ]
    }
}
