"""sipc1.py against the RFC 8785 author's test data in vectors/rfc8785 (source and licence there):
the canonical form of each input file, and the first 10 000 lines of the author's ES6 number
sequence, generated from its definition and checked against the published SHA-256.

    python3 conformance/adapters/python/test_sipc1.py
"""

import hashlib
import os
import struct
import sys
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import sipc1  # noqa: E402

DATA = os.path.join(HERE, "..", "..", "..", "vectors", "rfc8785")
FILES = ("arrays", "french", "structures", "unicode", "values", "weird")
# The published SHA-256 of the sequence's first 10 000 lines (vectors/rfc8785/README.md).
FIRST_10K_SHA256 = "b9f7a8e75ef22a835685a52ccba7f7d6bdc99e34b010992cbc5864cd12be6892"
SERIAL_COUNT = 2000
SERIAL_START = 0x0010000000000000


def es6_sequence():
    """The author's ES6 number sequence: 168 fixed bits, 2 000 consecutive ones, a SHA-256 chain."""
    with open(os.path.join(DATA, "es6-static-bits.txt")) as f:
        fixed = [int(line, 16) for line in f.read().split()]
    assert len(fixed) == 168, len(fixed)
    for bits in fixed:
        yield bits
    for i in range(SERIAL_COUNT):
        yield SERIAL_START + i
    block = bytes(32)
    while True:
        block = hashlib.sha256(block).digest()
        for (bits,) in struct.iter_unpack("<Q", block):
            value = struct.unpack("<d", struct.pack("<Q", bits))[0]
            if value != 0 and value == value and value not in (float("inf"), float("-inf")):
                yield bits


class Rfc8785(unittest.TestCase):
    def test_canonical_files(self):
        for name in FILES:
            with open(os.path.join(DATA, "input", name + ".json"), "rb") as f:
                got = sipc1.canonicalize(f.read())
            with open(os.path.join(DATA, "output", name + ".json"), "rb") as f:
                self.assertEqual(got, f.read(), name)

    def test_es6_number_sequence(self):
        digest = hashlib.sha256()
        lines = 0
        for bits in es6_sequence():
            value = struct.unpack("<d", struct.pack("<Q", bits))[0]
            digest.update(("%x,%s\n" % (bits, sipc1.es6_number(value))).encode())
            lines += 1
            if lines == 10000:
                break
        self.assertEqual(digest.hexdigest(), FIRST_10K_SHA256)


if __name__ == "__main__":
    unittest.main()
