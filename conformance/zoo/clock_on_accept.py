# caught-by: REPLAY-CLOCK
"""Moves its clock only for envelopes it accepts: a refused request's now is forgotten."""
from _zoo import serve, sipc1

original = sipc1.Verifier.verify


def verify(self, raw, now):
    clock = self.clock
    try:
        return original(self, raw, now)
    except sipc1.Reject:
        self.clock = clock
        raise


sipc1.Verifier.verify = verify
serve("clock_on_accept")
