# caught-by: JSON-DEPTH
"""No nesting limit: 65 levels are accepted, and 100 000 crash the process (RecursionError).
Also exercises the runner's crash handling: the test fails and the adapter is restarted."""
from _zoo import serve, sipc1

sipc1.MAX_DEPTH = 10**9
serve("no_depth_limit")
