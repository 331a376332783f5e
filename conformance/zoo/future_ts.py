# caught-by: SEC-IPC-03
"""Checks only that ts is not too old: any future ts is accepted."""
from _zoo import serve, sipc1


def check_time(self, ts, now):
    if now - ts > self.config.ttl:
        raise sipc1.Reject("expired")


sipc1.Verifier.check_time = check_time
serve("future_ts")
