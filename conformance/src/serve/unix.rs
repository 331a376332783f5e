//! The Unix socket listener of `sipc serve` (SIPC/1 §13): what already stands at the socket's
//! path (REQ-UNIX-4), the socket file's mode from the moment it exists (REQ-UNIX-3), the
//! abstract namespace (REQ-UNIX-5), and the peer's uid, from the kernel (REQ-UNIX-2).

use rustix::fs::Mode;
use std::fs::Metadata;
use std::io::ErrorKind;
use std::os::linux::net::SocketAddrExt;
use std::os::unix::fs::FileTypeExt;
use std::os::unix::net::{SocketAddr, UnixListener, UnixStream};

/// Binds `socket_path` (`@name`: the Linux abstract namespace) with the file mode `mode`.
pub(super) fn bind(socket_path: &str, mode: Option<u32>) -> Result<UnixListener, String> {
    let cannot = |e: std::io::Error| format!("cannot listen on {socket_path}: {e}");
    if let Some(name) = socket_path.strip_prefix('@') {
        // REQ-UNIX-5: a name already bound is EADDRINUSE, a refusal to start.
        let addr = SocketAddr::from_abstract_name(name.as_bytes()).map_err(cannot)?;
        return UnixListener::bind_addr(&addr).map_err(cannot);
    }
    clear_stale(socket_path)?;
    let mode = mode.unwrap_or(0o600) & 0o777;
    // REQ-UNIX-3: bind creates the file with 0777 less the umask, so with the mode's
    // complement as umask, for the bind only (no other thread exists yet), the file has
    // exactly `mode` from the moment it exists, whatever umask the server inherited.
    let inherited = rustix::process::umask(Mode::from_raw_mode(0o777 & !mode));
    let bound = UnixListener::bind(socket_path);
    rustix::process::umask(inherited);
    bound.map_err(cannot)
}

/// REQ-UNIX-4: looks at the name itself (never following a link); removes a stale socket,
/// refuses anything else.
fn clear_stale(path: &str) -> Result<(), String> {
    let meta = match std::fs::symlink_metadata(path) {
        Err(e) if e.kind() == ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(format!("{path}: {e}")),
        Ok(meta) => meta,
    };
    if !meta.file_type().is_socket() {
        return Err(format!(
            "{path} exists and is {}, not a socket: left as it is",
            what(&meta)
        ));
    }
    match UnixStream::connect(path) {
        Ok(_) => Err(format!(
            "{path}: a server is listening there already: left as it is"
        )),
        Err(e) if e.kind() == ErrorKind::ConnectionRefused => {
            std::fs::remove_file(path).map_err(|e| format!("removing the stale socket {path}: {e}"))
        }
        Err(e) => Err(format!("{path}: {e}")),
    }
}

fn what(meta: &Metadata) -> &'static str {
    let kind = meta.file_type();
    if kind.is_symlink() {
        "a symbolic link"
    } else if kind.is_dir() {
        "a directory"
    } else if kind.is_file() {
        "a regular file"
    } else {
        "a special file"
    }
}

/// REQ-UNIX-2: whether the kernel's word on the peer's uid (`SO_PEERCRED`) is in `allowed`.
/// Nothing the peer sends is read before.
pub(super) fn peer_allowed(stream: &UnixStream, allowed: &[u64]) -> bool {
    rustix::net::sockopt::socket_peercred(stream)
        .is_ok_and(|peer| allowed.contains(&u64::from(peer.uid.as_raw())))
}
