#!/usr/bin/env python3
"""The sipc-adapter/1 protocol (spec/ADAPTER.md, "Profiles") for sorted_hmac.py: the profile
hmac-json-sorted-keys, `verify` of a message body (no headers, no clock). What the scheme
raises is reported as `crash`, with the exception.

Run `sipc run --profile hmac-json-sorted-keys --adapter 'python3 conformance/adapters/python/sorted_hmac_adapter.py'`.
"""

import base64
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import sorted_hmac  # noqa: E402
import webhooks  # noqa: E402

PROFILE = "hmac-json-sorted-keys"
IMPLEMENTATION = "sorted_hmac.py (Python %d.%d)" % sys.version_info[:2]
MAX_REQUEST = 64 << 20


def verify(request):
    try:
        secret = webhooks.Config(request["config"]).secret.encode("utf-8", "surrogatepass")
    except webhooks.Reject as r:
        return {"verdict": "reject", "error": r.code, "field": r.field}
    body = base64.b64decode(request["message"]["body_b64"], validate=True)
    try:
        result = sorted_hmac.read(body)
        ok = sorted_hmac.verify(result, secret)
    except (UnicodeDecodeError, json.JSONDecodeError):
        return {"verdict": "reject", "error": "malformed_body"}
    except Exception as e:  # noqa: BLE001 - what the scheme lets through is the finding
        # json.loads also raises ValueError (an integer over 4 300 digits) and RecursionError.
        return {"verdict": "crash", "exception": "%s: %s" % (type(e).__name__, e)}
    return {"verdict": "accept"} if ok else {"verdict": "reject", "error": "bad_signature"}


def handle(request):
    op = request.get("op")
    if op == "hello":
        return {"implementation": IMPLEMENTATION, "version": "0.1.0", "ops": ["hello", "verify", "reset"], "profiles": [PROFILE]}
    if op == "reset":
        return {"ok": True}
    if op != "verify" or request.get("profile") != PROFILE or request.get("application"):
        return {"error": "unsupported_op"}
    return verify(request)


def main():
    stdin = sys.stdin.buffer
    while True:
        line = stdin.readline(MAX_REQUEST)
        if not line:
            return
        rid = None
        try:
            request = json.loads(line)
            rid = request.get("id")
            body = handle(request)
        except (KeyError, ValueError, TypeError, AttributeError) as e:
            body = {"error": "bad_request", "detail": str(e)}
        sys.stdout.write(json.dumps(dict({"id": rid}, **body), separators=(",", ":")) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
