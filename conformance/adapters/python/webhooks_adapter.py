#!/usr/bin/env python3
"""The sipc-adapter/1 protocol (spec/ADAPTER.md, "Profiles") for webhooks.py: the
standard-webhooks and stripe profiles, verify (with the application layer) and sign.

Run `sipc run --profile stripe --adapter 'python3 conformance/adapters/python/webhooks_adapter.py'`.
"""

import base64
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import webhooks  # noqa: E402

IMPLEMENTATION = "webhooks.py (Python %d.%d)" % sys.version_info[:2]
MAX_REQUEST = 64 << 20


class Adapter:
    def __init__(self):
        self.applications = {}

    def verify(self, request):
        profile = request["profile"]
        config = request["config"]
        message = request["message"]
        headers = [(n, v) for n, v in message["headers"]]
        body = base64.b64decode(message["body_b64"], validate=True)
        now = request["now"]
        if type(now) is not int:
            raise TypeError("now")
        if request.get("application"):
            state = request.get("state")
            app = self.applications.get(state)
            if app is None:
                app = webhooks.Application(profile, config)
                self.applications[state] = app
            app.receive(headers, body, now)
        else:
            webhooks.make_verifier(profile, config).verify(headers, body, now)
        return {"verdict": "accept"}

    def sign(self, request):
        verifier = webhooks.make_verifier(request["profile"], request["config"])
        message = request["message"]
        body = base64.b64decode(message["body_b64"], validate=True)
        return {"headers": verifier.sign(message.get("id", ""), message["timestamp"], body)}

    def handle(self, request):
        op = request.get("op")
        if op == "hello":
            return {
                "implementation": IMPLEMENTATION,
                "version": "0.1.0",
                "ops": ["hello", "verify", "application", "sign", "reset"],
                "profiles": sorted(webhooks.PROFILES),
            }
        if op == "reset":
            self.applications.clear()
            return {"ok": True}
        if request.get("profile") not in webhooks.PROFILES:
            return {"error": "unsupported_op"}
        try:
            if op == "verify":
                return self.verify(request)
            if op == "sign":
                return self.sign(request)
            return {"error": "unsupported_op"}
        except webhooks.Reject as r:
            out = {"verdict": "reject", "error": r.code}
            if r.field is not None:
                out["field"] = r.field
            return out


def main():
    adapter = Adapter()
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
            body = adapter.handle(request)
        except (KeyError, ValueError, TypeError, AttributeError) as e:
            body = {"error": "bad_request", "detail": str(e)}
        out.write(json.dumps(dict({"id": rid}, **body), separators=(",", ":")) + "\n")
        out.flush()


if __name__ == "__main__":
    main()
