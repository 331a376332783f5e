"""stripe (PyPI) 16.1.0 reads t with int() and checks the signature over "%d" % t, not over the
header's text: one genuine signature verifies under many spellings of t. Needs only `stripe`."""
import sys
import time

import stripe

secret = "whsec_test_secret"
t = int(time.time())
body = '{"id":"evt_1","object":"event"}'
good = stripe.WebhookSignature.generate_signature_header(body, secret, timestamp=t).split(",v1=")[1]
arabic = "".join(chr(0x660 + int(d)) for d in str(t))
accepted = 0
for label, text in [("+T", "+%d" % t), ("0T", "0%d" % t), (" T", " %d" % t), ("T with _", str(t)[:1] + "_" + str(t)[1:]), ("Arabic-Indic digits", arabic)]:
    try:
        stripe.WebhookSignature.verify_header(body, "t=%s,v1=%s" % (text, good), secret, 300)
        print(f"t={label}: accepted with the signature made for T")
        accepted += 1
    except stripe.SignatureVerificationError:
        print(f"t={label}: refused")
sys.exit(0 if accepted else 1)
