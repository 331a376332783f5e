# caught-by: SIZE-DEFAULT
"""Without max_envelope_bytes in the config, allows 65536 bytes instead of 4*ceil(max/3) + 16384."""
from _zoo import serve, sipc1

original = sipc1.Config.__init__


def init(self, value):
    original(self, value)
    if "max_envelope_bytes" not in value:
        self.max_envelope = 65536


sipc1.Config.__init__ = init
serve("default_envelope_limit")
