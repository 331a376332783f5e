"""slack_sdk 3.48.0 decodes a bytes body as UTF-8 before the MAC: is_valid_request raises
UnicodeDecodeError on a body that is not UTF-8. Needs only `slack_sdk`."""
import sys
import time

from slack_sdk.signature import SignatureVerifier

verifier = SignatureVerifier("8f742231b10e8888abcd99yyyzzz85a5")
# The current time, so that the request is inside the library's five minutes.
headers = {"X-Slack-Request-Timestamp": str(int(time.time())), "X-Slack-Signature": "v0=" + "0" * 64}
try:
    print("returned", verifier.is_valid_request(b'{"note":"\xff"}', headers))
except UnicodeDecodeError as e:
    print("raised UnicodeDecodeError:", e)
    sys.exit(0)
sys.exit(1)
