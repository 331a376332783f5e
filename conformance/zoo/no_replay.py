# caught-by: SEC-IPC-04
"""Has no replay cache at all."""
from _zoo import serve, sipc1

sipc1.Verifier.check_replay = lambda self, nonce: None
sipc1.Verifier.remember = lambda self, nonce, expiry: None
serve("no_replay")
