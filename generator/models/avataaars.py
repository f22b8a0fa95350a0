"""Registers the Avataaars cartoon faces as a cached "model": drawing them with robohash is slow
(about a second each), so they are made once and kept in the model cache like a trained model."""
from __future__ import annotations

from generator.data.avataaars import avatars
from generator.engine.artifacts import Artifact
from generator.engine.registry import model


@model("avataaars", expected_seconds=4,
       full={"n": 48}, smoke={"n": 4})
def make_avataaars(config: dict, ctx) -> Artifact:
    return Artifact({"images": avatars(config["n"])}, {"n": config["n"]})
