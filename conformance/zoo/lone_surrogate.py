# caught-by: JSON-SURROGATE
"""Reads escaped lone surrogates as U+FFFD instead of refusing them (as many JSON libraries do)."""
from _zoo import serve, sipc1


def string(self):
    # Read every escaped surrogate as a code unit, paired or not, and let the decoder replace
    # the lone ones with U+FFFD, as lenient parsers do.
    s = self.s
    self.i += 1
    parts = []
    while True:
        m = sipc1.PLAIN.match(s, self.i)
        parts.append(m.group())
        self.i = m.end()
        if self.i >= len(s):
            self.fail()
        c = s[self.i]
        if c == '"':
            self.i += 1
            return "".join(parts).encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")
        if c != "\\":
            self.fail()
        self.i += 1
        e = s[self.i : self.i + 1]
        self.i += 1
        if e in sipc1.ESCAPES:
            parts.append(sipc1.ESCAPES[e])
        elif e == "u":
            parts.append(chr(self.hex4()))
        else:
            self.fail()


sipc1._Parser.string = string
serve("lone_surrogate")
