//! `sipc serve --config FILE`: the Rust reference as a server of the SIPC/1 TCP profile
//! (spec/SIPC-1.md §12) and Unix socket profile (§13), and as a receiver of the spool profile
//! (§14, [`spool`]); the model for servers in other languages and the runner's self-test.
//!
//! It refuses an invalid config before opening any socket (REQ-TCP-6), listens where the
//! config says only ([`tcp`]: the `bind_host`, REQ-TCP-7; [`unix`]: the socket, its mode and
//! its peers, REQ-UNIX-2 … REQ-UNIX-5), prints `LISTENING <where>` once it does
//! (spec/ADAPTER.md), and serves each connection in a thread of its own, all sharing one
//! verifier fed by the real clock (REQ-TCP-5). Frames are read with the reference's
//! [`FrameDecoder`]: an oversize header is answered and the connection closed before any body
//! byte is read (REQ-TCP-2).

mod spool;
mod store;
mod tcp;
mod unix;

use crate::error::Error;
use crate::oneoff::{load_config, unix_now};
use sipc_reference::frame::{encode, Decoded, FrameDecoder};
use sipc_reference::json::{write_value, Value};
use sipc_reference::{Transport, Verifier};
use sipc_vectors::verdict::{accepted, rejected};
use std::io::{Read, Write};
use std::net::{Shutdown, TcpStream};
use std::os::unix::net::UnixStream;
use std::path::Path;
use std::process::ExitCode;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// Connections served at once; more are closed on arrival.
const MAX_CONNECTIONS: usize = 64;
/// A connection silent for this long is closed (a slow peer cannot hold a thread forever).
const IDLE: Duration = Duration::from_secs(30);
/// How long writing one answer may take.
const WRITE_TIMEOUT: Duration = Duration::from_secs(10);

/// The bytes of one answer frame (REQ-TCP-3).
fn answer(verdict: &Value) -> Vec<u8> {
    let mut body = Vec::new();
    write_value(&mut body, verdict);
    encode(&body).unwrap_or_default()
}

/// Where the replay step (REQ-VERIFY-1 step 10) of `sipc serve` happens: the seam between
/// the reference's own cache and a shared store (SIPC/1 §16).
enum ReplayState {
    /// The verifier's own replay cache (§9): one server, or replicas that share nothing.
    Memory,
    /// The shared store of `replay_store`: one `SET NX EXAT` per authenticated envelope.
    Redis(store::Store),
}

/// What every connection (or spool file) of the server shares: the one verifier, and where
/// its replay state lives.
pub(crate) struct Receiver {
    verifier: Mutex<Verifier>,
    replay: ReplayState,
}

impl Receiver {
    fn new(verifier: Verifier) -> Result<Receiver, Error> {
        let replay = match &verifier.config().replay_store {
            Some(config) => ReplayState::Redis(store::Store::new(config).map_err(Error::Listen)?),
            None => ReplayState::Memory,
        };
        Ok(Receiver {
            verifier: Mutex::new(verifier),
            replay,
        })
    }

    /// The verdict on one envelope at the real clock. With a store, steps 1–9 run under the
    /// verifier's lock and the store's one command after it (REQ-STORE-1); an envelope refused
    /// by steps 1–9 sends none (REQ-STORE-4).
    fn verdict(&self, envelope: &[u8]) -> Value {
        // A clock before 1970 reads 0; the verifier's clock never goes back anyway (REQ-TTL-3).
        let now = unix_now().unwrap_or_default();
        let mut verifier = match self.verifier.lock() {
            Ok(v) => v,
            Err(poisoned) => poisoned.into_inner(),
        };
        let result = match &self.replay {
            ReplayState::Memory => verifier.verify(envelope, now),
            ReplayState::Redis(store) => {
                let pending = verifier.authenticate(envelope, now);
                drop(verifier);
                pending.and_then(|pending| {
                    store
                        .check_and_record(&pending.key, pending.expires_at)
                        .verdict()
                        .map(|()| pending.fields)
                })
            }
        };
        match result {
            Ok(message) => accepted(&message),
            Err(reject) => rejected(reject.code()),
        }
    }
}

/// A connected stream of either transport.
trait Stream: Read + Write {
    fn set_timeouts(&self, read: Duration, write: Duration);
    fn close(&mut self);
}

impl Stream for TcpStream {
    fn set_timeouts(&self, read: Duration, write: Duration) {
        let _ = self.set_read_timeout(Some(read));
        let _ = self.set_write_timeout(Some(write));
    }
    fn close(&mut self) {
        let _ = self.shutdown(Shutdown::Both);
    }
}

impl Stream for UnixStream {
    fn set_timeouts(&self, read: Duration, write: Duration) {
        let _ = self.set_read_timeout(Some(read));
        let _ = self.set_write_timeout(Some(write));
    }
    fn close(&mut self) {
        let _ = self.shutdown(Shutdown::Both);
    }
}

/// Serves one connection until the peer closes it, an oversize header, or an I/O error.
/// A close in the middle of a frame is dropped quietly (REQ-TCP-4).
fn serve_connection(mut stream: impl Stream, receiver: &Receiver, limit: u64) {
    stream.set_timeouts(IDLE, WRITE_TIMEOUT);
    let mut decoder = FrameDecoder::new(limit);
    let mut buf = vec![0u8; 64 << 10];
    loop {
        let n = match stream.read(&mut buf) {
            Ok(0) | Err(_) => return,
            Ok(n) => n,
        };
        let mut rest = buf.get(..n).unwrap_or(&[]);
        loop {
            let (used, event) = decoder.decode(rest);
            rest = rest.get(used..).unwrap_or(&[]);
            match event {
                Some(Decoded::Frame(envelope)) => {
                    if stream
                        .write_all(&answer(&receiver.verdict(&envelope)))
                        .is_err()
                    {
                        return;
                    }
                }
                Some(Decoded::Oversize { .. }) => {
                    let _ = stream.write_all(&answer(&rejected("oversize")));
                    stream.close();
                    return;
                }
                None => break,
            }
        }
    }
}

impl<S: Stream> Stream for rustls::StreamOwned<rustls::ServerConnection, S> {
    fn set_timeouts(&self, read: Duration, write: Duration) {
        self.sock.set_timeouts(read, write);
    }
    /// Sends close_notify first, so that the peer sees a clean end of the TLS stream.
    fn close(&mut self) {
        self.conn.send_close_notify();
        let _ = self.conn.complete_io(&mut self.sock);
        self.sock.close();
    }
}

/// How long a TLS handshake may take.
const HANDSHAKE_TIMEOUT: Duration = Duration::from_secs(10);

/// Serves one connection, under TLS when `tls` is given: a failed handshake (no client
/// certificate, an unknown CA, an expired one, one without client authentication…) closes
/// the connection before any frame is read (REQ-TLS-2, REQ-TLS-3).
fn serve_maybe_tls<S: Stream>(
    stream: S,
    tls: Option<&Arc<rustls::ServerConfig>>,
    receiver: &Receiver,
    limit: u64,
) {
    let Some(config) = tls else {
        return serve_connection(stream, receiver, limit);
    };
    let Ok(conn) = rustls::ServerConnection::new(Arc::clone(config)) else {
        return;
    };
    stream.set_timeouts(HANDSHAKE_TIMEOUT, WRITE_TIMEOUT);
    let mut tls = rustls::StreamOwned::new(conn, stream);
    while tls.conn.is_handshaking() {
        if tls.conn.complete_io(&mut tls.sock).is_err() {
            // The alert, if any, is out; nothing the peer sent is read as a frame.
            let _ = tls.conn.complete_io(&mut tls.sock);
            tls.sock.close();
            return;
        }
    }
    serve_connection(tls, receiver, limit);
}

/// Runs `serve` on its own thread for each connection `accept` yields, at most
/// [`MAX_CONNECTIONS`] at once; `accept` returning `None` ends the loop.
fn serve_each<S: Stream + Send + 'static>(
    mut accept: impl FnMut() -> Option<Option<S>>,
    tls: Option<Arc<rustls::ServerConfig>>,
    receiver: &Arc<Receiver>,
    limit: u64,
) {
    let open = Arc::new(AtomicUsize::new(0));
    while let Some(next) = accept() {
        let Some(stream) = next else { continue };
        if open.fetch_add(1, Ordering::SeqCst) >= MAX_CONNECTIONS {
            open.fetch_sub(1, Ordering::SeqCst);
            drop(stream);
            continue;
        }
        let receiver = Arc::clone(receiver);
        let open = Arc::clone(&open);
        let tls = tls.clone();
        std::thread::spawn(move || {
            serve_maybe_tls(stream, tls.as_ref(), &receiver, limit);
            open.fetch_sub(1, Ordering::SeqCst);
        });
    }
}

fn announce(listening: &str) -> Result<(), Error> {
    let mut out = std::io::stdout().lock();
    writeln!(out, "LISTENING {listening}")
        .and_then(|()| out.flush())
        .map_err(|e| Error::io("stdout", e))
}

/// `sipc serve`: exit 2 (and no `LISTENING` line) for an invalid config, a failed bind, or a
/// spool folder others may write to; `dir`, when given, must be the config's `spool_dir`.
pub fn serve(config_path: &Path, dir: Option<&Path>) -> Result<ExitCode, Error> {
    let config = load_config(config_path)?;
    let limit = config.envelope_limit();
    let receiver = Arc::new(Receiver::new(Verifier::new(config.clone()).map_err(
        |reject| Error::Config {
            path: config_path.to_owned(),
            reject,
        },
    )?)?);
    if dir.is_some() && !matches!(config.transport, Transport::Spool { .. }) {
        return Err(Error::Usage("--dir is for a spool config only".into()));
    }
    // REQ-TLS-5: unreadable or inconsistent TLS files refuse the start, before any socket.
    let tls = match &config.tls {
        Some(files) => Some(crate::tls::server_config(files).map_err(Error::Listen)?),
        None => None,
    };
    match &config.transport {
        Transport::TcpLocal {
            bind_host,
            bind_port,
        } => {
            let listener = tcp::bind(bind_host, *bind_port).map_err(Error::Listen)?;
            let addr = listener
                .local_addr()
                .map_err(|e| Error::io("the listening socket", e))?;
            announce(&addr.to_string())?;
            let mut incoming = listener.incoming();
            serve_each(|| incoming.next().map(Result::ok), tls, &receiver, limit);
        }
        Transport::UnixLocal {
            socket_path,
            allowed_peer_uids,
            ..
        } => {
            let mode = config.transport.socket_mode_bits();
            let listener = unix::bind(socket_path, mode).map_err(Error::Listen)?;
            announce(&format!("unix:{socket_path}"))?;
            let allowed = allowed_peer_uids.clone();
            let mut incoming = listener.incoming();
            serve_each(
                || {
                    incoming
                        .next()
                        .map(|s| s.ok().filter(|s| unix::peer_allowed(s, &allowed)))
                },
                tls,
                &receiver,
                limit,
            );
        }
        Transport::Spool { spool_dir } => {
            if dir.is_some_and(|d| d != Path::new(spool_dir)) {
                return Err(Error::Usage(format!(
                    "--dir names another folder than the config's spool_dir {spool_dir}"
                )));
            }
            spool::check_dir(spool_dir).map_err(Error::Listen)?;
            announce(&format!("spool:{spool_dir}"))?;
            spool::serve(spool_dir, &receiver, limit).map_err(Error::Listen)?;
        }
    }
    Ok(ExitCode::SUCCESS)
}
