"""A plain digit classifier, used only to *measure* what the VAE's decoded images look like.

Multinomial logistic regression on the 4,500 training digits (scikit-learn, deterministic
lbfgs solver). We keep its weights, and its accuracy on the 500 held-out digits.
"""
from __future__ import annotations

import warnings

import numpy as np

from generator.data.mnist import load_mnist
from generator.engine.artifacts import Artifact
from generator.engine.registry import model
from generator.engine.seeding import numpy_stream


@model("mnist_classifier", expected_seconds=10,
       full={"max_iter": 500, "C": 0.05}, smoke={"max_iter": 50, "C": 0.05})
def train_mnist_classifier(config: dict, ctx) -> Artifact:
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.linear_model import LogisticRegression

    split = load_mnist(numpy_stream("data/mnist/split"))
    classifier = LogisticRegression(max_iter=config["max_iter"], C=config["C"])
    with warnings.catch_warnings():  # the smoke config stops early on purpose; we record it
        warnings.simplefilter("ignore", ConvergenceWarning)
        classifier.fit(split.train.images, split.train.labels)
    accuracy = float((classifier.predict(split.test.images) == split.test.labels).mean())
    return Artifact({"coef": classifier.coef_, "intercept": classifier.intercept_},
                    {"test_accuracy": round(accuracy, 3),
                     "converged": bool(classifier.n_iter_.max() < config["max_iter"])})


def classify(artifact: Artifact, images: np.ndarray) -> np.ndarray:
    """(n, 784) images in [0, 1] -> (n,) predicted digits."""
    # class = argmax_k (W_k · x + b_k)
    scores = images @ artifact.arrays["coef"].T + artifact.arrays["intercept"]  # (n, 10)
    return scores.argmax(axis=1)


def class_probabilities(artifact: Artifact, images: np.ndarray) -> np.ndarray:
    """(n, 784) images in [0, 1] -> (n, 10) the classifier's probabilities, softmax(W x + b)."""
    from scipy.special import softmax

    return softmax(images @ artifact.arrays["coef"].T + artifact.arrays["intercept"], axis=1)
