//! The runner's side of a connection: frames out, answer frames in, every wait bounded.
//! Only loopback addresses, and the Unix socket the runner itself configured, are contacted
//! (the endpoint comes from [`super::server`], which refuses any other).

use crate::run::check::show_bytes;
use sipc_reference::frame::{Decoded, FrameDecoder};
use sipc_reference::json::{parse, Value};
use std::io::{ErrorKind, Read, Write};
use std::net::{Shutdown, SocketAddr, TcpStream};
use std::os::linux::net::SocketAddrExt;
use std::os::unix::net::{SocketAddr as UnixAddr, UnixStream};
use std::path::PathBuf;
use std::time::{Duration, Instant};

/// Where the server under test listens.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Endpoint {
    /// A loopback TCP address (SIPC/1 §12).
    Tcp(SocketAddr),
    /// A Unix socket file (§13).
    Unix(PathBuf),
    /// A Unix socket in the Linux abstract namespace, by its name (without `@`).
    Abstract(String),
}

impl std::fmt::Display for Endpoint {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Endpoint::Tcp(addr) => write!(f, "{addr}"),
            Endpoint::Unix(path) => write!(f, "unix:{}", path.display()),
            Endpoint::Abstract(name) => write!(f, "unix:@{name}"),
        }
    }
}

/// A connected stream of either transport.
enum Wire {
    Tcp(TcpStream),
    Unix(UnixStream),
}

impl Wire {
    fn open(endpoint: &Endpoint) -> std::io::Result<Wire> {
        Ok(match endpoint {
            Endpoint::Tcp(addr) => {
                let stream = TcpStream::connect_timeout(addr, CONNECT_TIMEOUT)?;
                let _ = stream.set_nodelay(true);
                Wire::Tcp(stream)
            }
            Endpoint::Unix(path) => Wire::Unix(UnixStream::connect(path)?),
            Endpoint::Abstract(name) => Wire::Unix(UnixStream::connect_addr(
                &UnixAddr::from_abstract_name(name)?,
            )?),
        })
    }

    fn set_timeouts(&self, read: Option<Duration>, write: Option<Duration>) {
        let _ = match self {
            Wire::Tcp(s) => s.set_read_timeout(read).and(s.set_write_timeout(write)),
            Wire::Unix(s) => s.set_read_timeout(read).and(s.set_write_timeout(write)),
        };
    }

    fn shutdown(&self, how: Shutdown) {
        let _ = match self {
            Wire::Tcp(s) => s.shutdown(how),
            Wire::Unix(s) => s.shutdown(how),
        };
    }
}

impl Read for Wire {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        match self {
            Wire::Tcp(s) => s.read(buf),
            Wire::Unix(s) => s.read(buf),
        }
    }
}

impl Write for Wire {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        match self {
            Wire::Tcp(s) => s.write(buf),
            Wire::Unix(s) => s.write(buf),
        }
    }
    fn flush(&mut self) -> std::io::Result<()> {
        match self {
            Wire::Tcp(s) => s.flush(),
            Wire::Unix(s) => s.flush(),
        }
    }
}

/// The longest answer frame read (an accepted 16 MiB payload, in base64, and its fields).
const MAX_ANSWER: u64 = 32 << 20;
/// How long connecting may take.
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(2);

/// What came back on a connection.
#[derive(Debug, Clone, PartialEq)]
pub enum Answer {
    /// One answer frame holding a JSON object.
    Verdict(Value),
    /// An answer frame that is not one strict JSON object.
    NotJson(String),
    /// The server closed the connection (after `partial` bytes of an answer).
    Closed { partial: usize },
    /// Nothing complete within the time allowed.
    Timeout,
    /// A read failed (e.g. connection reset).
    Error(String),
}

impl std::fmt::Display for Answer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Answer::Verdict(v) => write!(f, "{}", show_bytes(&sipc_vectors::text::compact(v))),
            Answer::NotJson(text) => write!(f, "an answer frame that is not a JSON object: {text}"),
            Answer::Closed { partial: 0 } => write!(f, "the connection closed without an answer"),
            Answer::Closed { partial } => write!(
                f,
                "the connection closed in the middle of an answer frame ({partial} bytes)"
            ),
            Answer::Timeout => write!(f, "no answer in time"),
            Answer::Error(e) => write!(f, "the connection failed: {e}"),
        }
    }
}

/// One connection to the server under test.
pub struct Conn {
    stream: Wire,
    decoder: FrameDecoder,
    /// Bytes read but not yet decoded (answers to pipelined frames).
    pending: Vec<u8>,
    /// Bytes of the answer frame being read.
    partial: usize,
}

impl Conn {
    /// Connects to `endpoint`; a TCP one must be a loopback address.
    pub fn open(endpoint: &Endpoint) -> Result<Conn, String> {
        if let Endpoint::Tcp(addr) = endpoint {
            if !addr.ip().is_loopback() {
                return Err(format!("refusing to connect to non-loopback {addr}"));
            }
        }
        let stream =
            Wire::open(endpoint).map_err(|e| format!("cannot connect to {endpoint}: {e}"))?;
        stream.set_timeouts(None, Some(Duration::from_secs(5)));
        Ok(Conn {
            stream,
            decoder: FrameDecoder::new(MAX_ANSWER),
            pending: Vec::new(),
            partial: 0,
        })
    }

    /// Writes `bytes` at once.
    pub fn send(&mut self, bytes: &[u8]) -> Result<(), String> {
        self.stream
            .write_all(bytes)
            .and_then(|()| self.stream.flush())
            .map_err(|e| format!("sending failed: {e}"))
    }

    /// Closes the sending side (the server reads end of stream).
    pub fn finish_sending(&mut self) {
        self.stream.shutdown(Shutdown::Write);
    }

    /// The next answer frame, waiting at most `timeout`.
    pub fn answer(&mut self, timeout: Duration) -> Answer {
        let deadline = Instant::now() + timeout;
        let mut buf = [0u8; 16 << 10];
        loop {
            let (used, event) = self.decoder.decode(&self.pending);
            self.partial += used;
            self.pending.drain(..used);
            match event {
                Some(Decoded::Frame(body)) => {
                    self.partial = 0;
                    return match parse(&body) {
                        Ok(v @ Value::Object(_)) => Answer::Verdict(v),
                        _ => Answer::NotJson(show_bytes(&body)),
                    };
                }
                Some(Decoded::Oversize { announced }) => {
                    return Answer::NotJson(format!("an answer frame announcing {announced} bytes"))
                }
                None => {}
            }
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return Answer::Timeout;
            }
            self.stream
                .set_timeouts(Some(left), Some(Duration::from_secs(5)));
            match self.stream.read(&mut buf) {
                Ok(0) => {
                    return Answer::Closed {
                        partial: self.partial,
                    }
                }
                Ok(n) => self.pending.extend_from_slice(&buf[..n]),
                Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {
                    return Answer::Timeout
                }
                Err(e) if e.kind() == ErrorKind::Interrupted => {}
                Err(e) if e.kind() == ErrorKind::ConnectionReset => {
                    return Answer::Closed {
                        partial: self.partial,
                    }
                }
                Err(e) => return Answer::Error(e.to_string()),
            }
        }
    }
}
