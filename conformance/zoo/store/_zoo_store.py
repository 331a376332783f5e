"""Shared by the store zoo: each member is the Python server with a shared replay store
(SIPC/1 section 16) and exactly one classic bug of replicated receivers.

A member is a file `NAME.py` whose first lines say which test families must catch it and
how it is run:

    # caught-by: STORE-RACE
    # run-with: --replicas 2 --filter STORE-*

`cargo test -p sipc-conformance --test zoo` runs every member with
`sipc run --tcp-server … --replicas 2` and fails unless the suite fails it in each named family.
"""

import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "adapters", "python"))

import sipc1  # noqa: E402,F401
import sipc_server  # noqa: E402
import sipc_store  # noqa: E402,F401


def serve():
    sys.exit(sipc_server.main())
