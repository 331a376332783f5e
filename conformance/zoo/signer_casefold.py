# caught-by: SIGN-INPUT
"""Its signer lowercases the kind it is given, signing other content than it was asked to."""
from _zoo import serve, sipc1

original = sipc1.sign


def sign(config, fields):
    return original(config, dict(fields, kind=fields["kind"].lower()))


sipc1.sign = sign
serve("signer_casefold")
