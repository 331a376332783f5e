# caught-by: TLS-CLIENT
# run-with: --tls
"""Asks for a client certificate but does not require one (CERT_OPTIONAL): a client without
any certificate is served."""
import ssl

from _zoo_tls import serve, sipc_server

original = sipc_server.tls_context


def tls_context(config):
    ctx = original(config)
    ctx.verify_mode = ssl.CERT_OPTIONAL
    return ctx


sipc_server.tls_context = tls_context
serve()
