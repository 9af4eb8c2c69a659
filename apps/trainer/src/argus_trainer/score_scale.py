"""The 0–100 fraud score shown to analysts and in the eval report: a log scale of the calibrated probability.

``score = clamp(round_half_up(25 * (log10(max(p, 1e-4)) + 4)), 0, 100)`` with ``p`` the calibrated fraud
probability, so each factor of 10 in probability is 25 points: ``p = 1e-4 → 0``, ``1e-3 → 25``, ``1e-2 → 50``,
``1e-1 → 75``, ``1 → 100``. ``round_half_up(x) = floor(x + 0.5)``, which is JavaScript's ``Math.round``:
the TypeScript scoring service computes ``Math.min(100, Math.max(0, Math.round(25 * (Math.log10(Math.max(p,
1e-4)) + 4))))``. (Python's ``round`` rounds halves to even and would differ at exact halves.)
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

PROBABILITY_FLOOR = 1e-4
POINTS_PER_DECADE = 25


def score_0_100(probability: npt.ArrayLike) -> npt.NDArray[np.int64]:
    """The 0–100 score of each calibrated probability (see the module docstring for the formula)."""
    p = np.asarray(probability, dtype=np.float64)
    if np.isnan(p).any():
        raise ValueError("cannot score NaN")
    raw = POINTS_PER_DECADE * (np.log10(np.maximum(p, PROBABILITY_FLOOR)) + 4)
    return np.clip(np.floor(raw + 0.5), 0, 100).astype(np.int64)
