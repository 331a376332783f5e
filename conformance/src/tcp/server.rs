//! The server under test: its command line with `{config}` filled in, the wait for its
//! `LISTENING <host>:<port>` line, and the sockets it really listens on (`/proc/net/tcp*`).
//! Every wait is bounded; the server runs in its own process group, killed as a whole.

use super::client::Endpoint;
use crate::process::{describe, Adapter, Broken};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::os::unix::process::ExitStatusExt;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// How long a server may take to print `LISTENING` (spec/ADAPTER.md).
pub const START_TIMEOUT: Duration = Duration::from_secs(10);
/// Lines a server may print before `LISTENING`.
const MAX_LINES_BEFORE: usize = 100;
/// The placeholder substituted with the config file's path.
pub const PLACEHOLDER: &str = "{config}";

/// A running server.
pub struct Server {
    process: Adapter,
    /// Where it said it listens (a loopback address, or the Unix socket the runner configured).
    pub addr: Endpoint,
}

/// How a start ended when no server came up.
#[derive(Debug)]
pub enum NotStarted {
    /// Exited before `LISTENING`, with this status; `true` when it exited with an error of
    /// its own (a refusal to start), not when the runner had to kill it; the tail of its stderr.
    Exited(String, bool, String),
    /// Still running, but silent past the start timeout (killed); the tail of its stderr.
    Silent(String),
    /// Printed a `LISTENING` line the runner cannot use (killed).
    BadLine(String),
    /// Could not be spawned.
    Spawn(String),
}

impl std::fmt::Display for NotStarted {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            NotStarted::Exited(status, _, stderr) => write!(
                f,
                "it exited before LISTENING ({status}){}",
                stderr_suffix(stderr)
            ),
            NotStarted::Silent(stderr) => write!(
                f,
                "no LISTENING line within {} s{}",
                START_TIMEOUT.as_secs(),
                stderr_suffix(stderr)
            ),
            NotStarted::BadLine(why) => write!(f, "{why}"),
            NotStarted::Spawn(why) => write!(f, "{why}"),
        }
    }
}

/// `"; stderr: …"` with the server's last stderr lines, escaped, or nothing when it wrote none.
fn stderr_suffix(stderr: &str) -> String {
    let tail = stderr.trim();
    if tail.is_empty() {
        String::new()
    } else {
        format!(
            "; stderr: {}",
            crate::run::check::show_bytes(tail.as_bytes())
        )
    }
}

/// The command line with every `{config}` replaced by the config's path (quoted for `sh`).
pub fn command_for(template: &str, config: &Path) -> String {
    template.replace(
        PLACEHOLDER,
        &crate::shell::quote(&config.display().to_string()),
    )
}

/// `LISTENING 127.0.0.1:4000` or `LISTENING [::1]:4000` → the address, loopback only: the
/// runner never contacts another host. A wildcard (`0.0.0.0`, `::`) is read as the loopback
/// address of its family.
pub fn parse_listening(line: &str) -> Result<SocketAddr, String> {
    let rest = line
        .trim_end_matches('\r')
        .strip_prefix("LISTENING ")
        .ok_or_else(|| format!("not a LISTENING line: {line:?}"))?;
    let (host, port) = rest
        .rsplit_once(':')
        .ok_or_else(|| format!("no port in {rest:?}"))?;
    let host = host.trim_start_matches('[').trim_end_matches(']');
    let ip: IpAddr = host
        .parse()
        .map_err(|_| format!("LISTENING names {host:?}, not an IP address"))?;
    let port: u16 = port
        .parse()
        .map_err(|_| format!("LISTENING names port {port:?}"))?;
    // A wildcard listens on loopback too: connect there, and let the bind check (SEC-IPC-07)
    // report the wildcard as a finding rather than refuse to run.
    let ip = match ip {
        IpAddr::V4(v4) if v4.is_unspecified() => IpAddr::V4(Ipv4Addr::LOCALHOST),
        IpAddr::V6(v6) if v6.is_unspecified() => IpAddr::V6(Ipv6Addr::LOCALHOST),
        other => other,
    };
    if !ip.is_loopback() || port == 0 {
        return Err(format!(
            "LISTENING names {ip}:{port}; the runner only connects to a loopback port"
        ));
    }
    Ok(SocketAddr::new(ip, port))
}

/// `LISTENING unix:/path` or `LISTENING unix:@name`, which must name the socket the runner
/// configured (`expected`): the runner connects to nothing else.
pub fn parse_unix_listening(line: &str, expected: &Endpoint) -> Result<Endpoint, String> {
    let said = line.trim_end_matches(['\r', '\n']);
    if said == format!("LISTENING {expected}") {
        Ok(expected.clone())
    } else {
        Err(format!(
            "{said:?} does not name the configured socket: LISTENING {expected}"
        ))
    }
}

/// Waits for the `LISTENING` line of a process just spawned, `parse` turning it into where it
/// listens; other lines before it (up to [`MAX_LINES_BEFORE`]) are ignored. The process is
/// stopped (killed and reaped) whenever this returns an error.
pub fn wait_listening<T>(
    process: &mut Adapter,
    parse: impl Fn(&str) -> Result<T, String>,
) -> Result<T, NotStarted> {
    let deadline = Instant::now() + START_TIMEOUT;
    for _ in 0..MAX_LINES_BEFORE {
        let left = deadline.saturating_duration_since(Instant::now());
        match process.next_line(left) {
            Ok(line) => {
                let line = String::from_utf8_lossy(&line).into_owned();
                if !line.starts_with("LISTENING") {
                    continue;
                }
                return parse(&line).map_err(|why| {
                    process.stop();
                    NotStarted::BadLine(why)
                });
            }
            Err(Broken::Timeout(_)) => break,
            Err(_) => {
                // An exit of its own with an error status is a refusal; being killed by
                // the runner (a server that closed stdout and lived on) is not.
                let status = process.stop();
                let failed = status.is_some_and(|s| {
                    s.code().is_some_and(|c| c != 0)
                        || s.signal().is_some_and(|sig| sig != libc::SIGKILL)
                });
                return Err(NotStarted::Exited(
                    status.map_or("status unknown".into(), describe),
                    failed,
                    process.stderr_tail(),
                ));
            }
        }
    }
    process.stop();
    Err(NotStarted::Silent(process.stderr_tail()))
}

impl Server {
    /// Starts `template` with the config at `config` and waits for its `LISTENING` line: a
    /// loopback address, or exactly `unix` when the config names that Unix socket.
    pub fn start(
        template: &str,
        config: &Path,
        unix: Option<&Endpoint>,
    ) -> Result<Server, NotStarted> {
        let mut process = Adapter::spawn(&command_for(template, config), START_TIMEOUT)
            .map_err(NotStarted::Spawn)?;
        let addr = wait_listening(&mut process, |line| match unix {
            None => parse_listening(line).map(Endpoint::Tcp),
            Some(socket) => parse_unix_listening(line, socket),
        })?;
        process.discard_stdout();
        Ok(Server { process, addr })
    }

    /// Whether the process is still running.
    pub fn is_running(&mut self) -> bool {
        self.process.exit_status().is_none()
    }

    /// Whether the process is still running after up to `grace` (a server that just crashed
    /// takes a moment to be reaped, its shell a moment more).
    pub fn survives(&mut self, grace: Duration) -> bool {
        let deadline = Instant::now() + grace;
        while self.is_running() {
            if Instant::now() >= deadline {
                return true;
            }
            std::thread::sleep(Duration::from_millis(10));
        }
        false
    }

    /// What it wrote to stderr lately.
    pub fn stderr_tail(&self) -> String {
        self.process.stderr_tail()
    }

    /// Kills the server's process group at once, without the grace [`Server::stop`] gives,
    /// and reaps it (a replica the runner restarts, or stops at the end of a replicas run).
    pub fn kill(&mut self) -> String {
        self.process
            .kill()
            .map_or_else(|| "status unknown".into(), describe)
    }

    /// Kills the server's process group, reaps it, and says how it ended.
    pub fn stop(&mut self) -> String {
        self.process
            .stop()
            .map_or_else(|| "status unknown".into(), describe)
    }
}

/// A listening socket found in `/proc/net/tcp` or `/proc/net/tcp6`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Listener {
    /// Its local address.
    pub addr: SocketAddr,
}

/// The listening sockets (state `0A`) of `port` in the text of `/proc/net/tcp` (`v6`: of
/// `/proc/net/tcp6`). Addresses there are hex in host byte order, 32 bits at a time.
pub fn listeners_in(text: &str, v6: bool, port: u16) -> Vec<Listener> {
    let mut out = Vec::new();
    for line in text.lines().skip(1) {
        let fields: Vec<&str> = line.split_whitespace().collect();
        let (Some(local), Some(state)) = (fields.get(1), fields.get(3)) else {
            continue;
        };
        if *state != "0A" {
            continue;
        }
        let Some((host, p)) = local.split_once(':') else {
            continue;
        };
        if u16::from_str_radix(p, 16).ok() != Some(port) {
            continue;
        }
        let words: Option<Vec<u32>> = (0..host.len() / 8)
            .map(|i| {
                host.get(i * 8..i * 8 + 8)
                    .and_then(|w| u32::from_str_radix(w, 16).ok())
            })
            .collect();
        let ip = match (v6, words.as_deref()) {
            (false, Some([w])) => IpAddr::V4(Ipv4Addr::from(w.to_le_bytes())),
            (true, Some(ws @ [_, _, _, _])) => {
                let mut bytes = [0u8; 16];
                for (chunk, w) in bytes.chunks_mut(4).zip(ws) {
                    chunk.copy_from_slice(&w.to_le_bytes());
                }
                IpAddr::V6(Ipv6Addr::from(bytes))
            }
            _ => continue,
        };
        out.push(Listener {
            addr: SocketAddr::new(ip, port),
        });
    }
    out
}

/// Every listening socket of `port` on this host (this network namespace).
pub fn listeners(port: u16) -> Result<Vec<Listener>, String> {
    let mut out = Vec::new();
    for (path, v6) in [("/proc/net/tcp", false), ("/proc/net/tcp6", true)] {
        match std::fs::read_to_string(path) {
            Ok(text) => out.extend(listeners_in(&text, v6, port)),
            // No IPv6 on this host: nothing can listen there.
            Err(_) if v6 => {}
            Err(e) => return Err(format!("{path}: {e}")),
        }
    }
    Ok(out)
}

/// Whether a listening address is loopback: 127/8, ::1, or ::ffff:127.x.y.z.
pub fn is_loopback(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => v4.is_loopback(),
        IpAddr::V6(v6) => {
            v6.is_loopback() || v6.to_ipv4_mapped().is_some_and(|v4| v4.is_loopback())
        }
    }
}

/// A folder for the config files of one run, removed on drop.
pub struct ConfigDir(pub PathBuf);

impl ConfigDir {
    /// Creates `sipc-tcp-<pid>-<nanos>` in the temporary folder.
    pub fn new() -> Result<ConfigDir, crate::error::Error> {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.subsec_nanos())
            .unwrap_or(0);
        let dir = std::env::temp_dir().join(format!("sipc-tcp-{}-{nanos}", std::process::id()));
        std::fs::create_dir_all(&dir)
            .map_err(|e| crate::error::Error::io(dir.display().to_string(), e))?;
        Ok(ConfigDir(dir))
    }

    /// Writes `bytes` as `name` and returns its path.
    pub fn write(&self, name: &str, bytes: &[u8]) -> Result<PathBuf, crate::error::Error> {
        let path = self.0.join(name);
        crate::io::write_file(&path, bytes)?;
        Ok(path)
    }
}

impl Drop for ConfigDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn listening_lines() {
        assert_eq!(
            parse_listening("LISTENING 127.0.0.1:4000").unwrap(),
            "127.0.0.1:4000".parse().unwrap()
        );
        assert_eq!(
            parse_listening("LISTENING [::1]:4000\r").unwrap(),
            "[::1]:4000".parse().unwrap()
        );
        assert_eq!(
            parse_listening("LISTENING 0.0.0.0:4000").unwrap(),
            "127.0.0.1:4000".parse().unwrap()
        );
        assert_eq!(
            parse_listening("LISTENING [::]:4000").unwrap(),
            "[::1]:4000".parse().unwrap()
        );
        for bad in [
            "LISTENING 10.0.0.1:4000",
            "LISTENING localhost:4000",
            "LISTENING 127.0.0.1:0",
            "LISTENING 127.0.0.1",
            "LISTEN 127.0.0.1:4000",
        ] {
            assert!(parse_listening(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn proc_net_tcp_is_read_in_host_byte_order() {
        let v4 = "  sl  local_address rem_address   st\n\
           0: 0100007F:1F90 00000000:0000 0A 0\n\
           1: 00000000:1F90 00000000:0000 0A 0\n\
           2: 0100007F:1F90 0100007F:D431 01 0\n\
           3: 0100007F:1F91 00000000:0000 0A 0\n";
        let found = listeners_in(v4, false, 8080);
        let addrs: Vec<String> = found.iter().map(|l| l.addr.to_string()).collect();
        assert_eq!(addrs, ["127.0.0.1:8080", "0.0.0.0:8080"]);
        assert!(is_loopback(found[0].addr.ip()) && !is_loopback(found[1].addr.ip()));
        let v6 = "  sl  local_address\n\
           0: 00000000000000000000000001000000:1F90 00000000000000000000000000000000:0000 0A 0\n\
           1: 00000000000000000000000000000000:1F90 00000000000000000000000000000000:0000 0A 0\n";
        let addrs: Vec<String> = listeners_in(v6, true, 8080)
            .iter()
            .map(|l| l.addr.to_string())
            .collect();
        assert_eq!(addrs, ["[::1]:8080", "[::]:8080"]);
    }

    #[test]
    fn config_path_is_quoted() {
        assert_eq!(
            command_for("srv --config {config}", Path::new("/tmp/a b/it's.json")),
            "srv --config '/tmp/a b/it'\\''s.json'"
        );
    }
}
