"""One root seed, named random streams, and the switches that make torch deterministic.

Every random draw in the project comes from a stream named after its purpose, e.g.
`numpy_stream("data/mnist/split")`. Streams with different names are statistically
independent; the same name always gives the same numbers. Nothing random is global.
"""
from __future__ import annotations

import hashlib

import numpy as np

# The single root seed of the whole site. Changing it changes every figure.
ROOT_SEED = 20250727

# Torch runs on this many CPU threads: convolution results differ in the last bits between
# thread counts, so the count is part of what makes a build reproducible. One thread per
# process: the builder trains two models at once instead (generator/engine/pool.py), which is
# faster for networks this small.
TORCH_THREADS = 1
# numpy's BLAS and scikit-learn's OpenMP too (set before they load: generator/engine/pool.py); an
# embedding fitted with two OpenMP threads differs in the last bits from one fitted with one
LIBRARY_THREADS = 1


def _name_to_words(name: str) -> list[int]:
    """Turn a stream name into 32-bit words for numpy's SeedSequence spawn key."""
    digest = hashlib.sha256(name.encode("utf-8")).digest()
    return [int.from_bytes(digest[i : i + 4], "little") for i in range(0, 16, 4)]


def stream_seed(name: str, root_seed: int = ROOT_SEED) -> np.random.SeedSequence:
    """The seed sequence of the stream called `name` (independent of every other name)."""
    if not name:
        raise ValueError("a random stream needs a non-empty name")
    return np.random.SeedSequence(entropy=root_seed, spawn_key=_name_to_words(name))


def numpy_stream(name: str, root_seed: int = ROOT_SEED) -> np.random.Generator:
    """A fresh numpy Generator for the stream called `name`."""
    return np.random.Generator(np.random.PCG64(stream_seed(name, root_seed)))


def integer_seed(name: str, root_seed: int = ROOT_SEED) -> int:
    """A 31-bit integer seed for libraries that only take an int (scikit-learn, torch)."""
    return int(stream_seed(name, root_seed).generate_state(1, dtype=np.uint32)[0] >> 1)


def torch_stream(name: str, root_seed: int = ROOT_SEED):
    """A torch.Generator on the CPU for the stream called `name`."""
    import torch  # imported here: figures that never touch torch do not pay for it

    generator = torch.Generator(device="cpu")
    generator.manual_seed(integer_seed(name, root_seed))
    return generator


def make_torch_deterministic() -> None:
    """Pin threads and ask torch to refuse non-deterministic kernels. Call before training."""
    import torch

    torch.set_num_threads(TORCH_THREADS)
    # the switch torch.use_deterministic_algorithms(True) sets; that function also imports
    # torch's compiler (about 1.4 s in every process) to set the compiler's own switch, and
    # nothing here is compiled
    set_switch = getattr(torch._C, "_set_deterministic_algorithms", None)
    if set_switch is None:  # another torch version: the public way
        torch.use_deterministic_algorithms(True)
    else:
        set_switch(True)
