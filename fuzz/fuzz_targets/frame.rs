//! The TCP frame decoder (REQ-TCP-1, REQ-TCP-2) under arbitrary chunking: the frames that go in
//! come out, in order, up to the first oversize header, which is reported with its length and
//! ends decoding; arbitrary bytes never yield a frame over the limit.
#![no_main]

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use sipc_reference::frame::{encode, Decoded, FrameDecoder};

#[derive(Arbitrary, Debug)]
struct Input<'a> {
    limit: u8,
    bodies: Vec<Vec<u8>>,
    cuts: Vec<u8>,
    noise: &'a [u8],
}

/// Every event from feeding `pieces` in order.
fn decode_all(decoder: &mut FrameDecoder, pieces: &[&[u8]]) -> Vec<Decoded> {
    let mut events = Vec::new();
    for piece in pieces {
        let mut rest = *piece;
        loop {
            let (used, event) = decoder.decode(rest);
            assert!(used <= rest.len());
            rest = &rest[used..];
            match event {
                Some(e) => events.push(e),
                None => break,
            }
        }
        if decoder.is_finished() {
            break;
        }
    }
    events
}

fuzz_target!(|input: Input| {
    let limit = u64::from(input.limit);
    let mut wire = Vec::new();
    for body in &input.bodies {
        wire.extend(encode(body).unwrap());
    }
    let mut pieces = Vec::new();
    let mut rest = &wire[..];
    for cut in input.cuts {
        let n = usize::from(cut).min(rest.len());
        pieces.push(&rest[..n]);
        rest = &rest[n..];
    }
    pieces.push(rest);

    let mut want = Vec::new();
    for body in &input.bodies {
        if body.len() as u64 > limit {
            want.push(Decoded::Oversize {
                announced: body.len() as u64,
            });
            break;
        }
        want.push(Decoded::Frame(body.clone()));
    }
    let mut decoder = FrameDecoder::new(limit);
    assert_eq!(decode_all(&mut decoder, &pieces), want);

    let mut decoder = FrameDecoder::new(limit);
    for event in decode_all(&mut decoder, &[input.noise]) {
        if let Decoded::Frame(body) = event {
            assert!(body.len() as u64 <= limit);
        }
    }
});
