# profile: github
# caught-by: GITHUB-DOWNGRADE
"""Falls back to the legacy SHA-1 X-Hub-Signature, checked first when present."""
import hashlib
import hmac

from _zoo import serve, webhooks

verify = webhooks.Github.verify


def with_sha1(self, headers, body, now):
    legacy = [v for n, v in headers if n.lower() == "x-hub-signature"]
    if legacy:
        good = "sha1=" + hmac.new(self.secret, body, hashlib.sha1).hexdigest()
        if hmac.compare_digest(legacy[0], good):
            return None, None
    return verify(self, headers, body, now)


webhooks.Github.verify = with_sha1
serve("gh_sha1_fallback")
