"""Gradient-boosted fraud classifiers (LightGBM and XGBoost) and their export to ONNX.

``train_models(train_df, feature_names, seed)`` fits both models on the train frame of a
:func:`argus_trainer.split.time_split` (labels in column ``y``) and returns them in a dict. The problem is
heavily imbalanced (fraud is well under 1% of transactions), so both weight the fraud class by
``n_legitimate / n_fraud`` (``scale_pos_weight``). Missing features stay NaN: both libraries learn, at every
split, which side missing values go to. Features are cast to float32 before training, the type the ONNX
model and the scoring service use, so training and serving compare the same numbers against the thresholds.

Training is deterministic for a given seed (LightGBM ``deterministic=True`` with row-wise histograms and a
fixed thread count, one by default — see ``N_THREADS``; XGBoost ``hist`` with a fixed ``random_state``): the same table and seed give the same
trees, hence the same artefact hashes.

``export_onnx(model, feature_names, path)`` writes a model as ONNX with one input ``features``
(float32, shape ``[None, n_features]``, columns in ``feature_names`` order) and the outputs ``label`` (int64)
and ``probabilities`` (float32 ``[None, 2]``; column 1 is the fraud probability). No ZipMap: onnxruntime-node
reads a plain tensor.

Missing values in ONNX: both converters emit ``ai.onnx.ml.TreeEnsembleClassifier`` with
``nodes_missing_value_tracks_true``, so a NaN input follows the branch the model learned for missing values
(XGBoost's ``default_left``; LightGBM's ``default_left`` for features that had NaN in training). One
LightGBM subtlety: a feature with **no** NaN in training gets ``missing_type=None``, and LightGBM then scores
NaN as 0.0 at prediction time; the converted model gives the same scores (tested, including splits at
negative thresholds, where 0.0 goes right). The
round trip (``probabilities`` equal to ``predict_proba`` within 1e-5, NaN rows included) is a test.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

import lightgbm as lgb
import numpy as np
import onnx
import pandas as pd
import xgboost as xgb
from onnxmltools import convert_lightgbm, convert_xgboost
from onnxmltools.convert.common.data_types import FloatTensorType

# Small defaults for a 2-core machine; enough for millions of rows in minutes.
N_TREES = 200
MAX_DEPTH = 6
LEARNING_RATE = 0.05
# One thread by default: on this busy 2-core machine LightGBM with 2 OpenMP threads was ~10x *slower*
# (spin-waiting threads fight for the cores: 28 s instead of 3 s for 200k rows × 20 features) unless
# OMP_WAIT_POLICY=PASSIVE is set before the process starts. Pass n_threads=2 on an idle machine.
N_THREADS = 1
ONNX_INPUT = "features"
# Ceiling for the converters' ai.onnx opset; they emit the lowest they need (today ai.onnx 9 for LightGBM's
# post-processing, ai.onnx.ml 1 for TreeEnsembleClassifier), which any onnxruntime(-node) reads.
TARGET_OPSET = 15


class TrainingError(ValueError):
    """The training frame cannot train a classifier: missing columns, no fraud or no legitimate row."""


def feature_matrix(df: pd.DataFrame, feature_names: Sequence[str]) -> np.ndarray:
    """The features in ``feature_names`` order as a C-contiguous float32 matrix; missing values are NaN."""
    missing = [name for name in feature_names if name not in df.columns]
    if missing:
        raise TrainingError(f"feature columns missing from the table: {', '.join(missing)}")
    frame = df.loc[:, list(feature_names)].apply(pd.to_numeric, errors="raise").astype("float64")
    return np.ascontiguousarray(frame.to_numpy(dtype=np.float64, na_value=np.nan), dtype=np.float32)


def _labels(df: pd.DataFrame) -> np.ndarray:
    if "y" not in df.columns:
        raise TrainingError("the training frame has no column y: pass the train frame of time_split")
    y = df["y"].to_numpy(dtype=np.int64)
    if not np.isin(y, (0, 1)).all():
        raise TrainingError("y must be 0 or 1")
    return y


def train_models(
    train_df: pd.DataFrame,
    feature_names: Sequence[str],
    seed: int = 42,
    *,
    n_trees: int = N_TREES,
    max_depth: int = MAX_DEPTH,
    learning_rate: float = LEARNING_RATE,
    n_threads: int = N_THREADS,
) -> dict[str, object]:
    """Fits ``{"lightgbm": LGBMClassifier, "xgboost": XGBClassifier}`` on ``train_df[feature_names]`` → ``y``.

    Both use ``scale_pos_weight = n_legitimate / n_fraud``, NaN as missing, ``n_trees`` trees of depth at most
    ``max_depth``, and ``seed``. Raises :class:`TrainingError` if a class is absent or a feature is missing.
    """
    if not feature_names:
        raise TrainingError("no features")
    if len(set(feature_names)) != len(feature_names):
        raise TrainingError("duplicate feature names")
    X = feature_matrix(train_df, feature_names)
    y = _labels(train_df)
    n_fraud = int(y.sum())
    n_legit = int(len(y) - n_fraud)
    if n_fraud == 0 or n_legit == 0:
        raise TrainingError(f"both classes are needed: {n_fraud} fraud and {n_legit} legitimate rows")
    pos_weight = n_legit / n_fraud
    names = list(feature_names)

    lightgbm = lgb.LGBMClassifier(
        objective="binary",
        n_estimators=n_trees,
        max_depth=max_depth,
        num_leaves=min(31, 2**max_depth),
        learning_rate=learning_rate,
        min_child_samples=20,
        subsample=0.8,
        subsample_freq=1,
        colsample_bytree=0.8,
        scale_pos_weight=pos_weight,
        use_missing=True,
        zero_as_missing=False,
        random_state=seed,
        deterministic=True,
        force_row_wise=True,
        n_jobs=n_threads,
        verbose=-1,
    )
    # A DataFrame with string column names keeps the feature names inside the model file.
    lightgbm.fit(pd.DataFrame(X, columns=names), y)

    xgboost = xgb.XGBClassifier(
        objective="binary:logistic",
        n_estimators=n_trees,
        max_depth=max_depth,
        learning_rate=learning_rate,
        subsample=0.8,
        colsample_bytree=0.8,
        scale_pos_weight=pos_weight,
        tree_method="hist",
        missing=np.nan,
        eval_metric="aucpr",
        random_state=seed,
        n_jobs=n_threads,
        verbosity=0,
    )
    # A plain array: onnxmltools' XGBoost converter expects features named f0, f1, … in the model.
    xgboost.fit(X, y)
    return {"lightgbm": lightgbm, "xgboost": xgboost}


def to_onnx(model: object, feature_names: Sequence[str]) -> onnx.ModelProto:
    """The ONNX graph of a fitted LGBMClassifier or XGBClassifier (see the module docstring for the contract)."""
    n = len(feature_names)
    initial_types = [(ONNX_INPUT, FloatTensorType([None, n]))]
    if isinstance(model, lgb.LGBMClassifier):
        if model.n_features_in_ != n:
            raise ValueError(f"the model has {model.n_features_in_} features, feature_names {n}")
        proto = convert_lightgbm(
            model, name="argus_lightgbm", initial_types=initial_types, target_opset=TARGET_OPSET, zipmap=False
        )
    elif isinstance(model, xgb.XGBClassifier):
        if model.n_features_in_ != n:
            raise ValueError(f"the model has {model.n_features_in_} features, feature_names {n}")
        proto = convert_xgboost(model, name="argus_xgboost", initial_types=initial_types, target_opset=TARGET_OPSET)
        proto = _drop_zipmap(proto)
    else:
        raise TypeError(f"cannot export {type(model).__name__}: LGBMClassifier or XGBClassifier expected")
    _rename_output(proto, "probabilities")
    _fix_output_shapes(proto)
    proto.doc_string = "argus features: " + ",".join(feature_names)
    onnx.checker.check_model(proto)
    return proto


def export_onnx(model: object, feature_names: Sequence[str], path: str | Path) -> Path:
    """Writes ``to_onnx(model, feature_names)`` to ``path`` (atomically) and returns the path."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(target.name + ".tmp")
    tmp.write_bytes(to_onnx(model, feature_names).SerializeToString())
    os.replace(tmp, target)
    return target


def _drop_zipmap(proto: onnx.ModelProto) -> onnx.ModelProto:
    """Removes a trailing ZipMap so the graph outputs the probability tensor itself."""
    graph = proto.graph
    zipmaps = [node for node in graph.node if node.op_type == "ZipMap"]
    if not zipmaps:
        return proto
    for zipmap in zipmaps:
        source, sink = zipmap.input[0], zipmap.output[0]
        graph.node.remove(zipmap)
        for output in graph.output:
            if output.name == sink:
                output.CopyFrom(onnx.helper.make_tensor_value_info(source, onnx.TensorProto.FLOAT, [None, 2]))
    return proto


def _rename_output(proto: onnx.ModelProto, wanted: str) -> None:
    """Names the float probability output ``wanted`` (the converters call it ``probabilities`` or similar)."""
    graph = proto.graph
    prob = [o for o in graph.output if o.type.tensor_type.elem_type == onnx.TensorProto.FLOAT]
    if len(prob) != 1:
        raise ValueError(f"expected one float output, found {[o.name for o in graph.output]}")
    old = prob[0].name
    if old == wanted:
        return
    for node in graph.node:
        for i, name in enumerate(node.output):
            if name == old:
                node.output[i] = wanted
        for i, name in enumerate(node.input):
            if name == old:
                node.input[i] = wanted
    prob[0].name = wanted
    labels = [o for o in graph.output if o.type.tensor_type.elem_type == onnx.TensorProto.INT64]
    if len(labels) == 1 and labels[0].name != "label":
        old_label = labels[0].name
        for node in graph.node:
            for i, name in enumerate(node.output):
                if name == old_label:
                    node.output[i] = "label"
        labels[0].name = "label"


def _fix_output_shapes(proto: onnx.ModelProto) -> None:
    """Declares ``label`` as ``[None]`` and ``probabilities`` as ``[None, 2]`` (the XGBoost converter says
    ``[1]`` for the label, which onnxruntime warns about on every batch)."""
    shapes = {"label": (onnx.TensorProto.INT64, [None]), "probabilities": (onnx.TensorProto.FLOAT, [None, 2])}
    for output in proto.graph.output:
        if output.name in shapes:
            elem, dims = shapes[output.name]
            output.CopyFrom(onnx.helper.make_tensor_value_info(output.name, elem, dims))
