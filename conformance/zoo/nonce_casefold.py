# caught-by: SEC-IPC-04
"""Keys the replay cache by the lowercased nonce, so distinct nonces collide."""
from _zoo import serve, sipc1

check, remember = sipc1.Verifier.check_replay, sipc1.Verifier.remember
sipc1.Verifier.check_replay = lambda self, nonce: check(self, nonce.lower())
sipc1.Verifier.remember = lambda self, nonce, expiry: remember(self, nonce.lower(), expiry)
serve("nonce_casefold")
