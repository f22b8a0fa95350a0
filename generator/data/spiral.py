"""The 2-D spiral of the diffusion chapter: the Swiss roll of the manifold chapter seen end-on.

Looking down the roll's axis hides the height, and what is left is the spiral
(t cos t, t sin t) for t in [1.5π, 4.5π]. We shrink it by SCALE so that it spans about ±1.4,
and add a little Gaussian noise: the data lie *near* a 1-D curve in the 2-D plane, as images
lie near a low-dimensional manifold in pixel space.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from generator.data.swiss_roll import T_MAX, T_MIN, arc_length, make_swiss_roll

SCALE = 10.0  # the roll's radius runs from 4.7 to 14.1; divided by 10 it runs from 0.47 to 1.41
DATA_NOISE = 0.03  # standard deviation of the noise around the curve, in the scaled units
ARM_SPLIT = 3.0 * np.pi  # the conditional chapter's two prompts: the inner arm ends here
ARMS = ("inner", "outer")  # label 0 and label 1


@dataclass
class Spiral:
    points: np.ndarray  # (n, 2) positions in the plane
    t: np.ndarray  # (n,) where along the curve each point was drawn (the roll's angle)


def make_spiral(n_points: int, rng: np.random.Generator, noise: float = DATA_NOISE) -> Spiral:
    """Points near the spiral: the (x, z) columns of the Swiss roll, scaled, plus noise."""
    roll = make_swiss_roll(n_points, rng)
    points = roll.points[:, [0, 2]] / SCALE  # (n, 2) drop the height: look down the axis
    return Spiral(points + noise * rng.standard_normal(points.shape), roll.t)


def spiral_curve(n_points: int = 4000) -> np.ndarray:
    """(n, 2) points evenly spaced *along* the noiseless curve (by arc length), for drawing."""
    grid = np.linspace(T_MIN, T_MAX, 20 * n_points)  # fine grid of angles
    s = arc_length(grid)  # (20n,) distance along the curve at each angle
    t = np.interp(np.linspace(0, s[-1], n_points), s, grid)  # angles at equal arc steps
    return np.column_stack([t * np.cos(t), t * np.sin(t)]) / SCALE


class CurveDistance:
    """Distance from any 2-D point to the noiseless spiral.

    The curve is cut into 40,000 short straight segments (each ≈ 0.2 thousandths of the
    curve long); the distance to the nearest segment is exact for that polyline, and the
    polyline is within 10⁻⁶ of the true curve.
    """

    def __init__(self, segments: int = 40_000):
        from scipy.spatial import cKDTree

        self.vertices = spiral_curve(segments + 1)  # (m+1, 2)
        self.tree = cKDTree(self.vertices)

    def __call__(self, points: np.ndarray) -> np.ndarray:
        """(n, 2) -> (n,) distance of each point to the curve."""
        points = np.asarray(points, dtype=np.float64)
        _, nearest = self.tree.query(points)  # (n,) index of the nearest vertex
        best = np.full(len(points), np.inf)
        # the nearest segment touches the nearest vertex: try the one before and the one after it
        for offset in (-1, 0):
            start = np.clip(nearest + offset, 0, len(self.vertices) - 2)
            a, b = self.vertices[start], self.vertices[start + 1]  # (n, 2) segment ends
            ab = b - a
            # u = clamp(((p − a)·(b − a)) / |b − a|², 0, 1): the closest point's place on the segment
            u = np.clip(np.einsum("ij,ij->i", points - a, ab) / np.einsum("ij,ij->i", ab, ab), 0, 1)
            best = np.minimum(best, np.linalg.norm(points - (a + u[:, None] * ab), axis=1))
        return best


@dataclass
class Arms:
    points: np.ndarray  # (n, 2) points exactly on the spiral
    labels: np.ndarray  # (n,) 0: the inner arm (t < 3π), 1: the outer arm
    t: np.ndarray  # (n,) the angle of each point


def make_arms(n_points: int, rng: np.random.Generator) -> Arms:
    """Points exactly on the spiral (no noise: each arm is a true 1-D curve), labelled by arm.
    The conditional chapter's toy: a prompt ("inner" or "outer") names one curve."""
    roll = make_swiss_roll(n_points, rng)
    return Arms(curve_point(roll.t), (roll.t >= ARM_SPLIT).astype(np.int64), roll.t)


def curve_point(t: np.ndarray) -> np.ndarray:
    """(n,) angles -> (n, 2) points of the spiral: (t cos t, t sin t) / SCALE."""
    return np.column_stack([t * np.cos(t), t * np.sin(t)]) / SCALE


def curve_frame(t: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(n,) angles -> the unit tangent (n, 2) and the unit normal (n, 2) of the spiral there."""
    # d/dt (t cos t, t sin t) = (cos t − t sin t, sin t + t cos t)
    tangent = np.column_stack([np.cos(t) - t * np.sin(t), np.sin(t) + t * np.cos(t)])
    tangent /= np.linalg.norm(tangent, axis=1, keepdims=True)
    normal = np.column_stack([-tangent[:, 1], tangent[:, 0]])  # the tangent turned by 90°
    return tangent, normal
