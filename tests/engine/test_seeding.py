import numpy as np

from generator.engine import seeding


def test_same_name_gives_same_numbers():
    a = seeding.numpy_stream("swiss_roll/data").random(5)
    b = seeding.numpy_stream("swiss_roll/data").random(5)
    assert np.array_equal(a, b)


def test_different_names_are_independent():
    a = seeding.numpy_stream("figure/a").standard_normal(20_000)
    b = seeding.numpy_stream("figure/b").standard_normal(20_000)
    assert not np.array_equal(a[:10], b[:10])
    # independent streams: correlation within a few standard errors (1/√n ≈ 0.007) of zero
    assert abs(np.corrcoef(a, b)[0, 1]) < 0.03


def test_root_seed_changes_every_stream():
    a = seeding.numpy_stream("x", root_seed=1).random(3)
    b = seeding.numpy_stream("x", root_seed=2).random(3)
    assert not np.array_equal(a, b)


def test_integer_seed_fits_31_bits_and_is_stable():
    seed = seeding.integer_seed("model/swiss_roll/tsne")
    assert 0 <= seed < 2**31
    assert seed == seeding.integer_seed("model/swiss_roll/tsne")
    assert seed != seeding.integer_seed("model/swiss_roll/lle")


def test_torch_stream_is_reproducible():
    import torch

    a = torch.rand(4, generator=seeding.torch_stream("t"))
    b = torch.rand(4, generator=seeding.torch_stream("t"))
    assert torch.equal(a, b)


def test_empty_name_is_refused():
    import pytest

    with pytest.raises(ValueError):
        seeding.numpy_stream("")


def test_torch_is_made_deterministic_and_single_threaded():
    import torch

    seeding.make_torch_deterministic()
    assert torch.are_deterministic_algorithms_enabled()
    assert torch.get_num_threads() == seeding.TORCH_THREADS


def _one_training_step() -> "torch.Tensor":
    """A convolution's gradient on 100 images: large blocks, like the faces models'."""
    import torch

    generator = seeding.torch_stream("test/steady_memory")
    layer = torch.nn.Conv2d(3, 16, 4, 2, 1)
    with torch.no_grad():
        for parameter in layer.parameters():
            parameter.copy_(torch.randn(parameter.shape, generator=generator))
    images = torch.rand(100, 3, 64, 64, generator=generator)
    layer(images).pow(2).mean().backward()
    return layer.weight.grad


def test_steady_memory_changes_no_value_and_needs_no_glibc(monkeypatch):
    """The workers keep freed memory for the next step (faster training); results are the same
    bits, and on a system without glibc the call does nothing."""
    import ctypes

    import torch

    from generator.engine import pool

    seeding.make_torch_deterministic()
    before = _one_training_step()
    pool.steady_memory()
    assert torch.equal(before, _one_training_step())

    def no_glibc(*args, **kwargs):
        raise OSError("no such library")

    monkeypatch.setattr(ctypes, "CDLL", no_glibc)
    pool.steady_memory()  # without glibc: no error, nothing changes


MMAPPED_BYTES = """
import ctypes, sys
import numpy as np
from generator.engine import pool

class MallInfo2(ctypes.Structure):  # glibc's malloc statistics (glibc >= 2.33)
    _fields_ = [(name, ctypes.c_size_t) for name in ("arena", "ordblks", "smblks", "hblks", "hblkhd",
                                                      "usmblks", "fsmblks", "uordblks", "fordblks", "keepcost")]

libc = ctypes.CDLL("libc.so.6")
libc.mallinfo2.restype = MallInfo2
if sys.argv[1] == "steady":
    pool.steady_memory()
block = np.ones(20 * 2**20 // 8)  # 20 MB, like a batch of activations of the faces models
print(libc.mallinfo2().hblkhd)  # bytes held in blocks of their own (mmap)
"""


def test_steady_memory_keeps_large_blocks_in_the_heap():
    """What steady_memory is for: a 20 MB block comes from the heap, which keeps it for the next
    step, instead of from a mapping of its own that is handed back to the system when freed."""
    import subprocess
    import sys

    def mmapped(mode: str) -> int:
        run = subprocess.run([sys.executable, "-c", MMAPPED_BYTES, mode], capture_output=True,
                             text=True, check=True)
        return int(run.stdout)

    assert mmapped("default") >= 20 * 2**20
    assert mmapped("steady") < 20 * 2**20
