"""Isolation Forest: median imputation and onnxruntime parity with scikit-learn."""

from __future__ import annotations

import numpy as np
import onnxruntime as ort

from argus_trainer.anomaly import anomaly_to_onnx, train_anomaly

NAMES = ["a", "b", "c", "d"]


def matrix(n: int, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, 4)).astype(np.float32)
    X[:, 3] = rng.exponential(50.0, n)
    X[rng.random(X.shape) < 0.2] = np.nan
    return X


def test_imputation_is_the_training_median():
    X = matrix(800, 0)
    X[:, 2] = np.nan  # a feature never present → 0.0
    model = train_anomaly(X, seed=3, n_estimators=20)
    assert model.imputation[:2] == [float(np.float32(np.nanmedian(X[:, i]))) for i in range(2)]
    assert model.imputation[2] == 0.0
    imputed = model.impute(X)
    assert not np.isnan(imputed).any()
    assert imputed[np.isnan(X[:, 0]), 0][0] == np.float32(model.imputation[0])


def test_onnx_matches_sklearn():
    model = train_anomaly(matrix(1000, 1), seed=5)
    session = ort.InferenceSession(anomaly_to_onnx(model, NAMES).SerializeToString(),
                                   providers=["CPUExecutionProvider"])
    assert [o.name for o in session.get_outputs()] == ["label", "scores", "score_samples"]
    X = model.impute(np.vstack([matrix(400, 2), np.full((1, 4), 1e4, np.float32)]))
    label, decision, samples = session.run(None, {"features": X})
    assert np.abs(decision.ravel() - model.forest.decision_function(X)).max() <= 1e-5
    assert np.abs(samples.ravel() - model.forest.score_samples(X)).max() <= 1e-5
    assert (label.ravel() == model.forest.predict(X)).all()
    assert label.ravel()[-1] == -1  # the far outlier is an anomaly
