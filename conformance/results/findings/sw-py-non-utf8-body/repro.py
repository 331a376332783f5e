"""standardwebhooks (PyPI) 1.1.0: Webhook.verify raises UnicodeDecodeError, not
WebhookVerificationError, on a body that is not UTF-8 (it calls data.decode() first).
Needs only `standardwebhooks`."""
import sys
import time

from standardwebhooks.webhooks import Webhook, WebhookVerificationError

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
