//! Bounded reads and small output helpers shared by the commands.

use std::io::{Read, Write};
use std::path::Path;

/// Reads at most `limit` bytes; more is an error.
pub fn read_bounded(path: Option<&Path>, limit: u64) -> Result<Vec<u8>, String> {
    let data = read_bounded_lossy(path, limit.saturating_add(1))?;
    if u64::try_from(data.len()).unwrap_or(u64::MAX) > limit {
        let what = path.map_or("stdin".into(), |p| p.display().to_string());
        return Err(format!("{what} is larger than {limit} bytes"));
    }
    Ok(data)
}

/// Reads at most `limit` bytes and silently stops there.
pub fn read_bounded_lossy(path: Option<&Path>, limit: u64) -> Result<Vec<u8>, String> {
    let mut data = Vec::new();
    let result = match path {
        Some(path) => std::fs::File::open(path)
            .and_then(|f| f.take(limit).read_to_end(&mut data))
            .map_err(|e| format!("{}: {e}", path.display())),
        None => std::io::stdin()
            .lock()
            .take(limit)
            .read_to_end(&mut data)
            .map_err(|e| format!("stdin: {e}")),
    };
    result.map(|_| data)
}

/// Writes `bytes` and a newline to stdout.
pub fn write_line(bytes: &[u8]) -> Result<(), String> {
    let mut out = std::io::stdout().lock();
    out.write_all(bytes)
        .and_then(|()| out.write_all(b"\n"))
        .map_err(|e| format!("stdout: {e}"))
}

/// Prints a line to stdout; a closed stdout (`sipc run | head`) is not an error.
pub fn print_line(line: &str) {
    let mut out = std::io::stdout().lock();
    let _ = out
        .write_all(line.as_bytes())
        .and_then(|()| out.write_all(b"\n"));
}

/// Writes a report file.
pub fn write_file(path: &Path, bytes: &[u8]) -> Result<(), String> {
    std::fs::write(path, bytes).map_err(|e| format!("{}: {e}", path.display()))
}
