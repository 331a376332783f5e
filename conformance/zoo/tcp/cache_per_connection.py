# caught-by: SEC-IPC-04
"""Keeps a replay cache per connection: the same envelope is accepted again on a new one."""
import copy
import threading

from _zoo_tcp import serve, sipc1, sipc_server

original = sipc_server.Receiver.serve


def serve_with_own_verifier(self, sock):
    own = copy.copy(self)
    own.verifier = sipc1.Verifier(self.config)
    own.lock = threading.Lock()
    original(own, sock)


sipc_server.Receiver.serve = serve_with_own_verifier
serve()
