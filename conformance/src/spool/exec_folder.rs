//! The spool tests of the folder itself (SIPC/1 REQ-SPOOL-1): receivers of their own on
//! folders their group or others may write to, a link to a folder, a folder of another uid.

use super::exec::{fail, Target};
use super::receiver::Receiver;
use super::table::Unsafe;
use crate::run::check::{Judgement, Observation};
use crate::tcp::exec::{obs, pass};
use crate::tcp::server::NotStarted;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

/// The uid a folder of another owner is given (as root).
const OTHER_UID: u32 = 65534;

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

pub(super) fn folder_refused(kind: Unsafe, dir: &Path, config: &[u8], t: &Target) -> Observation {
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
