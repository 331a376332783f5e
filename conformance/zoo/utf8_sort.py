# caught-by: CANON-SORT, ENV-WIRE
"""Sorts member names by code point (Python's default) instead of UTF-16 code units."""
from _zoo import serve, sipc1

sipc1.utf16_key = lambda name: name
serve("utf8_sort")
