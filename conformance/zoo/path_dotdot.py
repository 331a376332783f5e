# caught-by: CONFIG-PATH
"""Its config check lets `..` components through in paths: /var/spool/../../etc is a spool folder."""
from _zoo import serve, sipc1

original = sipc1.is_path


def is_path(v):
    return original(v.replace("/..", "/x") if isinstance(v, str) else v)


sipc1.is_path = is_path
serve("path_dotdot")
