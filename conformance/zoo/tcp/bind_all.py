# caught-by: SEC-IPC-07
"""Binds 0.0.0.0 although its config says 127.0.0.1 (and still prints LISTENING 127.0.0.1)."""
from _zoo_tcp import serve, sipc_server

sipc_server.bind_host = lambda config: "0.0.0.0" if ":" not in config.bind_host else "::"
serve()
