# profile: stripe
# caught-by: STRIPE-MAC-OTHER
"""Verifies the body with surrounding whitespace stripped, as a framework that "cleans" the
raw body would: a body with a byte appended still verifies."""
from _zoo import serve, webhooks

verify = webhooks.Stripe.verify
webhooks.Stripe.verify = lambda self, headers, body, now: verify(self, headers, body.strip(), now)
serve("stripe_strips_body")
