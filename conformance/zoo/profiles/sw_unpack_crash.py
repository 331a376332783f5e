# profile: standard-webhooks
# caught-by: SW-SIG-LIST, SW-SIG-VERSION
"""Splits each signature entry with `version, sig = entry.split(",")` and lets the ValueError
out, as a handler would: an entry without exactly one comma is an unhandled exception. The
adapter reports it as the crash verdict (spec/ADAPTER.md, "Profiles")."""
import json
import sys

from _zoo import webhooks, webhooks_adapter

verify = webhooks.StandardWebhooks.verify


def unpacking_verify(self, headers, body, now):
    for entry in webhooks.single(headers, "webhook-signature").split(" "):
        version, sig = entry.split(",")
    return verify(self, headers, body, now)


webhooks.StandardWebhooks.verify = unpacking_verify
handle = webhooks_adapter.Adapter.handle


def crash_reporting(self, request):
    try:
        return handle(self, request)
    except ValueError as e:
        return {"verdict": "crash", "exception": "ValueError: %s" % e}


webhooks_adapter.Adapter.handle = crash_reporting
webhooks_adapter.IMPLEMENTATION = "zoo/profiles/sw_unpack_crash"
webhooks_adapter.main()
