"""Shared by the spool zoo: each member is the Python spool receiver with exactly one classic
bug.

A member is a file `NAME.py` whose first line says which test families must catch it:

    # caught-by: SPOOL-LINK

`cargo test -p sipc-conformance --test zoo` runs every member with `sipc run --spool` and fails
unless the suite fails it in each named family.
"""

import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "adapters", "python"))

import sipc_server  # noqa: E402
import sipc_spool  # noqa: E402


def serve():
    sys.exit(sipc_server.main())
