//! The frame decoder of the TCP profile (SIPC/1 §12).

use proptest::prelude::*;
use sipc_reference::frame::{encode, Decoded, FrameDecoder, HEADER_BYTES};

/// Feeds `pieces` one after another; returns every event and the bytes left unconsumed.
fn feed(decoder: &mut FrameDecoder, pieces: &[&[u8]]) -> (Vec<Decoded>, usize) {
    let mut events = Vec::new();
    let mut left = 0;
    for piece in pieces {
        let mut rest: &[u8] = piece;
        loop {
            let (used, event) = decoder.decode(rest);
            rest = &rest[used..];
            match event {
                Some(e) => events.push(e),
                None => break,
            }
        }
        left += rest.len();
    }
    (events, left)
}

/// REQ-TCP-1: a frame is a 4-byte big-endian length and that many bytes.
#[test]
fn req_tcp_1_header_is_big_endian_length() {
    let frame = encode(b"hello").unwrap();
    assert_eq!(frame, b"\x00\x00\x00\x05hello");
    let mut d = FrameDecoder::new(100);
    let (events, left) = feed(&mut d, &[&frame]);
    assert_eq!(events, vec![Decoded::Frame(b"hello".to_vec())]);
    assert_eq!(left, 0);
    assert!(d.is_between_frames());
    // 0x00000100 = 256, not 1: a little-endian reader would take one byte.
    let mut d = FrameDecoder::new(1000);
    let body = vec![b'x'; 256];
    let (events, _) = feed(&mut d, &[&[0, 0, 1, 0], &body]);
    assert_eq!(events, vec![Decoded::Frame(body)]);
}

/// REQ-TCP-1: a frame split into single bytes is reassembled exactly, and nothing is
/// reported before its last byte.
#[test]
fn req_tcp_1_single_byte_pieces() {
    let frame = encode(b"{\"v\":1}").unwrap();
    let mut d = FrameDecoder::new(100);
    for (i, byte) in frame.iter().enumerate() {
        let (used, event) = d.decode(std::slice::from_ref(byte));
        assert_eq!(used, 1);
        if i + 1 < frame.len() {
            assert_eq!(event, None, "event before the last byte (at {i})");
            assert!(!d.is_between_frames());
        } else {
            assert_eq!(event, Some(Decoded::Frame(b"{\"v\":1}".to_vec())));
        }
    }
}

/// REQ-TCP-1, REQ-TCP-3: frames pipelined in one buffer come out one at a time, in order;
/// the decoder stops after each so the answers keep their order.
#[test]
fn req_tcp_1_pipelined_frames_one_at_a_time() {
    let mut wire = Vec::new();
    for body in [&b"a"[..], b"", b"ccc"] {
        wire.extend(encode(body).unwrap());
    }
    let mut d = FrameDecoder::new(10);
    let (used, event) = d.decode(&wire);
    assert_eq!((used, event), (5, Some(Decoded::Frame(b"a".to_vec()))));
    let (used2, event) = d.decode(&wire[used..]);
    assert_eq!((used2, event), (4, Some(Decoded::Frame(Vec::new()))));
    let (used3, event) = d.decode(&wire[used + used2..]);
    assert_eq!((used3, event), (7, Some(Decoded::Frame(b"ccc".to_vec()))));
}

/// REQ-TCP-2: an announced length one over the limit is refused from the header alone;
/// exactly the limit is read. The decoder then consumes nothing more.
#[test]
fn req_tcp_2_oversize_from_the_header() {
    let mut d = FrameDecoder::new(8);
    let (used, event) = d.decode(&[0, 0, 0, 9]);
    assert_eq!((used, event), (4, Some(Decoded::Oversize { announced: 9 })));
    assert!(d.is_finished());
    assert_eq!(d.decode(b"body"), (0, None));

    let mut d = FrameDecoder::new(8);
    let (events, _) = feed(&mut d, &[&encode(b"12345678").unwrap()]);
    assert_eq!(events, vec![Decoded::Frame(b"12345678".to_vec())]);
}

/// REQ-TCP-2: the largest header (4 GiB − 1) is refused at once, before any body byte.
#[test]
fn req_tcp_2_huge_header_refused_without_body() {
    let mut d = FrameDecoder::new(2048);
    let (used, event) = d.decode(&[0xff, 0xff, 0xff, 0xff]);
    assert_eq!(used, HEADER_BYTES);
    assert_eq!(
        event,
        Some(Decoded::Oversize {
            announced: 0xffff_ffff
        })
    );
}

/// REQ-TCP-4: a close in the header or the body is visible as a pending frame.
#[test]
fn req_tcp_4_mid_frame_is_detectable() {
    let mut d = FrameDecoder::new(100);
    assert!(d.is_between_frames());
    d.decode(&[0, 0]);
    assert!(!d.is_between_frames(), "inside the header");
    d.decode(&[0, 5, b'a', b'b']);
    assert!(!d.is_between_frames(), "inside the body");
    let (_, event) = d.decode(b"cde");
    assert_eq!(event, Some(Decoded::Frame(b"abcde".to_vec())));
    assert!(d.is_between_frames());
}

proptest! {
    /// REQ-TCP-1: any chunking of any sequence of frames gives back exactly those frames.
    #[test]
    fn req_tcp_1_any_chunking(bodies in proptest::collection::vec(proptest::collection::vec(any::<u8>(), 0..40), 0..6),
                              cuts in proptest::collection::vec(1usize..9, 0..40)) {
        let mut wire = Vec::new();
        for b in &bodies {
            wire.extend(encode(b).unwrap());
        }
        let mut pieces: Vec<&[u8]> = Vec::new();
        let mut rest: &[u8] = &wire;
        for c in cuts {
            let c = c.min(rest.len());
            pieces.push(&rest[..c]);
            rest = &rest[c..];
        }
        pieces.push(rest);
        let mut d = FrameDecoder::new(40);
        let (events, left) = feed(&mut d, &pieces);
        prop_assert_eq!(left, 0);
        let want: Vec<Decoded> = bodies.into_iter().map(Decoded::Frame).collect();
        prop_assert_eq!(events, want);
        prop_assert!(d.is_between_frames());
    }

    /// REQ-TCP-2: arbitrary bytes never make the decoder return a frame over its limit.
    #[test]
    fn req_tcp_2_never_over_limit(bytes in proptest::collection::vec(any::<u8>(), 0..200), limit in 0u64..64) {
        let mut d = FrameDecoder::new(limit);
        let (events, _) = feed(&mut d, &[&bytes]);
        for e in events {
            if let Decoded::Frame(body) = e {
                prop_assert!(body.len() as u64 <= limit);
            }
        }
    }
}
