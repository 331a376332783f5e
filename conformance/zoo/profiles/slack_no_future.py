# profile: slack
# caught-by: SLACK-TOLERANCE
"""Checks the timestamp's age only, not how far ahead it is."""
from _zoo import serve, webhooks

check = webhooks.check_window
webhooks.check_window = lambda ts, now, tolerance: check(ts, max(now, ts), tolerance)
serve("slack_no_future")
