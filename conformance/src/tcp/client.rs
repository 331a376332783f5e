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

/// A connected socket of either transport.
enum Plain {
    Tcp(TcpStream),
    Unix(UnixStream),
}

impl Plain {
    fn open(endpoint: &Endpoint) -> std::io::Result<Plain> {
        Ok(match endpoint {
            Endpoint::Tcp(addr) => {
                let stream = TcpStream::connect_timeout(addr, CONNECT_TIMEOUT)?;
                let _ = stream.set_nodelay(true);
                Plain::Tcp(stream)
            }
            Endpoint::Unix(path) => Plain::Unix(UnixStream::connect(path)?),
            Endpoint::Abstract(name) => Plain::Unix(UnixStream::connect_addr(
                &UnixAddr::from_abstract_name(name)?,
            )?),
        })
    }

    fn set_timeouts(&self, read: Option<Duration>, write: Option<Duration>) {
        let _ = match self {
            Plain::Tcp(s) => s.set_read_timeout(read).and(s.set_write_timeout(write)),
            Plain::Unix(s) => s.set_read_timeout(read).and(s.set_write_timeout(write)),
        };
    }

    fn shutdown(&self, how: Shutdown) {
        let _ = match self {
            Plain::Tcp(s) => s.shutdown(how),
            Plain::Unix(s) => s.shutdown(how),
        };
    }
}

impl Read for Plain {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        match self {
            Plain::Tcp(s) => s.read(buf),
            Plain::Unix(s) => s.read(buf),
        }
    }
}

impl Write for Plain {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        match self {
            Plain::Tcp(s) => s.write(buf),
            Plain::Unix(s) => s.write(buf),
        }
    }
    fn flush(&mut self) -> std::io::Result<()> {
        match self {
            Plain::Tcp(s) => s.flush(),
            Plain::Unix(s) => s.flush(),
        }
    }
}

/// A connection, in the clear or under TLS (SIPC/1 §15).
enum Wire {
    Plain(Plain),
    Tls(Box<rustls::StreamOwned<rustls::ClientConnection, Plain>>),
}

impl Wire {
    fn socket(&self) -> &Plain {
        match self {
            Wire::Plain(p) => p,
            Wire::Tls(t) => &t.sock,
        }
    }
}

impl Read for Wire {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        match self {
            Wire::Plain(p) => p.read(buf),
            Wire::Tls(t) => t.read(buf),
        }
    }
}

impl Write for Wire {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        match self {
            Wire::Plain(p) => p.write(buf),
            Wire::Tls(t) => t.write(buf),
        }
    }
    fn flush(&mut self) -> std::io::Result<()> {
        match self {
            Wire::Plain(p) => p.flush(),
            Wire::Tls(t) => t.flush(),
        }
    }
}

/// How long a TLS handshake may take.
const HANDSHAKE_TIMEOUT: Duration = Duration::from_secs(5);

/// The client side of a handshake on `socket`; `Err` says how it failed.
fn handshake(socket: Plain, config: std::sync::Arc<rustls::ClientConfig>) -> Result<Wire, String> {
    let name = rustls::pki_types::ServerName::try_from(crate::tls::pki::SERVER_NAME)
        .map_err(|e| e.to_string())?;
    let conn = rustls::ClientConnection::new(config, name).map_err(|e| e.to_string())?;
    socket.set_timeouts(Some(HANDSHAKE_TIMEOUT), Some(HANDSHAKE_TIMEOUT));
    let mut tls = rustls::StreamOwned::new(conn, socket);
    while tls.conn.is_handshaking() {
        tls.conn
            .complete_io(&mut tls.sock)
            .map_err(|e| format!("the TLS handshake failed: {e}"))?;
    }
    Ok(Wire::Tls(Box::new(tls)))
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
    /// Connects to `endpoint` (a TCP one must be a loopback address), under TLS with `tls`.
    pub fn open(
        endpoint: &Endpoint,
        tls: Option<std::sync::Arc<rustls::ClientConfig>>,
    ) -> Result<Conn, String> {
        if let Endpoint::Tcp(addr) = endpoint {
            if !addr.ip().is_loopback() {
                return Err(format!("refusing to connect to non-loopback {addr}"));
            }
        }
        let socket =
            Plain::open(endpoint).map_err(|e| format!("cannot connect to {endpoint}: {e}"))?;
        let stream = match tls {
            None => Wire::Plain(socket),
            Some(config) => handshake(socket, config)?,
        };
        stream
            .socket()
            .set_timeouts(None, Some(Duration::from_secs(5)));
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
        if let Wire::Tls(t) = &mut self.stream {
            t.conn.send_close_notify();
            let _ = t.flush();
        }
        self.stream.socket().shutdown(Shutdown::Write);
    }

    /// Under TLS: the certificate the server presented (end entity), and the version spoken.
    pub fn server_certificate(&self) -> Option<(Vec<u8>, String)> {
        let Wire::Tls(t) = &self.stream else {
            return None;
        };
        let cert = t.conn.peer_certificates()?.first()?.to_vec();
        let version = t
            .conn
            .protocol_version()
            .map_or_else(|| "unknown".into(), |v| format!("{v:?}"));
        Some((cert, version))
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
                .socket()
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
                // Under TLS, a close without close_notify is still a close.
                Err(e)
                    if matches!(
                        e.kind(),
                        ErrorKind::ConnectionReset | ErrorKind::UnexpectedEof
                    ) =>
                {
                    return Answer::Closed {
                        partial: self.partial,
                    }
                }
                Err(e) => return Answer::Error(e.to_string()),
            }
        }
    }
}
