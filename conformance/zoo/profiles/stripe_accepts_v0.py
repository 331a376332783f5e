# profile: stripe
# caught-by: STRIPE-DOWNGRADE
"""Verifies v0 signatures too: a downgrade to the test-mode scheme."""
from _zoo import serve, webhooks

verify = webhooks.Stripe.verify


def with_v0(self, headers, body, now):
    value = webhooks.single(headers, "stripe-signature")
    value = ",".join("v1=" + i[3:] if i.startswith("v0=") else i for i in value.split(","))
    headers = [(n, value if n.lower() == "stripe-signature" else v) for n, v in headers]
    return verify(self, headers, body, now)


webhooks.Stripe.verify = with_v0
serve("stripe_accepts_v0")
