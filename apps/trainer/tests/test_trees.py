"""trees.json and the reference walker: per-tree leaves reproduce each model's raw margin."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from test_train import FEATURES, SMALL, backfill_table

from argus_trainer.split import time_split
from argus_trainer.train import feature_matrix, train_models
from argus_trainer.trees import tree_margin, tree_structure


@pytest.fixture(scope="module")
def trained():
    split = time_split(backfill_table(seed=4), "2026-01-01", "2026-01-15", "2026-01-15", "2026-01-21", 2)
    X = feature_matrix(split.test, FEATURES)[:250].copy()
    X[::3, 1] = np.nan  # never NaN in training: LightGBM missing_type None → scored as 0.0
    X[::4, 0] = np.nan  # NaN in training: default_left
    X[::5, 5] = np.nan  # signed feature: 0.0 goes right of negative thresholds
    X[::7, 2] = 0.0
    return train_models(split.train, FEATURES, seed=9, **SMALL), X


@pytest.mark.parametrize("kind", ["lightgbm", "xgboost"])
def test_walker_reproduces_the_margin(trained, kind):
    models, X = trained
    model = models[kind]
    doc = json.loads(json.dumps(tree_structure(model, FEATURES)))  # as the TypeScript side will read it
    assert doc["kind"] == kind and doc["feature_names"] == FEATURES and len(doc["trees"]) == SMALL["n_trees"]
    mine = np.array([tree_margin(doc, row) for row in X.tolist()])
    if kind == "lightgbm":
        reference = model.predict(pd.DataFrame(X, columns=FEATURES), raw_score=True)
        assert np.abs(mine - reference).max() <= 1e-9
    else:
        reference = model.predict(X, output_margin=True)  # XGBoost sums in float32
        assert np.abs(mine - reference).max() <= 1e-5


def test_cover_is_present(trained):
    models, _ = trained
    lgb_root = tree_structure(models["lightgbm"], FEATURES)["trees"][0]["tree_structure"]
    assert lgb_root["internal_count"] == lgb_root["left_child"].get("internal_count", lgb_root["left_child"].get(
        "leaf_count")) + lgb_root["right_child"].get("internal_count", lgb_root["right_child"].get("leaf_count"))
    xgb_root = tree_structure(models["xgboost"], FEATURES)["trees"][0]
    assert xgb_root["cover"] == pytest.approx(sum(child["cover"] for child in xgb_root["children"]), rel=1e-5)
