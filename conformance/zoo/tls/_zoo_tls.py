"""Shared by the TLS zoo: each member is the Python server under mutual TLS with exactly one
classic bug.

A member is a file `NAME.py` (or `NAME.js`, around the Node server) whose first lines say which
test families must catch it and that it runs with `--tls`:

    # caught-by: TLS-CLIENT
    # run-with: --tls

`cargo test -p sipc-conformance --test zoo` runs every member with `sipc run --tcp-server …
--tls` and fails unless the suite fails it in each named family.
"""

import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "adapters", "python"))

import sipc_server  # noqa: E402


def serve():
    sys.exit(sipc_server.main())
