//! Running the Unix tests (SIPC/1 §13, [`super::table_unix`]) and judging what came back.

use super::cases::{Planted, Step};
use super::client::{Answer, Conn, Endpoint};
use super::exec::{frame, frames, obs, pass, Target};
use super::server::{NotStarted, Server};
use crate::error::Error;
use crate::run::check::{Judgement, Observation};
use std::io::{Read, Write};
use std::os::unix::fs::{FileTypeExt, MetadataExt};
use std::os::unix::net::{UnixListener, UnixStream};
use std::path::Path;
use std::process::{Command, ExitCode, Stdio};
use std::time::{Duration, Instant};

/// The umask every server of a Unix run starts under: the most permissive, so that only the
/// server's own care gives its socket file the configured mode (REQ-UNIX-3).
pub const UMASK: &str = "000";

/// `command` started under [`UMASK`].
pub fn under_umask(command: &str) -> String {
    format!("umask {UMASK}; {command}")
}

fn fail(detail: impl Into<String>, sent: String, expected: &str, provided: String) -> Observation {
    obs(Judgement::Fail, detail, sent, expected, provided)
}

/// REQ-UNIX-3: a socket, mode 0600, owned by the runner's uid.
pub fn socket_file(socket: &Path) -> Observation {
    let uid = rustix::process::geteuid().as_raw();
    let sent = format!(
        "lstat {} (the server was started under umask {UMASK})",
        socket.display()
    );
    let expected = format!("a socket of mode 0600 owned by uid {uid}");
    match std::fs::symlink_metadata(socket) {
        Ok(m) if m.file_type().is_socket() && m.mode() & 0o7777 == 0o600 && m.uid() == uid => {
            pass(sent)
        }
        Ok(m) => {
            let found = format!(
                "{}, mode {:04o}, owned by uid {}",
                if m.file_type().is_socket() {
                    "a socket"
                } else {
                    "not a socket"
                },
                m.mode() & 0o7777,
                m.uid()
            );
            fail(
                format!("the socket file is {found}"),
                sent,
                &expected,
                found,
            )
        }
        Err(e) => fail(
            format!("no socket file: {e}"),
            sent,
            &expected,
            String::new(),
        ),
    }
}

/// Writes `config` and starts a server of the test's own on `endpoint`.
fn own_server(config: &[u8], endpoint: &Endpoint, t: &Target) -> Result<Server, NotStarted> {
    let path = t.dir.join("own.json");
    crate::io::write_file(&path, config).map_err(|e| NotStarted::Spawn(e.to_string()))?;
    Server::start(&under_umask(t.command), &path, Some(endpoint))
}

/// [`own_server`], or why it did not start, in the words of a failure.
fn started(config: &[u8], endpoint: &Endpoint, t: &Target) -> Result<Server, String> {
    own_server(config, endpoint, t).map_err(|why| format!("the server did not start: {why}"))
}

/// REQ-UNIX-2: the runner, a peer the config leaves out, gets no answer and a closed
/// connection.
pub fn peer_refused(config: &[u8], endpoint: &Endpoint, step: &Step, t: &Target) -> Observation {
    let sent = format!(
        "a valid frame to {endpoint} from uid {}, which the server's allowed_peer_uids leaves out",
        rustix::process::geteuid().as_raw()
    );
    let expected = "the connection closed without an answer";
    let mut server = match started(config, endpoint, t) {
        Ok(s) => s,
        Err(why) => return fail(why, sent, expected, String::new()),
    };
    let answer = match Conn::open(&server.addr, None) {
        // A server that closes at once may reset the frame's write: that is a refusal too.
        Ok(mut conn) => match conn.send(&frame(&step.envelope)) {
            Ok(()) => conn.answer(t.timeout),
            Err(_) => Answer::Closed { partial: 0 },
        },
        Err(e) => Answer::Error(e),
    };
    server.stop();
    match answer {
        Answer::Closed { partial: 0 } => pass(sent),
        other => fail(
            format!("a peer whose uid is not allowed: {other}"),
            sent,
            expected,
            other.to_string(),
        ),
    }
}

/// REQ-UNIX-4, REQ-UNIX-6: what stands at the path before the server starts.
pub fn planted(
    config: &[u8],
    socket: &Path,
    planted: Planted,
    step: &Step,
    t: &Target,
) -> Observation {
    let _ = std::fs::remove_file(socket);
    let target = t.dir.join("precious.txt");
    const PRECIOUS: &[u8] = b"the runner's file: do not touch";
    let sent = match planted {
        Planted::Link => format!("a symbolic link at {} to a file", socket.display()),
        Planted::Live => format!("a socket the runner listens on at {}", socket.display()),
        Planted::Stale => format!("a stale socket at {}", socket.display()),
    };
    let mut listener = None;
    let setup = match planted {
        Planted::Link => std::fs::write(&target, PRECIOUS)
            .and_then(|()| std::os::unix::fs::symlink(&target, socket)),
        Planted::Live => UnixListener::bind(socket).map(|l| listener = Some(l)),
        Planted::Stale => UnixListener::bind(socket).map(drop),
    };
    if let Err(e) = setup {
        return fail(
            format!("not run: cannot plant it: {e}"),
            sent,
            "",
            String::new(),
        );
    }
    let started = own_server(config, &Endpoint::Unix(socket.to_owned()), t);
    let observation = match (planted, started) {
        (Planted::Stale, Ok(mut server)) => {
            let o = frames(
                std::slice::from_ref(step),
                &Target {
                    addr: server.addr.clone(),
                    ..*t
                },
            );
            server.stop();
            o
        }
        (Planted::Stale, Err(why)) => fail(
            format!("the server did not replace a stale socket: {why}"),
            sent.clone(),
            "the server starts and serves",
            String::new(),
        ),
        (_, Ok(mut server)) => {
            server.stop();
            fail(
                "the server started over what stood at its path",
                sent.clone(),
                "a refusal to start, the path untouched",
                format!("LISTENING {}", server.addr),
            )
        }
        (_, Err(NotStarted::Exited(_, true, _))) => {
            untouched(planted, socket, &target, listener.as_ref(), PRECIOUS, &sent)
        }
        (_, Err(why)) => fail(
            format!("the server did not refuse to start with an error status of its own: {why}"),
            sent.clone(),
            "a non-zero exit, without LISTENING",
            String::new(),
        ),
    };
    let _ = std::fs::remove_file(socket);
    let _ = std::fs::remove_file(&target);
    observation
}

/// After a refusal: the link still points at the runner's file, unchanged; the live socket is
/// still the runner's.
fn untouched(
    planted: Planted,
    socket: &Path,
    target: &Path,
    listener: Option<&UnixListener>,
    precious: &[u8],
    sent: &str,
) -> Observation {
    let expected = "a refusal to start, the path untouched";
    let problem = match planted {
        Planted::Link => match (std::fs::read_link(socket), std::fs::read(target)) {
            (Ok(to), Ok(content)) if to == target && content == precious => None,
            (Ok(to), Ok(_)) if to == target => Some("the link's target was changed".to_owned()),
            (Ok(to), _) => Some(format!("the link now points at {}", to.display())),
            (Err(e), _) => Some(format!("the link is gone or replaced: {e}")),
        },
        _ => {
            let reached = UnixStream::connect(socket).is_ok()
                && listener.is_some_and(|l| l.set_nonblocking(true).is_ok() && l.accept().is_ok());
            (!reached).then(|| "the runner's socket no longer reaches the runner".to_owned())
        }
    };
    match problem {
        None => pass(sent.to_owned()),
        Some(why) => fail(why.clone(), sent.to_owned(), expected, why),
    }
}

/// The uid a child drops to, to be a peer the config leaves out (`nobody`).
const NOBODY: u32 = 65_534;
/// How long the child may take.
const PROBE_TIMEOUT: Duration = Duration::from_secs(10);

/// `sipc unix-probe`: sends stdin's bytes (at most one frame's worth) to the abstract socket
/// `name` and prints `closed` when the server closes without an answer, or what came back.
pub fn probe(name: &str) -> Result<ExitCode, Error> {
    let mut bytes = Vec::new();
    std::io::stdin()
        .take(1 << 20)
        .read_to_end(&mut bytes)
        .map_err(|e| Error::io("stdin", e))?;
    let said = match Conn::open(&Endpoint::Abstract(name.to_owned()), None) {
        Ok(mut conn) => match conn.send(&bytes) {
            Ok(()) => conn.answer(Duration::from_secs(5)),
            Err(_) => Answer::Closed { partial: 0 },
        },
        Err(e) => Answer::Error(e),
    };
    crate::io::print_line(&match said {
        Answer::Closed { partial: 0 } => "closed".to_owned(),
        other => other.to_string(),
    });
    Ok(ExitCode::SUCCESS)
}

/// Runs `sipc unix-probe` as uid [`NOBODY`] from a copy of this binary in the runner's folder
/// (which any user may execute, wherever the binary itself lives); its output line.
fn probe_as_nobody(name: &str, bytes: &[u8], dir: &Path) -> Result<String, String> {
    use std::os::unix::fs::PermissionsExt;
    use std::os::unix::process::CommandExt;
    let exe = std::env::current_exe().map_err(|e| format!("this binary: {e}"))?;
    let copy = dir.join("sipc-probe");
    std::fs::copy(&exe, &copy)
        .and_then(|_| std::fs::set_permissions(&copy, std::fs::Permissions::from_mode(0o755)))
        .and_then(|()| std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o755)))
        .map_err(|e| format!("copying {} for uid {NOBODY}: {e}", exe.display()))?;
    let mut child = Command::new(&copy)
        .args(["unix-probe", "--abstract-name", name])
        .uid(NOBODY)
        .gid(NOBODY)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("starting the probe as uid {NOBODY}: {e}"))?;
    if let Some(mut stdin) = child.stdin.take() {
        let _ = stdin.write_all(bytes);
    }
    let deadline = Instant::now() + PROBE_TIMEOUT;
    loop {
        match child.try_wait() {
            Ok(Some(_)) => break,
            Ok(None) if Instant::now() < deadline => std::thread::sleep(Duration::from_millis(20)),
            _ => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(format!("the probe as uid {NOBODY} did not finish"));
            }
        }
    }
    let out = child
        .wait_with_output()
        .map_err(|e| format!("the probe: {e}"))?;
    let said = String::from_utf8_lossy(&out.stdout).trim().to_owned();
    if out.status.success() {
        Ok(said)
    } else {
        Err(format!(
            "the probe failed ({}): {}",
            out.status,
            String::from_utf8_lossy(&out.stderr).trim()
        ))
    }
}

/// REQ-UNIX-2 as root: a peer of another uid is closed on unanswered, and its frame changes
/// nothing (the runner's own copy of it is then accepted).
pub fn peer_as_nobody(config: &[u8], name: &str, step: &Step, t: &Target) -> Observation {
    let euid = rustix::process::geteuid().as_raw();
    let sent = format!(
        "a valid frame to unix:@{name} from a child running as uid {NOBODY}, then the same from uid {euid}"
    );
    let expected = "the child's connection closed unanswered, then the runner's frame accepted";
    if euid != 0 {
        return obs(
            Judgement::NotRun,
            format!(
                "skipped: connecting as uid {NOBODY} needs root (the runner runs as uid {euid})"
            ),
            sent,
            expected,
            String::new(),
        );
    }
    let endpoint = Endpoint::Abstract(name.to_owned());
    let mut server = match started(config, &endpoint, t) {
        Ok(s) => s,
        Err(why) => return fail(why, sent, expected, String::new()),
    };
    let observation = match probe_as_nobody(name, &frame(&step.envelope), t.dir) {
        Ok(said) if said == "closed" => frames(
            std::slice::from_ref(step),
            &Target {
                addr: endpoint.clone(),
                ..*t
            },
        ),
        Ok(said) => fail(
            format!("a peer running as uid {NOBODY}, which the config leaves out: {said}"),
            sent,
            expected,
            said,
        ),
        Err(why) => fail(format!("not run: {why}"), sent, expected, String::new()),
    };
    server.stop();
    observation
}
