"""svix (PyPI) 2.9.1: svix.webhooks.Webhook.verify raises UnicodeDecodeError, not
WebhookVerificationError, on a body that is not UTF-8 (it calls data.decode() first).
Needs only `svix`."""
import sys
import time

from svix.webhooks import Webhook, WebhookVerificationError

wh = Webhook("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")
now = int(time.time())
headers = {"webhook-id": "msg_1", "webhook-timestamp": str(now), "webhook-signature": "v1,AAAA"}
try:
    wh.verify(b'{"note":"\xff"}', headers)
    print("accepted")
except WebhookVerificationError as e:
    print(f"refused with WebhookVerificationError ({e})")
    sys.exit(1)
except Exception as e:
    print(f"a body with byte 0xFF and an arbitrary signature: raised {type(e).__name__}: {e}")
    sys.exit(0)
