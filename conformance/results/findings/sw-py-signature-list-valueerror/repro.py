"""standardwebhooks (PyPI) 1.1.0: Webhook.verify raises ValueError, not WebhookVerificationError,
on a webhook-signature entry without exactly one comma. Needs only `standardwebhooks`."""
import sys
import time
from datetime import datetime, timezone

from standardwebhooks.webhooks import Webhook, WebhookVerificationError

wh = Webhook("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")
now = int(time.time())
body = '{"type":"contact.created"}'
good = wh.sign("msg_1", datetime.fromtimestamp(now, tz=timezone.utc), body)
reproduced = 0
for label, value in [
    ("two spaces between two signatures", good + "  " + good),
    ("a leading space", " " + good),
    ("an entry without a comma", "junk " + good),
    ("an entry with two commas", good + ",x"),
]:
    headers = {"webhook-id": "msg_1", "webhook-timestamp": str(now), "webhook-signature": value}
    try:
        wh.verify(body.encode(), headers)
        print(f"{label}: accepted")
    except WebhookVerificationError as e:
        print(f"{label}: refused with WebhookVerificationError ({e})")
    except Exception as e:  # the finding
        print(f"{label}: raised {type(e).__name__}: {e}")
        reproduced += 1
sys.exit(0 if reproduced else 1)
