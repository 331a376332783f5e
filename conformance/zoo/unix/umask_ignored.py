# caught-by: UNIX-MODE
"""Binds under whatever umask it inherited: started under umask 000, its socket is 0777."""
import os

from _zoo_unix import serve

os.umask = lambda mask: 0o000
serve()
