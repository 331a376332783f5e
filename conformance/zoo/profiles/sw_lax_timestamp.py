# profile: standard-webhooks
# caught-by: SW-TS-RERENDERED
"""Reads the timestamp with float() and signs over the number re-written, as several
libraries do: `+T`, `T.9`, `1.7e9`, fullwidth digits all verify."""
import math

from _zoo import serve, webhooks

verify = webhooks.StandardWebhooks.verify


def lax_verify(self, headers, body, now):
    text = webhooks.single(headers, "webhook-timestamp")
    try:
        canonical = str(math.floor(float(text)))
    except ValueError:
        raise webhooks.Reject("malformed_timestamp")
    headers = [(n, canonical if n.lower() == "webhook-timestamp" else v) for n, v in headers]
    return verify(self, headers, body, now)


webhooks.StandardWebhooks.verify = lax_verify
serve("sw_lax_timestamp")
