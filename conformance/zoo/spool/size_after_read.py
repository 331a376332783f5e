# caught-by: SPOOL-SIZE
"""Reads the whole file (in chunks, counting) before comparing its length with the limit: a
large file costs minutes, a sparse one of 1 TiB far more than any timeout."""
import os
import stat

from _zoo_spool import serve, sipc_spool

original = sipc_spool.handle


def handle(name, dir_fd, receiver):
    try:
        fd = sipc_spool.open_name(name, dir_fd)
    except OSError:
        return original(name, dir_fd, receiver)
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return original(name, dir_fd, receiver)
        head = b""
        total = 0
        while True:
            chunk = os.read(fd, 1 << 20)
            if not chunk:
                break
            if total <= receiver.config.max_envelope:
                head += chunk
            total += len(chunk)
    finally:
        os.close(fd)
    if total > receiver.config.max_envelope:
        return {"verdict": "reject", "error": "oversize"}
    return receiver.verdict(head)


sipc_spool.handle = handle
serve()
