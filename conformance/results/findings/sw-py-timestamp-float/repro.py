"""standardwebhooks (PyPI) 1.1.0 reads webhook-timestamp with float() and checks the signature
over str(floor(ts)), not over the header's text: one genuine signature verifies under many
timestamp spellings. Needs only `standardwebhooks`."""
import sys
import time
from datetime import datetime, timezone

from standardwebhooks.webhooks import Webhook

wh = Webhook("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")
now = int(time.time())
body = '{"type":"contact.created"}'
good = wh.sign("msg_1", datetime.fromtimestamp(now, tz=timezone.utc), body)
t = str(now)
arabic = "".join(chr(0x660 + int(d)) for d in t)
accepted = 0
for label, text in [("+T", "+" + t), (" T", " " + t), ("T.9", t + ".9"), ("T with _", t[:1] + "_" + t[1:]), ("Arabic-Indic digits", arabic)]:
    headers = {"webhook-id": "msg_1", "webhook-timestamp": text, "webhook-signature": good}
    try:
        wh.verify(body.encode(), headers)
        print(f"timestamp {label}: accepted with the signature made for T")
        accepted += 1
    except Exception as e:
        print(f"timestamp {label}: refused ({type(e).__name__})")
sys.exit(0 if accepted else 1)
