# profile: github
# caught-by: GITHUB-PREFIX
"""Takes whatever follows the last '=' as the signature: any prefix, or none, passes."""
from _zoo import serve, webhooks

verify = webhooks.Github.verify


def any_prefix(self, headers, body, now):
    value = webhooks.single(headers, "x-hub-signature-256").split("=")[-1]
    headers = [(n, "sha256=" + value if n.lower() == "x-hub-signature-256" else v) for n, v in headers]
    return verify(self, headers, body, now)


webhooks.Github.verify = any_prefix
serve("gh_any_prefix")
