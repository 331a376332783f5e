"""The sipc-adapter/1 loop shared by the adapters around third-party Python libraries
(spec/ADAPTER.md, "Profiles"). Each adapter gives a `Library`; the harness turns its answers
into verdicts:

- the library returns            -> {"verdict": "accept"}
- it raises a documented failure -> {"verdict": "reject", "error": "unspecified"}
- it raises anything else        -> {"verdict": "crash", "exception": "Type: message"}

A library has no config document: the harness checks the config's shape itself (members,
`tolerance_seconds`) and answers `config_invalid`, and a library that refuses the secret when
its verifier is built (any exception: that happens once, at start-up, not per message) is
`config_invalid` on `secret` too.

Headers reach the library as an HTTP server hands them to a handler: one entry per field name
(case-insensitive, the first spelling kept), repeated fields joined with ", " (RFC 9110 §5.3).
"""

import base64
import json
import sys

MAX_REQUEST = 64 << 20


def fold(headers):
    """[(name, value), ...] -> {name: value}, repeats joined with ", "."""
    out = {}
    spelling = {}
    for name, value in headers:
        key = name.lower()
        if key in spelling:
            out[spelling[key]] += ", " + value
        else:
            spelling[key] = name
            out[name] = value
    return out


def lookup(headers, name):
    """The folded value of header `name`, or None."""
    for n, v in fold(headers).items():
        if n.lower() == name:
            return v
    return None


MAX_TOLERANCE = 7 * 24 * 3600


class ConfigInvalid(Exception):
    def __init__(self, field):
        super().__init__(field)
        self.field = field


class Library:
    """What an adapter provides."""

    profile = ""
    implementation = ""
    version = ""
    failures = ()  # the exception types the library documents as a verification failure
    fixed_tolerance = None  # the tolerance of a library that has no parameter for it

    def build(self, config):
        """The library's verifier for `config` (called before each verify)."""
        return None

    def verify(self, verifier, config, now, headers, body):
        raise NotImplementedError

    def sign(self, config, message, body):
        raise NotImplementedError


def check_config(library, config):
    """The config's shape, as far as the library is concerned; raises ConfigInvalid."""
    if not isinstance(config, dict):
        raise ConfigInvalid("config")
    for name in config:
        if name not in ("secret", "tolerance_seconds", "application"):
            raise ConfigInvalid(name)
    if not isinstance(config.get("secret"), str) or config["secret"] == "":
        raise ConfigInvalid("secret")
    tolerance = config.get("tolerance_seconds", 300)
    if type(tolerance) is not int or not 0 <= tolerance <= MAX_TOLERANCE:
        raise ConfigInvalid("tolerance_seconds")
    if library.fixed_tolerance is not None and tolerance != library.fixed_tolerance:
        raise ConfigInvalid("tolerance_seconds")
    try:
        return library.build(config)
    except Exception:  # noqa: BLE001 - refusing a secret at start-up is correct
        raise ConfigInvalid("secret")


def crash(e):
    return {"verdict": "crash", "exception": "%s: %s" % (type(e).__name__, e)}


def handle(library, request):
    op = request.get("op")
    if op == "hello":
        return {
            "implementation": library.implementation,
            "version": library.version,
            "ops": ["hello", "verify", "sign"],
            "profiles": [library.profile],
        }
    if request.get("profile") != library.profile or op not in ("verify", "sign"):
        return {"error": "unsupported_op"}
    message = request["message"]
    body = base64.b64decode(message["body_b64"], validate=True)
    if op == "verify":
        headers = [(n, v) for n, v in message["headers"]]
        try:
            verifier = check_config(library, request["config"])
        except ConfigInvalid as e:
            return {"verdict": "reject", "error": "config_invalid", "field": e.field}
        try:
            library.verify(verifier, request["config"], request["now"], headers, body)
        except library.failures:
            return {"verdict": "reject", "error": "unspecified"}
        except Exception as e:  # noqa: BLE001 - anything else is the finding
            return crash(e)
        return {"verdict": "accept"}
    try:
        return {"headers": [[n, v] for n, v in library.sign(request["config"], message, body)]}
    except Exception as e:  # noqa: BLE001
        return crash(e)


def main(library):
    stdin = sys.stdin.buffer
    out = sys.stdout
    while True:
        line = stdin.readline(MAX_REQUEST)
        if not line:
            return
        rid = None
        try:
            request = json.loads(line)
            rid = request.get("id")
            body = handle(library, request)
        except (KeyError, ValueError, TypeError, AttributeError) as e:
            body = {"error": "bad_request", "detail": str(e)}
        out.write(json.dumps(dict({"id": rid}, **body), separators=(",", ":")) + "\n")
        out.flush()
