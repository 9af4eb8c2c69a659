"""Isolation Forest anomaly component, trained on the training rows' features, exported to ONNX (skl2onnx).

Isolation Forest cannot take NaN, so missing features are **imputed with the training median of each feature**
(a feature that is NaN on every training row gets 0.0). Those values are part of the model: they are written
to the metadata (``anomaly.imputation``, in feature order) and the scorer must replace NaN with them before
running ``anomaly.onnx`` — the ONNX graph itself does not impute.

``anomaly.onnx``: input ``features`` float32 ``[None, n]`` (imputed), outputs ``label`` int64 (``-1`` anomaly,
``1`` normal), ``scores`` float32 = scikit-learn's ``decision_function`` (negative means anomalous) and
``score_samples`` float32 = scikit-learn's ``score_samples`` (``decision_function + offset_``; the lower, the
more anomalous). Parity with scikit-learn within 1e-5 is a test.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import onnx
from skl2onnx import convert_sklearn
from skl2onnx.common.data_types import FloatTensorType
from sklearn.ensemble import IsolationForest

N_ESTIMATORS = 100
MAX_SAMPLES = 256
ONNX_INPUT = "features"
TARGET_OPSET = {"": 15, "ai.onnx.ml": 3}


@dataclass(frozen=True)
class AnomalyModel:
    forest: IsolationForest
    imputation: list[float]
    """Value that replaces NaN, per feature in feature order: the training median."""

    def impute(self, X: np.ndarray) -> np.ndarray:
        """``X`` (float32, features in order) with NaN replaced by the imputation values."""
        X = np.array(X, dtype=np.float32, copy=True)
        fill = np.asarray(self.imputation, dtype=np.float32)
        rows, cols = np.nonzero(np.isnan(X))
        X[rows, cols] = fill[cols]
        return X


def train_anomaly(X: np.ndarray, seed: int = 42, *, n_estimators: int = N_ESTIMATORS) -> AnomalyModel:
    """Fits the Isolation Forest on the training matrix (float32, NaN allowed: imputed with the medians)."""
    X = np.asarray(X, dtype=np.float32)
    if X.ndim != 2 or X.shape[0] == 0:
        raise ValueError("the anomaly model needs a non-empty 2-D training matrix")
    with np.errstate(all="ignore"):
        all_nan = np.isnan(X).all(axis=0)
        medians = np.where(all_nan, 0.0, np.nanmedian(np.where(all_nan, 0.0, X), axis=0))
    # Stored as float32 values (what the scorer will substitute), written as Python floats.
    imputation = [float(np.float32(v)) for v in medians]
    model = AnomalyModel(
        IsolationForest(n_estimators=n_estimators, max_samples=min(MAX_SAMPLES, X.shape[0]), random_state=seed),
        imputation,
    )
    model.forest.fit(model.impute(X))
    return model


def anomaly_to_onnx(model: AnomalyModel, feature_names: Sequence[str]) -> onnx.ModelProto:
    """The ONNX graph (see the module docstring): outputs ``label``, ``scores``, ``score_samples``."""
    n = len(feature_names)
    if model.forest.n_features_in_ != n:
        raise ValueError(f"the anomaly model has {model.forest.n_features_in_} features, feature_names {n}")
    proto = convert_sklearn(
        model.forest,
        name="argus_anomaly",
        initial_types=[(ONNX_INPUT, FloatTensorType([None, n]))],
        target_opset=TARGET_OPSET,
        options={id(model.forest): {"score_samples": True}},
    )
    # Declare every output's shape (skl2onnx leaves score_samples without one, which the checker rejects).
    shapes = {"label": onnx.TensorProto.INT64, "scores": onnx.TensorProto.FLOAT, "score_samples": onnx.TensorProto.FLOAT}
    names = [output.name for output in proto.graph.output]
    if sorted(names) != sorted(shapes):
        raise ValueError(f"unexpected anomaly outputs {names}")
    for output in proto.graph.output:
        output.CopyFrom(onnx.helper.make_tensor_value_info(output.name, shapes[output.name], [None, 1]))
    proto.doc_string = "argus anomaly features (NaN imputed beforehand): " + ",".join(feature_names)
    onnx.checker.check_model(proto)
    return proto
