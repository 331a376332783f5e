"""Shared by the profile zoo's webhook members: each is webhooks_adapter.py (standard-webhooks,
stripe, github, slack; strict) with
exactly one classic bug of webhook verification.

A member's first lines say which profile it runs and which families must catch it:

    # profile: stripe
    # caught-by: STRIPE-TOLERANCE

`cargo test -p sipc-conformance --test zoo` runs every member and fails unless the suite fails
(or sees crash) it in each named family.
"""

import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "adapters", "python"))

import webhooks  # noqa: E402
import webhooks_adapter  # noqa: E402


def serve(name):
    webhooks_adapter.IMPLEMENTATION = "zoo/profiles/" + name
    webhooks_adapter.main()
