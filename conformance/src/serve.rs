//! `sipc serve --config FILE`: the Rust reference as a TCP server of the SIPC/1 TCP profile
//! (spec/SIPC-1.md §12), the model for servers in other languages and the runner's self-test.
//!
//! It refuses an invalid config before opening any socket (REQ-TCP-6), listens on the config's
//! `bind_host` only (REQ-TCP-7), prints `LISTENING <addr>` once it does (spec/ADAPTER.md), and
//! serves each connection in a thread of its own, all sharing one verifier fed by the real
//! clock (REQ-TCP-5). Frames are read with the reference's [`FrameDecoder`]: an oversize header
//! is answered and the connection closed before any body byte is read (REQ-TCP-2).

use crate::error::Error;
use crate::oneoff::{load_config, unix_now};
use sipc_reference::frame::{encode, Decoded, FrameDecoder};
use sipc_reference::json::{write_value, Value};
use sipc_reference::{Config, Transport, Verifier};
use sipc_vectors::verdict::{accepted, rejected};
use std::io::{Read, Write};
use std::net::{IpAddr, TcpListener, TcpStream};
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

fn verdict_of(verifier: &Mutex<Verifier>, envelope: &[u8]) -> Value {
    // A clock before 1970 reads 0; the verifier's clock never goes back anyway (REQ-TTL-3).
    let now = unix_now().unwrap_or_default();
    let result = match verifier.lock() {
        Ok(mut v) => v.verify(envelope, now),
        Err(poisoned) => poisoned.into_inner().verify(envelope, now),
    };
    match result {
        Ok(message) => accepted(&message),
        Err(reject) => rejected(reject.code()),
    }
}

/// Serves one connection until the peer closes it, an oversize header, or an I/O error.
/// A close in the middle of a frame is dropped quietly (REQ-TCP-4).
fn serve_connection(mut stream: TcpStream, verifier: &Mutex<Verifier>, limit: u64) {
    let _ = stream.set_read_timeout(Some(IDLE));
    let _ = stream.set_write_timeout(Some(WRITE_TIMEOUT));
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
                        .write_all(&answer(&verdict_of(verifier, &envelope)))
                        .is_err()
                    {
                        return;
                    }
                }
                Some(Decoded::Oversize { .. }) => {
                    let _ = stream.write_all(&answer(&rejected("oversize")));
                    let _ = stream.shutdown(std::net::Shutdown::Both);
                    return;
                }
                None => break,
            }
        }
    }
}

/// Opens the listening socket on the config's `bind_host` (validated: loopback only).
fn bind(config: &Config) -> Result<TcpListener, String> {
    let Transport::TcpLocal {
        bind_host,
        bind_port,
    } = &config.transport
    else {
        return Err(format!(
            "transport {} is not served yet: sipc serve listens on tcp_local only",
            config.transport.name()
        ));
    };
    if config.tls.is_some() {
        return Err("tls is not served yet: sipc serve listens without TLS only".into());
    }
    let host: IpAddr = bind_host
        .parse()
        .map_err(|e| format!("bind_host {bind_host}: {e}"))?;
    if !host.is_loopback() {
        return Err(format!("bind_host {host} is not a loopback address"));
    }
    let port =
        u16::try_from(*bind_port).map_err(|_| format!("bind_port {bind_port} is not a port"))?;
    TcpListener::bind((host, port)).map_err(|e| format!("cannot listen on {host}:{port}: {e}"))
}

/// `sipc serve`: exit 2 (and no `LISTENING` line) for an invalid config or a failed bind.
pub fn serve(config_path: &Path) -> Result<ExitCode, Error> {
    let config = load_config(config_path)?;
    let limit = config.envelope_limit();
    let verifier = Arc::new(Mutex::new(Verifier::new(config.clone()).map_err(
        |reject| Error::Config {
            path: config_path.to_owned(),
            reject,
        },
    )?));
    let listener = bind(&config).map_err(Error::Listen)?;
    let addr = listener
        .local_addr()
        .map_err(|e| Error::io("the listening socket", e))?;
    {
        let mut out = std::io::stdout().lock();
        writeln!(out, "LISTENING {addr}")
            .and_then(|()| out.flush())
            .map_err(|e| Error::io("stdout", e))?;
    }
    let open = Arc::new(AtomicUsize::new(0));
    for stream in listener.incoming() {
        let Ok(stream) = stream else { continue };
        if open.fetch_add(1, Ordering::SeqCst) >= MAX_CONNECTIONS {
            open.fetch_sub(1, Ordering::SeqCst);
            drop(stream);
            continue;
        }
        let verifier = Arc::clone(&verifier);
        let open = Arc::clone(&open);
        std::thread::spawn(move || {
            serve_connection(stream, &verifier, limit);
            open.fetch_sub(1, Ordering::SeqCst);
        });
    }
    Ok(ExitCode::SUCCESS)
}
