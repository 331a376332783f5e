# profile: slack
# caught-by: SLACK-TOLERANCE
"""Verifies the signature and never looks at the clock."""
from _zoo import serve, webhooks

webhooks.check_window = lambda ts, now, tolerance: None
serve("slack_no_expiry")
