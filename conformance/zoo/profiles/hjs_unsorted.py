# profile: hmac-json-sorted-keys
# caught-by: HMACJSON-RESERIALIZED
"""Forgets sort_keys=True on the verifier's side: fine while the dict keeps the signer's order."""
import json

from _zoo_sorted import hmac, with_verify

with_verify("hjs_unsorted", json.dumps, hmac.compare_digest)
