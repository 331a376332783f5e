#!/usr/bin/env python3
"""PyPI `slack_sdk`, as published, behind sipc-adapter/1 (profile slack).

The adapter calls `SignatureVerifier(signing_secret, clock).is_valid_request(body, headers)`,
the check Slack's Bolt and the SDK's own examples run on each request. Clock: the library's
own parameter (a `Clock` whose `now()` returns the request's `now`). The tolerance is the
library's fixed five minutes; the harness refuses a config with another one. A `False` answer
is the documented failure.
"""

import importlib.metadata

import harness
from slack_sdk.signature import Clock, SignatureVerifier


class Rejected(Exception):
    """is_valid_request answered False."""


class FixedClock(Clock):
    def __init__(self, now):
        self.seconds = now

    def now(self):
        return self.seconds


class Library(harness.Library):
    profile = "slack"
    implementation = "slack_sdk (PyPI)"
    version = importlib.metadata.version("slack_sdk")
    failures = (Rejected,)
    fixed_tolerance = 300

    def build(self, config):
        return SignatureVerifier(config["secret"])

    def verify(self, verifier, config, now, headers, body):
        verifier.clock = FixedClock(now)
        if not verifier.is_valid_request(body, harness.fold(headers)):
            raise Rejected()

    def sign(self, config, message, body):
        verifier = SignatureVerifier(config["secret"])
        ts = message["timestamp"]
        return [["X-Slack-Request-Timestamp", ts], ["X-Slack-Signature", verifier.generate_signature(timestamp=ts, body=body)]]


if __name__ == "__main__":
    harness.main(Library())
