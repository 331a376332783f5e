"""standardwebhooks (PyPI) 1.1.0 decodes v1 signatures with base64.b64decode, which ignores
what follows the padding: the genuine signature with characters appended verifies.
Needs only `standardwebhooks`."""
import sys
import time
from datetime import datetime, timezone

from standardwebhooks.webhooks import Webhook

wh = Webhook("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")
now = int(time.time())
body = '{"type":"contact.created"}'
good = wh.sign("msg_1", datetime.fromtimestamp(now, tz=timezone.utc), body)
accepted = 0
for label, value in [("signature + 'A'", good + "A"), ("signature + 'AAA='", good + "AAA=")]:
    headers = {"webhook-id": "msg_1", "webhook-timestamp": str(now), "webhook-signature": value}
    try:
        wh.verify(body.encode(), headers)
        print(f"{label}: accepted")
        accepted += 1
    except Exception as e:
        print(f"{label}: refused ({type(e).__name__})")
sys.exit(0 if accepted else 1)
