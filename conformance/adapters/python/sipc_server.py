#!/usr/bin/env python3
"""The SIPC/1 TCP, Unix socket and spool profiles (spec/SIPC-1.md sections 12 to 14) for sipc1.py,
with the shared replay store of section 16 (sipc_store.py) when the config names one.

Run `sipc run --tcp-server 'python3 conformance/adapters/python/sipc_server.py --config {config}'`.

It refuses an invalid config before opening a socket (exit 2, REQ-TCP-6), listens on the
config's bind_host only (REQ-TCP-7) or on its Unix socket (REQ-UNIX-2 to REQ-UNIX-5: the mode
whatever the umask, stale sockets replaced and anything else left alone, peers checked by uid
before any frame), prints `LISTENING <host>:<port>` or `LISTENING unix:<path>`, and serves every
connection in a thread (under mutual TLS with `ssl` when the config has `tls`, section 15),
all sharing one verifier fed by the real clock (REQ-TCP-5). The steps
are functions, so that the zoo (conformance/zoo/tcp/) can break exactly one of them. A spool
config (`--config FILE --dir SPOOL_DIR`) is served by sipc_spool.py.
"""

import json
import os
import socket
import ssl
import stat
import struct
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import sipc1  # noqa: E402
import sipc_spool  # noqa: E402
import sipc_store  # noqa: E402
from sipc_adapter import accepted  # noqa: E402

MAX_CONFIG = 1 << 20
MAX_CONNECTIONS = 64
IDLE_SECONDS = 30
OVERSIZE = object()


def load_config(path):
    """The validated config (section 10), or Reject / OSError."""
    with open(path, "rb") as f:
        raw = f.read(MAX_CONFIG + 1)
    if len(raw) > MAX_CONFIG:
        raise sipc1.Reject("config_invalid", "")
    return sipc1.Config(sipc1.parse(raw))


def bind_host(config):
    """The address to listen on: the config's bind_host, nothing wider (REQ-TCP-7)."""
    return config.bind_host


def clear_stale(path):
    """REQ-UNIX-4: look at the name itself (lstat); a stale socket is removed, anything else
    (a link, a file, a folder, a live socket) makes the server refuse to start."""
    try:
        st = os.lstat(path)
    except FileNotFoundError:
        return
    if not stat.S_ISSOCK(st.st_mode):
        raise OSError("%s exists and is not a socket: left as it is" % path)
    probe = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        probe.connect(path)
    except ConnectionRefusedError:
        os.unlink(path)
        return
    finally:
        probe.close()
    raise OSError("%s: a server is listening there already: left as it is" % path)


def listen_unix(config):
    """The Unix socket: `@name` in the abstract namespace (REQ-UNIX-5), or a file created with
    exactly socket_mode, the umask being its complement for the bind only (REQ-UNIX-3)."""
    path = config.socket_path
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    if path.startswith("@"):
        listener.bind("\0" + path[1:])
        return listener
    clear_stale(path)
    mode = int(config.socket_mode or "0600", 8)
    inherited = os.umask(0o777 & ~mode)
    try:
        listener.bind(path)
    finally:
        os.umask(inherited)
    return listener


def peer_uid(conn):
    """REQ-UNIX-2: the peer's uid, from the kernel (struct ucred: pid, uid, gid)."""
    creds = conn.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED, struct.calcsize("iII"))
    return struct.unpack("iII", creds)[1]


def listen(config):
    """The listening socket, what LISTENING says of it, and the peer uids allowed (None: any,
    over TCP); OSError naming where when it cannot listen."""
    if config.transport == "unix_local":
        try:
            listener = listen_unix(config)
            listener.listen(MAX_CONNECTIONS)
        except OSError as e:
            raise OSError("%s: %s" % (config.socket_path, e)) from e
        return listener, "unix:" + config.socket_path, set(config.allowed_peer_uids)
    host = bind_host(config)
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    listener = socket.socket(family, socket.SOCK_STREAM)
    try:
        listener.bind((host, config.bind_port))
        listener.listen(MAX_CONNECTIONS)
    except OSError as e:
        raise OSError("%s:%d: %s" % (host, config.bind_port, e)) from e
    port = listener.getsockname()[1]
    shown = "[%s]" % config.bind_host if ":" in config.bind_host else config.bind_host
    return listener, "%s:%d" % (shown, port), None


HANDSHAKE_SECONDS = 10


def tls_context(config):
    """Mutual TLS (section 15): TLS 1.2 or 1.3, the configured chain and key, a client
    certificate required and verified against client_ca (REQ-TLS-1, REQ-TLS-2); OSError or
    ssl.SSLError when a file is missing, not PEM, or the key does not match (REQ-TLS-5)."""
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.minimum_version = ssl.TLSVersion.TLSv1_2
    ctx.verify_mode = ssl.CERT_REQUIRED
    ctx.load_cert_chain(config.tls["cert"], config.tls["key"])
    ctx.load_verify_locations(cafile=config.tls["client_ca"])
    return ctx


def handshake(ctx, conn):
    """The server side of the handshake; None when it fails (REQ-TLS-3: no frame is read)."""
    conn.settimeout(HANDSHAKE_SECONDS)
    try:
        tls = ctx.wrap_socket(conn, server_side=True, do_handshake_on_connect=False)
        tls.do_handshake()
        return tls
    except (OSError, ValueError):
        conn.close()
        return None


def read_exact(sock, n):
    """n bytes, or None when the peer closes first (a frame cut off, REQ-TCP-4)."""
    chunks = []
    while n > 0:
        chunk = sock.recv(min(n, 65536))
        if not chunk:
            return None
        chunks.append(chunk)
        n -= len(chunk)
    return b"".join(chunks)


def read_frame(sock, limit):
    """The next frame's body (REQ-TCP-1); OVERSIZE as soon as the header announces more than
    limit, without reading the body (REQ-TCP-2); None at the end of the stream."""
    header = read_exact(sock, 4)
    if header is None:
        return None
    (n,) = struct.unpack(">I", header)
    if n > limit:
        return OVERSIZE
    return read_exact(sock, n)


def send_answer(sock, verdict):
    """One answer frame holding the verdict (REQ-TCP-3)."""
    body = json.dumps(verdict, separators=(",", ":")).encode("utf-8")
    sock.sendall(struct.pack(">I", len(body)) + body)


class Receiver:
    """One verifier for every connection (REQ-TCP-5), and the shared replay store when the
    config names one (section 16)."""

    def __init__(self, config):
        self.config = config
        self.verifier = sipc1.Verifier(config)
        self.lock = threading.Lock()
        store = config.replay_store
        self.store = sipc_store.Store(store["url"]) if store is not None else None

    def verdict(self, envelope):
        with self.lock:
            try:
                if self.store is None:
                    return accepted(self.verifier.verify(envelope, int(time.time())))
                message = self.verifier.authenticate(envelope, int(time.time()))
            except sipc1.Reject as r:
                return {"verdict": "reject", "error": r.code}
        return self.record(message)

    def record(self, message):
        """Step 10 on the shared store: one SET NX EXAT (REQ-STORE-1 to REQ-STORE-3), and
        replay_store_unavailable when the store does not answer (REQ-STORE-5)."""
        key = sipc_store.store_key(self.config.secret, message["nonce"])
        expires_at = sipc_store.store_expiry(message["ts"], self.config.ttl)
        answer = self.store.check_and_record(key, expires_at)
        if answer == sipc_store.RECORDED:
            return accepted(message)
        if answer == sipc_store.EXISTS:
            return {"verdict": "reject", "error": "replay"}
        return {"verdict": "reject", "error": "replay_store_unavailable"}

    def serve(self, sock):
        sock.settimeout(IDLE_SECONDS)
        try:
            while True:
                body = read_frame(sock, self.config.max_envelope)
                if body is None:
                    return
                if body is OVERSIZE:
                    send_answer(sock, {"verdict": "reject", "error": "oversize"})
                    return
                send_answer(sock, self.verdict(body))
        except OSError:
            return
        finally:
            sock.close()


def parse_args(args):
    """{"--config": FILE} and maybe "--dir"; None for anything else."""
    if len(args) not in (2, 4) or len(args) == 4 and sorted(args[0::2]) != ["--config", "--dir"]:
        return None
    found = dict(zip(args[0::2], args[1::2]))
    return found if "--config" in found else None


def serve_spool(config, receiver):
    """The spool profile (section 14): the folder checked, then polled for ever."""
    try:
        sipc_spool.check_dir(config.spool_dir)
    except OSError as e:
        print("sipc_server: %s" % e, file=sys.stderr)
        return 2
    print("LISTENING spool:%s" % config.spool_dir, flush=True)
    sipc_spool.serve(config.spool_dir, receiver)
    return 0


def main(argv=None):
    args = parse_args(sys.argv[1:] if argv is None else argv)
    if args is None:
        print("usage: sipc_server.py --config FILE [--dir SPOOL_DIR]", file=sys.stderr)
        return 2
    try:
        config = load_config(args["--config"])
    except sipc1.Reject as r:
        print("sipc_server: config_invalid: %r" % r.field, file=sys.stderr)
        return 2
    except OSError as e:
        print("sipc_server: %s" % e, file=sys.stderr)
        return 2
    if "--dir" in args and (config.transport != "spool" or args["--dir"] != config.spool_dir):
        print("sipc_server: --dir must name the config's spool_dir", file=sys.stderr)
        return 2
    if config.transport == "spool":
        return serve_spool(config, Receiver(config))
    try:
        ctx = tls_context(config) if config.tls is not None else None
    except (OSError, ssl.SSLError) as e:
        print("sipc_server: tls: %s" % e, file=sys.stderr)
        return 2
    try:
        listener, where, allowed = listen(config)
    except OSError as e:
        print("sipc_server: cannot listen on %s" % e, file=sys.stderr)
        return 2
    print("LISTENING %s" % where, flush=True)
    receiver = Receiver(config)
    slots = threading.BoundedSemaphore(MAX_CONNECTIONS)
    while True:
        conn, _ = listener.accept()
        if allowed is not None and peer_uid(conn) not in allowed:
            conn.close()  # REQ-UNIX-2: before any frame is read
            continue
        if not slots.acquire(blocking=False):
            conn.close()
            continue

        def run(c=conn):
            try:
                if ctx is not None:
                    c = handshake(ctx, c)
                if c is not None:
                    receiver.serve(c)
            finally:
                slots.release()

        threading.Thread(target=run, daemon=True).start()


if __name__ == "__main__":
    sys.exit(main())
