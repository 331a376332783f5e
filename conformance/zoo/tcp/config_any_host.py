# caught-by: SEC-IPC-07, SEC-IPC-07b
"""Its config check takes localhost, 0.0.0.0 and :: for 127.0.0.1, so it starts where it must refuse."""
from _zoo_tcp import serve, sipc1

Original = sipc1.Config


class Config(Original):
    def __init__(self, value):
        if isinstance(value, dict) and value.get("bind_host") in ("localhost", "0.0.0.0", "::"):
            value = dict(value, bind_host="127.0.0.1")
        super().__init__(value)


sipc1.Config = Config
serve()
