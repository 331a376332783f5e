# caught-by: REPLAY-FULL
"""When the replay cache is full, evicts the oldest nonce instead of refusing (fails open)."""
from _zoo import serve, sipc1


def check_replay(self, nonce):
    if nonce in self.nonces:
        raise sipc1.Reject("replay")
    if len(self.nonces) >= self.config.cache_size:
        oldest = next(iter(self.nonces))
        del self.nonces[oldest]


sipc1.Verifier.check_replay = check_replay
serve("evict_when_full")
