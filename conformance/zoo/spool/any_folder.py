# caught-by: SPOOL-DIR
"""Never looks at the folder it is given: one that others may write to, or a link to
somewhere else, is used as it is."""
from _zoo_spool import serve, sipc_spool


def check_dir(path):
    return None


sipc_spool.check_dir = check_dir
serve()
