//! `sipc`: one-off use of the SIPC/1 reference from the shell.
//!
//! Exit codes: 0 accepted / done, 1 refused (the code is printed), 2 usage, I/O or config error.

mod message_json;

use clap::{Parser, Subcommand};
use sipc_reference::{canonicalize, sign, Config, Fields, Member, Target, Verifier};
use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{SystemTime, UNIX_EPOCH};

/// The largest config file read.
const MAX_CONFIG_BYTES: u64 = 1 << 20;
/// The largest JSON text `sipc canon` reads.
const MAX_CANON_BYTES: u64 = 64 << 20;

#[derive(Parser)]
#[command(
    name = "sipc",
    version,
    about = "SIPC/1 signed IPC envelopes: canonicalize, sign, verify"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Print the RFC 8785 canonical form of a strict JSON text (file or stdin).
    Canon {
        /// The JSON file; stdin when absent.
        file: Option<PathBuf>,
    },
    /// Sign a message with the config's secret and print the envelope.
    Sign {
        /// The receiver's config (SIPC/1 §10).
        #[arg(long)]
        config: PathBuf,
        #[arg(long)]
        kind: String,
        /// The payload as text.
        #[arg(long, conflicts_with = "payload_file")]
        payload: Option<String>,
        /// The payload as the bytes of a file.
        #[arg(long)]
        payload_file: Option<PathBuf>,
        /// Unix seconds; the system clock when absent.
        #[arg(long)]
        ts: Option<u64>,
        /// The nonce; 16 random bytes in base64url when absent.
        #[arg(long)]
        nonce: Option<String>,
        /// A target address; give it several times for a list.
        #[arg(long)]
        target: Vec<String>,
        #[arg(long)]
        trace_id: Option<String>,
        #[arg(long)]
        reply_to: Option<String>,
        /// A header as NAME=VALUE; may be repeated.
        #[arg(long)]
        header: Vec<String>,
    },
    /// Verify one envelope (file or stdin); print the verdict as JSON.
    Verify {
        /// The receiver's config (SIPC/1 §10).
        #[arg(long)]
        config: PathBuf,
        /// Unix seconds; the system clock when absent.
        #[arg(long)]
        now: Option<u64>,
        /// The envelope file; stdin when absent.
        file: Option<PathBuf>,
    },
}

fn main() -> ExitCode {
    match run(Cli::parse().command) {
        Ok(code) => code,
        Err(message) => {
            eprintln!("sipc: {message}");
            ExitCode::from(2)
        }
    }
}

fn run(command: Command) -> Result<ExitCode, String> {
    match command {
        Command::Canon { file } => {
            let input = read_bounded(file.as_deref(), MAX_CANON_BYTES)?;
            match canonicalize(&input) {
                Ok(canonical) => {
                    write_line(&canonical)?;
                    Ok(ExitCode::SUCCESS)
                }
                Err(reject) => {
                    eprintln!("{reject}");
                    Ok(ExitCode::from(1))
                }
            }
        }
        Command::Sign {
            config,
            kind,
            payload,
            payload_file,
            ts,
            nonce,
            target,
            trace_id,
            reply_to,
            header,
        } => {
            let config = load_config(&config)?;
            let payload = match (payload, payload_file) {
                (Some(text), _) => text.into_bytes(),
                (None, Some(path)) => {
                    read_bounded(Some(&path), config.max_payload_bytes.saturating_add(1))?
                }
                (None, None) => Vec::new(),
            };
            let fields = Fields {
                kind,
                payload,
                ts: ts.map_or_else(unix_now, Ok)?,
                nonce: nonce.map_or_else(random_nonce, Ok)?,
                target: match target.len() {
                    0 => Member::Absent,
                    1 => Member::Value(Target::One(target.concat())),
                    _ => Member::Value(Target::Many(target)),
                },
                trace_id: trace_id.map_or(Member::Absent, Member::Value),
                reply_to: reply_to.map_or(Member::Absent, Member::Value),
                headers: parse_headers(&header)?,
            };
            write_line(&sign(&config, &fields))?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Verify { config, now, file } => {
            let config = load_config(&config)?;
            // One byte over the limit is enough for the verifier to say `oversize`.
            let raw =
                read_bounded_lossy(file.as_deref(), config.envelope_limit().saturating_add(1))?;
            let now = now.map_or_else(unix_now, Ok)?;
            let mut verifier = Verifier::new(config).map_err(|e| e.to_string())?;
            let (verdict, code) = match verifier.verify(&raw, now) {
                Ok(message) => (message_json::accepted(&message), ExitCode::SUCCESS),
                Err(reject) => (message_json::rejected(reject.code()), ExitCode::from(1)),
            };
            write_line(&message_json::to_bytes(&verdict))?;
            Ok(code)
        }
    }
}

fn load_config(path: &Path) -> Result<Config, String> {
    let raw = read_bounded(Some(path), MAX_CONFIG_BYTES)?;
    Config::from_json(&raw).map_err(|e| format!("{}: {e}", path.display()))
}

/// Reads at most `limit` bytes; more is an error.
fn read_bounded(path: Option<&Path>, limit: u64) -> Result<Vec<u8>, String> {
    let data = read_bounded_lossy(path, limit.saturating_add(1))?;
    if u64::try_from(data.len()).unwrap_or(u64::MAX) > limit {
        return Err(format!("input is larger than {limit} bytes"));
    }
    Ok(data)
}

/// Reads at most `limit` bytes and silently stops there.
fn read_bounded_lossy(path: Option<&Path>, limit: u64) -> Result<Vec<u8>, String> {
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

fn write_line(bytes: &[u8]) -> Result<(), String> {
    let mut out = std::io::stdout().lock();
    out.write_all(bytes)
        .and_then(|()| out.write_all(b"\n"))
        .map_err(|e| format!("stdout: {e}"))
}

fn unix_now() -> Result<u64, String> {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .map_err(|e| format!("system clock: {e}"))
}

/// 16 bytes from the OS, base64url: 22 characters, the shortest nonce SIPC/1 allows.
fn random_nonce() -> Result<String, String> {
    let mut bytes = [0u8; 16];
    std::fs::File::open("/dev/urandom")
        .and_then(|mut f| f.read_exact(&mut bytes))
        .map_err(|e| format!("/dev/urandom: {e}"))?;
    Ok(sipc_reference::envelope::encode_payload(&bytes))
}

fn parse_headers(pairs: &[String]) -> Result<Option<BTreeMap<String, String>>, String> {
    if pairs.is_empty() {
        return Ok(None);
    }
    let mut headers = BTreeMap::new();
    for pair in pairs {
        let (name, value) = pair
            .split_once('=')
            .ok_or_else(|| format!("--header {pair}: expected NAME=VALUE"))?;
        headers.insert(name.to_owned(), value.to_owned());
    }
    Ok(Some(headers))
}
