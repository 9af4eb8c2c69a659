"""Isotonic calibration: the plain map and its pure interpolation equal IsotonicRegression.predict."""

from __future__ import annotations

import json

import numpy as np
import pytest

from argus_trainer.calibrate import (
    CalibrationError,
    apply_calibration,
    apply_calibration_array,
    fit_calibration,
    fit_isotonic,
)


def scores_and_labels(n: int = 4000, seed: int = 0):
    rng = np.random.default_rng(seed)
    raw = rng.beta(0.6, 2.0, n)  # over-confident raw probabilities, like a weighted classifier's
    y = (rng.random(n) < raw**2).astype(int)
    return raw, y


def test_map_is_plain_json_and_monotone():
    raw, y = scores_and_labels()
    mapping = fit_calibration(raw, y)
    assert json.loads(json.dumps(mapping)) == mapping
    assert mapping["method"] == "isotonic"
    assert len(mapping["x"]) == len(mapping["y"]) >= 2
    assert all(a < b for a, b in zip(mapping["x"], mapping["x"][1:]))
    assert all(a <= b for a, b in zip(mapping["y"], mapping["y"][1:]))
    assert 0.0 <= mapping["y"][0] and mapping["y"][-1] <= 1.0


def test_apply_equals_sklearn_predict_inside_and_outside_the_range():
    raw, y = scores_and_labels()
    model = fit_isotonic(raw, y)
    mapping = fit_calibration(raw, y)
    rng = np.random.default_rng(1)
    points = np.concatenate([
        rng.uniform(-0.5, 1.5, 5000),  # including far outside the fitted range (clipped)
        np.asarray(mapping["x"]),  # exactly on the thresholds
        np.asarray(mapping["x"][:-1]) + np.diff(mapping["x"]) / 3,
        [0.0, 1.0, -1e300, 1e300, raw.min(), raw.max()],
    ])
    expected = model.predict(points)
    got = np.array([apply_calibration(mapping, p) for p in points])
    assert np.abs(got - expected).max() <= 1e-12


def test_the_vectorised_map_equals_the_pure_one_bit_for_bit():
    raw, y = scores_and_labels()
    mapping = fit_calibration(raw, y)
    rng = np.random.default_rng(2)
    points = np.concatenate([
        rng.uniform(-0.5, 1.5, 20_000), rng.random(20_000) * 1e-3, np.asarray(mapping["x"]),
        np.asarray(mapping["x"][:-1]) + np.diff(mapping["x"]) / 3, [0.0, 1.0, -1e300, 1e300],
    ])
    assert apply_calibration_array(mapping, points).tolist() == [apply_calibration(mapping, p) for p in points]
    assert apply_calibration_array({"x": [0.3], "y": [0.2]}, [0.0, 0.9]).tolist() == [0.2, 0.2]
    with pytest.raises(ValueError, match="NaN"):
        apply_calibration_array(mapping, [0.1, float("nan")])


def test_constant_map_and_errors():
    assert apply_calibration({"x": [0.3], "y": [0.2]}, 0.9) == 0.2  # one point: constant
    mapping = fit_calibration([0.1, 0.2, 0.3, 0.4], [0, 1, 0, 1])  # a tiny map with a pooled middle
    model = fit_isotonic([0.1, 0.2, 0.3, 0.4], [0, 1, 0, 1])
    for p in (-1.0, 0.15, 0.35, 2.0):
        assert apply_calibration(mapping, p) == pytest.approx(float(model.predict([p])[0]), abs=1e-12)
    with pytest.raises(ValueError):
        apply_calibration(mapping, float("nan"))
    with pytest.raises(CalibrationError, match="fraud and legitimate"):
        fit_calibration([0.1, 0.2], [0, 0])
    with pytest.raises(CalibrationError):
        fit_calibration([0.1, float("nan")], [0, 1])
