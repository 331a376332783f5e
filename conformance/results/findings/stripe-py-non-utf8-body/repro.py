"""stripe (PyPI) 16.1.0: WebhookSignature.verify_header (and so Webhook.construct_event)
raises UnicodeDecodeError, not SignatureVerificationError, on a body that is not UTF-8, before
any signature is checked. Needs only `stripe`."""
import sys
import time

import stripe

header = "t=%d,v1=%s" % (int(time.time()), "0" * 64)
try:
    stripe.WebhookSignature.verify_header(b'{"id":"evt_1","note":"\xff"}', header, "whsec_test", 300)
    print("accepted")
except stripe.SignatureVerificationError as e:
    print(f"refused with SignatureVerificationError ({e})")
    sys.exit(1)
except Exception as e:
    print(f"a body with byte 0xFF and an arbitrary signature: raised {type(e).__name__}: {e}")
    sys.exit(0)
