"""The hands-on notebooks: each source in generator/notebooks/ becomes a Korean and an English
notebook, run by the build (generator/engine/notebook_runner.py) and saved with its outputs.

The site shows them through mkdocs-jupyter, which only renders what is saved here.
"""
from __future__ import annotations

from generator.engine.notebook_runner import build_notebooks
from generator.engine.registry import figure

EXTENSIONS = ("ko.ipynb", "en.ipynb")
# libraries that run the notebooks and write their outputs
PACKAGES = ("jupytext", "nbformat", "nbclient", "nbconvert", "ipykernel", "ipython",
            "matplotlib-inline")


@figure("swiss_roll_notebook", kind="files", localized=False, extensions=EXTENSIONS,
        depends=("generator.notebooks.swiss_roll",), packages=PACKAGES)
def swiss_roll_notebook(ctx):
    """Hands-on 1: a random point of pixel space, a Swiss roll, Isomap and its score."""
    return build_notebooks("generator.notebooks.swiss_roll", ctx.smoke, ctx.metrics)


@figure("mnist_vae_notebook", kind="files", localized=False, extensions=EXTENSIONS,
        depends=("generator.notebooks.mnist_vae",), packages=PACKAGES)
def mnist_vae_notebook(ctx):
    """Hands-on 2: train the 2-D MNIST VAE briefly and decode its latent grid."""
    return build_notebooks("generator.notebooks.mnist_vae", ctx.smoke, ctx.metrics)
