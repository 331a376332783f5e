# caught-by: JSON-DUP
"""Lets duplicate member names through; the last one wins, as in most JSON libraries."""
from _zoo import serve, sipc1


def obj(self, depth):
    self.i += 1
    out = {}
    self.ws()
    if self.s.startswith("}", self.i):
        self.i += 1
        return out
    while True:
        self.ws()
        if not self.s.startswith('"', self.i):
            self.fail()
        name = self.string()
        self.ws()
        if not self.s.startswith(":", self.i):
            self.fail()
        self.i += 1
        out[name] = self.value(depth)
        self.ws()
        if self.s.startswith(",", self.i):
            self.i += 1
        elif self.s.startswith("}", self.i):
            self.i += 1
            return out
        else:
            self.fail()


def guarded(self, depth):
    if depth > sipc1.MAX_DEPTH:
        self.fail()
    return obj(self, depth)


sipc1._Parser.obj = guarded
serve("duplicate_keys")
