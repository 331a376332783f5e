# caught-by: SIG-FORMAT
"""Accepts the MAC in upper or mixed case."""
from _zoo import serve, sipc1

original = sipc1.check_members


def check_members(env):
    if isinstance(env, dict) and isinstance(env.get("sig"), str):
        env = dict(env, sig=env["sig"].lower())
    return original(env)


sipc1.check_members = check_members
serve("sig_any_case")
