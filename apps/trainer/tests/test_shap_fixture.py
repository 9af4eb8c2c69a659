"""``python -m argus_trainer.shap_fixture``: the parity fixtures for the TypeScript TreeSHAP (@argus/explain)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from argus_trainer.shap_fixture import KINDS, feature_names, write_fixtures
from argus_trainer.trees import tree_margin

SRC = str(Path(__file__).resolve().parents[1] / "src")
SMALL = {"rows": 40, "n_features": 10, "n_trees": 12, "max_depth": 3, "train_rows": 800}


@pytest.fixture(scope="module")
def fixtures(tmp_path_factory):
    out = tmp_path_factory.mktemp("shap")
    return out, write_fixtures(out, seed=3, **SMALL)


def read(directory: Path, kind: str, name: str):
    return json.loads((directory / f"{kind}.{name}.json").read_text())


def test_writes_four_files_per_kind(fixtures):
    out, summary = fixtures
    names = ("trees", "rows", "contrib", "margin")
    assert sorted(summary["files"]) == sorted(f"{kind}.{name}.json" for kind in KINDS for name in names)
    assert 0 < summary["train_fraud"] < summary["train_rows"] / 4  # imbalanced, both classes present
    for kind in KINDS:
        doc = read(out, kind, "trees")
        assert doc["format"] == "argus-trees/1" and doc["kind"] == kind
        assert doc["feature_names"] == feature_names(10) and len(doc["trees"]) == 12
        rows, contrib, margin = (read(out, kind, name) for name in ("rows", "contrib", "margin"))
        assert len(rows) == len(contrib) == len(margin) == 40
        assert all(len(row) == 10 for row in rows) and all(len(c) == 11 for c in contrib)


@pytest.mark.parametrize("kind", KINDS)
def test_rows_are_float32_with_nan_as_null(fixtures, kind):
    out, _ = fixtures
    rows = read(out, kind, "rows")
    values = np.array([[np.nan if v is None else v for v in row] for row in rows], dtype=np.float64)
    assert np.isnan(values).any(axis=1).mean() > 0.5
    assert np.isnan(values[:, 1]).any()  # a column never missing in training is missing here
    finite = values[~np.isnan(values)]
    np.testing.assert_array_equal(finite.astype(np.float32).astype(np.float64), finite)


@pytest.mark.parametrize("kind", KINDS)
def test_contributions_sum_to_the_margin_the_trees_give(fixtures, kind):
    out, _ = fixtures
    doc, rows, contrib, margin = (read(out, kind, name) for name in ("trees", "rows", "contrib", "margin"))
    contrib, margin = np.array(contrib), np.array(margin)
    walker = np.array([tree_margin(doc, [np.nan if v is None else v for v in row]) for row in rows])
    tolerance = 1e-9 if kind == "lightgbm" else 1e-5  # XGBoost sums in float32
    assert np.abs(contrib.sum(axis=1) - margin).max() <= tolerance
    assert np.abs(walker - margin).max() <= tolerance


def test_command_line(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "argus_trainer.shap_fixture", "--out", str(tmp_path), "--rows", "5", "--features", "6",
         "--trees", "3", "--depth", "2", "--train-rows", "300", "--seed", "1"],
        capture_output=True, text=True, env={"PYTHONPATH": SRC, "PATH": "/usr/bin:/bin"}, timeout=120,
    )
    assert result.returncode == 0, result.stderr
    summary = json.loads(result.stdout.strip().splitlines()[-1])
    assert summary["rows"] == 5 and len(summary["files"]) == 8
    assert len(read(tmp_path, "xgboost", "rows")) == 5

    refused = subprocess.run(
        [sys.executable, "-m", "argus_trainer.shap_fixture", "--out", str(tmp_path), "--features", "2"],
        capture_output=True, text=True, env={"PYTHONPATH": SRC, "PATH": "/usr/bin:/bin"}, timeout=120,
    )
    assert refused.returncode == 2 and refused.stderr.startswith("shap_fixture: ValueError")
