"""A pool of worker processes that runs jobs side by side, one process per CPU core.

Small networks train no faster on two threads than on one, so two models trained at once, one
thread each, take about half the time of training them one after the other. Jobs run in worker
processes started clean (multiprocessing's "spawn"; a worker runs several jobs in turn, with
threads pinned before any library loads), train or render exactly as they would alone, and
write their result atomically: to the model cache, or to the figures folder. The parent only
schedules jobs and records what they made in figures/manifest.json, so the outcome, byte for
byte, does not depend on the number of processes or on the order in which jobs finish.
"""
from __future__ import annotations

import multiprocessing
import os
import time
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from dataclasses import dataclass, field
from typing import Callable, Iterable

from generator.engine import seeding

DEFAULT_JOBS = max(1, min(2, os.cpu_count() or 1))


@dataclass(frozen=True)
class Task:
    """One job: function(*arguments), known by its `kind` (e.g. "model") and `name`.
    The function must be importable by name (a worker process imports it afresh)."""

    kind: str
    name: str
    function: Callable = field(compare=False)
    arguments: tuple = field(compare=False)


# numpy's BLAS and scikit-learn's OpenMP on one thread, like torch (seeding.TORCH_THREADS): two
# jobs on two cores never fight over them, and results depend neither on the core count nor on
# which jobs a worker ran before (a library loaded after a runtime limit would ignore it)
ONE_THREAD = {name: str(seeding.LIBRARY_THREADS)
              for name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")}


def one_thread():
    """Limit threads for the libraries loaded later (the environment) and for those already
    loaded (threadpoolctl)."""
    from threadpoolctl import threadpool_limits

    os.environ.update(ONE_THREAD)
    return threadpool_limits(limits=1)


def steady_memory() -> None:
    """Keep freed memory in the process for the next training step (glibc only; elsewhere
    nothing changes). By default glibc hands large freed blocks back to the system (those above
    a threshold that starts at 128 KB and moves as it goes, and whatever piles up free at the
    heap's top) and asks for them again on the next step: torch's activations and gradients are
    such blocks, and the system then zero-fills fresh pages each time. Keeping blocks up to 32 MB,
    and up to 512 MB of free memory at the heap's top, makes the face reader train about 20%
    faster and the faces VAE up to 6% (their 64×64 images make large blocks; the MNIST
    networks' gain is too small to measure: scripts/bench_memory.py). Only where memory comes
    from changes, not a single computed value."""
    import ctypes
    import ctypes.util

    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        set_option = libc.mallopt
    except (OSError, AttributeError):  # not glibc
        return
    set_option(-3, 32 * 2**20)  # M_MMAP_THRESHOLD: blocks above 32 MB still come from mmap
    set_option(-1, 512 * 2**20)  # M_TRIM_THRESHOLD: return the heap's top beyond 512 MB free


def die_with_parent(parent: int) -> None:
    """(In a worker, first thing.) End this worker the moment the build that started it dies,
    even by kill -9, so that no orphan goes on training or writing to figures/. Linux delivers
    SIGKILL to the worker when its parent exits (prctl PR_SET_PDEATHSIG); elsewhere a thread
    checks every half second that the parent is still there."""
    import ctypes
    import signal
    import threading

    try:
        ctypes.CDLL(None).prctl(1, signal.SIGKILL)  # 1 = PR_SET_PDEATHSIG
        on_linux = True
    except (OSError, AttributeError):  # not Linux
        on_linux = False
    if os.getppid() != parent:  # it died before the line above took effect
        os._exit(1)
    if on_linux:
        return

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(1)

    threading.Thread(target=watch, name="die-with-parent", daemon=True).start()


def run(jobs: int, tasks: list[Task], ready: Callable[[Task, set], bool],
        finished: Callable[[Task, object], None]) -> list[tuple[Task, float, float]]:
    """Run `tasks` on `jobs` processes. A task starts once ready(task, tasks already finished)
    is true; finished(task, result) is called here, in the parent, as each one ends. With one
    process, or one task, everything runs here, in order. Returns the timeline: (task, seconds
    from the start when it started, when it ended), for each task."""
    started, timeline = time.perf_counter(), []
    if jobs <= 1 or len(tasks) <= 1:
        for task in tasks:
            begun = time.perf_counter() - started
            finished(task, task.function(*task.arguments))
            timeline.append((task, begun, time.perf_counter() - started))
        return timeline
    pending, done, running, begun = list(tasks), set(), {}, {}
    os.environ.update(ONE_THREAD)  # each worker starts with it, before it loads any library
    context = multiprocessing.get_context("spawn")  # a clean interpreter: no inherited torch state
    with ProcessPoolExecutor(max_workers=jobs, mp_context=context, initializer=die_with_parent,
                             initargs=(os.getpid(),)) as pool:
        while pending or running:
            for task in [t for t in pending if ready(t, done)][: jobs - len(running)]:
                pending.remove(task)
                running[pool.submit(task.function, *task.arguments)] = task
                begun[task] = time.perf_counter() - started
            if not running:
                raise RuntimeError(f"no task can start: {[f'{t.kind} {t.name}' for t in pending]}")
            finished_now, _ = wait(running, return_when=FIRST_COMPLETED)
            for future in finished_now:
                task = running.pop(future)
                finished(task, future.result())  # re-raises a worker's error here
                done.add(task)
                timeline.append((task, begun[task], time.perf_counter() - started))
    return timeline


def in_dependency_order(names: Iterable[str], needs: Callable[[str], tuple]) -> list[str]:
    """Every name and what it needs, needed ones first, each once."""
    ordered: list[str] = []

    def visit(name: str) -> None:
        if name not in ordered:
            for needed in needs(name):
                visit(needed)
            ordered.append(name)

    for name in names:
        visit(name)
    return ordered
