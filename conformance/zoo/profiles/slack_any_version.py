# profile: slack
# caught-by: SLACK-VERSION
"""Strips whatever comes before the first '=' of the signature."""
from _zoo import serve, webhooks

verify = webhooks.Slack.verify


def any_version(self, headers, body, now):
    headers = [(n, "v0=" + v.partition("=")[2] if n.lower() == "x-slack-signature" and "=" in v else v) for n, v in headers]
    return verify(self, headers, body, now)


webhooks.Slack.verify = any_version
serve("slack_any_version")
