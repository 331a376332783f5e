# caught-by: REPLAY-FORGED
"""Records the nonce before checking the MAC, so a forgery can block the genuine message."""
from _zoo import serve, sipc1

original = sipc1.Verifier.mac_matches


def mac_matches(self, env, sig):
    ts = sipc1._ts(env["ts"])
    self.check_replay(env["nonce"])
    self.remember(env["nonce"], ts + self.config.ttl)
    if not original(self, env, sig):
        return False
    self.nonces.pop(env["nonce"], None)
    return True


sipc1.Verifier.mac_matches = mac_matches
serve("forged_nonce")
