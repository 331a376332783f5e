# caught-by: ENV-NULL
"""Drops null members before computing the signature base (null treated as absent)."""
from _zoo import serve, sipc1

original = sipc1.signature_base
sipc1.signature_base = lambda env: original({k: v for k, v in env.items() if v is not None})
serve("null_as_absent")
