# profile: stripe
# caught-by: STRIPE-VALID
"""Keys the HMAC with the base64 decoding of the secret after whsec_ (the Standard Webhooks
rule) instead of the secret's text."""
import base64

from _zoo import serve, webhooks

init = webhooks.Stripe.__init__


def __init__(self, config):
    init(self, config)
    text = self.secret[len("whsec_"):] if self.secret.startswith("whsec_") else self.secret
    self.secret = base64.b64decode(text + "==").decode("latin-1")


webhooks.Stripe.__init__ = __init__
serve("stripe_decoded_key")
