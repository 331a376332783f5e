# profile: stripe
# caught-by: STRIPE-APP-REPLAY
"""The application verifies signatures but never remembers event ids."""
from _zoo import serve, webhooks


def receive(self, headers, body, now):
    if len(body) > self.max_body:
        raise webhooks.Reject("oversize")
    self.verifier.verify(headers, body, now)
    if webhooks.event_id(body) is None:
        raise webhooks.Reject("malformed_body")


webhooks.Application.receive = receive
serve("stripe_no_dedupe")
