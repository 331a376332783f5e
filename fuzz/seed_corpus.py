#!/usr/bin/env python3
"""Seed corpora for the fuzz targets from the published vectors.

    python3 fuzz/seed_corpus.py [VECTORS_DIR] [CORPUS_DIR]

Writes CORPUS_DIR/<target>/<sha1> (defaults: vectors/testvectors, fuzz/corpus):
- canonicalize, differential_canon: every canonicalization input and every envelope;
- verify: every envelope behind 10 zero bytes (the knobs of the vectors' own config, and no
  clock shift; see fuzz/src/lib.rs).
sign_verify and frame build their inputs from structure and start from an empty corpus.
"""

import base64
import hashlib
import json
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
VECTORS = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "vectors", "testvectors")
CORPUS = sys.argv[2] if len(sys.argv) > 2 else os.path.join(ROOT, "fuzz", "corpus")
VERIFY_PREFIX = b"\0" * 10


def field(obj, name):
    if name in obj:
        return obj[name].encode("utf-8")
    if name + "_b64" in obj:
        return base64.b64decode(obj[name + "_b64"])
    return None


def inputs():
    for name in sorted(os.listdir(VECTORS)):
        if not name.endswith(".json"):
            continue
        with open(os.path.join(VECTORS, name), encoding="utf-8") as f:
            doc = json.load(f)
        for group in doc["testGroups"]:
            for test in group["tests"]:
                for step in test.get("steps", [test]):
                    env = field(step, "envelope")
                    if env is not None and group["type"] != "SignTest":
                        yield "envelope", env
                text = field(test, "input")
                if text is not None:
                    yield "json", text


def write(target, data):
    folder = os.path.join(CORPUS, target)
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, hashlib.sha1(data).hexdigest()), "wb") as f:
        f.write(data)


def main():
    count = 0
    for kind, data in inputs():
        write("canonicalize", data)
        write("differential_canon", data)
        if kind == "envelope":
            write("verify", VERIFY_PREFIX + data)
        count += 1
    print("seeded %d inputs into %s" % (count, CORPUS))


if __name__ == "__main__":
    main()
