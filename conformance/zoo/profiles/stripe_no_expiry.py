# profile: stripe
# caught-by: STRIPE-TOLERANCE
"""Never checks the timestamp's age: a captured event replays forever."""
from _zoo import serve, webhooks


def check_window(ts, now, tolerance):
    if ts - now > tolerance:
        raise webhooks.Reject("future")


webhooks.check_window = check_window
serve("stripe_no_expiry")
