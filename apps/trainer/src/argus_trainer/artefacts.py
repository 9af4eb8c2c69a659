"""``argus train`` end to end: read a backfill table and its schema, split, train, calibrate, write a model dir.

Windows (all half-open, UTC, dates = midnight): train ``[train_from, train_to - label_delay)`` with the labels
known by ``train_to``; calibration ``[train_to, calibration_to)`` and test ``[calibration_to, test_to)`` with the
eventual labels. The calibration period is used only to fit the isotonic map, never to train; the test period
only to report metrics.

The model directory holds ``model.onnx`` (the chosen classifier), ``anomaly.onnx``, ``trees.json`` (see
:mod:`argus_trainer.trees`) and ``metadata.json``: kind, feature names, the feature ``schema_hash`` of the
backfill ``.schema.json``, windows, label delay, test metrics (raw and calibrated), calibration map, anomaly
imputation values, the SHA-256 of every other file, library versions and ``created_at``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import platform
from dataclasses import dataclass
from importlib import metadata as importlib_metadata
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from .anomaly import anomaly_to_onnx, train_anomaly
from .calibrate import apply_calibration_array, fit_calibration
from .metrics import evaluate
from .split import LEADING_COLUMNS, DateLike, read_training_table, time_split, to_utc
from .train import export_onnx, feature_matrix, train_models
from .trees import tree_structure

MODEL_KINDS = ("lightgbm", "xgboost")
LIBRARIES = ("numpy", "pandas", "scikit-learn", "lightgbm", "xgboost-cpu", "onnx", "onnxmltools", "skl2onnx")


class ArtefactError(ValueError):
    """The table, its schema or the arguments cannot produce a model."""


@dataclass(frozen=True)
class Schema:
    schema_hash: str
    feature_names: list[str]
    leading_columns: tuple[str, ...] = LEADING_COLUMNS
    """The columns before the features, from the schema's ``leading_columns`` (older schemas: the base set)."""


def schema_path(table: str | Path) -> Path:
    """``<table>.schema.json`` as backfill writes it (``training.csv.schema.json``), else ``training.schema.json``."""
    table = Path(table)
    for candidate in (table.with_name(table.name + ".schema.json"), table.with_suffix(".schema.json")):
        if candidate.is_file():
            return candidate
    raise ArtefactError(f"no schema file next to {table}: expected {table.name}.schema.json")


def read_schema(table: str | Path) -> Schema:
    """The schema of a backfill table; refuses one whose CSV header is not leading columns + schema features.

    The leading columns are the schema's ``leading_columns`` when it lists them (they must include every
    column of :data:`~argus_trainer.split.LEADING_COLUMNS`; newer tables add ``channel``, ``rules_action`` and
    ``rules_fired``), else the base set. Features are always selected by name, so extra leading columns change
    nothing for training.
    """
    path = schema_path(table)
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
        schema_hash = doc["schema_hash"]
        names = [feature["name"] for feature in doc["features"]]
        leading = tuple(str(name) for name in doc.get("leading_columns", LEADING_COLUMNS))
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise ArtefactError(f"{path}: not a backfill schema ({error})") from error
    if not isinstance(schema_hash, str) or not schema_hash or not names:
        raise ArtefactError(f"{path}: schema_hash and a non-empty feature list are required")
    absent = [name for name in LEADING_COLUMNS if name not in leading]
    if absent:
        raise ArtefactError(f"{path}: leading_columns lacks {absent}")
    header = pd.read_csv(table, nrows=0).columns.tolist()
    expected = list(leading) + names
    if header != expected:
        extra = [c for c in header if c not in expected]
        missing = [c for c in expected if c not in header]
        raise ArtefactError(
            f"{table}: header does not match {path.name} (schema {schema_hash}): "
            f"missing {missing}, unexpected {extra}" + ("" if missing or extra else ", columns out of order")
        )
    return Schema(schema_hash, names, leading)


def sha256_file(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def write_json(path: Path, doc: Any) -> None:
    """Writes ``doc`` as indented JSON atomically (NaN refused: a report never holds one)."""
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(doc, indent=2, allow_nan=False) + "\n", encoding="utf-8")
    os.replace(tmp, path)


def _versions() -> dict[str, str]:
    versions = {"python": platform.python_version()}
    for name in LIBRARIES:
        versions[name] = importlib_metadata.version(name)
    return versions


def train_to_directory(
    table: str | Path,
    out: str | Path,
    *,
    train_from: DateLike,
    train_to: DateLike,
    calibration_to: DateLike,
    test_to: DateLike,
    label_delay_days: float,
    kind: str = "lightgbm",
    seed: int = 42,
    train_options: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Trains one classifier (``kind``) plus the anomaly model and writes the directory; returns the metadata."""
    if kind not in MODEL_KINDS:
        raise ArtefactError(f"unknown model kind {kind!r}: {' or '.join(MODEL_KINDS)}")
    schema = read_schema(table)
    df = read_training_table(table)
    fit = time_split(df, train_from, train_to, train_to, calibration_to, label_delay_days)
    test = time_split(df, train_from, train_to, calibration_to, test_to, label_delay_days).test
    names = schema.feature_names

    model = train_models(fit.train, names, seed, **(train_options or {}))[kind]
    X_train = feature_matrix(fit.train, names)

    def raw(frame: pd.DataFrame) -> np.ndarray:
        return model.predict_proba(pd.DataFrame(feature_matrix(frame, names), columns=names)
                                   if kind == "lightgbm" else feature_matrix(frame, names))[:, 1]

    calibration = fit_calibration(raw(fit.test), fit.test["y"].to_numpy())
    raw_test = raw(test)
    calibrated_test = apply_calibration_array(calibration, raw_test)
    cards = test["card_id"].astype(str).to_numpy()
    days = pd.to_datetime(test["event_time"], utc=True).dt.strftime("%Y-%m-%d").to_numpy()
    y_test = test["y"].to_numpy()
    metrics = {
        "raw": evaluate(y_test, raw_test, cards, days),
        "calibrated": evaluate(y_test, calibrated_test, cards, days),
    }

    anomaly = train_anomaly(X_train, seed)
    directory = Path(out)
    directory.mkdir(parents=True, exist_ok=True)
    export_onnx(model, names, directory / "model.onnx")
    (directory / "anomaly.onnx").write_bytes(anomaly_to_onnx(anomaly, names).SerializeToString())
    write_json(directory / "trees.json", tree_structure(model, names))

    artefacts = {name: sha256_file(directory / name) for name in ("model.onnx", "anomaly.onnx", "trees.json")}
    iso = lambda stamp: to_utc(stamp).isoformat()  # noqa: E731
    meta = {
        "format": "argus-model/1",
        "kind": kind,
        "seed": seed,
        "feature_names": names,
        "schema_hash": schema.schema_hash,
        "windows": {
            "train": {"from": iso(fit.train_from), "to": iso(fit.train_until), "labels_known_by": iso(fit.train_to)},
            "calibration": {"from": iso(train_to), "to": iso(calibration_to)},
            "test": {"from": iso(calibration_to), "to": iso(test_to)},
        },
        "label_delay_days": label_delay_days,
        "rows": {
            "train": int(len(fit.train)), "train_fraud": int(fit.train["y"].sum()),
            "calibration": int(len(fit.test)), "calibration_fraud": int(fit.test["y"].sum()),
            "test": int(len(test)), "test_fraud": int(test["y"].sum()),
        },
        "metrics": metrics,
        "calibration": calibration,
        "anomaly": {"imputation": anomaly.imputation, "imputation_rule": "training median per feature (0.0 if all NaN)",
                    "outputs": ["label", "scores", "score_samples"]},
        "artefacts": artefacts,
        "libraries": _versions(),
        "created_at": dt.datetime.now(dt.timezone.utc).isoformat(),
    }
    write_json(directory / "metadata.json", meta)
    return meta
