//! `sipc fuzz --tcp-server 'CMD … {config} …'` (or `--unix-server`, on a Unix socket; or
//! `--spool`, as files in a folder, SIPC/1 §14): the same mutants, sent as frames to a running
//! server (SIPC/1 §12) or dropped as files for a receiver, and judged by a shadow reference
//! verifier that sees the same envelopes in the same order.
//!
//! A server reads its own clock and keeps one replay cache for all connections, so each case
//! is *rebased* before it is sent: every `ts` keeps its distance to its step's `now` but counts
//! from the real clock, and every nonce is replaced, consistently within the case, by one never
//! used before; envelopes that were correctly signed are signed again. A case goes on one
//! connection, on a new connection for every frame, or with every frame split in two writes.
//! When the clock ticks between sending a frame and reading its answer, the shadow also tries
//! the later second before calling it a disagreement.

use super::case::FuzzCase;
use super::judge::{said, Said};
use crate::error::Error;
use crate::oneoff::unix_now;
use crate::spool::receiver::Receiver;
use crate::tcp::client::{Answer, Conn, Endpoint};
use crate::tcp::server::{ConfigDir, Server};
use sipc_reference::frame::encode;
use sipc_reference::hex::lower_hex;
use sipc_reference::json::{parse, Value};
use sipc_reference::sign::{mac, signature_base};
use sipc_reference::{Config, Verifier};
use sipc_vectors::verdict::accepted_fields;
use sipc_vectors::wire::{self, json};
use std::collections::BTreeMap;
use std::time::Duration;

/// FNV-1a over the case's clocks and envelopes.
fn fnv1a(case: &FuzzCase) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    if let FuzzCase::Verify { steps, .. } = case {
        for step in steps {
            for b in step.now.to_le_bytes().iter().chain(&step.envelope) {
                h = (h ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3);
            }
        }
    }
    h
}

/// `bytes` with every occurrence of `old` replaced by `new`.
fn replace_all(bytes: &[u8], old: &[u8], new: &[u8]) -> Vec<u8> {
    if old.is_empty() {
        return bytes.to_vec();
    }
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i..].starts_with(old) {
            out.extend_from_slice(new);
            i += old.len();
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    out
}

/// How the envelopes reach the implementation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Via {
    /// Frames on a loopback TCP port (`--tcp-server`).
    Tcp,
    /// Frames on a Unix socket in the runner's folder (`--unix-server`).
    Unix,
    /// Files in a spool folder of the runner's (`--spool`).
    Spool,
}

/// The running implementation.
enum Link {
    /// A server on a loopback port or on the Unix socket the served config names.
    Socket(Server),
    /// A spool receiver, its folder, and the files dropped so far.
    Spool(Receiver, std::path::PathBuf, u64),
}

impl Link {
    fn start(
        command: &str,
        config: &std::path::Path,
        via: Via,
        dir: &ConfigDir,
    ) -> Result<Link, String> {
        match via {
            Via::Spool => Receiver::start(command, config, &dir.0.join("spool"))
                .map(|r| Link::Spool(r, dir.0.join("spool"), 0))
                .map_err(|e| e.to_string()),
            Via::Unix => {
                let socket = Endpoint::Unix(dir.0.join("sipc.sock"));
                Server::start(command, config, Some(&socket))
                    .map(Link::Socket)
                    .map_err(|e| e.to_string())
            }
            Via::Tcp => Server::start(command, config, None)
                .map(Link::Socket)
                .map_err(|e| e.to_string()),
        }
    }

    fn stop(&mut self) {
        match self {
            Link::Socket(server) => {
                server.stop();
            }
            Link::Spool(receiver, ..) => {
                receiver.stop();
            }
        }
    }
}

/// Sends `envelope` as one frame on `c` (in two writes for `delivery` 2) and reads the answer.
fn send_frame(
    c: &mut Conn,
    envelope: &[u8],
    limit: u64,
    delivery: u64,
    hash: u64,
    timeout: Duration,
) -> Answer {
    let mut frame = encode(envelope).unwrap_or_default();
    // Over the limit, the header alone must be answered (REQ-TCP-2); a body the server
    // rightly never reads would only make its close a reset.
    if envelope.len() as u64 > limit {
        frame.truncate(sipc_reference::frame::HEADER_BYTES);
    }
    let written = if delivery == 2 && frame.len() > 1 {
        let (head, tail) = frame.split_at(1 + (hash >> 8) as usize % (frame.len() - 1));
        c.send(head).and_then(|()| {
            std::thread::sleep(Duration::from_millis(2));
            c.send(tail)
        })
    } else {
        c.send(&frame)
    };
    match written {
        Ok(()) => c.answer(timeout),
        Err(e) => Answer::Error(e),
    }
}

/// Drops `envelope` as file number `n` in `folder` (as a correct writer does) and reads the
/// receiver's line about it (SIPC/1 REQ-SPOOL-6).
fn drop_and_read(
    receiver: &mut Receiver,
    folder: &std::path::Path,
    n: u64,
    envelope: &[u8],
    timeout: Duration,
) -> Answer {
    let name = format!("fuzz-{n:08}.json");
    if let Err(e) = crate::spool::exec::drop_file(folder, &name, envelope) {
        return Answer::Error(format!("cannot write {name}: {e}"));
    }
    match receiver.line_for(&name, timeout) {
        Ok(line) => Answer::Verdict(line.answer),
        Err(why) => Answer::Error(why),
    }
}

/// The server under test, and the reference's mirror of its state.
pub struct TcpSubject {
    command: String,
    config: Config,
    config_path: std::path::PathBuf,
    via: Via,
    dir: ConfigDir,
    link: Link,
    /// Under mutual TLS (`--tls`): the run's client configs; every connection presents the
    /// valid client certificate.
    tls: Option<crate::tls::Clients>,
    shadow: Verifier,
    timeout: Duration,
    error_map: BTreeMap<String, String>,
    /// Makes nonces unique over the run.
    tag: u64,
    nonces: u64,
}

/// The shadow verifier of the server's config (valid: it is built in).
fn shadow_of(config: &Config) -> Result<Verifier, Error> {
    Verifier::new(config.clone()).map_err(|reject| Error::Usage(reject.to_string()))
}

/// The server's config: the vectors' own, with room for every nonce a long run accepts.
pub fn server_config() -> Result<Config, Error> {
    let mut config = sipc_vectors::default_config().map_err(Error::Usage)?;
    config.auth.nonce_cache_size = 1_000_000;
    Ok(config)
}

impl TcpSubject {
    /// Writes the config, starts the server (or receiver) and waits for `LISTENING`. The
    /// served config names the runner's Unix socket or spool folder where `via` says; the cases
    /// are judged against the same config on TCP, which verifies alike.
    pub fn start(
        command: &str,
        timeout: Duration,
        error_map: BTreeMap<String, String>,
        via: Via,
        tls: bool,
    ) -> Result<TcpSubject, Error> {
        if !command.contains(crate::tcp::server::PLACEHOLDER) {
            return Err(Error::Usage(format!(
                "{} needs {{config}} in its command line",
                super::flag_of(via)
            )));
        }
        let config = server_config()?;
        let dir = ConfigDir::new()?;
        let mut served = match via {
            Via::Tcp => config.clone(),
            Via::Unix => crate::tcp::unix_config(&config, &dir.0.join("sipc.sock")),
            Via::Spool => {
                let folder = dir.0.join("spool");
                std::fs::create_dir(&folder)
                    .and_then(|()| {
                        use std::os::unix::fs::PermissionsExt;
                        std::fs::set_permissions(&folder, std::fs::Permissions::from_mode(0o700))
                    })
                    .map_err(|e| Error::io(folder.display().to_string(), e))?;
                crate::spool::spool_config(&config, &folder)
            }
        };
        let tls = if tls && via != Via::Spool {
            let pki = crate::tls::pki::Pki::make(&dir.0, unix_now()?).map_err(Error::Usage)?;
            served.tls = Some(pki.files.clone());
            Some(crate::tls::Clients::new(pki).map_err(Error::Usage)?)
        } else {
            None
        };
        let config_path = dir.write("config.json", &served.to_json())?;
        let link = Link::start(command, &config_path, via, &dir)
            .map_err(|e| Error::Implementation(format!("the server did not start: {e}")))?;
        Ok(TcpSubject {
            command: command.to_owned(),
            shadow: shadow_of(&config)?,
            config,
            config_path,
            via,
            dir,
            link,
            tls,
            timeout,
            error_map,
            tag: unix_now().unwrap_or_default(),
            nonces: 0,
        })
    }

    /// Only verifications, and only from seeds made for the server's key and kinds.
    pub fn supports(&self, case: &FuzzCase) -> bool {
        let FuzzCase::Verify { config, .. } = case else {
            return false;
        };
        let Ok(mut c) = Config::from_value(config) else {
            return false;
        };
        c.auth.nonce_cache_size = self.config.auth.nonce_cache_size;
        c == self.config
    }

    /// The case's envelopes, rebased on `now` with fresh nonces. Each nonce character is
    /// shifted within its class (lowercase, uppercase, digit) by a per-case key: equal nonces
    /// stay equal, nonces that differ only in case still do, lengths and validity are kept,
    /// and no two cases share a nonce. The wire form (order, spaces, escapes) is kept where the
    /// new values can be written over the old ones; otherwise members are written in order.
    fn rebase(&mut self, case: &FuzzCase, now: u64) -> Vec<Vec<u8>> {
        let FuzzCase::Verify { steps, .. } = case else {
            return Vec::new();
        };
        self.nonces += 1;
        let mut key = super::rng::Rng::new(self.tag ^ self.nonces.wrapping_mul(0x9E37_79B9));
        let shifts: Vec<u8> = (0..128).map(|_| key.next() as u8).collect();
        let rename = |old: &str| -> String {
            old.chars()
                .zip(shifts.iter().cycle())
                .map(|(c, k)| match c {
                    'a'..='z' => char::from(b'a' + (c as u8 - b'a' + k % 26) % 26),
                    'A'..='Z' => char::from(b'A' + (c as u8 - b'A' + k % 26) % 26),
                    '0'..='9' => char::from(b'0' + (c as u8 - b'0' + k % 10) % 10),
                    other => other,
                })
                .collect()
        };
        let mut out = Vec::new();
        for step in steps {
            let Ok(Value::Object(mut members)) = parse(&step.envelope) else {
                out.push(step.envelope.clone());
                continue;
            };
            let base = |m: &[(String, Value)]| {
                lower_hex(&mac(&self.config.auth.secret, &signature_base(m)))
            };
            let old_sig = members
                .iter()
                .find(|(n, _)| n == "sig")
                .and_then(|(_, v)| v.as_str().map(str::to_owned));
            let signed = old_sig.as_deref() == Some(base(&members).as_str());
            let mut replacements: Vec<(Vec<u8>, Vec<u8>)> = Vec::new();
            for (name, value) in members.iter_mut() {
                match (name.as_str(), &*value) {
                    ("ts", Value::Number(n)) => {
                        if let Some(ts) = n.integer_literal() {
                            let shifted = (ts + i128::from(now) - i128::from(step.now)).to_string();
                            replacements.push((
                                n.literal().as_bytes().to_vec(),
                                shifted.as_bytes().to_vec(),
                            ));
                            *value = json(&shifted);
                        }
                    }
                    ("nonce", Value::String(old)) => {
                        let new = rename(old);
                        replacements.push((
                            format!("\"{old}\"").into_bytes(),
                            format!("\"{new}\"").into_bytes(),
                        ));
                        *value = Value::String(new);
                    }
                    _ => {}
                }
            }
            if signed {
                let sig = base(&members);
                if let Some(old) = &old_sig {
                    replacements.push((old.as_bytes().to_vec(), sig.as_bytes().to_vec()));
                }
                for (name, value) in members.iter_mut() {
                    if name == "sig" {
                        *value = Value::String(sig.clone());
                    }
                }
            }
            let mut kept = step.envelope.clone();
            for (old, new) in &replacements {
                kept = replace_all(&kept, old, new);
            }
            let same = matches!(parse(&kept), Ok(v) if v == Value::Object(members.clone()));
            out.push(if same { kept } else { wire::in_order(&members) });
        }
        out
    }

    fn restart(&mut self) -> Result<(), Error> {
        self.link.stop();
        self.link = Link::start(&self.command, &self.config_path, self.via, &self.dir)
            .map_err(|e| Error::Implementation(format!("the server did not restart: {e}")))?;
        self.shadow = shadow_of(&self.config)?;
        Ok(())
    }

    /// Both sides' answers to the case, rebased on the clock of now.
    pub fn answers(&mut self, case: &FuzzCase) -> Result<(Vec<Said>, Vec<Said>), Error> {
        let envelopes = self.rebase(case, unix_now()?);
        let mut conn: Option<Conn> = None;
        let (mut ours, mut theirs) = (Vec::new(), Vec::new());
        let limit = self.config.envelope_limit();
        // How this case is delivered: one connection, a new connection for every frame (one
        // replay cache for all, REQ-TCP-5), or every frame in two writes (REQ-TCP-1). It
        // follows from the case itself, so that a finding replays the same way.
        let hash = fnv1a(case);
        let delivery = hash % 3;
        for envelope in &envelopes {
            let before = unix_now()?;
            let answer = match &mut self.link {
                Link::Spool(receiver, folder, dropped) => {
                    *dropped += 1;
                    drop_and_read(receiver, folder, *dropped, envelope, self.timeout)
                }
                Link::Socket(server) => {
                    if delivery == 1 {
                        conn = None;
                    }
                    if conn.is_none() {
                        let client = crate::tls::pki::ClientCert::Valid;
                        conn = Conn::open(
                            &server.addr,
                            self.tls.as_ref().and_then(|c| c.get(Some(client))),
                        )
                        .ok();
                    }
                    let Some(c) = conn.as_mut() else {
                        ours.push(Said::Broken("(not sent)".into()));
                        theirs.push(Said::Broken("cannot connect".into()));
                        self.restart()?;
                        break;
                    };
                    let answer = send_frame(c, envelope, limit, delivery, hash, self.timeout);
                    // An oversize frame is answered and its connection closed (REQ-TCP-2).
                    if envelope.len() as u64 > limit {
                        conn = None;
                    }
                    answer
                }
            };
            let after = unix_now()?;
            let their = match &answer {
                Answer::Verdict(v) => said(v, &self.error_map, false),
                other => Said::Broken(other.to_string()),
            };
            let judge = |v: &mut Verifier, at: u64| match v.verify(envelope, at) {
                Ok(m) => Said::Accept(accepted_fields(&m)),
                Err(r) => Said::Reject(r.code().into()),
            };
            let mut alternative = (after != before).then(|| self.shadow.clone());
            let mut our = judge(&mut self.shadow, before);
            if our != their {
                if let Some(mut alt) = alternative.take() {
                    let later = judge(&mut alt, after);
                    if later == their {
                        self.shadow = alt;
                        our = later;
                    }
                }
            }
            let broken = matches!(their, Said::Broken(_));
            ours.push(our);
            theirs.push(their);
            if broken {
                self.restart()?;
                break;
            }
        }
        Ok((ours, theirs))
    }

    /// Kills the server.
    pub fn stop(&mut self) {
        self.link.stop();
    }
}
