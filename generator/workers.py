"""Training models and rendering figures side by side, one process per CPU core.

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
from pathlib import Path
from typing import Callable, Iterable

from generator import seeding

DEFAULT_JOBS = max(1, min(2, os.cpu_count() or 1))
# Rough training seconds of the full configs (on one core): the longest jobs start first, so
# that no core sits idle at the end waiting for one slow model. Only the order depends on it.
EXPECTED_SECONDS = {"face_vae": 105, "mnist_latent_diffusion": 73, "mnist_latent_diffusion_8d": 15,
                    "face_reader": 42, "mnist_vae": 34, "mnist_reader": 17, "spiral_diffusion": 21,
                    "mnist_vae_8d": 13, "face_ood_search": 17, "intrinsic_dimension": 8, "lfw_vae": 8,
                    "swiss_roll": 6, "avataaars": 4}


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


def train_job(name: str, smoke: bool, cache_dir: str) -> str:
    """(In a worker.) Train one model whose upstream models are already cached."""
    from generator import builder, registry

    steady_memory()
    registry.load_all()
    with one_thread():
        builder.ensure_model(name, smoke, Path(cache_dir), quiet=True, trained=[])
    return name


def render_job(name: str, smoke: bool, cache_dir: str, figures_dir: str) -> tuple:
    """(In a worker.) Render one figure from cached models; returns what the manifest records."""
    from generator import builder, registry, style

    steady_memory()
    registry.load_all()
    style.apply()
    spec = registry.FIGURES[name]
    with one_thread():
        models = {m: builder.ensure_model(m, smoke, Path(cache_dir), quiet=True, trained=[])
                  for m in spec.models}
        outputs, metrics, layout = builder.render_figure(spec, models, smoke, Path(figures_dir))
    return name, outputs, metrics, layout


def run(jobs: int, tasks: list[tuple[str, Callable, tuple]], ready: Callable[[str, set], bool],
        finished: Callable[[str, object], None]) -> list[tuple[str, float, float]]:
    """Run tasks (name, function, arguments) on `jobs` processes. A task starts once
    ready(name, names already finished) is true; finished(name, result) is called in the parent
    as each one ends. With one process, or one task, everything runs here, in order. Returns
    the timeline: (name, seconds from the start when it started, when it ended), for each task."""
    started, timeline = time.perf_counter(), []
    if jobs <= 1 or len(tasks) <= 1:
        for name, function, arguments in tasks:
            begun = time.perf_counter() - started
            finished(name, function(*arguments))
            timeline.append((name, begun, time.perf_counter() - started))
        return timeline
    pending, done, running, begun = list(tasks), set(), {}, {}
    os.environ.update(ONE_THREAD)  # each worker starts with it, before it loads any library
    context = multiprocessing.get_context("spawn")  # a clean interpreter: no inherited torch state
    with ProcessPoolExecutor(max_workers=jobs, mp_context=context, initializer=die_with_parent,
                             initargs=(os.getpid(),)) as pool:
        while pending or running:
            for task in [t for t in pending if ready(t[0], done)][: jobs - len(running)]:
                pending.remove(task)
                running[pool.submit(task[1], *task[2])] = task[0]
                begun[task[0]] = time.perf_counter() - started
            if not running:
                raise RuntimeError(f"no task can start: {[t[0] for t in pending]}")
            finished_now, _ = wait(running, return_when=FIRST_COMPLETED)
            for future in finished_now:
                name = running.pop(future)
                finished(name, future.result())  # re-raises a worker's error here
                done.add(name)
                timeline.append((name, begun[name], time.perf_counter() - started))
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
