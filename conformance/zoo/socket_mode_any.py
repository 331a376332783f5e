# caught-by: CONFIG-SOCKET
"""Its config check takes any four octal digits as socket_mode: 0666 lets every local user connect."""
import re

from _zoo import serve, sipc1

sipc1.SOCKET_MODE = re.compile(r"0[0-7]{3}")
serve("socket_mode_any")
