# caught-by: JSON-DUP
"""Lets duplicate member names through; the last one wins, as in most JSON libraries."""
from _zoo import serve, sipc1

sipc1._Parser.duplicate = lambda self, name: None  # the later value overwrites the earlier
serve("duplicate_keys")
