"""Isotonic calibration of the raw fraud probability, fitted on its own period between train and test.

The classifiers are trained with ``scale_pos_weight`` (fraud weighted ``n_legitimate / n_fraud``), so their raw
probabilities are far too high. :func:`fit_calibration` fits ``IsotonicRegression(out_of_bounds='clip')`` on
the raw probabilities and labels of a **calibration period** — a window after training and before the test
window, given explicitly — and returns a plain, JSON-serialisable map::

    {"method": "isotonic", "x": [x_0 < x_1 < … < x_n], "y": [y_0 <= y_1 <= … <= y_n]}

:func:`apply_calibration` is the whole specification the TypeScript scorer follows (pure, no numpy): clip the
raw probability to ``[x_0, x_n]``, find the segment ``x_j <= p <= x_{j+1}`` and interpolate linearly,
``y_j + (y_{j+1} - y_j) / (x_{j+1} - x_j) * (p - x_j)``; a map with one point is constant. It equals
``IsotonicRegression.predict`` within 1e-12 (tested, inside and outside the fitted range).
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Sequence
from typing import Any

import numpy as np
import numpy.typing as npt
from sklearn.isotonic import IsotonicRegression


class CalibrationError(ValueError):
    """The calibration period cannot fit a calibration (no rows, a single class, or non-finite scores)."""


def fit_isotonic(raw_probability: npt.ArrayLike, y: npt.ArrayLike) -> IsotonicRegression:
    """The fitted scikit-learn model (increasing, clipped to [0, 1] outputs, ``out_of_bounds='clip'``)."""
    p = np.asarray(raw_probability, dtype=np.float64).reshape(-1)
    labels = np.asarray(y).reshape(-1)
    if p.size == 0 or p.size != labels.size:
        raise CalibrationError(f"calibration needs rows: {p.size} scores, {labels.size} labels")
    if not np.isfinite(p).all():
        raise CalibrationError("calibration scores must be finite")
    if not np.isin(labels, (0, 1)).all():
        raise CalibrationError("calibration labels must be 0 or 1")
    if labels.all() or not labels.any():
        raise CalibrationError(
            f"the calibration period needs fraud and legitimate rows: {int(labels.sum())} fraud of {labels.size}"
        )
    return IsotonicRegression(y_min=0.0, y_max=1.0, increasing=True, out_of_bounds="clip").fit(
        p, labels.astype(np.float64)
    )


def calibration_map(model: IsotonicRegression) -> dict[str, Any]:
    """The fitted thresholds as plain lists of floats (``x`` strictly increasing, ``y`` non-decreasing)."""
    return {
        "method": "isotonic",
        "x": [float(v) for v in model.X_thresholds_],
        "y": [float(v) for v in model.y_thresholds_],
    }


def fit_calibration(raw_probability: npt.ArrayLike, y: npt.ArrayLike) -> dict[str, Any]:
    """``calibration_map(fit_isotonic(raw_probability, y))``."""
    return calibration_map(fit_isotonic(raw_probability, y))


def apply_calibration(mapping: dict[str, Any], raw_probability: float) -> float:
    """The calibrated probability of one raw probability (see the module docstring for the exact rule)."""
    xs: Sequence[float] = mapping["x"]
    ys: Sequence[float] = mapping["y"]
    if len(xs) != len(ys) or not xs:
        raise ValueError("a calibration map needs as many x as y values, at least one")
    p = float(raw_probability)
    if math.isnan(p):
        raise ValueError("cannot calibrate NaN")
    if len(xs) == 1:
        return float(ys[0])
    if p <= xs[0]:
        return float(ys[0])
    if p >= xs[-1]:
        return float(ys[-1])
    j = bisect.bisect_right(xs, p) - 1  # xs[j] <= p < xs[j + 1]
    x_lo, x_hi, y_lo, y_hi = xs[j], xs[j + 1], ys[j], ys[j + 1]
    return float(y_lo + (y_hi - y_lo) / (x_hi - x_lo) * (p - x_lo))


def apply_calibration_array(mapping: dict[str, Any], raw_probability: npt.ArrayLike) -> npt.NDArray[np.float64]:
    """:func:`apply_calibration` on a whole array at once, bit for bit (``np.interp`` does the same clip and the
    same interpolation ``y_j + (y_{j+1} - y_j) / (x_{j+1} - x_j) * (p - x_j)``; equality is a test)."""
    xs = np.asarray(mapping["x"], dtype=np.float64)
    ys = np.asarray(mapping["y"], dtype=np.float64)
    if xs.shape != ys.shape or xs.ndim != 1 or xs.size == 0:
        raise ValueError("a calibration map needs as many x as y values, at least one")
    p = np.asarray(raw_probability, dtype=np.float64)
    if np.isnan(p).any():
        raise ValueError("cannot calibrate NaN")
    return np.interp(p, xs, ys)
