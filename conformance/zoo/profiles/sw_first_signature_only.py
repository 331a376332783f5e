# profile: standard-webhooks
# caught-by: SW-ROTATION
"""Checks only the first entry of the signature list: a key rotation breaks deliveries."""
from _zoo import serve, webhooks

original = webhooks.any_match
webhooks.any_match = lambda expected, candidates: original(expected, candidates[:1])
serve("sw_first_signature_only")
