"""SIPC/1 (spec/SIPC-1.md) in Python 3, standard library only.

An independent implementation written from the spec, not a wrapper around the Rust
reference: a strict JSON parser (section 2), the RFC 8785 canonical form (section 3), the
envelope table (section 4), the verifier with its TTL and replay cache (sections 8 and 9),
the config rules (section 10) and the signer (section 11).
"""

import base64
import hashlib
import heapq
import hmac
import math
import re

MAX_DEPTH = 64
MAX_TS = 2**53 - 1
SIG_PREFIX = b"SIPC-1\n"


class Reject(Exception):
    """A refusal with its SIPC/1 error code (section 1) and, for configs, the field."""

    def __init__(self, code, field=None):
        super().__init__(code if field is None else "%s: %s" % (code, field))
        self.code = code
        self.field = field


class Num:
    """A JSON number: the literal as written and the nearest binary64 value."""

    __slots__ = ("literal", "value")

    def __init__(self, literal, value):
        self.literal = literal
        self.value = value

    def integer(self):
        """The value of an integer literal (0 or -?[1-9][0-9]*), else None."""
        if not INTEGER_LITERAL.fullmatch(self.literal):
            return None
        if len(self.literal) > 40:
            # Outside every range SIPC/1 allows; int() of a huge literal is slow, and refused
            # above 4300 digits.
            return -(2**128) if self.literal.startswith("-") else 2**128
        return int(self.literal)


INTEGER_LITERAL = re.compile(r"0|-?[1-9][0-9]*")
NUMBER = re.compile(r"-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?")
PLAIN = re.compile(r'[^"\\\x00-\x1f]*')
WHITESPACE = " \t\n\r"
ESCAPES = {'"': '"', "\\": "\\", "/": "/", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t"}
HEX = "0123456789abcdefABCDEF"


class _Parser:
    def __init__(self, text):
        self.s = text
        self.i = 0

    def fail(self):
        raise Reject("malformed")

    def ws(self):
        s, i = self.s, self.i
        while i < len(s) and s[i] in WHITESPACE:
            i += 1
        self.i = i

    def value(self, depth):
        self.ws()
        if self.i >= len(self.s):
            self.fail()
        c = self.s[self.i]
        if c == "{":
            return self.obj(depth + 1)
        if c == "[":
            return self.arr(depth + 1)
        if c == '"':
            return self.string()
        for word, val in (("true", True), ("false", False), ("null", None)):
            if self.s.startswith(word, self.i):
                self.i += len(word)
                return val
        m = NUMBER.match(self.s, self.i)
        if not m:
            self.fail()
        self.i = m.end()
        literal = m.group()
        try:
            value = float(literal)
        except (ValueError, OverflowError):
            self.fail()
        if math.isinf(value):
            self.fail()
        return Num(literal, value)

    def obj(self, depth):
        if depth > MAX_DEPTH:
            self.fail()
        self.i += 1
        out = {}
        self.ws()
        if self.s.startswith("}", self.i):
            self.i += 1
            return out
        while True:
            self.ws()
            if not self.s.startswith('"', self.i):
                self.fail()
            name = self.string()
            if name in out:
                self.duplicate(name)
            self.ws()
            if not self.s.startswith(":", self.i):
                self.fail()
            self.i += 1
            out[name] = self.value(depth)
            self.ws()
            if self.s.startswith(",", self.i):
                self.i += 1
            elif self.s.startswith("}", self.i):
                self.i += 1
                return out
            else:
                self.fail()

    def arr(self, depth):
        if depth > MAX_DEPTH:
            self.fail()
        self.i += 1
        out = []
        self.ws()
        if self.s.startswith("]", self.i):
            self.i += 1
            return out
        while True:
            out.append(self.value(depth))
            self.ws()
            if self.s.startswith(",", self.i):
                self.i += 1
            elif self.s.startswith("]", self.i):
                self.i += 1
                return out
            else:
                self.fail()

    def duplicate(self, name):
        """REQ-JSON-4: a repeated member name refuses the whole text."""
        self.fail()

    def lone_surrogate(self, unit):
        """REQ-JSON-5: an escaped surrogate that is not part of a pair is refused."""
        self.fail()

    def hex4(self):
        h = self.s[self.i : self.i + 4]
        if len(h) != 4 or any(c not in HEX for c in h):
            self.fail()
        self.i += 4
        return int(h, 16)

    def string(self):
        s = self.s
        self.i += 1
        parts = []
        while True:
            m = PLAIN.match(s, self.i)
            parts.append(m.group())
            self.i = m.end()
            if self.i >= len(s):
                self.fail()
            c = s[self.i]
            if c == '"':
                self.i += 1
                return "".join(parts)
            if c != "\\":
                self.fail()  # a raw control character
            self.i += 1
            e = s[self.i : self.i + 1]
            self.i += 1
            if e in ESCAPES:
                parts.append(ESCAPES[e])
            elif e == "u":
                u = self.hex4()
                if 0xD800 <= u <= 0xDBFF and s.startswith("\\u", self.i):
                    after_high = self.i
                    self.i += 2
                    low = self.hex4()
                    if 0xDC00 <= low <= 0xDFFF:
                        parts.append(chr(0x10000 + ((u - 0xD800) << 10) + (low - 0xDC00)))
                        continue
                    self.i = after_high
                parts.append(self.lone_surrogate(u) if 0xD800 <= u <= 0xDFFF else chr(u))
            else:
                self.fail()


def parse(data):
    """Parses one strict JSON text (bytes) under the rules of section 2."""
    if data.startswith(b"\xef\xbb\xbf"):
        raise Reject("malformed")
    try:
        text = data.decode("utf-8", errors="strict")
    except UnicodeDecodeError:
        raise Reject("malformed") from None
    p = _Parser(text)
    value = p.value(0)
    p.ws()
    if p.i != len(text):
        raise Reject("malformed")
    return value


def es6_number(x):
    """ECMAScript Number.prototype.toString of a finite float (REQ-CANON-4)."""
    if x == 0:
        return "0"
    sign = "-" if x < 0 else ""
    r = repr(abs(x))
    mantissa, _, exp = r.partition("e")
    whole, _, frac = mantissa.partition(".")
    digits = whole + frac
    point = len(whole) + (int(exp) if exp else 0)
    stripped = digits.lstrip("0")
    point -= len(digits) - len(stripped)
    digits = stripped.rstrip("0")
    k, n = len(digits), point
    if k <= n <= 21:
        out = digits + "0" * (n - k)
    elif 0 < n <= 21:
        out = digits[:n] + "." + digits[n:]
    elif -6 < n <= 0:
        out = "0." + "0" * (-n) + digits
    else:
        e = n - 1
        e_text = ("+" if e >= 0 else "-") + str(abs(e))
        out = digits + "e" + e_text if k == 1 else digits[0] + "." + digits[1:] + "e" + e_text
    return sign + out


SHORT = {'"': '\\"', "\\": "\\\\", "\b": "\\b", "\f": "\\f", "\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _string(s, out):
    out.append('"')
    for c in s:
        if c in SHORT:
            out.append(SHORT[c])
        elif c < " ":
            out.append("\\u%04x" % ord(c))
        else:
            out.append(c)
    out.append('"')


def utf16_key(name):
    return name.encode("utf-16-be")


def _write(value, out):
    if value is None:
        out.append("null")
    elif value is True:
        out.append("true")
    elif value is False:
        out.append("false")
    elif isinstance(value, Num):
        out.append(es6_number(value.value))
    elif isinstance(value, int):
        out.append(str(value))
    elif isinstance(value, str):
        _string(value, out)
    elif isinstance(value, list):
        out.append("[")
        for i, item in enumerate(value):
            if i:
                out.append(",")
            _write(item, out)
        out.append("]")
    else:
        out.append("{")
        for i, name in enumerate(sorted(value, key=utf16_key)):
            if i:
                out.append(",")
            _string(name, out)
            out.append(":")
            _write(value[name], out)
        out.append("}")


def serialize(value):
    """The RFC 8785 form of a parsed value, as bytes."""
    out = []
    _write(value, out)
    return "".join(out).encode("utf-8")


def canonicalize(data):
    """Canonical form of a strict JSON text (REQ-CANON-6)."""
    return serialize(parse(data))


# Section 4.
KIND = re.compile(r"[a-z][a-z0-9._-]{0,63}")
NONCE = re.compile(r"[A-Za-z0-9_-]{22,128}")
SIG = re.compile(r"[0-9a-f]{64}")
B64URL = re.compile(r"[A-Za-z0-9_-]*")


def nbytes(s):
    return len(s.encode("utf-8"))


def _malformed():
    raise Reject("malformed")


def _check_target(v):
    def address(a):
        if not isinstance(a, str) or not 1 <= nbytes(a) <= 256:
            _malformed()

    if v is None:
        return
    if isinstance(v, str):
        address(v)
    elif isinstance(v, list) and 1 <= len(v) <= 32:
        for a in v:
            address(a)
    else:
        _malformed()


def _check_optional(v, limit):
    if v is not None and not (isinstance(v, str) and nbytes(v) <= limit):
        _malformed()


def _check_headers(v):
    if not isinstance(v, dict) or len(v) > 32:
        _malformed()
    for name, value in v.items():
        if not 1 <= nbytes(name) <= 128 or not isinstance(value, str) or nbytes(value) > 1024:
            _malformed()


def _ts(v):
    ts = v.integer() if isinstance(v, Num) else None
    if ts is None or not 0 <= ts <= MAX_TS:
        _malformed()
    return ts


def check_members(env):
    """Steps 3 to 5 of REQ-VERIFY-1; returns (ts, sig bytes)."""
    if not isinstance(env, dict):
        _malformed()
    v = env.get("v")
    version = v.integer() if isinstance(v, Num) else None
    if version is None:
        _malformed()
    if version != 1:
        raise Reject("unsupported_version")
    ts = None
    for name, value in env.items():
        if name in ("v", "sig"):
            continue
        if name == "kind":
            if not isinstance(value, str) or not KIND.fullmatch(value):
                _malformed()
        elif name == "payload":
            if not isinstance(value, str):
                _malformed()
        elif name == "ts":
            ts = _ts(value)
        elif name == "nonce":
            if not isinstance(value, str) or not NONCE.fullmatch(value):
                _malformed()
        elif name == "target":
            _check_target(value)
        elif name == "trace_id":
            _check_optional(value, 128)
        elif name == "reply_to":
            _check_optional(value, 256)
        elif name == "headers":
            _check_headers(value)
        else:
            _malformed()
    if any(m not in env for m in ("kind", "payload", "ts", "nonce")):
        _malformed()
    if "sig" not in env:
        raise Reject("sig_missing")
    sig = env["sig"]
    if not isinstance(sig, str) or not SIG.fullmatch(sig):
        raise Reject("sig_malformed")
    return ts, bytes.fromhex(sig)


def max_encoded(max_payload):
    return 4 * ((max_payload + 2) // 3)


def decode_payload(text, max_payload):
    """Step 7: size before decoding, strict base64url, size after decoding."""
    if nbytes(text) > max_encoded(max_payload):  # UTF-8 bytes, not characters (REQ-ENV-13)
        raise Reject("oversize")
    if not B64URL.fullmatch(text) or len(text) % 4 == 1:
        _malformed()
    data = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    if encode_payload(data) != text:
        _malformed()  # non-zero trailing bits
    if len(data) > max_payload:
        raise Reject("oversize")
    return data


def encode_payload(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def signature_base(env):
    return SIG_PREFIX + serialize({k: v for k, v in env.items() if k != "sig"})


def mac(secret, base):
    return hmac.new(secret, base, hashlib.sha256).digest()


# Section 10.
TRANSPORTS = {
    "tcp_local": ("bind_host", "bind_port", "tls"),
    "unix_local": ("socket_path", "socket_mode", "allowed_peer_uids", "tls"),
    "spool": ("spool_dir",),
}
TRANSPORT_MEMBERS = ("bind_host", "bind_port", "socket_path", "socket_mode", "allowed_peer_uids", "spool_dir", "tls")
TOP = ("transport", "replay_store", "auth", "max_payload_bytes", "max_envelope_bytes", "allowed_kinds") + TRANSPORT_MEMBERS
AUTH = ("mode", "secret_hex", "ttl_seconds", "nonce_cache_size")
TLS = ("cert", "key", "client_ca")
STORE = ("kind", "url")
# REQ-CONFIG-20: loopback, a port 1-65535 and a database 0-15 in plain decimal, nothing else.
STORE_URL = re.compile(r"redis://(127\.0\.0\.1|\[::1\]):([1-9][0-9]{0,4})(?:/(0|[1-9]|1[0-5]))?")
HEX_DIGITS = re.compile(r"(?:[0-9a-fA-F]{2})*")
MAX_PATH_BYTES = 4095  # REQ-CONFIG-14
MAX_SOCKET_PATH_BYTES = 107  # REQ-CONFIG-15: sun_path less its NUL
ABSTRACT_NAME = re.compile(r"@[\x21-\x7e]{1,%d}" % MAX_SOCKET_PATH_BYTES)
SOCKET_MODE = re.compile(r"0[67][0-7]0")  # REQ-CONFIG-16
MAX_PEER_UIDS = 1024  # REQ-CONFIG-17
MAX_UID = 2**32 - 2


def is_path(v):
    """REQ-CONFIG-14: absolute, no empty, . or .. component, no control character, 4095 bytes."""
    return (
        isinstance(v, str)
        and v.startswith("/")
        and len(v.encode("utf-8")) <= MAX_PATH_BYTES
        and not any(ord(c) < 0x20 or c == "\x7f" for c in v)
        and all(part not in ("", ".", "..") for part in v[1:].split("/"))
    )


def is_socket_path(v):
    """REQ-CONFIG-15: a path of at most 107 bytes, or @ and 1-107 characters U+0021-U+007E."""
    if isinstance(v, str) and v.startswith("@"):
        return ABSTRACT_NAME.fullmatch(v) is not None
    return is_path(v) and len(v.encode("utf-8")) <= MAX_SOCKET_PATH_BYTES


class Config:
    """A validated receiver config."""

    def __init__(self, value):
        def bad(field):
            raise Reject("config_invalid", field)

        def integer(obj, name, field, low, high):
            v = obj.get(name)
            n = v.integer() if isinstance(v, Num) else None
            if n is None or not low <= n <= min(high, MAX_TS):
                bad(field)
            return n

        if not isinstance(value, dict):
            bad("")
        for name in value:
            if name not in TOP:
                bad(name)
        transport = value.get("transport")
        if not isinstance(transport, str) or transport not in TRANSPORTS:
            bad("transport")
        self.transport = transport
        own = TRANSPORTS[transport]
        for name in value:  # REQ-CONFIG-13: another transport's member
            if name in TRANSPORT_MEMBERS and name not in own:
                bad(name)
        if transport == "tcp_local":
            if value.get("bind_host") not in ("127.0.0.1", "::1"):
                bad("bind_host")
            self.bind_host = value["bind_host"]
            self.bind_port = integer(value, "bind_port", "bind_port", 0, 65535)
        elif transport == "unix_local":
            self.socket_path = value.get("socket_path")
            if not is_socket_path(self.socket_path):
                bad("socket_path")
            abstract = self.socket_path.startswith("@")
            mode = value.get("socket_mode")
            if "socket_mode" in value and (abstract or not isinstance(mode, str) or not SOCKET_MODE.fullmatch(mode)):
                bad("socket_mode")
            self.socket_mode = mode
            uids = value.get("allowed_peer_uids")
            if not isinstance(uids, list) or not 1 <= len(uids) <= MAX_PEER_UIDS:
                bad("allowed_peer_uids")
            numbers = [u.integer() if isinstance(u, Num) else None for u in uids]
            if any(n is None or not 0 <= n <= MAX_UID for n in numbers) or len(set(numbers)) != len(numbers):
                bad("allowed_peer_uids")
            self.allowed_peer_uids = numbers
        else:
            self.spool_dir = value.get("spool_dir")
            if not is_path(self.spool_dir):
                bad("spool_dir")
        self.tls = value.get("tls")
        if "tls" in value:  # REQ-CONFIG-19
            if not isinstance(self.tls, dict):
                bad("tls")
            for name in self.tls:
                if name not in TLS:
                    bad("tls." + name)
            for name in TLS:
                if not is_path(self.tls.get(name)):
                    bad("tls." + name)
        self.replay_store = value.get("replay_store")
        if "replay_store" in value:  # REQ-CONFIG-20
            if not isinstance(self.replay_store, dict):
                bad("replay_store")
            for name in self.replay_store:
                if name not in STORE:
                    bad("replay_store." + name)
            if self.replay_store.get("kind") != "redis":
                bad("replay_store.kind")
            url = self.replay_store.get("url")
            match = STORE_URL.fullmatch(url) if isinstance(url, str) else None
            if match is None or int(match.group(2)) > 65535:
                bad("replay_store.url")
        auth = value.get("auth")
        if not isinstance(auth, dict):
            bad("auth")
        for name in auth:
            if name not in AUTH:
                bad("auth." + name)
        if auth.get("mode") != "hmac":
            bad("auth.mode")
        secret = auth.get("secret_hex")
        if not isinstance(secret, str) or not HEX_DIGITS.fullmatch(secret) or len(secret) < 64:
            bad("auth.secret_hex")
        self.secret = bytes.fromhex(secret)
        self.ttl = integer(auth, "ttl_seconds", "auth.ttl_seconds", 1, 86400)
        self.cache_size = integer(auth, "nonce_cache_size", "auth.nonce_cache_size", 1, 10_000_000)
        self.max_payload = integer(value, "max_payload_bytes", "max_payload_bytes", 1, 16_777_216)
        if "max_envelope_bytes" in value:
            self.max_envelope = integer(value, "max_envelope_bytes", "max_envelope_bytes", 1, MAX_TS)
        else:
            self.max_envelope = max_encoded(self.max_payload) + 16384
        kinds = value.get("allowed_kinds")
        if (
            not isinstance(kinds, list)
            or not kinds
            or any(not isinstance(k, str) or not KIND.fullmatch(k) for k in kinds)
            or len(set(kinds)) != len(kinds)
        ):
            bad("allowed_kinds")
        self.allowed_kinds = list(kinds)


class Verifier:
    """One receiver: a config, a clock that never goes back, and a replay cache."""

    def __init__(self, config):
        self.config = config
        self.clock = 0
        self.nonces = {}  # nonce -> ts + ttl
        self.expiries = []  # heap of (ts + ttl, nonce)

    # The steps of verify are methods, so that each rule has one place (and the zoo of broken
    # implementations in conformance/zoo/ can break exactly one of them).

    def observe(self, now):
        """REQ-TTL-3: the clock never goes back; REQ-REPLAY-1: forget ended windows."""
        self.clock = max(self.clock, now)
        while self.expiries and self.expiries[0][0] < self.clock:
            expiry, nonce = heapq.heappop(self.expiries)
            if self.nonces.get(nonce) == expiry:
                del self.nonces[nonce]
        return self.clock

    def kind_allowed(self, kind):
        """REQ-KIND-1: exact match."""
        return kind in self.config.allowed_kinds

    def check_time(self, ts, now):
        """REQ-TTL-1, REQ-TTL-2: equality is accepted."""
        if now - ts > self.config.ttl:
            raise Reject("expired")
        if ts - now > self.config.ttl:
            raise Reject("from_future")

    def mac_matches(self, env, sig):
        """REQ-SIG-3 to REQ-SIG-5: the MAC of the canonical base, compared in constant time."""
        return hmac.compare_digest(mac(self.config.secret, signature_base(env)), sig)

    def check_replay(self, nonce):
        """REQ-REPLAY-2, REQ-REPLAY-4, REQ-REPLAY-5."""
        if nonce in self.nonces:
            raise Reject("replay")
        if len(self.nonces) >= self.config.cache_size:
            raise Reject("replay_cache_full")

    def remember(self, nonce, expiry):
        """REQ-REPLAY-1: remembered while now <= ts + ttl."""
        self.nonces[nonce] = expiry
        heapq.heappush(self.expiries, (expiry, nonce))

    def verify(self, raw, now):
        """The message (a dict of the envelope's members, payload decoded) or Reject."""
        message = self.authenticate(raw, now)
        self.check_replay(message["nonce"])
        self.remember(message["nonce"], message["ts"] + self.config.ttl)
        return message

    def authenticate(self, raw, now):
        """Steps 1-9 of REQ-VERIFY-1: the message, or Reject; the replay step is the caller's
        (verify's own cache, or a shared store: SIPC/1 section 16)."""
        c = self.config
        now = self.observe(now)
        if len(raw) > c.max_envelope:
            raise Reject("oversize")
        env = parse(raw)
        ts, sig = check_members(env)
        if not self.kind_allowed(env["kind"]):
            raise Reject("kind_not_allowed")
        payload = decode_payload(env["payload"], c.max_payload)
        self.check_time(ts, now)
        if not self.mac_matches(env, sig):
            raise Reject("bad_signature")
        message = {k: v for k, v in env.items() if k not in ("v", "sig")}
        message["payload"] = payload
        message["ts"] = ts
        return message


def sign(config, fields):
    """The canonical signed envelope for fields (a dict with payload as bytes)."""
    env = {"v": 1, "kind": fields["kind"], "payload": encode_payload(fields["payload"]), "ts": fields["ts"], "nonce": fields["nonce"]}
    for name in ("target", "trace_id", "reply_to", "headers"):
        if name in fields:
            env[name] = fields[name]
    env["sig"] = mac(config.secret, signature_base(env)).hex()
    return serialize(env)
