# profile: standard-webhooks
# caught-by: SW-SIG-VERSION
"""Takes the signature of every entry, whatever its version (v2, v1a, V1)."""
from _zoo import serve, webhooks

verify = webhooks.StandardWebhooks.verify


def any_version(self, headers, body, now):
    value = webhooks.single(headers, "webhook-signature")
    rewritten = " ".join("v1," + e.partition(",")[2] if "," in e else e for e in value.split(" "))
    headers = [(n, rewritten if n.lower() == "webhook-signature" else v) for n, v in headers]
    return verify(self, headers, body, now)


webhooks.StandardWebhooks.verify = any_version
serve("sw_any_version")
