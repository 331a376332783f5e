# profile: slack
# caught-by: SLACK-SIG-MANGLED
"""Compares the first 16 hex digits only."""
from _zoo import serve, webhooks

webhooks.any_match = lambda expected, candidates: any(expected[:16] == c.encode()[:16] for c in candidates)
serve("slack_prefix16")
