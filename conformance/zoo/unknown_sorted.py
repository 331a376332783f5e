# caught-by: CONFIG-ORDER
# run-with: --strict
"""Of several unknown config members, reports the first in sorted order, not in document order."""
from _zoo import serve, sipc1

original = sipc1.Config.__init__


def init(self, value):
    if isinstance(value, dict):
        unknown = sorted(name for name in value if name not in sipc1.TOP)
        if unknown:
            raise sipc1.Reject("config_invalid", unknown[0])
    original(self, value)


sipc1.Config.__init__ = init
serve("unknown_sorted")
