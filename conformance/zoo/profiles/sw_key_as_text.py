# profile: standard-webhooks
# caught-by: SW-VALID
"""Keys the HMAC with the secret's text (Stripe's rule) instead of its base64-decoded bytes."""
from _zoo import serve, webhooks

init = webhooks.StandardWebhooks.__init__


def __init__(self, config):
    init(self, config)
    self.key = config.secret.encode()


webhooks.StandardWebhooks.__init__ = __init__
serve("sw_key_as_text")
