"""The Swiss roll: a flat 2-D sheet rolled up inside 3-D space.

A point of the sheet has two intrinsic coordinates: t, how far along the roll it is (an
angle, from 1.5π to 4.5π as in scikit-learn's make_swiss_roll), and h, its height. Rolled
up, it sits at (t·cos t, h, t·sin t). `roll_sheet` also gives every stage in between, keeping
distances along the sheet unchanged (the sheet bends but never stretches).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

T_MIN, T_MAX = 1.5 * np.pi, 4.5 * np.pi  # the angle range of the roll
HEIGHT = 21.0  # the sheet's width along the roll's axis


@dataclass
class SwissRoll:
    points: np.ndarray  # (n, 3) positions in 3-D space
    t: np.ndarray  # (n,) position along the roll (the angle)
    h: np.ndarray  # (n,) height along the roll's axis

    @property
    def sheet(self) -> np.ndarray:
        """(n, 2) the true, unrolled coordinates: arc length along the roll, and height."""
        return np.column_stack([arc_length(self.t), self.h])


def make_swiss_roll(n_points: int, rng: np.random.Generator, noise: float = 0.0) -> SwissRoll:
    u = rng.random(n_points)  # (n,)
    # t = 1.5π (1 + 2u): uniform in angle, as scikit-learn draws it
    t = T_MIN + (T_MAX - T_MIN) * u
    h = HEIGHT * rng.random(n_points)  # (n,)
    # (x, y, z) = (t cos t, h, t sin t)
    points = np.column_stack([t * np.cos(t), h, t * np.sin(t)])  # (n, 3)
    if noise > 0:
        points = points + noise * rng.standard_normal(points.shape)
    return SwissRoll(points, t, h)


def arc_length(t: np.ndarray) -> np.ndarray:
    """Distance along the spiral r = t from T_MIN to t (closed form for an Archimedean spiral)."""
    # s(t) = ½ [t √(1+t²) + asinh t], measured from T_MIN
    def antiderivative(x):
        return 0.5 * (x * np.sqrt(1 + x * x) + np.arcsinh(x))

    return antiderivative(t) - antiderivative(T_MIN)


def roll_sheet(t: np.ndarray, h: np.ndarray, rolled: float, steps: int = 2000) -> np.ndarray:
    """Positions (n, 3) of sheet points with coordinates (t, h) when the sheet is `rolled`
    (0 = flat, 1 = the Swiss roll). The sheet bends without stretching: at every stage the
    tangent angle is `rolled` times the roll's own tangent angle, measured from the outer edge,
    which stays where the finished roll has it.
    """
    if not 0.0 <= rolled <= 1.0:
        raise ValueError(f"rolled must be in [0, 1], got {rolled}")
    grid = np.linspace(T_MIN, T_MAX, steps)  # (steps,) angles along the roll
    # the roll's tangent direction: d/dt (t cos t, t sin t) = (cos t − t sin t, sin t + t cos t)
    tangent_angle = np.unwrap(np.arctan2(np.sin(grid) + grid * np.cos(grid),
                                         np.cos(grid) - grid * np.sin(grid)))  # (steps,)
    # φ_rolled(s) = rolled · (φ(s) − φ(s_end)) + φ(s_end): curl grows evenly from the outer edge
    angle = rolled * (tangent_angle - tangent_angle[-1]) + tangent_angle[-1]
    s = arc_length(grid)  # (steps,)
    ds = np.diff(s)  # (steps-1,)
    # P(s) = P(s_end) − ∫_s^{s_end} (cos φ, sin φ) ds' : integrate back from the fixed outer edge
    mid_angle = 0.5 * (angle[1:] + angle[:-1])
    steps_xz = np.column_stack([np.cos(mid_angle), np.sin(mid_angle)]) * ds[:, None]
    end = np.array([T_MAX * np.cos(T_MAX), T_MAX * np.sin(T_MAX)])
    from_end = np.vstack([np.cumsum(steps_xz[::-1], axis=0)[::-1], np.zeros((1, 2))])
    curve = end - from_end  # (steps, 2) the sheet's cross-section in the x–z plane
    x = np.interp(t, grid, curve[:, 0])
    z = np.interp(t, grid, curve[:, 1])
    return np.column_stack([x, h, z])  # (n, 3)
