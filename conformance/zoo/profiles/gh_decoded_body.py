# profile: github
# caught-by: GITHUB-BODY-BYTES
"""Signs over the body decoded as UTF-8 with replacement, as a framework's request.text gives it."""
from _zoo import serve, webhooks

signature = webhooks.Github.signature
webhooks.Github.signature = lambda self, body: signature(self, body.decode("utf-8", "replace").encode("utf-8"))
serve("gh_decoded_body")
