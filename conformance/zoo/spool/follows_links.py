# caught-by: SPOOL-LINK
"""Opens names without O_NOFOLLOW: a link planted in the folder is read through, and whatever
it points to is verified (and its nonce spent)."""
import os

from _zoo_spool import serve, sipc_spool


def open_name(name, dir_fd):
    return os.open(name, os.O_RDONLY | os.O_NONBLOCK, dir_fd=dir_fd)


sipc_spool.open_name = open_name
serve()
