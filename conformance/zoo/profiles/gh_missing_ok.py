# profile: github
# caught-by: GITHUB-HEADER-MISSING
"""Skips verification when no signature header came (a webhook configured without a secret)."""
from _zoo import serve, webhooks

verify = webhooks.Github.verify


def optional(self, headers, body, now):
    if not any(n.lower() == "x-hub-signature-256" and v for n, v in headers):
        return None, None
    return verify(self, headers, body, now)


webhooks.Github.verify = optional
serve("gh_missing_ok")
