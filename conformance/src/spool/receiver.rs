//! The spool receiver under test: its command line with `{config}` and `{dir}` filled in, the
//! wait for `LISTENING spool:<dir>`, and its stdout lines, one per handled name (SIPC/1
//! REQ-SPOOL-6). Every wait is bounded; the receiver runs in its own process group.

use crate::process::{describe, Adapter, Broken};
use crate::tcp::server::{wait_listening, NotStarted, PLACEHOLDER, START_TIMEOUT};
use sipc_reference::json::Value;
use std::path::Path;
use std::time::{Duration, Instant};

/// The placeholder substituted with the spool folder's path.
pub const DIR_PLACEHOLDER: &str = "{dir}";

/// A running receiver.
pub struct Receiver {
    process: Adapter,
}

/// One line a receiver printed for a name: the name, and the answer without `file`.
#[derive(Debug)]
pub struct Line {
    /// The `file` member.
    pub file: String,
    /// The other members (`verdict`, …).
    pub answer: Value,
    /// The line as printed (for reports).
    pub text: String,
}

/// The command line with `{config}` and `{dir}` replaced by the paths (quoted for `sh`).
pub fn command_for(template: &str, config: &Path, dir: &Path) -> String {
    let quote = |p: &Path| crate::shell::quote(&p.display().to_string());
    template
        .replace(PLACEHOLDER, &quote(config))
        .replace(DIR_PLACEHOLDER, &quote(dir))
}

/// A line of the receiver's stdout as a [`Line`]; `None` for a line that does not begin with
/// `{` (a log line, ignored); `Err` for a `{` line that is not a JSON object with a string
/// `file`.
pub fn parse_line(bytes: &[u8]) -> Option<Result<Line, String>> {
    let text = String::from_utf8_lossy(bytes).into_owned();
    if !text.starts_with('{') {
        return None;
    }
    let parsed = match sipc_reference::json::parse(bytes) {
        Ok(Value::Object(members)) => members,
        _ => return Some(Err(format!("a line that is not a JSON object: {text}"))),
    };
    let mut file = None;
    let mut rest = Vec::new();
    for (name, value) in parsed {
        match (name.as_str(), value) {
            ("file", Value::String(s)) => file = Some(s),
            (_, value) => rest.push((name, value)),
        }
    }
    Some(match file {
        Some(file) => Ok(Line {
            file,
            answer: Value::Object(rest),
            text,
        }),
        None => Err(format!("a line without a string \"file\": {text}")),
    })
}

impl Receiver {
    /// Starts `template` with the config at `config` and waits for exactly
    /// `LISTENING spool:<dir>`.
    pub fn start(template: &str, config: &Path, dir: &Path) -> Result<Receiver, NotStarted> {
        let mut process = Adapter::spawn(&command_for(template, config, dir), START_TIMEOUT)
            .map_err(NotStarted::Spawn)?;
        let expected = format!("LISTENING spool:{}", dir.display());
        wait_listening(&mut process, |line| {
            let said = line.trim_end_matches(['\r', '\n']);
            if said == expected {
                Ok(())
            } else {
                Err(format!(
                    "{said:?} does not name the spool folder: {expected}"
                ))
            }
        })?;
        Ok(Receiver { process })
    }

    /// The next line about a name, waiting at most `timeout` in all; log lines are skipped.
    pub fn next(&mut self, timeout: Duration) -> Result<Line, String> {
        let deadline = Instant::now() + timeout;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.process.next_line(left) {
                Ok(bytes) => match parse_line(&bytes) {
                    None => continue,
                    Some(line) => return line,
                },
                Err(Broken::Timeout(_)) => {
                    return Err(format!("no line within {:.1} s", timeout.as_secs_f64()))
                }
                Err(other) => return Err(other.to_string().replace("adapter", "receiver")),
            }
        }
    }

    /// The next line, which must be about `name` (a line about another name is an error).
    pub fn line_for(&mut self, name: &str, timeout: Duration) -> Result<Line, String> {
        let line = self.next(timeout)?;
        if line.file == name {
            Ok(line)
        } else {
            Err(format!(
                "a line about {:?} while the runner waited for {name:?}: {}",
                line.file, line.text
            ))
        }
    }

    /// A line already printed, without waiting (`None` when there is none).
    pub fn pending(&mut self) -> Option<Result<Line, String>> {
        match self.process.next_line(Duration::ZERO) {
            Ok(bytes) => parse_line(&bytes),
            Err(Broken::Timeout(_)) => None,
            Err(other) => Some(Err(other.to_string().replace("adapter", "receiver"))),
        }
    }

    /// Lets `settle` pass, then throws away every line printed by then (after a failed test,
    /// so that the next is not blamed for what the receiver still had to say).
    pub fn drain(&mut self, settle: Duration) {
        std::thread::sleep(settle);
        while let Some(Ok(_)) = self.pending() {}
    }

    /// Whether the process is still running.
    pub fn is_running(&mut self) -> bool {
        self.process.exit_status().is_none()
    }

    /// What it wrote to stderr lately.
    pub fn stderr_tail(&self) -> String {
        self.process.stderr_tail()
    }

    /// Kills the receiver's process group, reaps it, and says how it ended.
    pub fn stop(&mut self) -> String {
        self.process
            .stop()
            .map_or_else(|| "status unknown".into(), describe)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_are_read_strictly() {
        let line = parse_line(br#"{"file":"a.json","verdict":"accept","kind":"k"}"#)
            .unwrap()
            .unwrap();
        assert_eq!(line.file, "a.json");
        assert_eq!(
            sipc_vectors::text::compact(&line.answer),
            br#"{"verdict":"accept","kind":"k"}"#
        );
        assert!(parse_line(b"handled a.json").is_none());
        for bad in [
            &b"{\"verdict\":\"accept\"}"[..],
            b"{\"file\":1}",
            b"{nope",
            b"{\"file\":\"a\",\"file\":\"b\"}",
        ] {
            assert!(
                parse_line(bad).unwrap().is_err(),
                "{}",
                String::from_utf8_lossy(bad)
            );
        }
    }

    #[test]
    fn both_placeholders_are_quoted() {
        assert_eq!(
            command_for(
                "r --dir {dir} --config {config}",
                Path::new("/t/c.json"),
                Path::new("/t/a b")
            ),
            "r --dir '/t/a b' --config '/t/c.json'"
        );
    }
}
