//! Running one spool script (SIPC/1 §14) and judging what came back: files dropped as a correct
//! writer drops them, the receiver's line for each, and what is left in the folder after.

use super::receiver::Receiver;
use super::table::SpoolScript;
use crate::run::check::{expected_text, judge_step, show_bytes, Context, Judgement, Observation};
use crate::tcp::cases::Step;
use crate::tcp::exec::{obs, pass};
use sipc_vectors::load::Expected;
use std::io::Write;
use std::path::Path;
use std::time::Duration;

/// How long a name the receiver must leave alone is watched for an (unwanted) line.
pub(super) const QUIET: Duration = Duration::from_millis(300);

/// What a script needs.
pub struct Target<'a> {
    /// The main receiver's folder.
    pub dir: &'a Path,
    /// The runner's own folder (outside the spool folder).
    pub outside: &'a Path,
    /// The receiver command line (for the receivers a folder test starts itself).
    pub command: &'a str,
    /// How long a line may take.
    pub timeout: Duration,
    /// Error-code map and the like.
    pub ctx: &'a Context<'a>,
    /// The test's tcId, which names its files.
    pub tc_id: u64,
}

pub(super) fn fail(
    detail: impl Into<String>,
    sent: String,
    expected: &str,
    provided: String,
) -> Observation {
    obs(Judgement::Fail, detail, sent, expected, provided)
}

/// Renames `temp` to `name` in the folder, as a writer hands a file over.
pub(super) fn hand_over(temp: &Path, dir: &Path, name: &str) -> Result<(), String> {
    std::fs::rename(temp, dir.join(name)).map_err(|e| format!("renaming {}: {e}", temp.display()))
}

/// Writes `bytes` as a correct writer does: `.name.tmp`, closed, then renamed to `name`.
pub fn drop_file(dir: &Path, name: &str, bytes: &[u8]) -> std::io::Result<()> {
    let temp = dir.join(format!(".{name}.tmp"));
    std::fs::write(&temp, bytes)?;
    std::fs::rename(&temp, dir.join(name))
}

/// REQ-SPOOL-6: a name the receiver reported on is gone from the folder.
pub(super) fn gone(dir: &Path, name: &str) -> Result<(), String> {
    match std::fs::symlink_metadata(dir.join(name)) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        _ => Err(format!(
            "{name} is still in the folder after its line: every handled name is removed (REQ-SPOOL-6)"
        )),
    }
}

/// Drops the step's envelope as `name` and judges its line.
pub(super) fn file(
    step: &Step,
    name: &str,
    receiver: &mut Receiver,
    t: &Target,
    place: &str,
) -> Observation {
    let sent = format!("{place}file {name}: {}", show_bytes(&step.envelope));
    if let Err(e) = drop_file(t.dir, name, &step.envelope) {
        return fail(format!("cannot write {name}: {e}"), sent, "", String::new());
    }
    judge_line(receiver, name, &step.expected, t, place, sent)
}

/// Waits for the line about `name` and judges it against `expected`; then the name must be gone.
pub(super) fn judge_line(
    receiver: &mut Receiver,
    name: &str,
    expected: &Expected,
    t: &Target,
    place: &str,
    sent: String,
) -> Observation {
    let line = match receiver.line_for(name, t.timeout) {
        Ok(line) => line,
        Err(why) => {
            return fail(
                format!("{place}{why}"),
                sent,
                &format!("{place}{}", expected_text(expected)),
                String::new(),
            )
        }
    };
    let mut o = judge_step(&line.answer, expected, t.ctx, place, sent.clone());
    if o.judgement != Judgement::Pass {
        return o;
    }
    match gone(t.dir, name) {
        Ok(()) => {
            // The answer, for the matrix's cell.
            o.provided = line.text;
            o
        }
        Err(why) => fail(why, sent, "the name removed", line.text),
    }
}

fn files(steps: &[Step], receiver: &mut Receiver, t: &Target) -> Observation {
    for (i, step) in steps.iter().enumerate() {
        let place = if steps.len() > 1 {
            format!("file {} of {}: ", i + 1, steps.len())
        } else {
            String::new()
        };
        let o = file(step, &format!("{}-{i}.json", t.tc_id), receiver, t, &place);
        if o.judgement != Judgement::Pass {
            return o;
        }
    }
    pass(format!("{} file(s)", steps.len()))
}

/// No line about `what` may come (the receiver must leave it alone): after [`QUIET`], none
/// is pending.
fn silent(receiver: &mut Receiver, what: &str) -> Result<(), String> {
    std::thread::sleep(QUIET);
    match receiver.pending() {
        None => Ok(()),
        Some(Ok(line)) => Err(format!(
            "a line came while the folder held {what}: {}",
            line.text
        )),
        Some(Err(why)) => Err(why),
    }
}

fn temp_name(
    step: &Step,
    sentinel: &Step,
    held_open: bool,
    receiver: &mut Receiver,
    t: &Target,
) -> Observation {
    let name = format!("{}-0.json", t.tc_id);
    let temp = t.dir.join(format!(".{name}.tmp"));
    let half = step.envelope.len() / 2;
    let first = if held_open {
        &step.envelope[..half]
    } else {
        &step.envelope[..]
    };
    let sent = format!(
        "{} under .{name}.tmp ({}), then renamed to {name}: {}",
        if held_open {
            "half an envelope"
        } else {
            "a whole envelope"
        },
        if held_open {
            "its writer holding it open"
        } else {
            "closed"
        },
        show_bytes(&step.envelope)
    );
    let mut writer =
        match std::fs::File::create(&temp).and_then(|mut f| f.write_all(first).map(|()| f)) {
            Ok(f) => f,
            Err(e) => {
                return fail(
                    format!("cannot write {}: {e}", temp.display()),
                    sent,
                    "",
                    String::new(),
                )
            }
        };
    if !held_open {
        drop(writer);
        writer = match std::fs::OpenOptions::new().append(true).open(&temp) {
            Ok(f) => f,
            Err(e) => return fail(format!("{}: {e}", temp.display()), sent, "", String::new()),
        };
    }
    // The sentinel's line must be the next: a receiver that reads temporary names at any pace
    // has then seen this one.
    let sentinel_name = format!("{}-sentinel.json", t.tc_id);
    let o = file(sentinel, &sentinel_name, receiver, t, "beside it: ");
    if o.judgement != Judgement::Pass {
        return Observation {
            detail: format!(
                "{} (REQ-SPOOL-2: names beginning with . are not read)",
                o.detail
            ),
            ..o
        };
    }
    if let Err(why) = silent(receiver, "a temporary name") {
        return fail(
            format!("{why} (REQ-SPOOL-2: names beginning with . are not read)"),
            sent,
            "no line",
            String::new(),
        );
    }
    if std::fs::read(&temp).ok().as_deref() != Some(first) {
        return fail(
            format!(
                ".{name}.tmp was removed or changed while its writer was at work (REQ-SPOOL-2)"
            ),
            sent,
            "the temporary name left in place",
            String::new(),
        );
    }
    let rest = &step.envelope[first.len()..];
    if let Err(e) = writer.write_all(rest) {
        return fail(format!("{}: {e}", temp.display()), sent, "", String::new());
    }
    drop(writer);
    if let Err(why) = hand_over(&temp, t.dir, &name) {
        return fail(why, sent, "", String::new());
    }
    judge_line(receiver, &name, &step.expected, t, "", sent)
}

fn directory(step: &Step, receiver: &mut Receiver, t: &Target) -> Observation {
    let sub = format!("{}-dir.json", t.tc_id);
    let sent = format!("a directory {sub} in the folder, then a file");
    if let Err(e) = std::fs::create_dir(t.dir.join(&sub)) {
        return fail(format!("cannot make {sub}: {e}"), sent, "", String::new());
    }
    // The file's line must be the next, no line about the directory may follow, and the
    // directory must still be there.
    let then = file(step, &format!("{}-0.json", t.tc_id), receiver, t, "then: ");
    let o = match silent(receiver, "a directory") {
        _ if then.judgement != Judgement::Pass => then,
        Err(why) => fail(
            format!("{why} (REQ-SPOOL-2: directories are left alone)"),
            sent,
            "no line",
            String::new(),
        ),
        Ok(()) if !t.dir.join(&sub).is_dir() => fail(
            format!("the directory {sub} was removed (REQ-SPOOL-2: directories are left alone)"),
            sent,
            "the directory left in place",
            String::new(),
        ),
        Ok(()) => then,
    };
    let _ = std::fs::remove_dir(t.dir.join(&sub));
    o
}

/// A name with the byte 0xFF in it, dropped as a correct writer drops it.
fn odd_name(step: &Step, receiver: &mut Receiver, t: &Target) -> Observation {
    use std::os::unix::ffi::OsStrExt;
    let mut raw = vec![0xFF_u8];
    raw.extend_from_slice(format!("-{}.json", t.tc_id).as_bytes());
    let name = std::ffi::OsStr::from_bytes(&raw);
    let shown = String::from_utf8_lossy(&raw).into_owned();
    let sent = format!(
        "file {} (not UTF-8): {}",
        show_bytes(&raw),
        show_bytes(&step.envelope)
    );
    let mut temp_name = std::ffi::OsString::from(".");
    temp_name.push(name);
    let temp = t.dir.join(&temp_name);
    let written = std::fs::write(&temp, &step.envelope)
        .and_then(|()| std::fs::rename(&temp, t.dir.join(name)));
    if let Err(e) = written {
        return fail(
            format!("cannot write the file: {e}"),
            sent,
            "",
            String::new(),
        );
    }
    let o = judge_line(receiver, &shown, &step.expected, t, "", sent.clone());
    if o.judgement == Judgement::Pass && t.dir.join(name).symlink_metadata().is_ok() {
        return fail(
            "the name is still in the folder after its line (REQ-SPOOL-6)",
            sent,
            "the name removed",
            o.provided,
        );
    }
    o
}

/// Runs `script` against `receiver` (the main one; folder tests start their own).
pub fn run(script: &SpoolScript, receiver: Option<&mut Receiver>, t: &Target) -> Observation {
    let Some(receiver) = receiver else {
        return match script {
            SpoolScript::FolderRefused { kind, dir, config } => {
                super::exec_folder::folder_refused(*kind, dir, config, t)
            }
            _ => fail("not run: no receiver", String::new(), "", String::new()),
        };
    };
    match script {
        SpoolScript::Files(steps) => files(steps, receiver, t),
        SpoolScript::TempName {
            step,
            sentinel,
            held_open,
        } => temp_name(step, sentinel, *held_open, receiver, t),
        SpoolScript::Directory(step) => directory(step, receiver, t),
        SpoolScript::OddName(step) => odd_name(step, receiver, t),
        SpoolScript::Special { kind, step } => {
            super::exec_special::special(*kind, step, receiver, t)
        }
        SpoolScript::Oversize { size, head, then } => {
            super::exec_special::oversize(*size, head, then, receiver, t)
        }
        SpoolScript::FolderRefused { kind, dir, config } => {
            super::exec_folder::folder_refused(*kind, dir, config, t)
        }
    }
}
