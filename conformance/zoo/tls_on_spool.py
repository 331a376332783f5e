# caught-by: CONFIG-TRANSPORT
"""Its config check lets tls go with spool, a protection that transport cannot give (ignored, not refused)."""
from _zoo import serve, sipc1

sipc1.TRANSPORTS = dict(sipc1.TRANSPORTS, spool=("spool_dir", "tls"))
serve("tls_on_spool")
