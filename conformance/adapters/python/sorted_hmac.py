"""The sorted-keys HMAC-JSON scheme (spec/profiles/hmac-json-sorted-keys.md) as proposed for
signing model results: faithful to its description, flaws included. This is what such a team
runs; `sipc audit` shows what it fails to guarantee. Standard library only."""

import hashlib
import hmac
import json
import time


def sign(result, secret):
    """Adds `timestamp` and `hmac` to `result` (a dict) and returns the message's bytes."""
    result["timestamp"] = time.time()
    payload = json.dumps(result, sort_keys=True).encode()
    result["hmac"] = hmac.new(secret, payload, hashlib.sha256).hexdigest()
    return json.dumps(result).encode()


def verify(result, secret):
    """The proposal's verifier: True if `result`'s hmac matches. Raises what it raises."""
    received = result.pop("hmac")
    expected = hmac.new(secret, json.dumps(result, sort_keys=True).encode(), hashlib.sha256).hexdigest()
    return hmac.compare_digest(received, expected)


def read(body):
    """Our transport (the proposal has none): strict UTF-8, then json.loads. Raises ValueError
    (UnicodeDecodeError, json.JSONDecodeError) on bytes it cannot read."""
    return json.loads(body.decode("utf-8"))
