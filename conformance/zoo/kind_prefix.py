# caught-by: SEC-IPC-06
"""Matches the kind whitelist by prefix (kind.startswith(allowed))."""
from _zoo import serve, sipc1

sipc1.Verifier.kind_allowed = lambda self, kind: any(kind.startswith(k) for k in self.config.allowed_kinds)
serve("kind_prefix")
