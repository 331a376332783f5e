//! The servers on a Unix domain socket (spec/SIPC-1.md §13), `sipc serve` and the Python one
//! (the Node one cannot learn a peer's uid with Node's standard library, so it refuses
//! `unix_local`): the frames and verdicts of the TCP profile, the peer's uid, the socket file's
//! mode and owner, what already stands at the socket's path, and the abstract namespace. Every
//! server is killed and reaped; every wait is bounded. The tests that connect as another user
//! need root; without it they say so and return.

mod common;

use sipc_reference::{sign, Fields};
use std::io::{ErrorKind, Read, Write};
use std::os::linux::net::SocketAddrExt;
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::os::unix::net::{SocketAddr, UnixListener, UnixStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

const SECRET: [u8; 32] = [9; 32];
const LIMIT: u32 = 4096;
const START_TIMEOUT: Duration = Duration::from_secs(10);
const ANSWER_TIMEOUT: Duration = Duration::from_secs(5);
/// The uid a child drops to, to connect as a user the config does not allow (`nobody`).
const NOBODY: u32 = 65_534;

fn euid() -> u32 {
    rustix::process::geteuid().as_raw()
}

/// A folder of the test's own, emptied first.
fn dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("sipc-unix-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// A config for `socket_path` (and `socket_mode` when given) allowing `uids`.
fn config(dir: &Path, socket_path: &str, mode: Option<&str>, uids: &[u32]) -> PathBuf {
    let secret_hex: String = SECRET.iter().map(|b| format!("{b:02x}")).collect();
    let mode = mode.map_or(String::new(), |m| format!(r#""socket_mode":"{m}","#));
    let uids: Vec<String> = uids.iter().map(u32::to_string).collect();
    let path = dir.join("config.json");
    std::fs::write(
        &path,
        format!(
            r#"{{"transport":"unix_local","socket_path":"{socket_path}",{mode}"allowed_peer_uids":[{}],
                "auth":{{"mode":"hmac","secret_hex":"{secret_hex}","ttl_seconds":600,"nonce_cache_size":1000}},
                "max_payload_bytes":64,"max_envelope_bytes":{LIMIT},"allowed_kinds":["job.run"]}}"#,
            uids.join(",")
        ),
    )
    .unwrap();
    path
}

/// `sipc serve`, killed and reaped when dropped.
struct Server {
    child: Child,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// How a start ended: the `LISTENING` line and the server, or the exit status and stderr of
/// a server that refused to start.
enum Start {
    Listening(String, Server),
    Refused(ExitStatus, String),
}

/// The servers under test.
#[derive(Clone, Copy, Debug)]
enum Impl {
    Reference,
    Python,
}

const SERVERS: [Impl; 2] = [Impl::Reference, Impl::Python];

impl Impl {
    /// The command line, before `--config FILE`.
    fn command(self) -> Vec<String> {
        match self {
            Impl::Reference => vec![env!("CARGO_BIN_EXE_sipc").into(), "serve".into()],
            Impl::Python => vec![
                "python3".into(),
                concat!(
                    env!("CARGO_MANIFEST_DIR"),
                    "/adapters/python/sipc_server.py"
                )
                .into(),
            ],
        }
    }
}

/// Starts `server` with `--config config` under the umask `umask`.
fn start(server: Impl, config: &Path, umask: &str) -> Start {
    let mut child = Command::new("sh")
        .arg("-c")
        .arg(format!("umask {umask}; exec \"$@\""))
        .arg("sh")
        .args(server.command())
        .arg("--config")
        .arg(config)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let line = common::first_line(&mut child, START_TIMEOUT).unwrap_or_default();
    let mut server = Server { child };
    if line.starts_with("LISTENING ") {
        return Start::Listening(line.trim_end().to_owned(), server);
    }
    let deadline = Instant::now() + START_TIMEOUT;
    let status = loop {
        if let Some(status) = server.child.try_wait().unwrap() {
            break status;
        }
        assert!(
            Instant::now() < deadline,
            "the server neither listened nor exited"
        );
        std::thread::sleep(Duration::from_millis(20));
    };
    let mut stderr = String::new();
    if let Some(mut err) = server.child.stderr.take() {
        let _ = err.read_to_string(&mut stderr);
    }
    Start::Refused(status, stderr)
}

fn listening(server: Impl, config: &Path) -> (String, Server) {
    match start(server, config, "022") {
        Start::Listening(line, running) => (line, running),
        Start::Refused(status, stderr) => {
            panic!("{server:?} refused to start ({status}): {stderr}")
        }
    }
}

fn refused(server: Impl, config: &Path) -> String {
    match start(server, config, "022") {
        Start::Listening(line, _) => panic!("{server:?} started: {line}"),
        Start::Refused(status, stderr) => {
            assert!(!status.success(), "{server:?}: {status}");
            stderr
        }
    }
}

fn envelope(nonce: &str) -> Vec<u8> {
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs();
    sign(
        &SECRET,
        &Fields {
            kind: "job.run".into(),
            payload: b"unix".to_vec(),
            ts: now,
            // Nonces are 22 to 128 characters (REQ-ENV-6); the process id keeps runs apart.
            nonce: format!("sipc-unix-serve-{}-{nonce}", std::process::id()),
            ..Fields::default()
        },
    )
}

fn frame(body: &[u8]) -> Vec<u8> {
    let mut out = u32::try_from(body.len()).unwrap().to_be_bytes().to_vec();
    out.extend_from_slice(body);
    out
}

fn connect(socket_path: &str) -> UnixStream {
    let stream = match socket_path.strip_prefix('@') {
        Some(name) => UnixStream::connect_addr(&SocketAddr::from_abstract_name(name).unwrap()),
        None => UnixStream::connect(socket_path),
    }
    .unwrap();
    stream.set_read_timeout(Some(ANSWER_TIMEOUT)).unwrap();
    stream
}

/// The verdict of the next answer frame, or `None` when the server closes first.
fn verdict(stream: &mut UnixStream) -> Option<String> {
    let mut header = [0u8; 4];
    match stream.read_exact(&mut header) {
        Ok(()) => {}
        Err(e)
            if matches!(
                e.kind(),
                ErrorKind::UnexpectedEof | ErrorKind::ConnectionReset
            ) =>
        {
            return None
        }
        Err(e) => panic!("no answer: {e}"),
    }
    let mut body = vec![0u8; u32::from_be_bytes(header) as usize];
    stream.read_exact(&mut body).unwrap();
    let text = String::from_utf8(body).unwrap();
    let value = sipc_reference::json::parse(text.as_bytes()).unwrap();
    let field = |name| value.get(name).and_then(|v| v.as_str()).map(str::to_owned);
    Some(field("error").or_else(|| field("verdict")).unwrap())
}

/// Sends `body` as one frame on a new connection and returns the verdict.
fn send(socket_path: &str, body: &[u8]) -> Option<String> {
    let mut stream = connect(socket_path);
    stream.write_all(&frame(body)).unwrap();
    verdict(&mut stream)
}

/// REQ-UNIX-1, REQ-UNIX-7: the frames and answers of REQ-TCP-1 … REQ-TCP-5 on a Unix socket,
/// file or abstract, announced as `LISTENING unix:<socket_path>`.
#[test]
fn req_unix_1_frames_and_verdicts_of_the_tcp_profile() {
    for server in SERVERS {
        req_unix_1_frames_and_verdicts_of_the_tcp_profile_on(server);
    }
}

fn req_unix_1_frames_and_verdicts_of_the_tcp_profile_on(server: Impl) {
    let dir = dir(&format!("frames-{server:?}"));
    let file = dir.join("r.sock").display().to_string();
    let name = format!("@sipc-test-{}-frames", std::process::id());
    for socket_path in [file, name] {
        let (line, _server) = listening(server, &config(&dir, &socket_path, None, &[euid()]));
        assert_eq!(line, format!("LISTENING unix:{socket_path}"));
        let nonce = format!("unix-frames-{}", socket_path.len());
        let env = envelope(&nonce);
        // A frame a byte at a time, then two pipelined in one write: in order, one verifier.
        let mut stream = connect(&socket_path);
        for byte in frame(&env) {
            stream.write_all(&[byte]).unwrap();
        }
        assert_eq!(verdict(&mut stream).as_deref(), Some("accept"));
        stream
            .write_all(&[frame(b""), frame(&env)].concat())
            .unwrap();
        assert_eq!(verdict(&mut stream).as_deref(), Some("malformed"));
        assert_eq!(verdict(&mut stream).as_deref(), Some("replay"));
        // Another connection shares the verifier (REQ-TCP-5).
        assert_eq!(send(&socket_path, &env).as_deref(), Some("replay"));
        // A frame cut off by a close changes nothing (REQ-TCP-4).
        let other = envelope(&format!("{nonce}-cut"));
        let mut cut = connect(&socket_path);
        cut.write_all(&frame(&other)[..20]).unwrap();
        drop(cut);
        assert_eq!(send(&socket_path, &other).as_deref(), Some("accept"));
        // An oversize header is answered and the connection closed, no body read (REQ-TCP-2).
        let mut big = connect(&socket_path);
        big.write_all(&(LIMIT + 1).to_be_bytes()).unwrap();
        assert_eq!(verdict(&mut big).as_deref(), Some("oversize"));
        assert_eq!(verdict(&mut big), None);
    }
}

/// REQ-UNIX-2: a peer whose uid is not allowed is closed on before any frame is read: no
/// answer, and (shown as root, by a child that drops to `nobody`) no change to the verifier,
/// on a socket file and on an abstract socket alike.
#[test]
fn req_unix_2_a_peer_not_allowed_is_refused_before_any_frame() {
    for server in SERVERS {
        req_unix_2_a_peer_not_allowed_is_refused_before_any_frame_on(server);
    }
}

fn req_unix_2_a_peer_not_allowed_is_refused_before_any_frame_on(server: Impl) {
    let dir = dir(&format!("peers-{server:?}"));
    let socket_path = dir.join("r.sock").display().to_string();
    let other_uid = if euid() == 1 { 2 } else { 1 };
    let (_line, _server) = listening(server, &config(&dir, &socket_path, None, &[other_uid]));
    // The server may close before the frame is written (a broken pipe): either way, no answer.
    let mut stream = connect(&socket_path);
    let _ = stream.write_all(&frame(&envelope("unix-peer-refused")));
    assert_eq!(verdict(&mut stream), None);
    drop(_server);

    if euid() != 0 {
        eprintln!(
            "req_unix_2 (as another uid): skipped: connecting as uid {NOBODY} needs root (euid {})",
            euid()
        );
        return;
    }
    std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o755)).unwrap();
    let name = format!("@sipc-test-{}-peers", std::process::id());
    // The socket file lets the group in (0660), and the child keeps gid 0: only the uid check
    // stands between it and the verifier. The abstract socket has no mode at all.
    for (socket_path, mode) in [(socket_path.as_str(), Some("0660")), (&name, None)] {
        let (_line, _server) = listening(server, &config(&dir, socket_path, mode, &[0]));
        let env = envelope(&format!("unix-peer-{}", socket_path.len()));
        assert_eq!(send_as_nobody(socket_path, &frame(&env)), "closed");
        // The refused peer's envelope was never verified: it is accepted now, once.
        assert_eq!(send(socket_path, &env).as_deref(), Some("accept"));
        assert_eq!(send(socket_path, &env).as_deref(), Some("replay"));
    }
}

/// Connects as uid `nobody` (gid 0) in a child, sends `bytes`, and says what came back:
/// `closed` when the server closed without an answer.
fn send_as_nobody(socket_path: &str, bytes: &[u8]) -> String {
    use std::os::unix::process::CommandExt;
    let address = match socket_path.strip_prefix('@') {
        Some(name) => format!("\"\\0{name}\""),
        None => format!("\"{socket_path}\""),
    };
    let script = format!(
        "import socket,sys\n\
         s=socket.socket(socket.AF_UNIX)\n\
         s.settimeout(5)\n\
         s.connect({address})\n\
         data=sys.stdin.buffer.read()\n\
         try:\n    s.sendall(data)\n    data=s.recv(65536)\n\
         except (BrokenPipeError, ConnectionResetError):\n    data=b''\n\
         print('closed' if not data else 'answered')\n"
    );
    let mut child = Command::new("python3")
        .arg("-c")
        .arg(script)
        .uid(NOBODY)
        .gid(0)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(bytes).unwrap();
    let deadline = Instant::now() + ANSWER_TIMEOUT * 2;
    while child.try_wait().unwrap().is_none() {
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("the child connecting as nobody did not finish");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap().trim().to_owned()
}

/// REQ-UNIX-3: the socket file has the configured mode (0600 by default) and the server's
/// uid as owner, whatever the umask the server inherits: a permissive one grants nothing more,
/// a strict one takes nothing away.
#[test]
fn req_unix_3_socket_mode_and_owner_whatever_the_umask() {
    for server in SERVERS {
        req_unix_3_socket_mode_and_owner_whatever_the_umask_on(server);
    }
}

fn req_unix_3_socket_mode_and_owner_whatever_the_umask_on(server: Impl) {
    let dir = dir(&format!("mode-{server:?}"));
    let socket = dir.join("r.sock");
    let socket_path = socket.display().to_string();
    for (mode, umask, expected) in [
        (None, "000", 0o600),
        (None, "077", 0o600),
        (Some("0660"), "000", 0o660),
        (Some("0660"), "077", 0o660),
        (Some("0700"), "002", 0o700),
        (Some("0640"), "000", 0o640),
    ] {
        let _ = std::fs::remove_file(&socket);
        let config = config(&dir, &socket_path, mode, &[euid()]);
        let Start::Listening(_, server) = start(server, &config, umask) else {
            panic!("did not start with {mode:?}")
        };
        let meta = std::fs::symlink_metadata(&socket).unwrap();
        assert_eq!(
            meta.mode() & 0o7777,
            expected,
            "mode {mode:?} under umask {umask}: {:o}",
            meta.mode()
        );
        assert_eq!(meta.uid(), euid());
        drop(server);
    }
}

/// REQ-UNIX-4, REQ-UNIX-6: a symbolic link (to a file, a directory, nowhere), a regular file or
/// a directory at `socket_path`, or a socket a server still listens on, makes the server refuse
/// to start (non-zero, no `LISTENING`) and leaves the name and any link's target untouched; a
/// stale socket, whose server is gone, is replaced.
#[test]
fn req_unix_4_what_already_stands_at_the_socket_path() {
    for server in SERVERS {
        req_unix_4_what_already_stands_at_the_socket_path_on(server);
    }
}

fn req_unix_4_what_already_stands_at_the_socket_path_on(server: Impl) {
    let dir = dir(&format!("stale-{server:?}"));
    let socket = dir.join("r.sock");
    let socket_path = socket.display().to_string();
    let config = config(&dir, &socket_path, None, &[euid()]);
    let target = dir.join("precious.txt");
    std::fs::write(&target, b"do not touch").unwrap();
    let target_dir = dir.join("precious-dir");
    std::fs::create_dir_all(&target_dir).unwrap();

    for what in [
        "a link to a file",
        "a link to a folder",
        "a dangling link",
        "a regular file",
        "a folder",
    ] {
        match what {
            "a link to a file" => std::os::unix::fs::symlink(&target, &socket).unwrap(),
            "a link to a folder" => std::os::unix::fs::symlink(&target_dir, &socket).unwrap(),
            "a dangling link" => std::os::unix::fs::symlink(dir.join("nowhere"), &socket).unwrap(),
            "a regular file" => std::fs::write(&socket, b"a file").unwrap(),
            _ => std::fs::create_dir(&socket).unwrap(),
        }
        let before = std::fs::symlink_metadata(&socket).unwrap();
        let stderr = refused(server, &config);
        assert!(stderr.contains("not a socket"), "{what}: {stderr}");
        let after = std::fs::symlink_metadata(&socket).unwrap();
        assert_eq!(
            (before.ino(), before.mode()),
            (after.ino(), after.mode()),
            "{what}"
        );
        assert_eq!(std::fs::read(&target).unwrap(), b"do not touch", "{what}");
        assert!(!dir.join("nowhere").exists(), "{what}");
        assert!(target_dir.is_dir(), "{what}");
        if after.is_dir() {
            std::fs::remove_dir(&socket).unwrap();
        } else {
            std::fs::remove_file(&socket).unwrap();
        }
    }

    // A socket another server still listens on: refused, and that server keeps it.
    let live = UnixListener::bind(&socket).unwrap();
    let stderr = refused(server, &config);
    assert!(stderr.contains("listening there already"), "{stderr}");
    let client = std::thread::spawn({
        let socket = socket.clone();
        move || UnixStream::connect(socket).is_ok()
    });
    live.accept().unwrap();
    assert!(client.join().unwrap());
    drop(live);

    // The same socket, its server gone: stale, replaced, served.
    assert!(std::fs::symlink_metadata(&socket).is_ok());
    let (_line, _server) = listening(server, &config);
    assert_eq!(
        send(&socket_path, &envelope("unix-stale")).as_deref(),
        Some("accept")
    );
}

/// REQ-UNIX-5, REQ-UNIX-6: an abstract name already bound makes the server refuse to start,
/// without announcing; so does an invalid config, before any socket exists.
#[test]
fn req_unix_5_an_abstract_name_already_bound() {
    for server in SERVERS {
        req_unix_5_an_abstract_name_already_bound_on(server);
    }
}

fn req_unix_5_an_abstract_name_already_bound_on(server: Impl) {
    let dir = dir(&format!("abstract-{server:?}"));
    let name = format!("sipc-test-{}-abstract", std::process::id());
    let taken =
        UnixListener::bind_addr(&SocketAddr::from_abstract_name(name.as_bytes()).unwrap()).unwrap();
    let stderr = refused(server, &config(&dir, &format!("@{name}"), None, &[euid()]));
    assert!(stderr.contains("cannot listen"), "{stderr}");
    drop(taken);
    // An invalid config (others may connect) is refused before any socket exists.
    let socket = dir.join("r.sock");
    let stderr = refused(
        server,
        &config(&dir, &socket.display().to_string(), Some("0666"), &[euid()]),
    );
    assert!(stderr.contains("socket_mode"), "{stderr}");
    assert!(std::fs::symlink_metadata(&socket).is_err());
    let (line, _server) = listening(server, &config(&dir, &format!("@{name}"), None, &[euid()]));
    assert_eq!(line, format!("LISTENING unix:@{name}"));
}
