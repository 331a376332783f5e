# caught-by: ENV-WIRE
"""MACs the members in the order received instead of the canonical order: a signature over
re-serialized JSON whose key order depends on the sender's language."""
from _zoo import serve, sipc1


def signature_base(env):
    out = []
    out.append("{")
    for i, (name, value) in enumerate((k, v) for k, v in env.items() if k != "sig"):
        if i:
            out.append(",")
        sipc1._string(name, out)
        out.append(":")
        sipc1._write(value, out)
    out.append("}")
    return sipc1.SIG_PREFIX + "".join(out).encode("utf-8")


sipc1.signature_base = signature_base
serve("unsorted_base")
