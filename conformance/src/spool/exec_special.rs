//! The spool tests of names that are not plain files or are too big (SIPC/1 REQ-SPOOL-3,
//! REQ-SPOOL-4): links, FIFOs, sockets, and files over `max_envelope_bytes`, sparse or not.

use super::exec::{fail, file, gone, hand_over, judge_line, Target, QUIET};
use super::receiver::{Line, Receiver};
use super::table::Special;
use crate::run::check::{show_bytes, Judgement, Observation};
use crate::tcp::cases::Step;
use crate::tcp::exec::obs;
use sipc_vectors::load::{Expected, Verdict};
use std::path::Path;

/// The major and minor numbers of the device SPOOL-FIFO plants (as root): those of `/dev/null`,
/// which reads as empty and never blocks, so that a receiver that reads it only misjudges it.
const NULL_DEVICE: (u32, u32) = (1, 3);

/// REQ-SPOOL-3: `{"verdict":"skip","reason":"not_regular_file"}`.
fn is_skip(line: &Line) -> bool {
    let text = sipc_vectors::text::compact(&line.answer);
    text == br#"{"verdict":"skip","reason":"not_regular_file"}"#
        || text == br#"{"reason":"not_regular_file","verdict":"skip"}"#
}

const SKIP: &str = r#"{"verdict":"skip","reason":"not_regular_file"}, the name removed"#;

pub(super) fn special(
    kind: Special,
    step: &Step,
    receiver: &mut Receiver,
    t: &Target,
) -> Observation {
    let name = format!("{}-special.json", t.tc_id);
    let at = t.dir.join(&name);
    let outside = t.outside.join(format!("outside-{}.json", t.tc_id));
    let mut listener = None;
    let (made, sent) = match kind {
        Special::Link => (
            std::fs::write(&outside, &step.envelope)
                .and_then(|()| std::os::unix::fs::symlink(&outside, &at)),
            format!(
                "{name}, a symbolic link to {} holding a valid envelope: {}",
                outside.display(),
                show_bytes(&step.envelope)
            ),
        ),
        Special::Fifo => (
            rustix::fs::mkfifoat(rustix::fs::CWD, &at, rustix::fs::Mode::from_raw_mode(0o600))
                .map_err(std::io::Error::from),
            format!("{name}, a FIFO no one writes to"),
        ),
        Special::Socket => (
            std::os::unix::net::UnixListener::bind(&at).map(|l| listener = Some(l)),
            format!("{name}, a Unix socket the runner listens on"),
        ),
        Special::Device if !rustix::process::geteuid().is_root() => {
            return obs(
                Judgement::NotRun,
                "not run: making a device node needs root",
                format!("{name}, a character device"),
                SKIP,
                String::new(),
            )
        }
        Special::Device => (
            rustix::fs::mknodat(
                rustix::fs::CWD,
                &at,
                rustix::fs::FileType::CharacterDevice,
                rustix::fs::Mode::from_raw_mode(0o600),
                rustix::fs::makedev(NULL_DEVICE.0, NULL_DEVICE.1),
            )
            .map_err(std::io::Error::from),
            format!(
                "{name}, a character device ({}:{}, what /dev/null is)",
                NULL_DEVICE.0, NULL_DEVICE.1
            ),
        ),
    };
    if let Err(e) = made {
        return fail(format!("cannot make {name}: {e}"), sent, "", String::new());
    }
    let line = receiver.line_for(&name, t.timeout);
    drop(listener);
    let o = match line {
        Err(why) => {
            if kind == Special::Fifo {
                // Let a receiver blocked on the FIFO go on, and take the line it then prints,
                // so that the next test is not blamed for it.
                release_fifo(&at);
                let _ = receiver.line_for(&name, QUIET);
            }
            fail(why, sent, SKIP, String::new())
        }
        Ok(line) if !is_skip(&line) => fail(
            "not skipped as not_regular_file (REQ-SPOOL-3: only a regular file is read, never through a link)",
            sent,
            SKIP,
            line.text,
        ),
        Ok(line) => match gone(t.dir, &name) {
            Err(why) => fail(why, sent, SKIP, line.text),
            Ok(()) if kind == Special::Link && std::fs::read(&outside).ok().as_deref() != Some(&step.envelope[..]) => fail(
                "the link's target was removed or changed (REQ-SPOOL-6: unlink removes the link, never its target)",
                sent,
                SKIP,
                line.text,
            ),
            Ok(()) => {
                let mut o = file(step, &format!("{}-0.json", t.tc_id), receiver, t, "then: ");
                if o.judgement == Judgement::Pass {
                    o.provided = line.text; // the skip is the test's answer
                }
                o
            }
        },
    };
    let _ = std::fs::remove_file(&at);
    let _ = std::fs::remove_file(&outside);
    o
}

/// Lets a receiver blocked opening the FIFO at `at` go on: a writer opens it and closes it.
fn release_fifo(at: &Path) {
    use rustix::fs::{Mode, OFlags};
    if let Ok(fd) = rustix::fs::open(
        at,
        OFlags::WRONLY | OFlags::NONBLOCK | OFlags::CLOEXEC,
        Mode::empty(),
    ) {
        drop(fd);
    }
}

pub(super) fn oversize(
    size: u64,
    head: &[u8],
    then: &Step,
    receiver: &mut Receiver,
    t: &Target,
) -> Observation {
    let name = format!("{}-big.json", t.tc_id);
    let sent = format!(
        "{name}: {size} bytes beginning {}",
        show_bytes(&head[..head.len().min(200)])
    );
    let temp = t.dir.join(format!(".{name}.tmp"));
    let made = std::fs::write(&temp, head)
        .and_then(|()| std::fs::OpenOptions::new().write(true).open(&temp))
        .and_then(|f| f.set_len(size));
    if let Err(e) = made {
        let _ = std::fs::remove_file(&temp);
        return obs(
            Judgement::NotRun,
            format!("not run: this file system cannot hold a sparse file of {size} bytes: {e}"),
            sent,
            "",
            String::new(),
        );
    }
    if let Err(why) = hand_over(&temp, t.dir, &name) {
        return fail(why, sent, "", String::new());
    }
    let expected = Expected {
        result: Verdict::Invalid,
        error: Some("oversize".into()),
        field: None,
        accepted: None,
        output: None,
    };
    let o = judge_line(receiver, &name, &expected, t, "", sent);
    let _ = std::fs::remove_file(t.dir.join(&name));
    if o.judgement != Judgement::Pass {
        return o;
    }
    let then = file(then, &format!("{}-0.json", t.tc_id), receiver, t, "then: ");
    if then.judgement == Judgement::Pass {
        return o; // its answer, oversize, is the test's
    }
    then
}
