"""One build at a time per figures folder, and nothing half-written left behind.

A build holds its figures folder for as long as it runs (a second build in the same checkout
waits for it), and deletes the temporary files of builds that died while writing. Both rely
on the kernel: a lock held by a dead process is gone, and a dead process's id answers no
signal, so neither a crash nor kill -9 leaves the next build blocked or a live write deleted.
"""
from __future__ import annotations

import contextlib
import fcntl
import os
import sys
from pathlib import Path


def remove_leftovers(*folders: Path) -> list[str]:
    """Delete the temporary files (".name.PID.tmp") that a killed build left behind, so that
    nothing half-written is ever published or committed. A file whose process is still alive
    (another build writing to a shared model cache) is left alone."""
    found = []
    for folder in folders:
        if folder.is_dir():
            for leftover in sorted(folder.rglob(".*.tmp")):
                if not writer_alive(leftover):
                    leftover.unlink(missing_ok=True)
                    found.append(str(leftover))
    return found


def writer_alive(temporary: Path) -> bool:
    """Is the process that writes ".name.PID.tmp" (save.write_atomically) still running?"""
    pid = temporary.name.rsplit(".", 2)[-2]
    if not pid.isdigit() or int(pid) == os.getpid():
        return False
    try:
        os.kill(int(pid), 0)  # signal 0: only asks whether the process exists
    except ProcessLookupError:
        return False
    except PermissionError:  # it exists, under another user
        return True
    return True


@contextlib.contextmanager
def hold_folder(figures_dir: Path):
    """Hold the figures folder for one build at a time. A second build in the same checkout
    waits here (and says so) until the first one ends, then sees what it recorded: two builds
    never interleave their writes to figures/manifest.json. The kernel drops the lock when
    the holder dies, even by kill -9, so a dead build never blocks the next."""
    figures_dir.mkdir(parents=True, exist_ok=True)
    handle = os.open(figures_dir, os.O_RDONLY)  # not inherited by the workers
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            print(f"build: another build is writing to {os.path.relpath(figures_dir)}; waiting for "
                  f"it to finish (Ctrl-C stops this one; nothing is lost)", file=sys.stderr, flush=True)
            fcntl.flock(handle, fcntl.LOCK_EX)
        yield
    finally:
        os.close(handle)  # closing the last descriptor releases the lock
