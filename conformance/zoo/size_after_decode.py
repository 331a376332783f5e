# caught-by: SEC-IPC-05
# run-with: --strict
"""Decodes the payload first and checks only the decoded size (memory spent before the check)."""
import base64

from _zoo import serve, sipc1


def decode_payload(text, max_payload):
    if not sipc1.B64URL.fullmatch(text) or len(text) % 4 == 1:
        raise sipc1.Reject("malformed")
    data = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    if sipc1.encode_payload(data) != text:
        raise sipc1.Reject("malformed")
    if len(data) > max_payload:
        raise sipc1.Reject("oversize")
    return data


sipc1.decode_payload = decode_payload
serve("size_after_decode")
