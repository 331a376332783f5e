#!/usr/bin/env python3
"""The sipc-adapter/1 protocol (spec/ADAPTER.md) over stdin/stdout for sipc1.py.

Run `sipc run --adapter 'python3 conformance/adapters/python/sipc_adapter.py'`.
"""

import base64
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import sipc1  # noqa: E402

IMPLEMENTATION = "sipc1.py (Python %d.%d)" % sys.version_info[:2]
OPS = ["hello", "verify", "reset", "sign", "canonicalize", "check_config"]
MAX_REQUEST = 64 << 20


def b64(data):
    return base64.b64encode(data).decode("ascii")


def unb64(text):
    return base64.b64decode(text.encode("ascii"), validate=True)


def plain(value):
    """A parsed value as ordinary Python data for json.dumps."""
    if isinstance(value, sipc1.Num):
        n = value.integer()
        return n if n is not None else value.value
    if isinstance(value, list):
        return [plain(v) for v in value]
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    return value


def accepted(message):
    """The accept verdict for a message verify returned (also the TCP answer, REQ-TCP-3)."""
    out = {"verdict": "accept"}
    for name, value in message.items():
        if name == "payload":
            out["payload_b64"] = b64(value)
        else:
            out[name] = plain(value)
    return out


class Adapter:
    def __init__(self, impl=sipc1):
        self.impl = impl
        self.states = {}

    def config(self, request):
        return self.impl.Config(request.get("config"))

    def verify(self, request):
        state = request.get("state")
        verifier = self.states.get(state) if state is not None else None
        if verifier is None:
            verifier = self.impl.Verifier(self.config(request))
            if state is not None:
                self.states[state] = verifier
        now = request["now"].integer()
        return accepted(verifier.verify(unb64(request["envelope_b64"]), now))

    def sign(self, request):
        config = self.config(request)
        f = request["fields"]
        fields = {k: plain(v) for k, v in f.items() if k != "payload_b64"}
        fields["payload"] = unb64(f["payload_b64"])
        return {"envelope_b64": b64(self.impl.sign(config, fields))}

    def handle(self, request):
        op = request.get("op")
        try:
            if op == "hello":
                return {"implementation": IMPLEMENTATION, "version": "0.1.0", "ops": OPS}
            if op == "reset":
                self.states.clear()
                return {"ok": True}
            if op == "verify":
                return self.verify(request)
            if op == "sign":
                return self.sign(request)
            if op == "canonicalize":
                return {"canonical_b64": b64(self.impl.canonicalize(unb64(request["json_b64"])))}
            if op == "check_config":
                self.config(request)
                return {"verdict": "accept"}
            return {"error": "unsupported_op"}
        except self.impl.Reject as r:
            if r.code == "config_invalid":
                return {"verdict": "reject", "error": r.code, "field": r.field}
            if op == "canonicalize":
                return {"error": r.code}
            return {"verdict": "reject", "error": r.code}


def main(impl=sipc1):
    adapter = Adapter(impl)
    stdin = sys.stdin.buffer
    out = sys.stdout
    while True:
        line = stdin.readline(MAX_REQUEST)
        if not line:
            return
        try:
            request = sipc1.parse(line.rstrip(b"\n"))
            rid = plain(request.get("id"))
            body = adapter.handle(request)
        except (sipc1.Reject, KeyError, ValueError, TypeError, AttributeError) as e:
            rid, body = None, {"error": "bad_request", "detail": str(e)}
        out.write(json.dumps(dict({"id": rid}, **body), separators=(",", ":")) + "\n")
        out.flush()


if __name__ == "__main__":
    main()
