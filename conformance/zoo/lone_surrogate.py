# caught-by: JSON-SURROGATE
"""Reads escaped lone surrogates as U+FFFD instead of refusing them (as many JSON libraries do)."""
from _zoo import serve, sipc1

sipc1._Parser.lone_surrogate = lambda self, unit: "\ufffd"
serve("lone_surrogate")
