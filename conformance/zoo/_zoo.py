"""Shared by the zoo: each member is the Python reference adapter with exactly one classic bug.

A member is a file `NAME.py` whose first lines say which test families must catch it:

    # caught-by: SEC-IPC-02b
    # run-with: --strict        (optional: the bug only shows as a wrong error code)

`cargo test -p sipc-conformance --test zoo` runs every member and fails unless the suite fails
it in each named family.
"""

import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "adapters", "python"))

import sipc1  # noqa: E402
import sipc_adapter  # noqa: E402


def serve(name):
    sipc_adapter.IMPLEMENTATION = "zoo/" + name
    sipc_adapter.main(sipc1)
