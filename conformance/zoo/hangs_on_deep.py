# caught-by: JSON-DEPTH
"""Loops forever on deeply nested input (think catastrophic backtracking). Exercises the
runner's per-request timeout: the test fails, the adapter is killed and restarted."""
import time

from _zoo import serve, sipc1

original = sipc1.parse


def parse(data):
    if data.count(b"[") > 1000:
        while True:
            time.sleep(1)
    return original(data)


sipc1.parse = parse
serve("hangs_on_deep")
