# profile: hmac-json-sorted-keys
# caught-by: HMACJSON-SIG-MANGLED
"""Accepts a MAC the expected one starts with: a truncated or empty MAC verifies."""
from _zoo_sorted import sorted_dumps, with_verify

with_verify("hjs_prefix", sorted_dumps, lambda received, expected: expected.startswith(received))
