# caught-by: TCP-FRAME
"""Takes each recv() for one whole frame: split frames are cut short, pipelined ones dropped."""
import struct

from _zoo_tcp import serve, sipc_server


def read_frame(sock, limit):
    data = sock.recv(65536)
    if not data:
        return None
    (n,) = struct.unpack(">I", data[:4].ljust(4, b"\0"))
    if n > limit:
        return sipc_server.OVERSIZE
    return data[4 : 4 + n]


sipc_server.read_frame = read_frame
serve()
