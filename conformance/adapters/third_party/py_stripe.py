#!/usr/bin/env python3
"""PyPI `stripe`, as published, behind sipc-adapter/1 (profile stripe).

The adapter calls `stripe.WebhookSignature.verify_header(payload, header, secret, tolerance)`,
the verification that `stripe.Webhook.construct_event` runs before it parses the event.
Clock: the library reads `time.time()` and has no clock parameter, so the adapter replaces the
`time` name inside `stripe._webhook` with an object whose `time()` returns the request's `now`.
"""

import importlib.metadata
import types

import harness
import stripe
import stripe._webhook as webhook_module


CLOCK = types.SimpleNamespace(now=0)
webhook_module.time = types.SimpleNamespace(time=lambda: CLOCK.now)


class Library(harness.Library):
    profile = "stripe"
    implementation = "stripe (PyPI)"
    version = importlib.metadata.version("stripe")
    failures = (stripe.SignatureVerificationError,)

    def verify(self, _verifier, config, now, headers, body):
        CLOCK.now = now
        header = harness.lookup(headers, "stripe-signature")
        stripe.WebhookSignature.verify_header(body, header, config["secret"], config.get("tolerance_seconds", 300))

    def sign(self, config, message, body):
        value = stripe.WebhookSignature.generate_signature_header(
            body.decode("utf-8"), config["secret"], timestamp=int(message["timestamp"])
        )
        return [["Stripe-Signature", value]]


if __name__ == "__main__":
    harness.main(Library())
