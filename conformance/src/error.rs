//! The one error type of the `sipc` command: everything that ends a command with exit status 2
//! (a usage error, an I/O error, an invalid config, or an implementation that would not start).
//! Verdicts are not errors: a failing test is exit 1, through the reports.

use sipc_reference::Reject;
use std::fmt;
use std::path::PathBuf;

/// Why a `sipc` command stopped with exit status 2.
#[derive(Debug)]
pub enum Error {
    /// An option or an input given by the user is wrong (`--timeout 0`, an expectations file
    /// that is not valid, `--config` without `--tcp-server`).
    Usage(String),
    /// Reading or writing `what` (a path, `stdin`, `stdout`) failed.
    Io {
        /// The file or stream.
        what: String,
        /// The operating system's error.
        source: std::io::Error,
    },
    /// An input is larger than the command reads.
    TooLarge {
        /// The file or stream.
        what: String,
        /// The largest size read, in bytes.
        limit: u64,
    },
    /// A config file that SIPC/1 §10 refuses.
    Config {
        /// The config file.
        path: PathBuf,
        /// The refusal, naming the member.
        reject: Reject,
    },
    /// The implementation under test (an adapter or a TCP server) would not start, or would
    /// not speak the protocol.
    Implementation(String),
    /// `sipc serve` could not listen.
    Listen(String),
    /// The vector generator and the reference disagree (a bug in one of them): each problem.
    Generator(Vec<String>),
    /// The system clock is before 1970.
    Clock(std::time::SystemTimeError),
}

impl Error {
    /// An I/O error on `what`.
    pub fn io(what: impl Into<String>, source: std::io::Error) -> Error {
        Error::Io {
            what: what.into(),
            source,
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Usage(why) | Error::Implementation(why) | Error::Listen(why) => f.write_str(why),
            Error::Io { what, source } => write!(f, "{what}: {source}"),
            Error::TooLarge { what, limit } => write!(f, "{what} is larger than {limit} bytes"),
            Error::Config { path, reject } => write!(f, "{}: {reject}", path.display()),
            Error::Generator(problems) => write!(
                f,
                "the generator disagrees with the reference:\n{}",
                problems.join("\n")
            ),
            Error::Clock(e) => write!(f, "system clock: {e}"),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Io { source, .. } => Some(source),
            Error::Config { reject, .. } => Some(reject),
            Error::Clock(e) => Some(e),
            _ => None,
        }
    }
}
