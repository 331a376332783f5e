# caught-by: SEC-IPC-03
"""Off by one at the window's edges: now - ts >= ttl is refused."""
from _zoo import serve, sipc1


def check_time(self, ts, now):
    if now - ts >= self.config.ttl:
        raise sipc1.Reject("expired")
    if ts - now >= self.config.ttl:
        raise sipc1.Reject("from_future")


sipc1.Verifier.check_time = check_time
serve("ttl_inclusive")
