# caught-by: REPLAY-CLOCK
"""Uses each request's now as given, so a clock that steps back re-opens the window."""
from _zoo import serve, sipc1

original = sipc1.Verifier.observe


def observe(self, now):
    original(self, now)
    return now


sipc1.Verifier.observe = observe
serve("clock_back")
