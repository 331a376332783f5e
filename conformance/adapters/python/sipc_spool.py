"""The SIPC/1 spool profile (spec/SIPC-1.md section 14) for sipc1.py, run by sipc_server.py.

The folder is checked once, without following a link (REQ-SPOOL-1), then polled. Each name is
opened with O_NOFOLLOW | O_NONBLOCK and judged from fstat of what was opened (REQ-SPOOL-3): a
link, FIFO, socket or device is skipped unread, a regular file over max_envelope_bytes is
refused from its size (REQ-SPOOL-4), any other is verified by the one verifier (REQ-SPOOL-5);
then the name is removed and one JSON line printed (REQ-SPOOL-6). Names beginning with "."
and directories are left alone (REQ-SPOOL-2). The steps are functions, so that the zoo
(conformance/zoo/spool/) can break exactly one of them.
"""

import errno
import json
import os
import stat
import sys
import time

POLL_SECONDS = 0.02
MAX_NAMES_PER_LOOK = 1024
SKIP = {"verdict": "skip", "reason": "not_regular_file"}
LEFT = None


def check_dir(path):
    """REQ-SPOOL-1: the folder itself (lstat) is a directory of our euid, closed to writes by
    group and others; OSError saying why not."""
    st = os.lstat(path)
    if stat.S_ISLNK(st.st_mode):
        raise OSError("%s is a symbolic link, not a folder" % path)
    if not stat.S_ISDIR(st.st_mode):
        raise OSError("%s is not a folder" % path)
    if st.st_uid != os.geteuid():
        raise OSError("%s belongs to uid %d, not to this receiver's uid %d" % (path, st.st_uid, os.geteuid()))
    if st.st_mode & 0o022:
        raise OSError("%s has mode %04o: others than its owner may write to it" % (path, st.st_mode & 0o7777))


def names(dir_fd):
    """The names to handle now, in byte order: none beginning with "." (REQ-SPOOL-2)."""
    found = [n for n in os.listdir(dir_fd) if not n.startswith(".")]
    return sorted(found)[:MAX_NAMES_PER_LOOK]


def open_name(name, dir_fd):
    """The name opened without following a link or waiting on a FIFO (REQ-SPOOL-3)."""
    return os.open(name, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC, dir_fd=dir_fd)


def read_bounded(fd, limit):
    """At most limit + 1 bytes (REQ-SPOOL-4)."""
    chunks = []
    left = limit + 1
    while left > 0:
        chunk = os.read(fd, min(left, 65536))
        if not chunk:
            break
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


def handle(name, dir_fd, receiver):
    """The answer (or skip) for one name; LEFT for a directory or a name already gone."""
    try:
        fd = open_name(name, dir_fd)
    except OSError as e:
        if e.errno in (errno.ELOOP, errno.ENXIO):
            return SKIP
        return LEFT
    try:
        st = os.fstat(fd)
        if stat.S_ISDIR(st.st_mode):
            return LEFT
        if not stat.S_ISREG(st.st_mode):
            return SKIP
        limit = receiver.config.max_envelope
        if st.st_size > limit:
            return {"verdict": "reject", "error": "oversize"}
        envelope = read_bounded(fd, limit)
        if len(envelope) > limit:
            return {"verdict": "reject", "error": "oversize"}
        return receiver.verdict(envelope)
    except OSError:
        return SKIP
    finally:
        os.close(fd)


def report(name, answer):
    """One stdout line: the file's name and its answer (REQ-SPOOL-6)."""
    # A name that is not UTF-8 (os.listdir's surrogate escapes) is shown with U+FFFD.
    line = {"file": name.encode("utf-8", "surrogateescape").decode("utf-8", "replace")}
    line.update(answer)
    sys.stdout.write(json.dumps(line, separators=(",", ":")) + "\n")
    sys.stdout.flush()


def serve(path, receiver):
    """Polls the folder for ever; each handled name is removed, then reported."""
    dir_fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC)
    while True:
        for name in names(dir_fd):
            answer = handle(name, dir_fd, receiver)
            if answer is LEFT:
                continue
            try:
                os.unlink(name, dir_fd=dir_fd)
            except FileNotFoundError:
                pass
            report(name, answer)
        time.sleep(POLL_SECONDS)
