# caught-by: SEC-IPC-02
"""Compares only the first 16 hex digits (8 bytes) of the MAC."""
from _zoo import serve, sipc1


def mac_matches(self, env, sig):
    return sipc1.mac(self.config.secret, sipc1.signature_base(env))[:8] == sig[:8]


sipc1.Verifier.mac_matches = mac_matches
serve("sig_prefix16")
