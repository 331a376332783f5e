//! Bounded reads and small output helpers shared by the commands.

use crate::error::Error;
use std::io::{Read, Write};
use std::path::Path;

fn name(path: Option<&Path>) -> String {
    path.map_or("stdin".into(), |p| p.display().to_string())
}

/// Reads at most `limit` bytes; more is an error.
pub fn read_bounded(path: Option<&Path>, limit: u64) -> Result<Vec<u8>, Error> {
    let data = read_bounded_lossy(path, limit.saturating_add(1))?;
    if u64::try_from(data.len()).unwrap_or(u64::MAX) > limit {
        return Err(Error::TooLarge {
            what: name(path),
            limit,
        });
    }
    Ok(data)
}

/// Reads at most `limit` bytes and silently stops there.
pub fn read_bounded_lossy(path: Option<&Path>, limit: u64) -> Result<Vec<u8>, Error> {
    let mut data = Vec::new();
    let result = match path {
        Some(path) => std::fs::File::open(path).and_then(|f| f.take(limit).read_to_end(&mut data)),
        None => std::io::stdin().lock().take(limit).read_to_end(&mut data),
    };
    result.map(|_| data).map_err(|e| Error::io(name(path), e))
}

/// Writes `bytes` and a newline to stdout.
pub fn write_line(bytes: &[u8]) -> Result<(), Error> {
    let mut out = std::io::stdout().lock();
    out.write_all(bytes)
        .and_then(|()| out.write_all(b"\n"))
        .map_err(|e| Error::io("stdout", e))
}

/// Prints a line to stdout; a closed stdout (`sipc run | head`) is not an error.
pub fn print_line(line: &str) {
    let mut out = std::io::stdout().lock();
    let _ = out
        .write_all(line.as_bytes())
        .and_then(|()| out.write_all(b"\n"));
}

/// Writes a report file.
pub fn write_file(path: &Path, bytes: &[u8]) -> Result<(), Error> {
    std::fs::write(path, bytes).map_err(|e| Error::io(path.display().to_string(), e))
}
