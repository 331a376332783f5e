#!/usr/bin/env python3
"""PyPI `svix`, as published, behind sipc-adapter/1 (profile standard-webhooks).

Clock: svix verifies through the `standardwebhooks` package, which reads
`datetime.now(tz=timezone.utc)` with no clock parameter; the adapter replaces the `datetime`
name inside `standardwebhooks.webhooks` with a subclass whose `now()` returns the request's
`now`. The tolerance is fixed at five minutes; the harness refuses a config with another one.
"""

import importlib.metadata
from datetime import datetime, timezone

import harness
import standardwebhooks.webhooks as webhooks
from svix.webhooks import Webhook, WebhookVerificationError


class Clock(datetime):
    now_seconds = 0

    @classmethod
    def now(cls, tz=None):
        return datetime.fromtimestamp(cls.now_seconds, tz=tz or timezone.utc)


webhooks.datetime = Clock


class Library(harness.Library):
    profile = "standard-webhooks"
    implementation = "svix (PyPI)"
    version = importlib.metadata.version("svix")
    failures = (WebhookVerificationError,)
    fixed_tolerance = 300

    def build(self, config):
        return Webhook(config["secret"])

    def verify(self, webhook, config, now, headers, body):
        Clock.now_seconds = now
        webhook.verify(body, harness.fold(headers))

    def sign(self, config, message, body):
        ts = datetime.fromtimestamp(int(message["timestamp"]), tz=timezone.utc)
        signature = Webhook(config["secret"]).sign(message["id"], ts, body.decode("utf-8"))
        return [["webhook-id", message["id"]], ["webhook-timestamp", message["timestamp"]], ["webhook-signature", signature]]


if __name__ == "__main__":
    harness.main(Library())
