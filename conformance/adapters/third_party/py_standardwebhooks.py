#!/usr/bin/env python3
"""PyPI `standardwebhooks`, as published, behind sipc-adapter/1 (profile standard-webhooks).

Clock: the library reads `datetime.now(tz=timezone.utc)` and has no clock parameter, so the
adapter replaces the `datetime` name inside `standardwebhooks.webhooks` with a subclass whose
`now()` returns the request's `now`. The tolerance is the library's fixed five minutes; the
harness refuses a config with another one. `verify` is called with `json_parse=False`, the
library's own option, so the body is not parsed as JSON.
"""

import importlib.metadata
from datetime import datetime, timezone

import harness
import standardwebhooks.webhooks as webhooks
from standardwebhooks.webhooks import Webhook, WebhookVerificationError


class Clock(datetime):
    now_seconds = 0

    @classmethod
    def now(cls, tz=None):
        return datetime.fromtimestamp(cls.now_seconds, tz=tz or timezone.utc)


webhooks.datetime = Clock


class Library(harness.Library):
    profile = "standard-webhooks"
    implementation = "standardwebhooks (PyPI)"
    version = importlib.metadata.version("standardwebhooks")
    failures = (WebhookVerificationError,)
    fixed_tolerance = 300

    def build(self, config):
        return Webhook(config["secret"])

    def verify(self, webhook, config, now, headers, body):
        Clock.now_seconds = now
        webhook.verify(body, harness.fold(headers), json_parse=False)

    def sign(self, config, message, body):
        ts = datetime.fromtimestamp(int(message["timestamp"]), tz=timezone.utc)
        wh = Webhook(config["secret"])
        signature = wh.sign(message["id"], ts, body.decode("utf-8"))
        return [["webhook-id", message["id"]], ["webhook-timestamp", message["timestamp"]], ["webhook-signature", signature]]


if __name__ == "__main__":
    harness.main(Library())
