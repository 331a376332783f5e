# caught-by: UNIX-PEER
"""Never asks the kernel who the peer is: any local user who can reach the socket is served."""
from _zoo_unix import serve, sipc_server

original = sipc_server.listen


def listen(config):
    listener, where, _allowed = original(config)
    return listener, where, None


sipc_server.listen = listen
serve()
