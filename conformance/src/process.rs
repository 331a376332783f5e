//! The implementation under test as a child process speaking `sipc-adapter/1` (spec/ADAPTER.md):
//! one JSON request per line on its stdin, one JSON response per line on its stdout. The TCP
//! runner uses the same child for a server, reading only its `LISTENING` line.
//!
//! Every wait is bounded: a response that does not come within the timeout, a line over
//! [`MAX_LINE`], a line that is not strict JSON or carries the wrong `id` all end the exchange
//! with a [`Broken`] reason, and the runner then kills the process. The child runs in its own
//! process group, killed as a whole, and is always reaped.

use sipc_reference::json::{parse, Number, Value};
use sipc_vectors::text;
use std::io::{BufRead, BufReader, Read, Write};
use std::os::unix::process::CommandExt;
use std::process::{Child, ChildStdin, Command, ExitStatus, Stdio};
use std::sync::atomic::{AtomicI32, Ordering};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

/// The longest response line accepted (16 MiB).
pub const MAX_LINE: usize = 16 << 20;
/// How much of the adapter's stderr is kept for reports.
const STDERR_TAIL: usize = 4096;
/// How long a child that was asked to stop may take before it is killed.
const GRACE: Duration = Duration::from_secs(1);

/// Why an exchange with the adapter cannot go on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Broken {
    /// No response line within the timeout.
    Timeout(Duration),
    /// The process closed its stdout (exited or crashed); the exit status when known.
    Exited(String),
    /// A line longer than [`MAX_LINE`].
    TooLong,
    /// A line that is not one strict JSON object.
    NotJson(String),
    /// A response whose `id` is not the request's.
    WrongId { sent: u64, got: String },
    /// Writing the request failed.
    Write(String),
}

impl std::fmt::Display for Broken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Broken::Timeout(d) => write!(f, "no response within {:.1} s", d.as_secs_f64()),
            Broken::Exited(status) => write!(f, "the adapter exited ({status})"),
            Broken::TooLong => write!(f, "a response line longer than {MAX_LINE} bytes"),
            Broken::NotJson(line) => {
                write!(f, "a response that is not a strict JSON object: {line}")
            }
            Broken::WrongId { sent, got } => {
                write!(f, "a response with id {got} to request {sent}")
            }
            Broken::Write(e) => write!(f, "cannot write to the adapter: {e}"),
        }
    }
}

/// The process groups of the running children (0: a free slot), for the signal handler: an
/// adapter, or a TCP server and the server a start test runs beside it.
static RUNNING_GROUPS: [AtomicI32; 4] = [const { AtomicI32::new(0) }; 4];

extern "C" fn on_signal(signal: libc::c_int) {
    for slot in &RUNNING_GROUPS {
        let group = slot.load(Ordering::SeqCst);
        if group > 0 {
            // SAFETY: kill(2) is async-signal-safe.
            unsafe {
                libc::kill(-group, libc::SIGKILL);
            }
        }
    }
    // SAFETY: _exit(2) is async-signal-safe.
    unsafe {
        libc::_exit(128 + signal);
    }
}

/// Records a running group for the signal handler (the last slot is reused when all are taken).
fn register_group(pid: i32) {
    let free = RUNNING_GROUPS.iter().find(|slot| {
        slot.compare_exchange(0, pid, Ordering::SeqCst, Ordering::SeqCst)
            .is_ok()
    });
    if free.is_none() {
        if let Some(last) = RUNNING_GROUPS.last() {
            last.store(pid, Ordering::SeqCst);
        }
    }
}

fn unregister_group(pid: i32) {
    for slot in &RUNNING_GROUPS {
        let _ = slot.compare_exchange(pid, 0, Ordering::SeqCst, Ordering::SeqCst);
    }
}

/// On Ctrl-C or SIGTERM, kill the children's process groups before exiting, so that no adapter
/// or server outlives the runner (the adapter runs in its own group and does not see the terminal's
/// signal itself).
pub fn kill_children_on_signals() {
    for signal in [libc::SIGINT, libc::SIGTERM, libc::SIGHUP] {
        // SAFETY: installs a handler that only calls async-signal-safe functions.
        unsafe {
            libc::signal(signal, on_signal as *const () as libc::sighandler_t);
        }
    }
}

enum Line {
    Data(Vec<u8>),
    TooLong,
    Eof,
}

/// A running adapter.
pub struct Adapter {
    child: Child,
    stdin: Option<ChildStdin>,
    lines: Receiver<Line>,
    stderr: Arc<Mutex<Vec<u8>>>,
    /// Closed (its sender dropped) when the stderr reader has reached the end of the pipe.
    stderr_done: Receiver<()>,
    next_id: u64,
    timeout: Duration,
    reaped: Option<ExitStatus>,
}

fn read_lines(stdout: impl Read, tx: mpsc::Sender<Line>) {
    let mut reader = BufReader::new(stdout);
    loop {
        let mut line = Vec::new();
        let limit = u64::try_from(MAX_LINE)
            .unwrap_or(u64::MAX)
            .saturating_add(1);
        match reader.by_ref().take(limit).read_until(b'\n', &mut line) {
            Ok(0) | Err(_) => {
                let _ = tx.send(Line::Eof);
                return;
            }
            Ok(_) => {
                if line.last() == Some(&b'\n') {
                    line.pop();
                } else if line.len() > MAX_LINE {
                    let _ = tx.send(Line::TooLong);
                    return;
                }
                if tx.send(Line::Data(line)).is_err() {
                    return;
                }
            }
        }
    }
}

/// How long `stop` waits for the last of stderr once the process group is dead.
const STDERR_DRAIN: Duration = Duration::from_millis(200);

/// Keeps the last [`STDERR_TAIL`] bytes of stderr; `_done` is dropped at the end of the pipe.
fn keep_tail(stderr: impl Read, tail: Arc<Mutex<Vec<u8>>>, _done: mpsc::Sender<()>) {
    let mut reader = BufReader::new(stderr);
    let mut buf = [0u8; 4096];
    while let Ok(n) = reader.read(&mut buf) {
        if n == 0 {
            return;
        }
        if let Ok(mut t) = tail.lock() {
            t.extend_from_slice(&buf[..n]);
            let excess = t.len().saturating_sub(STDERR_TAIL);
            t.drain(..excess);
        }
    }
}

/// `"exit status 3"`, `"killed by signal 9"`.
pub fn describe(status: ExitStatus) -> String {
    use std::os::unix::process::ExitStatusExt;
    match (status.code(), status.signal()) {
        (Some(code), _) => format!("exit status {code}"),
        (None, Some(signal)) => format!("killed by signal {signal}"),
        _ => status.to_string(),
    }
}

impl Adapter {
    /// Starts `command` with `sh -c` in a new process group.
    pub fn spawn(command: &str, timeout: Duration) -> Result<Adapter, String> {
        let mut child = Command::new("sh")
            .arg("-c")
            .arg(command)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .process_group(0)
            .spawn()
            .map_err(|e| format!("cannot start `{command}`: {e}"))?;
        if let Ok(pid) = i32::try_from(child.id()) {
            register_group(pid);
        }
        let (tx, lines) = mpsc::channel();
        let stderr = Arc::new(Mutex::new(Vec::new()));
        let (done, stderr_done) = mpsc::channel();
        if let Some(out) = child.stdout.take() {
            thread::spawn(move || read_lines(out, tx));
        }
        if let Some(err) = child.stderr.take() {
            let tail = Arc::clone(&stderr);
            thread::spawn(move || keep_tail(err, tail, done));
        }
        Ok(Adapter {
            stdin: child.stdin.take(),
            child,
            lines,
            stderr,
            stderr_done,
            next_id: 0,
            timeout,
            reaped: None,
        })
    }

    /// The last few KiB the adapter wrote to stderr.
    pub fn stderr_tail(&self) -> String {
        self.stderr
            .lock()
            .map(|t| String::from_utf8_lossy(&t).into_owned())
            .unwrap_or_default()
    }

    /// Sends `{"id":N, …members}` and returns the response object, `id` checked.
    pub fn request(&mut self, members: Vec<(String, Value)>) -> Result<Value, Broken> {
        let id = self.next_id;
        self.next_id += 1;
        let mut object = vec![("id".to_owned(), Value::Number(Number::from_u64(id)))];
        object.extend(members);
        let mut line = text::compact(&Value::Object(object));
        line.push(b'\n');
        let stdin = self
            .stdin
            .as_mut()
            .ok_or_else(|| Broken::Write("stdin closed".into()))?;
        if let Err(e) = stdin.write_all(&line).and_then(|()| stdin.flush()) {
            return Err(self.exited().unwrap_or(Broken::Write(e.to_string())));
        }
        let deadline = Instant::now() + self.timeout;
        let line = match self
            .lines
            .recv_timeout(deadline.saturating_duration_since(Instant::now()))
        {
            Ok(Line::Data(line)) => line,
            Ok(Line::TooLong) => return Err(Broken::TooLong),
            Ok(Line::Eof) | Err(RecvTimeoutError::Disconnected) => {
                return Err(self
                    .exited()
                    .unwrap_or(Broken::Exited("stdout closed".into())))
            }
            Err(RecvTimeoutError::Timeout) => return Err(Broken::Timeout(self.timeout)),
        };
        let excerpt = || String::from_utf8_lossy(&line[..line.len().min(200)]).into_owned();
        let response = match parse(&line) {
            Ok(v @ Value::Object(_)) => v,
            _ => return Err(Broken::NotJson(excerpt())),
        };
        match response.get("id") {
            Some(Value::Number(n)) if n.integer_literal() == Some(i128::from(id)) => Ok(response),
            other => Err(Broken::WrongId {
                sent: id,
                got: other.map_or("(none)".into(), |v| {
                    String::from_utf8_lossy(&text::compact(v)).into_owned()
                }),
            }),
        }
    }

    /// The next line the process prints, waiting at most `timeout` (a server announcing its
    /// address, spec/ADAPTER.md § TCP servers).
    pub fn next_line(&mut self, timeout: Duration) -> Result<Vec<u8>, Broken> {
        match self.lines.recv_timeout(timeout) {
            Ok(Line::Data(line)) => Ok(line),
            Ok(Line::TooLong) => Err(Broken::TooLong),
            Ok(Line::Eof) | Err(RecvTimeoutError::Disconnected) => Err(self
                .exited()
                .unwrap_or(Broken::Exited("stdout closed".into()))),
            Err(RecvTimeoutError::Timeout) => Err(Broken::Timeout(timeout)),
        }
    }

    /// From now on, stdout is read and thrown away (a server that logs to stdout after its
    /// `LISTENING` line neither blocks nor fills the runner's memory).
    pub fn discard_stdout(&mut self) {
        let (_, empty) = mpsc::channel();
        let lines = std::mem::replace(&mut self.lines, empty);
        thread::spawn(move || while let Ok(Line::Data(_)) = lines.recv() {});
    }

    /// The exit status if the process has ended (it is then reaped), without waiting.
    pub fn exit_status(&mut self) -> Option<ExitStatus> {
        if self.reaped.is_none() {
            if let Ok(Some(status)) = self.child.try_wait() {
                self.reaped = Some(status);
            }
        }
        self.reaped
    }

    /// After stdout closed: waits (bounded) for the exit status.
    fn exited(&mut self) -> Option<Broken> {
        let deadline = Instant::now() + GRACE;
        while Instant::now() < deadline {
            if let Ok(Some(status)) = self.child.try_wait() {
                self.reaped = Some(status);
                return Some(Broken::Exited(describe(status)));
            }
            thread::sleep(Duration::from_millis(10));
        }
        None
    }

    /// Closes stdin, gives the adapter [`GRACE`] to exit, then kills its whole process group
    /// and reaps it. Returns the exit status.
    pub fn stop(&mut self) -> Option<ExitStatus> {
        self.stop_within(GRACE)
    }

    /// Kills the process group at once, without waiting for an exit of its own (a process
    /// that does not read stdin, such as a `redis-server` the runner stops mid-run), and reaps
    /// it.
    pub fn kill(&mut self) -> Option<ExitStatus> {
        self.stop_within(Duration::ZERO)
    }

    fn stop_within(&mut self, grace: Duration) -> Option<ExitStatus> {
        self.stdin = None;
        let deadline = Instant::now() + grace;
        while self.reaped.is_none() && Instant::now() < deadline {
            if let Ok(Some(status)) = self.child.try_wait() {
                self.reaped = Some(status);
            } else {
                thread::sleep(Duration::from_millis(5));
            }
        }
        // Kill the group even when the shell has exited: its children may live on.
        if let Ok(pid) = i32::try_from(self.child.id()) {
            // SAFETY: kill(2) with a negative pid signals the process group we created.
            unsafe {
                libc::kill(-pid, libc::SIGKILL);
            }
        }
        if self.reaped.is_none() {
            self.reaped = self.child.wait().ok();
        }
        if let Ok(pid) = i32::try_from(self.child.id()) {
            unregister_group(pid);
        }
        // The group is dead: wait (bounded) until its last stderr bytes are in the tail.
        let _ = self.stderr_done.recv_timeout(STDERR_DRAIN);
        self.reaped
    }
}

impl Drop for Adapter {
    fn drop(&mut self) {
        self.stop();
    }
}
