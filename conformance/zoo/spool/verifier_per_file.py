# caught-by: SPOOL-REPLAY
"""A new verifier for every file: the replay cache never outlives one file, so the same
envelope dropped again under another name is accepted again."""
from _zoo_spool import serve, sipc_server

import sipc1  # noqa: E402  (found through the path _zoo_spool sets)

original = sipc_server.Receiver.verdict


def verdict(self, envelope):
    self.verifier = sipc1.Verifier(self.config)
    return original(self, envelope)


sipc_server.Receiver.verdict = verdict
serve()
