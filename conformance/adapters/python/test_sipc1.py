"""sipc1.py against the RFC 8785 author's files in ../shared/jcs-testdata (or $SIPC_JCS_TESTDATA):
the canonical form of each input file, and the 10 000 ES6 number-formatting lines.

    python3 conformance/adapters/python/test_sipc1.py
"""

import os
import struct
import sys
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import sipc1  # noqa: E402

DATA = os.environ.get("SIPC_JCS_TESTDATA", os.path.join(HERE, "..", "..", "..", "..", "shared", "jcs-testdata"))


if os.environ.get("SIPC_REQUIRE_JCS_TESTDATA") and not os.path.isdir(DATA):
    raise SystemExit("SIPC_REQUIRE_JCS_TESTDATA is set but %s is missing" % DATA)


@unittest.skipUnless(os.path.isdir(DATA), "no jcs-testdata")
class Rfc8785(unittest.TestCase):
    def test_canonical_files(self):
        names = sorted(os.listdir(os.path.join(DATA, "input")))
        self.assertGreaterEqual(len(names), 6)
        for name in names:
            with open(os.path.join(DATA, "input", name), "rb") as f:
                got = sipc1.canonicalize(f.read())
            with open(os.path.join(DATA, "output", name), "rb") as f:
                self.assertEqual(got, f.read(), name)

    def test_es6_numbers(self):
        with open(os.path.join(DATA, "numbers", "es6testfile-10k.txt")) as f:
            lines = f.read().split()
        self.assertEqual(len(lines), 10000)
        for line in lines:
            bits, want = line.split(",")
            value = struct.unpack(">d", bytes.fromhex(bits.zfill(16)))[0]
            self.assertEqual(sipc1.es6_number(value), want, bits)


if __name__ == "__main__":
    unittest.main()
