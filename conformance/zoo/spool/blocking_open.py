# caught-by: SPOOL-FIFO
"""Opens names without O_NONBLOCK: a FIFO dropped in the folder blocks the receiver until
someone writes to it."""
import os

from _zoo_spool import serve, sipc_spool


def open_name(name, dir_fd):
    return os.open(name, os.O_RDONLY | os.O_NOFOLLOW, dir_fd=dir_fd)


sipc_spool.open_name = open_name
serve()
