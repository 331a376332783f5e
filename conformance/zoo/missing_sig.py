# caught-by: SEC-IPC-02b
"""Accepts an envelope without sig: "no signature, nothing to check"."""
from _zoo import serve, sipc1

original = sipc1.check_members


def check_members(env):
    try:
        return original(env)
    except sipc1.Reject as r:
        if r.code != "sig_missing":
            raise
        return sipc1._ts(env["ts"]), None


def mac_matches(self, env, sig):
    return sig is None or sipc1.hmac.compare_digest(sipc1.mac(self.config.secret, sipc1.signature_base(env)), sig)


sipc1.check_members = check_members
sipc1.Verifier.mac_matches = mac_matches
serve("missing_sig")
