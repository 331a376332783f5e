"""Shared by the Python members of the profile zoo for hmac-json-sorted-keys: each is
sorted_hmac_adapter.py (the scheme as described) with exactly one classic bug (see _zoo.py)."""

import hashlib
import hmac
import json
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "adapters", "python"))

import sorted_hmac  # noqa: E402
import sorted_hmac_adapter  # noqa: E402


def with_verify(name, dumps, same):
    """Serves the adapter with a verifier whose re-serialization and compare are swapped."""

    def verify(result, secret):
        received = result.pop("hmac")
        expected = hmac.new(secret, dumps(result).encode(), hashlib.sha256).hexdigest()
        return same(received, expected)

    sorted_hmac.verify = verify
    sorted_hmac_adapter.IMPLEMENTATION = "zoo/profiles/" + name
    sorted_hmac_adapter.main()


def sorted_dumps(result):
    return json.dumps(result, sort_keys=True)
