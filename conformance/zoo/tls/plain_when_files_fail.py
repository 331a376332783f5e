# caught-by: TLS-START
# run-with: --tls
"""When the TLS files cannot be loaded, logs it and serves without TLS instead of refusing to
start."""
import sys

from _zoo_tls import serve, sipc_server

original = sipc_server.tls_context


def tls_context(config):
    try:
        return original(config)
    except Exception as e:  # noqa: BLE001 (the bug)
        print("sipc_server: tls disabled: %s" % e, file=sys.stderr)
        return None


sipc_server.tls_context = tls_context
serve()
