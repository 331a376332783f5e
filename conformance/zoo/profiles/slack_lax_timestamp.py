# profile: slack
# caught-by: SLACK-TS-SYNTAX
"""Reads the timestamp with int(float(text)): fractions, exponents and spaces pass."""
from _zoo import serve, webhooks


def lax(text):
    try:
        return int(float(text))
    except ValueError:
        raise webhooks.Reject("malformed_timestamp")


webhooks.parse_timestamp = lax
serve("slack_lax_timestamp")
