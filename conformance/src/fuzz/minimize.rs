//! Shrinking a disagreeing case to the shortest input that still disagrees the same way:
//! later steps cut, earlier steps dropped one by one, then the last envelope's bytes removed in
//! halving chunks (delta debugging); for configs, members dropped one by one. Bounded by a
//! number of trials and a time (an implementation that hangs costs a timeout per trial).

use super::case::FuzzCase;
use sipc_reference::json::Value;

/// How many candidate cases one minimization may try.
pub const TRIALS: usize = 400;
/// How long one minimization may take.
pub const TIME: std::time::Duration = std::time::Duration::from_secs(15);

/// Shrinks `case`, which disagrees at `step`; `same` runs a candidate through both sides and
/// says whether it still disagrees the same way.
pub fn minimize(case: &FuzzCase, step: usize, mut same: impl FnMut(&FuzzCase) -> bool) -> FuzzCase {
    let mut budget = TRIALS;
    let deadline = std::time::Instant::now() + TIME;
    let mut try_it = |candidate: &FuzzCase| {
        if budget == 0 || std::time::Instant::now() >= deadline {
            return false;
        }
        budget -= 1;
        same(candidate)
    };
    match case {
        FuzzCase::Message { .. } => super::mutate_message::minimize_message(case, &mut try_it),
        FuzzCase::Config { config } => {
            let mut best = config.clone();
            let mut i = 0;
            while let Value::Object(members) = &best {
                if i >= members.len() {
                    break;
                }
                let mut fewer = members.clone();
                fewer.remove(i);
                let candidate = FuzzCase::Config {
                    config: Value::Object(fewer.clone()),
                };
                if try_it(&candidate) {
                    best = Value::Object(fewer);
                } else {
                    i += 1;
                }
            }
            FuzzCase::Config { config: best }
        }
        FuzzCase::Verify { config, steps } => {
            let mut steps: Vec<_> = steps.iter().take(step + 1).cloned().collect();
            let candidate = |steps: &[super::case::Step]| FuzzCase::Verify {
                config: config.clone(),
                steps: steps.to_vec(),
            };
            if !try_it(&candidate(&steps)) {
                return case.clone();
            }
            // Drop earlier steps that the disagreement does not need.
            let mut i = 0;
            while i + 1 < steps.len() {
                let mut fewer = steps.clone();
                fewer.remove(i);
                if try_it(&candidate(&fewer)) {
                    steps = fewer;
                } else {
                    i += 1;
                }
            }
            // Remove bytes of the last envelope, in halving chunks.
            let last = steps.len() - 1;
            let mut chunk = steps[last].envelope.len() / 2;
            while chunk > 0 {
                let mut start = 0;
                while start < steps[last].envelope.len() {
                    let mut fewer = steps.clone();
                    let end = (start + chunk).min(fewer[last].envelope.len());
                    fewer[last].envelope.drain(start..end);
                    if try_it(&candidate(&fewer)) {
                        steps = fewer;
                    } else {
                        start += chunk;
                    }
                }
                chunk /= 2;
            }
            candidate(&steps)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::case::Step;
    use super::*;

    /// A "disagreement" that needs the byte `X` in the last of its steps shrinks to that byte.
    #[test]
    fn shrinks_to_what_the_disagreement_needs() {
        let step = |bytes: &[u8]| Step {
            now: 1,
            envelope: bytes.to_vec(),
        };
        let case = FuzzCase::Verify {
            config: Value::Null,
            steps: vec![step(b"aaaa"), step(b"bbXbbbb"), step(b"later")],
        };
        let small = minimize(&case, 1, |c| match c {
            FuzzCase::Verify { steps, .. } => {
                steps.last().is_some_and(|s| s.envelope.contains(&b'X'))
            }
            _ => false,
        });
        assert_eq!(
            small,
            FuzzCase::Verify {
                config: Value::Null,
                steps: vec![step(b"X")]
            }
        );
    }
}
