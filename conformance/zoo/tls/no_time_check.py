# caught-by: TLS-CLIENT
# run-with: --tls
"""Verifies the client's chain but not its validity period (OpenSSL's X509_V_FLAG_NO_CHECK_TIME):
an expired certificate, and one not valid yet, are served."""
from _zoo_tls import serve, sipc_server

X509_V_FLAG_NO_CHECK_TIME = 0x200000
original = sipc_server.tls_context


def tls_context(config):
    ctx = original(config)
    ctx.verify_flags |= X509_V_FLAG_NO_CHECK_TIME
    return ctx


sipc_server.tls_context = tls_context
serve()
