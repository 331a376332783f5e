# profile: hmac-json-sorted-keys
# caught-by: HMACJSON-SIG-MANGLED
"""Compares with == after lower-casing the received MAC."""
from _zoo_sorted import sorted_dumps, with_verify

with_verify("hjs_lower_eq", sorted_dumps, lambda received, expected: str(received).lower() == expected)
