"""Time one training epoch of the MNIST VAE: our loop (whole batches sliced from tensors in
memory) against a plain DataLoader loop (same model, data, batch size, optimiser), in one run.

Usage: .venv/bin/python scripts/bench_vae_epoch.py [--repeats 5] [--train]
With --train it also trains the full config once, as the build does, and prints the time.
Prints the median epoch time of each loop and their ratio (target: ours ≥ 2× faster), and
the time spent feeding data alone, which is where the two loops differ.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import torch  # noqa: E402
from torch.utils.data import DataLoader, TensorDataset  # noqa: E402

from generator.data.mnist import load_mnist  # noqa: E402
from generator.engine import registry, seeding  # noqa: E402
from generator.networks.vae import VAE, negative_elbo, train_epoch  # noqa: E402


def dataloader_epoch(vae, optimiser, loader, generator) -> None:
    """The textbook loop: a DataLoader yields per-sample tensors collated into batches."""
    for (x,) in loader:
        noise = torch.randn(len(x), 2, generator=generator)
        loss = negative_elbo(vae, x, noise).mean()
        optimiser.zero_grad(set_to_none=True)
        loss.backward()
        optimiser.step()


def fresh_model(config, generator):
    vae = VAE(config["hidden"])
    vae.initialise(generator)
    return vae, torch.optim.Adam(vae.parameters(), lr=config["learning_rate"], fused=True)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--train", action="store_true", help="also time one full training run")
    args = parser.parse_args()
    registry.load_all()
    config = registry.MODELS["mnist_vae"].full
    seeding.make_torch_deterministic()
    images = torch.from_numpy(load_mnist(seeding.numpy_stream("data/mnist/split")).train.images)

    generator = seeding.torch_stream("bench/ours")
    vae, optimiser = fresh_model(config, generator)
    ours = []
    for _ in range(args.repeats):
        started = time.perf_counter()
        train_epoch(vae, optimiser, images, config["batch"], generator)
        ours.append(time.perf_counter() - started)

    generator = seeding.torch_stream("bench/dataloader")
    vae, optimiser = fresh_model(config, generator)
    loader = DataLoader(TensorDataset(images), batch_size=config["batch"], shuffle=True,
                        generator=generator)
    theirs = []
    for _ in range(args.repeats):
        started = time.perf_counter()
        dataloader_epoch(vae, optimiser, loader, generator)
        theirs.append(time.perf_counter() - started)

    # the data feeding alone, without the model: where the two loops really differ
    feed_ours, feed_theirs = [], []
    for _ in range(args.repeats):
        started = time.perf_counter()
        order = torch.randperm(len(images), generator=generator)
        for start in range(0, len(images), config["batch"]):
            images[order[start : start + config["batch"]]]
        feed_ours.append(time.perf_counter() - started)
        started = time.perf_counter()
        for _batch in loader:
            pass
        feed_theirs.append(time.perf_counter() - started)

    a, b = statistics.median(ours), statistics.median(theirs)
    fa, fb = statistics.median(feed_ours), statistics.median(feed_theirs)
    print(f"whole epoch, tensor slices (ours): {a:.3f} s   (median of {args.repeats})")
    print(f"whole epoch, DataLoader:           {b:.3f} s")
    print(f"whole-epoch ratio DataLoader/ours: {b / a:.2f}x")
    print(f"data feeding only, ours:           {fa * 1000:.1f} ms")
    print(f"data feeding only, DataLoader:     {fb * 1000:.1f} ms")
    print(f"feeding ratio DataLoader/ours:     {fb / fa:.1f}x")
    if args.train:
        from generator.engine.contexts import ModelContext

        spec = registry.MODELS["mnist_vae"]
        started = time.perf_counter()
        artifact = spec.train(config, ModelContext("mnist_vae", smoke=False, quiet=True))
        print(f"full training ({config['epochs']} epochs): {time.perf_counter() - started:.1f} s, "
              f"test ELBO {artifact.info['test_elbo']} nats per digit")
    return 0


if __name__ == "__main__":
    sys.exit(main())
