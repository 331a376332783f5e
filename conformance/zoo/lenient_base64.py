# caught-by: ENV-PAYLOAD
"""Decodes the payload with Python's forgiving decoder: padding, +, / and stray bits pass."""
import base64

from _zoo import serve, sipc1


def decode_payload(text, max_payload):
    if len(text) > sipc1.max_encoded(max_payload):
        raise sipc1.Reject("oversize")
    try:
        data = base64.b64decode(text.replace("-", "+").replace("_", "/") + "==")
    except ValueError:
        raise sipc1.Reject("malformed") from None
    if len(data) > max_payload:
        raise sipc1.Reject("oversize")
    return data


sipc1.decode_payload = decode_payload
serve("lenient_base64")
