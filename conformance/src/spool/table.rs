//! The tests only a spool folder has (SIPC/1 §14), after the TCP table's frame tests in a
//! `--spool` run: names still being written, directories, names that are not regular files,
//! sizes, replays across names, and folders a receiver must refuse.

use crate::tcp::cases::{Builder, Meta, Step};
use sipc_reference::json::Value;
use sipc_reference::Transport;
use sipc_vectors::suite::Expect::{Accept, Reject};
use std::path::PathBuf;

/// The area the spool tests report under.
pub const AREA: &str = "spool";
/// The first tcId of the spool tests (after the TCP and Unix tables').
pub const FIRST_TC_ID: u64 = 1101;
/// The size of the sparse file SPOOL-SIZE drops: 1 TiB, far more than any receiver can read
/// or hold within a test's timeout, and no disk space on a file system with holes.
pub const SPARSE_BYTES: u64 = 1 << 40;

/// A name that is not a regular file (REQ-SPOOL-3).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Special {
    /// A symbolic link to a file of the runner's, outside the folder, holding the step's
    /// envelope.
    Link,
    /// A FIFO no one writes to.
    Fifo,
    /// A Unix socket the runner listens on.
    Socket,
    /// A character device (made as root only; a skip otherwise).
    Device,
}

/// A folder a receiver must refuse to start on (REQ-SPOOL-1).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Unsafe {
    /// Mode 0770: its group may write to it.
    GroupWritable,
    /// Mode 0777: anyone may.
    OthersWritable,
    /// A symbolic link to a folder of mode 0700.
    Link,
    /// Mode 0700, owned by uid 65534 (made as root only; a skip otherwise).
    OtherOwner,
}

/// What a spool test does in the folder.
#[derive(Clone, Debug)]
pub enum SpoolScript {
    /// Each step's envelope dropped as a correct writer does (a temporary name, then a
    /// rename), its line awaited before the next.
    Files(Vec<Step>),
    /// The step's envelope under a temporary name beginning with `.`: whole and closed, or half
    /// written and still held open. The sentinel's file is dropped beside it and its line must
    /// be the next (the receiver has looked at the folder since, whatever its pace), no other
    /// line may come and the name stays; then it is completed and renamed, and must be
    /// accepted (REQ-SPOOL-2).
    TempName {
        /// The envelope, valid.
        step: Step,
        /// A valid envelope dropped while the temporary name is there.
        sentinel: Step,
        /// Whether the writer still holds the file open, half written.
        held_open: bool,
    },
    /// The step's envelope under a name that is not UTF-8 (a byte 0xFF in it): handled like any
    /// other, its line naming it with U+FFFD in place of the byte (REQ-SPOOL-6).
    OddName(Step),
    /// A directory in the folder, then the step's file: its line is the next, no line about the
    /// directory comes, and the directory is left in place.
    Directory(Step),
    /// A name that is not a regular file: a skip, the name removed, nothing behind it touched;
    /// then the step's file (for a link, the envelope the link pointed to) is accepted.
    Special {
        /// What stands at the name.
        kind: Special,
        /// A valid envelope.
        step: Step,
    },
    /// A regular file of `size` bytes starting with `head` (the rest a hole): `oversize`,
    /// within the timeout; then `then`, `head` within the limit, is accepted.
    Oversize {
        /// The file's size, over `max_envelope_bytes`.
        size: u64,
        /// Its first bytes.
        head: Vec<u8>,
        /// A valid envelope dropped next.
        then: Step,
    },
    /// A receiver of its own, on a folder of the kind given: it must exit non-zero without
    /// `LISTENING` (REQ-SPOOL-1).
    FolderRefused {
        /// What is wrong with the folder.
        kind: Unsafe,
        /// The folder (beside the main one).
        dir: PathBuf,
        /// The receiver's config, naming `dir`.
        config: Vec<u8>,
    },
}

impl SpoolScript {
    /// Whether the test runs against the main receiver (not one of its own).
    pub fn needs_receiver(&self) -> bool {
        !matches!(self, SpoolScript::FolderRefused { .. })
    }

    /// The envelopes it drops, with their intended verdicts.
    pub fn steps(&self) -> Vec<&Step> {
        match self {
            SpoolScript::Files(steps) => steps.iter().collect(),
            SpoolScript::TempName { step, sentinel, .. } => vec![sentinel, step],
            SpoolScript::Directory(step)
            | SpoolScript::OddName(step)
            | SpoolScript::Special { step, .. }
            | SpoolScript::Oversize { then: step, .. } => vec![step],
            SpoolScript::FolderRefused { .. } => Vec::new(),
        }
    }
}

/// Builds a spool test's script at run time.
pub type Build = fn(&Builder) -> SpoolScript;

/// A spool test: its identity and how to build its script.
pub struct SpoolTest {
    /// tcId.
    pub tc_id: u64,
    /// Family, requirements, flags, comment.
    pub meta: Meta,
    /// Builds the script for the current time.
    pub build: Build,
}

/// The main receiver's folder (the run's config names it).
fn main_dir(b: &Builder) -> PathBuf {
    match &b.config().transport {
        Transport::Spool { spool_dir } => PathBuf::from(spool_dir),
        _ => PathBuf::new(),
    }
}

fn refused(b: &Builder, kind: Unsafe) -> SpoolScript {
    let dir = main_dir(b).with_file_name("own-spool");
    let shown = dir.display().to_string();
    let config = b.config_text(|c| {
        if let Value::Object(members) = c {
            for (name, value) in members.iter_mut() {
                if name == "spool_dir" {
                    *value = Value::String(shown.clone());
                }
            }
        }
    });
    SpoolScript::FolderRefused { kind, dir, config }
}

/// A valid envelope followed by spaces up to `max_envelope_bytes` + 1 bytes.
fn padded_over_limit(b: &Builder, envelope: &[u8]) -> Vec<u8> {
    let size = usize::try_from(b.config().envelope_limit()).unwrap_or(usize::MAX);
    let mut padded = envelope.to_vec();
    padded.resize(size.saturating_add(1).max(envelope.len()), b' ');
    padded
}

fn special(b: &Builder, kind: Special) -> SpoolScript {
    SpoolScript::Special {
        kind,
        step: b.one(b.wire(&b.env()), Accept),
    }
}

/// The spool tests, in tcId order; those with receivers of their own come last.
pub fn table() -> Vec<SpoolTest> {
    let table: Vec<(Meta, Build)> = vec![
        (
            Meta {
                id: "SPOOL-REPLAY",
                req: &["REQ-SPOOL-5", "REQ-SPOOL-6"],
                flags: &["Replay"],
                comment: "the same envelope dropped under two names: accepted, then a replay",
            },
            |b| {
                let w = b.wire(&b.env());
                SpoolScript::Files(b.steps(vec![(0, w.clone(), Accept), (0, w, Reject("replay"))]))
            },
        ),
        (
            Meta {
                id: "SPOOL-PARTIAL",
                req: &["REQ-SPOOL-2"],
                flags: &["AtomicHandOff"],
                comment: "a whole envelope under a temporary name is not read; renamed, it is accepted",
            },
            |b| SpoolScript::TempName {
                step: b.one(b.wire(&b.env()), Accept),
                sentinel: b.one(b.wire(&b.env()), Accept),
                held_open: false,
            },
        ),
        (
            Meta {
                id: "SPOOL-PARTIAL",
                req: &["REQ-SPOOL-2"],
                flags: &["AtomicHandOff"],
                comment: "half an envelope under a temporary name, held open by its writer, is not read; completed and renamed, it is accepted",
            },
            |b| SpoolScript::TempName {
                step: b.one(b.wire(&b.env()), Accept),
                sentinel: b.one(b.wire(&b.env()), Accept),
                held_open: true,
            },
        ),
        (
            Meta {
                id: "SPOOL-PARTIAL",
                req: &["REQ-SPOOL-2"],
                flags: &["NotRegularFile"],
                comment: "a directory in the folder is left alone; the next file is accepted",
            },
            |b| SpoolScript::Directory(b.one(b.wire(&b.env()), Accept)),
        ),
        (
            Meta {
                id: "SPOOL-NAME",
                req: &["REQ-SPOOL-6"],
                flags: &["NotRegularFile"],
                comment: "a valid envelope under a name that is not UTF-8 is accepted, the name shown with U+FFFD and removed",
            },
            |b| SpoolScript::OddName(b.one(b.wire(&b.env()), Accept)),
        ),
        (
            Meta {
                id: "SPOOL-LINK",
                req: &["REQ-SPOOL-3", "REQ-SPOOL-6"],
                flags: &["SymlinkFollowed"],
                comment: "a symbolic link to a valid envelope outside the folder is skipped and removed, its target untouched; the envelope dropped next is accepted",
            },
            |b| special(b, Special::Link),
        ),
        (
            Meta {
                id: "SPOOL-FIFO",
                req: &["REQ-SPOOL-3", "REQ-SPOOL-6"],
                flags: &["BlockingOpen"],
                comment: "a FIFO no one writes to is skipped at once and removed; the next file is accepted",
            },
            |b| special(b, Special::Fifo),
        ),
        (
            Meta {
                id: "SPOOL-FIFO",
                req: &["REQ-SPOOL-3", "REQ-SPOOL-6"],
                flags: &["NotRegularFile"],
                comment: "a listening Unix socket is skipped and removed; the next file is accepted",
            },
            |b| special(b, Special::Socket),
        ),
        (
            Meta {
                id: "SPOOL-FIFO",
                req: &["REQ-SPOOL-3", "REQ-SPOOL-6"],
                flags: &["NotRegularFile"],
                comment: "a character device (as root) is skipped unread and removed; the next file is accepted",
            },
            |b| special(b, Special::Device),
        ),
        (
            Meta {
                id: "SPOOL-SIZE",
                req: &["REQ-SPOOL-4", "REQ-SPOOL-5"],
                flags: &["Oversize"],
                comment: "a valid envelope padded with spaces to exactly max_envelope_bytes is read whole and accepted",
            },
            |b| {
                let mut padded = padded_over_limit(b, &b.wire(&b.env()));
                padded.pop();
                SpoolScript::Files(b.steps(vec![(0, padded, Accept)]))
            },
        ),
        (
            Meta {
                id: "SPOOL-SIZE",
                req: &["REQ-SPOOL-4"],
                flags: &["SizeAfterRead"],
                comment: "a valid envelope padded with spaces to max_envelope_bytes + 1 is oversize; the envelope itself is then accepted",
            },
            |b| {
                let w = b.wire(&b.env());
                let head = padded_over_limit(b, &w);
                let size = u64::try_from(head.len()).unwrap_or(u64::MAX);
                SpoolScript::Oversize {
                    size,
                    head,
                    then: b.one(w, Accept),
                }
            },
        ),
        (
            Meta {
                id: "SPOOL-SIZE",
                req: &["REQ-SPOOL-4"],
                flags: &["SizeAfterRead"],
                comment: "a sparse file of 1 TiB is oversize within the timeout (its size read before any byte); the next file is accepted",
            },
            |b| SpoolScript::Oversize {
                size: SPARSE_BYTES,
                head: b.wire(&b.env()),
                then: b.one(b.wire(&b.env()), Accept),
            },
        ),
        (
            Meta {
                id: "SPOOL-DIR",
                req: &["REQ-SPOOL-1"],
                flags: &["FolderPolicy"],
                comment: "a folder its group may write to (0770): the receiver refuses to start",
            },
            |b| refused(b, Unsafe::GroupWritable),
        ),
        (
            Meta {
                id: "SPOOL-DIR",
                req: &["REQ-SPOOL-1"],
                flags: &["FolderPolicy"],
                comment: "a folder anyone may write to (0777): the receiver refuses to start",
            },
            |b| refused(b, Unsafe::OthersWritable),
        ),
        (
            Meta {
                id: "SPOOL-DIR",
                req: &["REQ-SPOOL-1"],
                flags: &["FolderPolicy", "SymlinkFollowed"],
                comment: "spool_dir a symbolic link to a folder of mode 0700: the receiver refuses to start",
            },
            |b| refused(b, Unsafe::Link),
        ),
        (
            Meta {
                id: "SPOOL-DIR",
                req: &["REQ-SPOOL-1"],
                flags: &["FolderPolicy"],
                comment: "a folder of mode 0700 owned by uid 65534 (as root): the receiver refuses to start",
            },
            |b| refused(b, Unsafe::OtherOwner),
        ),
    ];
    table
        .into_iter()
        .zip(FIRST_TC_ID..)
        .map(|((meta, build), tc_id)| SpoolTest { tc_id, meta, build })
        .collect()
}
