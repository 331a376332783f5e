# profile: stripe
# caught-by: STRIPE-APP-SIZE
"""The body limit compares with >= : an event of exactly max_body_bytes is refused."""
from _zoo import serve, webhooks

receive = webhooks.Application.receive


def off_by_one(self, headers, body, now):
    if len(body) >= self.max_body:
        raise webhooks.Reject("oversize")
    return receive(self, headers, body, now)


webhooks.Application.receive = off_by_one
serve("stripe_limit_off_by_one")
