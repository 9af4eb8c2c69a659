"""LightGBM / XGBoost training and the ONNX round trip, on a synthetic backfill table built in memory."""

from __future__ import annotations

import hashlib

import numpy as np
import onnxruntime as ort
import pandas as pd
import pytest

from argus_trainer.metrics import auc
from argus_trainer.split import LEADING_COLUMNS, time_split
from argus_trainer.train import TrainingError, export_onnx, feature_matrix, train_models

FEATURES = [
    "amount_zscore_card_30d",  # NaN for ~25% of rows (new cards): missing, learned per split
    # never NaN in training; NaN only in the round-trip rows
    "card_txn_count_1h",
    "merchant_fraud_rate_30d",
    "distance_from_home_km",  # pure noise
    "card_age_days",
    "amount_log_ratio_merchant",  # signed (splits at negative thresholds, where NaN-as-0.0 goes right)
]
SMALL = {"n_trees": 60, "max_depth": 4}  # the defaults (200 trees, depth 6) are exercised once below


def backfill_table(n: int = 3000, seed: int = 0) -> pd.DataFrame:
    """``n`` transactions over 20 days of January 2026 in the backfill layout, ~8% fraud that depends on the
    features (including on the amount z-score being missing)."""
    rng = np.random.default_rng(seed)
    z = rng.normal(size=n)
    z_missing = rng.random(n) < 0.25
    count = rng.poisson(1.5, size=n).astype(float)
    merchant = rng.beta(1, 50, size=n)
    distance = rng.exponential(30.0, size=n)
    age = rng.uniform(0, 1000, size=n)
    ratio = rng.normal(size=n)
    logit = -3.6 + 1.2 * np.where(z_missing, 1.0, z) + 0.5 * count + 20 * merchant - 0.001 * age + 0.8 * ratio
    fraud = rng.random(n) < 1 / (1 + np.exp(-logit))
    event_time = pd.Timestamp("2026-01-01", tz="UTC") + pd.to_timedelta(np.sort(rng.uniform(0, 20, n)), unit="D")
    reported = event_time + pd.to_timedelta(rng.uniform(0.5, 10, n), unit="D")
    table = pd.DataFrame(
        {
            "transaction_id": [f"t{i:05d}" for i in range(n)],
            "event_time": event_time,
            "card_id": [f"c{i % 400}" for i in range(n)],
            "customer_id": [f"u{i % 300}" for i in range(n)],
            "merchant_id": [f"m{i % 50}" for i in range(n)],
            "amount_minor": rng.integers(100, 50_000, n),
            "currency": "EUR",
            "label": pd.array(np.where(fraud, 1, pd.NA), dtype="Int8"),
            "label_source": np.where(fraud, "chargeback", None),
            "label_reported_at": pd.Series(reported).where(fraud),
            "scenario": np.where(fraud, "card_testing", None),
            FEATURES[0]: np.where(z_missing, np.nan, z),
            FEATURES[1]: count,
            FEATURES[2]: merchant,
            FEATURES[3]: distance,
            FEATURES[4]: age,
            FEATURES[5]: ratio,
        }
    )
    assert tuple(table.columns[: len(LEADING_COLUMNS)]) == LEADING_COLUMNS
    return table


@pytest.fixture(scope="module")
def split():
    return time_split(backfill_table(), "2026-01-01", "2026-01-15", "2026-01-15", "2026-01-21", label_delay_days=2)


@pytest.fixture(scope="module")
def models(split):
    return train_models(split.train, FEATURES, seed=11, **SMALL)


def round_trip_rows(split) -> np.ndarray:
    """300 test rows, with NaN injected into every feature (also the one never NaN in training) and exact
    zeros, so every missing-value path of both converters is exercised."""
    X = feature_matrix(split.test, FEATURES)[:300].copy()
    assert len(X) == 300
    for j in range(X.shape[1]):
        X[j::7, j] = np.nan
    X[3::11, 3] = 0.0
    X[5::13, :] = np.nan  # rows with every feature missing
    return X


def native_proba(model, X: np.ndarray) -> np.ndarray:
    if type(model).__name__ == "LGBMClassifier":
        return model.predict_proba(pd.DataFrame(X, columns=FEATURES))
    return model.predict_proba(X)


def test_trains_both_models_and_they_rank_the_future(split, models):
    assert set(models) == {"lightgbm", "xgboost"}
    X_test = feature_matrix(split.test, FEATURES)
    for name, model in models.items():
        score = native_proba(model, X_test)[:, 1]
        assert auc(split.test["y"], score) > 0.75, name


def test_imbalance_is_weighted_by_the_class_ratio(split, models):
    y = split.train["y"].to_numpy()
    ratio = (y == 0).sum() / (y == 1).sum()
    assert ratio > 5
    assert models["lightgbm"].get_params()["scale_pos_weight"] == pytest.approx(ratio)
    assert models["xgboost"].get_params()["scale_pos_weight"] == pytest.approx(ratio)


def test_training_is_deterministic_for_a_seed(split, models):
    again = train_models(split.train, FEATURES, seed=11, **SMALL)
    X = round_trip_rows(split)
    for name in models:
        np.testing.assert_array_equal(native_proba(again[name], X), native_proba(models[name], X), err_msg=name)
    def digest(model) -> str:
        return hashlib.sha256(model.booster_.model_to_string().encode()).hexdigest()

    assert digest(again["lightgbm"]) == digest(models["lightgbm"])
    other = train_models(split.train, FEATURES, seed=12, **SMALL)
    assert not np.array_equal(native_proba(other["lightgbm"], X), native_proba(models["lightgbm"], X))


def test_default_sizes(split):
    trained = train_models(split.train, FEATURES, seed=1)
    assert trained["lightgbm"].booster_.num_trees() == 200
    assert trained["xgboost"].get_booster().num_boosted_rounds() == 200
    depths = trained["xgboost"].get_booster().trees_to_dataframe().groupby("Tree")["ID"].count()
    assert depths.max() <= 2**7 - 1  # depth ≤ 6 → at most 127 nodes per tree
    assert trained["lightgbm"].get_params()["max_depth"] == 6


def test_nan_is_missing_natively(split, models):
    """NaN takes a learned branch in both models: no imputation, and the feature with NaN matters."""
    base = feature_matrix(split.test, FEATURES)[:200]
    for j in (0, 1, 5):
        nan_rows, zero_rows = base.copy(), base.copy()
        nan_rows[:, j], zero_rows[:, j] = np.nan, 0.0
        for name, model in models.items():
            assert np.isfinite(native_proba(model, nan_rows)).all(), name
        lgbm = models["lightgbm"]
        if j == 0:
            # Seen missing in training: NaN has its own learned branch, not the same as 0.0.
            assert not np.array_equal(native_proba(lgbm, nan_rows), native_proba(lgbm, zero_rows))
        else:
            # Never NaN in training (LightGBM missing_type None): LightGBM scores NaN exactly as 0.0.
            np.testing.assert_array_equal(native_proba(lgbm, nan_rows), native_proba(lgbm, zero_rows))


@pytest.mark.parametrize("name", ["lightgbm", "xgboost"])
def test_onnx_round_trip_matches_predict_proba(split, models, tmp_path, name):
    model = models[name]
    path = export_onnx(model, FEATURES, tmp_path / f"{name}.onnx")
    session = ort.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    [inp] = session.get_inputs()
    assert inp.name == "features"
    assert inp.type == "tensor(float)"
    assert inp.shape[1] == len(FEATURES) and not isinstance(inp.shape[0], int)
    outputs = [o.name for o in session.get_outputs()]
    assert outputs == ["label", "probabilities"]

    X = round_trip_rows(split)
    assert np.isnan(X).any(axis=1).sum() > 100
    label, proba = session.run(None, {"features": X})
    expected = native_proba(model, X)
    assert proba.dtype == np.float32 and proba.shape == (300, 2)
    np.testing.assert_allclose(proba, expected, rtol=0, atol=1e-5)
    np.testing.assert_array_equal(label, expected.argmax(axis=1))
    # Not vacuous: the scores spread, and NaN changes the scores of many rows.
    assert expected[:, 1].std() > 0.05
    clean = native_proba(model, feature_matrix(split.test, FEATURES)[:300])
    assert (np.abs(clean - expected)[:, 1] > 1e-3).sum() > 50


def test_export_rejects_wrong_feature_count_and_unknown_models(models, tmp_path):
    with pytest.raises(ValueError, match="features"):
        export_onnx(models["lightgbm"], FEATURES[:3], tmp_path / "x.onnx")
    with pytest.raises(ValueError, match="features"):
        export_onnx(models["xgboost"], FEATURES + ["extra"], tmp_path / "x.onnx")
    with pytest.raises(TypeError, match="LGBMClassifier or XGBClassifier"):
        export_onnx(object(), FEATURES, tmp_path / "x.onnx")
    assert not list(tmp_path.iterdir())


def test_training_errors(split):
    one_class = split.train.assign(y=0)
    with pytest.raises(TrainingError, match="both classes"):
        train_models(one_class, FEATURES, seed=1, **SMALL)
    with pytest.raises(TrainingError, match="missing from the table: nope"):
        train_models(split.train, [*FEATURES, "nope"], seed=1, **SMALL)
    with pytest.raises(TrainingError, match="no column y"):
        train_models(split.train.drop(columns="y"), FEATURES, seed=1, **SMALL)
    with pytest.raises(TrainingError, match="no features"):
        train_models(split.train, [], seed=1, **SMALL)
