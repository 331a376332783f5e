# caught-by: SEC-IPC-05
"""Measures the envelope in characters after decoding it, not in raw bytes before parsing."""
from _zoo import serve, sipc1

original = sipc1.Verifier.verify


def verify(self, raw, now):
    try:
        chars = len(raw.decode("utf-8"))
    except UnicodeDecodeError:
        chars = len(raw)
    saved = self.config.max_envelope
    self.config.max_envelope = max(saved, len(raw)) if chars <= saved else saved
    try:
        return original(self, raw, now)
    finally:
        self.config.max_envelope = saved


sipc1.Verifier.verify = verify
serve("size_in_chars")
