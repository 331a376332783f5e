"""slack_sdk 3.48.0 reads X-Slack-Request-Timestamp with a bare int(): is_valid_request raises
ValueError on a header it cannot read, and accepts non-ASCII digits. Needs only `slack_sdk`."""
import sys

from slack_sdk.signature import Clock, SignatureVerifier


class At(Clock):
    """The library's own clock parameter, fixed so that the output is the same every run."""

    def now(self):
        return 1700000000


secret = "8f742231b10e8888abcd99yyyzzz85a5"
verifier = SignatureVerifier(secret, clock=At())
body = "token=xyz&team_id=T1&command=%2Fweather&text=94070"
t = "1700000000"
findings = 0
for label, ts in [("empty", ""), ("a fraction", t + ".0"), ("letters", t + "abc"), ("two headers folded", t + ", " + t)]:
    sig = verifier.generate_signature(timestamp=ts, body=body)
    try:
        print(f"{label}: returned {verifier.is_valid(body=body, timestamp=ts, signature=sig)}")
    except ValueError as e:
        print(f"{label}: raised ValueError: {e}")
        findings += 1
for label, ts in [("underscores", t[:1] + "_" + t[1:]), ("Arabic-Indic digits", "".join(chr(0x660 + int(d)) for d in t)), ("fullwidth digits", "".join(chr(0xFF10 + int(d)) for d in t))]:
    sig = verifier.generate_signature(timestamp=ts, body=body)
    ok = verifier.is_valid(body=body, timestamp=ts, signature=sig)
    print(f"{label}: {'accepted' if ok else 'refused'}")
    findings += ok
sys.exit(0 if findings else 1)
