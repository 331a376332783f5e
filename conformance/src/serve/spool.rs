//! The spool receiver of `sipc serve` (SIPC/1 §14): the folder checked once at start
//! (REQ-SPOOL-1), then polled; each name opened without following a link or blocking and
//! judged from what was opened (REQ-SPOOL-2, REQ-SPOOL-3), its size taken before a byte is read
//! (REQ-SPOOL-4), verified by the one verifier (REQ-SPOOL-5), removed, then reported
//! (REQ-SPOOL-6).

use rustix::fs::{FileType, Mode, OFlags};
use rustix::io::Errno;
use sipc_reference::json::Value;
use sipc_vectors::verdict::rejected;
use std::ffi::{OsStr, OsString};
use std::fs::File;
use std::io::Read;
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::MetadataExt;
use std::path::Path;
use std::time::Duration;

/// How long the receiver sleeps between two looks at the folder.
const POLL: Duration = Duration::from_millis(20);
/// The names handled in one look at most (the rest wait for the next).
const MAX_NAMES_PER_LOOK: usize = 1024;

/// REQ-SPOOL-1: `dir` itself (not a link) is a directory of the effective uid that neither
/// group nor others may write to.
pub(super) fn check_dir(dir: &str) -> Result<(), String> {
    let meta = std::fs::symlink_metadata(dir).map_err(|e| format!("{dir}: {e}"))?;
    let euid = rustix::process::geteuid().as_raw();
    if meta.file_type().is_symlink() {
        Err(format!("{dir} is a symbolic link, not a folder"))
    } else if !meta.is_dir() {
        Err(format!("{dir} is not a folder"))
    } else if meta.uid() != euid {
        Err(format!(
            "{dir} belongs to uid {}, not to this receiver's uid {euid}",
            meta.uid()
        ))
    } else if meta.mode() & 0o022 != 0 {
        Err(format!(
            "{dir} has mode {:04o}: others than its owner may write to it",
            meta.mode() & 0o7777
        ))
    } else {
        Ok(())
    }
}

/// What handling one name came to.
enum Handled {
    /// The answer of REQ-TCP-3 (or a skip) to print for it, once it is removed.
    Line(Value),
    /// Not a name to handle: a directory (REQ-SPOOL-2), or gone before it was opened.
    Left,
}

fn skip() -> Value {
    Value::Object(vec![
        ("verdict".into(), Value::String("skip".into())),
        ("reason".into(), Value::String("not_regular_file".into())),
    ])
}

/// Opens `name` in `dir` and judges what was opened (REQ-SPOOL-3, REQ-SPOOL-4).
fn handle(
    dir: &impl rustix::fd::AsFd,
    name: &OsStr,
    receiver: &super::Receiver,
    limit: u64,
) -> Handled {
    let flags = OFlags::RDONLY | OFlags::NOFOLLOW | OFlags::NONBLOCK | OFlags::CLOEXEC;
    let fd = match rustix::fs::openat(dir, name, flags, Mode::empty()) {
        Ok(fd) => fd,
        // A link (ELOOP) or a socket (ENXIO): not read, not followed.
        Err(Errno::LOOP | Errno::NXIO) => return Handled::Line(skip()),
        // Gone already, or not ours to open: nothing handled.
        Err(_) => return Handled::Left,
    };
    let Ok(stat) = rustix::fs::fstat(&fd) else {
        return Handled::Left;
    };
    match FileType::from_raw_mode(stat.st_mode) {
        FileType::RegularFile => {}
        FileType::Directory => return Handled::Left,
        _ => return Handled::Line(skip()),
    }
    if u64::try_from(stat.st_size).map_or(true, |size| size > limit) {
        return Handled::Line(rejected("oversize"));
    }
    let mut envelope = Vec::new();
    let read = File::from(fd)
        .take(limit.saturating_add(1))
        .read_to_end(&mut envelope);
    if read.is_err() {
        return Handled::Line(skip());
    }
    if u64::try_from(envelope.len()).map_or(true, |n| n > limit) {
        return Handled::Line(rejected("oversize"));
    }
    Handled::Line(receiver.verdict(&envelope))
}

/// The names to handle in `dir` now, in byte order: not beginning with `.` (any bytes; a name
/// that is not UTF-8 is reported with U+FFFD in its place).
fn names(dir: &Path) -> Vec<OsString> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut names: Vec<OsString> = entries
        .filter_map(|e| Some(e.ok()?.file_name()))
        .filter(|n| !n.as_bytes().starts_with(b"."))
        .collect();
    names.sort();
    names.truncate(MAX_NAMES_PER_LOOK);
    names
}

/// Polls `dir` for ever, handling each name and printing its line (REQ-SPOOL-6).
pub(super) fn serve(dir: &str, receiver: &super::Receiver, limit: u64) -> Result<(), String> {
    let flags = OFlags::RDONLY | OFlags::DIRECTORY | OFlags::NOFOLLOW | OFlags::CLOEXEC;
    let dir_fd = rustix::fs::open(dir, flags, Mode::empty()).map_err(|e| format!("{dir}: {e}"))?;
    let path = Path::new(dir);
    loop {
        for name in names(path) {
            let Handled::Line(answer) = handle(&dir_fd, &name, receiver, limit) else {
                continue;
            };
            let shown = name.to_string_lossy().into_owned();
            if let Err(e) =
                rustix::fs::unlinkat(&dir_fd, name.as_os_str(), rustix::fs::AtFlags::empty())
            {
                if e != Errno::NOENT {
                    return Err(format!("cannot remove {shown} from {dir}: {e}"));
                }
            }
            let mut members = vec![("file".to_owned(), Value::String(shown))];
            if let Value::Object(rest) = answer {
                members.extend(rest);
            }
            let mut line = Vec::new();
            sipc_reference::json::write_value(&mut line, &Value::Object(members));
            crate::io::print_line(&String::from_utf8_lossy(&line));
        }
        std::thread::sleep(POLL);
    }
}
