"""The shared replay store of SIPC/1 section 16 for the Python server: Redis, spoken with the
standard library only (RESP over a socket).

One command per authenticated envelope, SET <key> 1 NX EXAT <ts + ttl + 1> (REQ-STORE-1 to
REQ-STORE-3), on one connection guarded by a lock. Every failure (no connection, no answer in
STORE_TIMEOUT, an error reply, anything but +OK or nil) is "unavailable" (REQ-STORE-5), and the
connection is dropped, so the next envelope connects afresh: a store that comes back is used
again without a restart (REQ-STORE-7). The steps are functions and methods, so that the zoo
(conformance/zoo/store/) can break exactly one of them.
"""

import hashlib
import hmac
import re
import socket
import threading

STORE_TIMEOUT = 2.0
KEY_PREFIX = "sipc1:replay:"
KEY_DOMAIN = b"SIPC-1 replay\n"
MAX_REPLY_LINE = 4096  # longer reply lines are a broken store, never read whole
MAX_BULK = 1 << 20
URL = re.compile(r"redis://(127\.0\.0\.1|\[::1\]):([0-9]+)(?:/([0-9]+))?")

RECORDED, EXISTS, UNAVAILABLE = "recorded", "exists", "unavailable"


class StoreError(Exception):
    """The store could not be reached, did not answer in time, or answered an error."""


class ErrorReply(StoreError):
    """The store answered -ERR…: it is reachable, and the connection is still in step."""


def store_key(secret, nonce):
    """REQ-STORE-2: the prefix and the hex HMAC-SHA256 of the domain and the nonce."""
    return KEY_PREFIX + hmac.new(secret, KEY_DOMAIN + nonce.encode("utf-8"), hashlib.sha256).hexdigest()


def store_expiry(ts, ttl):
    """REQ-STORE-3: the first second at which the nonce is no longer live."""
    return ts + ttl + 1


def encode(args):
    """One RESP command: an array of bulk strings."""
    out = [b"*%d\r\n" % len(args)]
    for arg in args:
        data = arg if isinstance(arg, bytes) else str(arg).encode("utf-8")
        out.append(b"$%d\r\n%s\r\n" % (len(data), data))
    return b"".join(out)


class Redis:
    """One connection to the store at a validated URL (REQ-CONFIG-20), opened when needed."""

    def __init__(self, url):
        match = URL.fullmatch(url)
        self.host = "::1" if match.group(1) == "[::1]" else match.group(1)
        self.port = int(match.group(2))
        self.db = int(match.group(3) or 0)
        self.sock = None
        self.buf = b""
        self.lock = threading.Lock()

    def connect(self):
        family = socket.AF_INET6 if ":" in self.host else socket.AF_INET
        sock = socket.socket(family, socket.SOCK_STREAM)
        sock.settimeout(STORE_TIMEOUT)
        try:
            sock.connect((self.host, self.port))
        except OSError:
            sock.close()
            raise
        self.sock, self.buf = sock, b""
        if self.db:
            try:
                selected = self.roundtrip(["SELECT", self.db]) == "OK"
            except (OSError, ValueError, StoreError):
                selected = False
            if not selected:
                self.close()
                raise StoreError("SELECT %d refused" % self.db)

    def close(self):
        if self.sock is not None:
            self.sock.close()
        self.sock, self.buf = None, b""

    def line(self):
        while b"\r\n" not in self.buf:
            if len(self.buf) > MAX_REPLY_LINE:
                raise StoreError("reply line too long")
            chunk = self.sock.recv(4096)
            if not chunk:
                raise StoreError("the store closed the connection")
            self.buf += chunk
        line, self.buf = self.buf.split(b"\r\n", 1)
        return line

    def reply(self):
        """+simple -> str, $bulk -> bytes, :int -> int, nil -> None; -error -> StoreError."""
        line = self.line()
        kind, rest = line[:1], line[1:]
        if kind == b"+":
            return rest.decode("utf-8", "replace")
        if kind == b"-":
            raise ErrorReply(rest.decode("utf-8", "replace"))
        if kind == b":":
            return int(rest)
        if kind == b"_" or line == b"$-1":
            return None
        if kind == b"$":
            n = int(rest)
            if not 0 <= n <= MAX_BULK:
                raise StoreError("bulk reply of %d bytes" % n)
            while len(self.buf) < n + 2:
                chunk = self.sock.recv(65536)
                if not chunk:
                    raise StoreError("the store closed the connection")
                self.buf += chunk
            data, self.buf = self.buf[:n], self.buf[n + 2:]
            return data
        raise StoreError("unexpected reply %r" % line[:40])

    def roundtrip(self, args):
        self.sock.sendall(encode(args))
        return self.reply()

    def command(self, *args):
        """Sends one command (connecting first if need be) and returns its reply. A reused
        connection that fails is closed and the command sent once more on a new one: at worst
        a lost +OK makes the retry answer nil, a replay for a genuine envelope, never an
        acceptance twice."""
        with self.lock:
            for attempt in range(2):
                reused = self.sock is not None
                try:
                    if not reused:
                        self.connect()
                    return self.roundtrip(list(args))
                except ErrorReply:
                    raise
                except (OSError, ValueError, StoreError) as e:
                    self.close()
                    if not reused or attempt == 1:
                        raise StoreError(str(e)) from e
            raise StoreError("unreachable")


class Store:
    """The check-and-record of REQ-STORE-1 on a Redis store."""

    def __init__(self, url):
        self.redis = Redis(url)

    def check_and_record(self, key, expires_at):
        """RECORDED, EXISTS or UNAVAILABLE (REQ-STORE-1, REQ-STORE-5)."""
        try:
            reply = self.redis.command("SET", key, "1", "NX", "EXAT", expires_at)
        except StoreError:
            return UNAVAILABLE
        if reply == "OK":
            return RECORDED
        if reply is None:
            return EXISTS
        return UNAVAILABLE
