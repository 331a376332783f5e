# profile: hmac-json-sorted-keys
# caught-by: HMACJSON-VALID
"""Re-serializes with compact separators (",", ":"), as a size-conscious refactor does."""
import json

from _zoo_sorted import hmac, with_verify

with_verify("hjs_compact", lambda r: json.dumps(r, sort_keys=True, separators=(",", ":")), hmac.compare_digest)
