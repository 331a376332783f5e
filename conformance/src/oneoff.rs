//! The one-off commands: `sipc canon`, `sipc sign`, `sipc verify`.

use crate::error::Error;
use crate::io::{read_bounded, read_bounded_lossy, write_line};
use sipc_reference::json::{write_value, Value};
use sipc_reference::{canonicalize, sign, Config, Fields, Member, Target, Verifier};
use sipc_vectors::verdict;
use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{SystemTime, UNIX_EPOCH};

/// The largest config file read.
pub const MAX_CONFIG_BYTES: u64 = 1 << 20;
/// The largest JSON text `sipc canon` reads.
const MAX_CANON_BYTES: u64 = 64 << 20;

/// `sipc canon`: prints the canonical form, exit 1 when the text is refused.
pub fn canon(file: Option<&Path>) -> Result<ExitCode, Error> {
    let input = read_bounded(file, MAX_CANON_BYTES)?;
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

/// The message `sipc sign` signs.
#[derive(clap::Args)]
pub struct SignArgs {
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
}

/// `sipc sign`: prints the signed envelope.
pub fn sign_command(args: SignArgs) -> Result<ExitCode, Error> {
    let config = load_config(&args.config)?;
    let payload = match (args.payload, args.payload_file) {
        (Some(text), _) => text.into_bytes(),
        (None, Some(path)) => {
            read_bounded(Some(&path), config.max_payload_bytes.saturating_add(1))?
        }
        (None, None) => Vec::new(),
    };
    let target = args.target;
    let fields = Fields {
        kind: args.kind,
        payload,
        ts: args.ts.map_or_else(unix_now, Ok)?,
        nonce: args.nonce.map_or_else(random_nonce, Ok)?,
        target: match target.len() {
            0 => Member::Absent,
            1 => Member::Value(Target::One(target.concat())),
            _ => Member::Value(Target::Many(target)),
        },
        trace_id: args.trace_id.map_or(Member::Absent, Member::Value),
        reply_to: args.reply_to.map_or(Member::Absent, Member::Value),
        headers: parse_headers(&args.header)?,
    };
    write_line(&sign(&config.auth.secret, &fields))?;
    Ok(ExitCode::SUCCESS)
}

/// `sipc verify`: prints the verdict as JSON; exit 1 when refused.
pub fn verify(
    config_path: &Path,
    now: Option<u64>,
    file: Option<&Path>,
) -> Result<ExitCode, Error> {
    let config = load_config(config_path)?;
    // One byte over the limit is enough for the verifier to say `oversize`.
    let raw = read_bounded_lossy(file, config.envelope_limit().saturating_add(1))?;
    let now = now.map_or_else(unix_now, Ok)?;
    let mut verifier = Verifier::new(config).map_err(|reject| Error::Config {
        path: config_path.to_owned(),
        reject,
    })?;
    let (answer, code) = match verifier.verify(&raw, now) {
        Ok(message) => (verdict::accepted(&message), ExitCode::SUCCESS),
        Err(reject) => {
            let mut answer = verdict::rejected(reject.code());
            // A `malformed` refusal also names the rule it broke: what an implementer whose
            // verdict differs needs (the code stays the stable one).
            if let (Value::Object(members), Some(req)) = (&mut answer, reject.req()) {
                members.push(("requirement".into(), Value::String(req.into())));
            }
            (answer, ExitCode::from(1))
        }
    };
    // Canonical form: stable member order for scripts that compare the output.
    let mut out = Vec::new();
    write_value(&mut out, &answer);
    write_line(&out)?;
    Ok(code)
}

/// Reads and validates a config file.
pub fn load_config(path: &Path) -> Result<Config, Error> {
    let raw = read_bounded(Some(path), MAX_CONFIG_BYTES)?;
    Config::from_json(&raw).map_err(|reject| Error::Config {
        path: path.to_owned(),
        reject,
    })
}

/// The system clock in Unix seconds.
pub fn unix_now() -> Result<u64, Error> {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .map_err(Error::Clock)
}

/// 16 bytes from the OS, base64url: 22 characters, the shortest nonce SIPC/1 allows.
fn random_nonce() -> Result<String, Error> {
    let mut bytes = [0u8; 16];
    std::fs::File::open("/dev/urandom")
        .and_then(|mut f| f.read_exact(&mut bytes))
        .map_err(|e| Error::io("/dev/urandom", e))?;
    Ok(sipc_reference::envelope::encode_payload(&bytes))
}

fn parse_headers(pairs: &[String]) -> Result<Option<BTreeMap<String, String>>, Error> {
    if pairs.is_empty() {
        return Ok(None);
    }
    let mut headers = BTreeMap::new();
    for pair in pairs {
        let (name, value) = pair
            .split_once('=')
            .ok_or_else(|| Error::Usage(format!("--header {pair}: expected NAME=VALUE")))?;
        headers.insert(name.to_owned(), value.to_owned());
    }
    Ok(Some(headers))
}
