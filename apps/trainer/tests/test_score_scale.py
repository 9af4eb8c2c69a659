"""The 0–100 score: a log scale of the calibrated probability, half-up rounding (JavaScript's Math.round)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from argus_trainer.score_scale import score_0_100


def test_decades_are_25_points_and_the_ends_are_clamped():
    p = [0.0, 1e-6, 1e-4, 1e-3, 1e-2, 1e-1, 1.0, 2.0]
    assert score_0_100(p).tolist() == [0, 0, 0, 25, 50, 75, 100, 100]
    assert score_0_100(0.02).dtype == np.int64 and int(score_0_100(0.02)) == 58  # 25 * 2.301 = 57.5 → 58


def test_equals_the_formula_the_typescript_service_implements():
    rng = np.random.default_rng(3)
    p = np.concatenate([10 ** rng.uniform(-6, 0, 20_000), rng.random(1000)])
    expected = [min(100, max(0, math.floor(25 * (math.log10(max(v, 1e-4)) + 4) + 0.5))) for v in p]
    assert score_0_100(p).tolist() == expected
    assert (np.diff(score_0_100(np.sort(p))) >= 0).all()


def test_refuses_nan():
    with pytest.raises(ValueError, match="NaN"):
        score_0_100([0.1, float("nan")])
