# profile: standard-webhooks
# caught-by: SW-TOLERANCE
"""Checks only that the timestamp is not too old: any future timestamp is accepted."""
from _zoo import serve, webhooks


def check_window(ts, now, tolerance):
    if now - ts > tolerance:
        raise webhooks.Reject("expired")


webhooks.check_window = check_window
serve("sw_no_future_check")
