//! Running one spool script (SIPC/1 §14) and judging what came back: files dropped as a correct
//! writer drops them, the receiver's line for each, and what is left in the folder after.

use super::receiver::{Line, Receiver};
use super::table::{Special, SpoolScript, Unsafe};
use crate::run::check::{expected_text, judge_step, show_bytes, Context, Judgement, Observation};
use crate::tcp::cases::Step;
use crate::tcp::exec::{obs, pass};
use crate::tcp::server::NotStarted;
use sipc_vectors::load::{Expected, Verdict};
use std::io::Write;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// How long a name the receiver must leave alone is watched for an (unwanted) line.
const QUIET: Duration = Duration::from_millis(300);
/// The uid a folder of another owner is given (as root).
const OTHER_UID: u32 = 65534;

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

fn fail(detail: impl Into<String>, sent: String, expected: &str, provided: String) -> Observation {
    obs(Judgement::Fail, detail, sent, expected, provided)
}

/// Renames `temp` to `name` in the folder, as a writer hands a file over.
fn hand_over(temp: &Path, dir: &Path, name: &str) -> Result<(), String> {
    std::fs::rename(temp, dir.join(name)).map_err(|e| format!("renaming {}: {e}", temp.display()))
}

/// Writes `bytes` as a correct writer does: `.name.tmp`, closed, then renamed to `name`.
pub fn drop_file(dir: &Path, name: &str, bytes: &[u8]) -> std::io::Result<()> {
    let temp = dir.join(format!(".{name}.tmp"));
    std::fs::write(&temp, bytes)?;
    std::fs::rename(&temp, dir.join(name))
}

/// REQ-SPOOL-6: a name the receiver reported on is gone from the folder.
fn gone(dir: &Path, name: &str) -> Result<(), String> {
    match std::fs::symlink_metadata(dir.join(name)) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        _ => Err(format!(
            "{name} is still in the folder after its line: every handled name is removed (REQ-SPOOL-6)"
        )),
    }
}

/// Drops the step's envelope as `name` and judges its line.
fn file(step: &Step, name: &str, receiver: &mut Receiver, t: &Target, place: &str) -> Observation {
    let sent = format!("{place}file {name}: {}", show_bytes(&step.envelope));
    if let Err(e) = drop_file(t.dir, name, &step.envelope) {
        return fail(format!("cannot write {name}: {e}"), sent, "", String::new());
    }
    judge_line(receiver, name, &step.expected, t, place, sent)
}

/// Waits for the line about `name` and judges it against `expected`; then the name must be gone.
fn judge_line(
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

/// REQ-SPOOL-3: `{"verdict":"skip","reason":"not_regular_file"}`.
fn is_skip(line: &Line) -> bool {
    let text = sipc_vectors::text::compact(&line.answer);
    text == br#"{"verdict":"skip","reason":"not_regular_file"}"#
        || text == br#"{"reason":"not_regular_file","verdict":"skip"}"#
}

const SKIP: &str = r#"{"verdict":"skip","reason":"not_regular_file"}, the name removed"#;

fn special(kind: Special, step: &Step, receiver: &mut Receiver, t: &Target) -> Observation {
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

fn oversize(
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

/// Makes the unsafe folder `kind` at `dir`; `Err(None)` when it needs root and the runner has
/// none.
fn unsafe_folder(kind: Unsafe, dir: &Path) -> Result<Vec<PathBuf>, Option<String>> {
    let real = dir.with_file_name("own-spool.real");
    let io = |e: std::io::Error| Some(e.to_string());
    let make = |path: &Path, mode: u32| {
        std::fs::create_dir(path)
            .and_then(|()| std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)))
    };
    match kind {
        Unsafe::GroupWritable => make(dir, 0o770).map_err(io)?,
        Unsafe::OthersWritable => make(dir, 0o777).map_err(io)?,
        Unsafe::Link => {
            make(&real, 0o700).map_err(io)?;
            std::os::unix::fs::symlink(&real, dir).map_err(io)?;
            return Ok(vec![dir.to_owned(), real]);
        }
        Unsafe::OtherOwner => {
            if !rustix::process::geteuid().is_root() {
                return Err(None);
            }
            make(dir, 0o700).map_err(io)?;
            std::os::unix::fs::chown(dir, Some(OTHER_UID), Some(OTHER_UID)).map_err(io)?;
        }
    }
    Ok(vec![dir.to_owned()])
}

fn folder_refused(kind: Unsafe, dir: &Path, config: &[u8], t: &Target) -> Observation {
    let sent = format!("a receiver of its own on {} ({kind:?})", dir.display());
    let expected = "exits non-zero without LISTENING";
    let made = match unsafe_folder(kind, dir) {
        Ok(made) => made,
        Err(None) => {
            return obs(
                Judgement::NotRun,
                "not run: giving the folder to uid 65534 needs root",
                sent,
                expected,
                String::new(),
            )
        }
        Err(Some(e)) => {
            return fail(
                format!("cannot make the folder: {e}"),
                sent,
                expected,
                String::new(),
            )
        }
    };
    let config_path = t.outside.join("own.json");
    let o = match crate::io::write_file(&config_path, config) {
        Err(e) => fail(e.to_string(), sent, expected, String::new()),
        Ok(()) => match Receiver::start(t.command, &config_path, dir) {
            Ok(mut r) => {
                r.stop();
                fail(
                    "it started and announced LISTENING (REQ-SPOOL-1)",
                    sent,
                    expected,
                    "LISTENING".into(),
                )
            }
            Err(NotStarted::Exited(_, true, _)) => pass(sent),
            Err(why) => fail(
                format!("it did not refuse: {why}"),
                sent,
                expected,
                why.to_string(),
            ),
        },
    };
    for path in made {
        if path.is_symlink() {
            let _ = std::fs::remove_file(&path);
        } else {
            let _ = std::fs::remove_dir_all(&path);
        }
    }
    o
}

/// Runs `script` against `receiver` (the main one; folder tests start their own).
pub fn run(script: &SpoolScript, receiver: Option<&mut Receiver>, t: &Target) -> Observation {
    let Some(receiver) = receiver else {
        return match script {
            SpoolScript::FolderRefused { kind, dir, config } => {
                folder_refused(*kind, dir, config, t)
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
        SpoolScript::Special { kind, step } => special(*kind, step, receiver, t),
        SpoolScript::Oversize { size, head, then } => oversize(*size, head, then, receiver, t),
        SpoolScript::FolderRefused { kind, dir, config } => folder_refused(*kind, dir, config, t),
    }
}
