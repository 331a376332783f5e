# profile: hmac-json-sorted-keys
# caught-by: HMACJSON-VALID
"""Re-serializes with ensure_ascii=False, so non-ASCII text is hashed as UTF-8."""
import json

from _zoo_sorted import hmac, with_verify

with_verify("hjs_no_ascii", lambda r: json.dumps(r, sort_keys=True, ensure_ascii=False), hmac.compare_digest)
