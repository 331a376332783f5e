# profile: standard-webhooks
# caught-by: SW-APP-REPLAY
"""Records the webhook-id before verifying: a forgery burns the id of the genuine message."""
from _zoo import serve, webhooks


def receive(self, headers, body, now):
    if len(body) > self.max_body:
        raise webhooks.Reject("oversize")
    msg_id = webhooks.single(headers, "webhook-id")
    if msg_id in self.seen:
        raise webhooks.Reject("replay")
    self.seen[msg_id] = now + self.verifier.tolerance
    self.verifier.verify(headers, body, now)


webhooks.Application.receive = receive
serve("sw_records_forgeries")
