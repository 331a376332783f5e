# profile: standard-webhooks
# caught-by: SW-SIG-MANGLED
"""Compares the first 16 characters of each signature: a truncated signature passes."""
import hmac

from _zoo import serve, webhooks


def any_match(expected, candidates):
    return any(hmac.compare_digest(expected[:16], c.encode()[:16]) for c in candidates)


webhooks.any_match = any_match
serve("sw_prefix_compare")
