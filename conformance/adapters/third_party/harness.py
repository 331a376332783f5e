"""The sipc-adapter/1 loop shared by the adapters around third-party Python libraries
(spec/ADAPTER.md, "Profiles"). Each adapter gives a `Library`; the harness turns its answers
into verdicts:

- the library returns            -> {"verdict": "accept"}
- it raises a documented failure -> {"verdict": "reject", "error": "unspecified"}
- it raises anything else        -> {"verdict": "crash", "exception": "Type: message"}

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


class Library:
    """What an adapter provides."""

    profile = ""
    implementation = ""
    version = ""
    failures = ()  # the exception types the library documents as a verification failure

    def verify(self, config, now, headers, body):
        raise NotImplementedError

    def sign(self, config, message, body):
        raise NotImplementedError


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
            library.verify(request["config"], request["now"], headers, body)
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
