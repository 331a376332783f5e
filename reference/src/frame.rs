//! The frames of the TCP profile (SIPC/1 §12): a 4-byte big-endian length, then that many
//! bytes (REQ-TCP-1). [`FrameDecoder`] is a sans-I/O state machine: the caller feeds it whatever
//! bytes arrived, in pieces of any size, and it returns each whole frame, or tells the caller,
//! as soon as the header is in, that the announced length is over the limit (REQ-TCP-2).
//!
//! The decoder never allocates room for bytes that have not arrived: a peer that announces
//! 4 GiB and sends nothing costs nothing, and the body buffer never exceeds the limit.

/// The length of a frame header.
pub const HEADER_BYTES: usize = 4;

/// What [`FrameDecoder::decode`] found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decoded {
    /// A whole frame's body (REQ-TCP-1).
    Frame(Vec<u8>),
    /// The header announced more than the limit (REQ-TCP-2). The decoder is finished: the
    /// caller answers `oversize` and closes the connection without reading on.
    Oversize {
        /// The length the header announced.
        announced: u64,
    },
}

/// Reassembles frames from a byte stream (REQ-TCP-1, REQ-TCP-2).
#[derive(Debug, Clone)]
pub struct FrameDecoder {
    limit: u64,
    header: [u8; HEADER_BYTES],
    header_len: usize,
    /// The announced length of the frame being read, once its header is in.
    body_len: Option<usize>,
    body: Vec<u8>,
    finished: bool,
}

impl FrameDecoder {
    /// A decoder that refuses frames longer than `limit` bytes (`max_envelope_bytes`).
    pub fn new(limit: u64) -> FrameDecoder {
        FrameDecoder {
            limit,
            header: [0; HEADER_BYTES],
            header_len: 0,
            body_len: None,
            body: Vec::new(),
            finished: false,
        }
    }

    /// Whether no part of a frame is pending: a connection that closes now closed between
    /// frames (a close at any other point is mid-frame, REQ-TCP-4).
    pub fn is_between_frames(&self) -> bool {
        self.header_len == 0 && self.body_len.is_none()
    }

    /// Whether an oversize header was seen; the decoder then consumes nothing more.
    pub fn is_finished(&self) -> bool {
        self.finished
    }

    /// Consumes bytes from the front of `input` up to the end of the next frame and returns
    /// how many it took, with the frame (or the oversize verdict) when one completed. Call it
    /// again with the rest of the input: it stops after each frame so that answers keep the
    /// order of the frames (REQ-TCP-3).
    pub fn decode(&mut self, input: &[u8]) -> (usize, Option<Decoded>) {
        if self.finished {
            return (0, None);
        }
        let mut used = 0;
        if self.body_len.is_none() {
            let missing = HEADER_BYTES.saturating_sub(self.header_len);
            let take = missing.min(input.len());
            for (slot, byte) in self
                .header
                .iter_mut()
                .skip(self.header_len)
                .zip(input.iter().take(take))
            {
                *slot = *byte;
            }
            self.header_len = self.header_len.saturating_add(take);
            used = take;
            if self.header_len < HEADER_BYTES {
                return (used, None);
            }
            let announced = u32::from_be_bytes(self.header);
            if u64::from(announced) > self.limit {
                self.finished = true;
                return (
                    used,
                    Some(Decoded::Oversize {
                        announced: u64::from(announced),
                    }),
                );
            }
            // The limit check above keeps this within the limit, which fits in memory on
            // every platform where the limit does; a u32 always fits a 64-bit usize.
            self.body_len = Some(usize::try_from(announced).unwrap_or(usize::MAX));
        }
        let want = self.body_len.unwrap_or(0);
        let rest = input.get(used..).unwrap_or(&[]);
        let take = want.saturating_sub(self.body.len()).min(rest.len());
        self.body.extend_from_slice(rest.get(..take).unwrap_or(&[]));
        used = used.saturating_add(take);
        if self.body.len() < want {
            return (used, None);
        }
        self.header_len = 0;
        self.body_len = None;
        (used, Some(Decoded::Frame(std::mem::take(&mut self.body))))
    }
}

/// One frame: the 4-byte big-endian length of `body`, then `body`. `None` when `body` is
/// longer than a header can say (4 GiB − 1).
pub fn encode(body: &[u8]) -> Option<Vec<u8>> {
    let len = u32::try_from(body.len()).ok()?;
    let mut frame = Vec::with_capacity(body.len().saturating_add(HEADER_BYTES));
    frame.extend_from_slice(&len.to_be_bytes());
    frame.extend_from_slice(body);
    Some(frame)
}
