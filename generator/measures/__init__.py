"""Measurements on point clouds: intrinsic dimension, embedding scores, distances between samples."""
