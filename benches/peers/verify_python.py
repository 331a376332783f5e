"""The Python side of benches/peers.sh: the Python adapter's implementation (sipc1.py) verifying
the envelopes that `peer_rust write` wrote, a fresh verifier per round, for at least SECONDS.

    python3 benches/peers/verify_python.py DIR SECONDS
"""
import os
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "conformance", "adapters", "python"))
import sipc1  # noqa: E402

NOW = 1_700_000_000


def main():
    folder, seconds = sys.argv[1], float(sys.argv[2])
    with open(os.path.join(folder, "config.json"), "rb") as f:
        config = sipc1.Config(sipc1.parse(f.read()))
    with open(os.path.join(folder, "envelopes.txt"), "rb") as f:
        envelopes = [line for line in f.read().split(b"\n") if line]
    verified, elapsed = 0, 0.0
    while elapsed < seconds:
        verifier = sipc1.Verifier(config)
        start = time.perf_counter()
        for envelope in envelopes:
            verifier.verify(envelope, NOW)
        elapsed += time.perf_counter() - start
        verified += len(envelopes)
    print(f"verifies_per_second={verified / elapsed:.0f}")


main()
