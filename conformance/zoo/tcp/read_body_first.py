# caught-by: SEC-IPC-05
"""Reads the whole body before checking the announced length: a 4-byte header announcing
4 GiB pins the connection (and, with a body, the memory) before the limit is looked at."""
import struct

from _zoo_tcp import serve, sipc_server


def read_frame(sock, limit):
    header = sipc_server.read_exact(sock, 4)
    if header is None:
        return None
    (n,) = struct.unpack(">I", header)
    body = sipc_server.read_exact(sock, n)
    if body is None:
        return None
    if n > limit:
        return sipc_server.OVERSIZE
    return body


sipc_server.read_frame = read_frame
serve()
