"""What ``argus eval`` reads: the model directory, the test rows of a backfill table, and their ONNX scores.

* :func:`load_model` reads ``metadata.json`` and checks ``model.onnx`` against its SHA-256.
* :func:`check_window` refuses a test window that is not strictly in the model's future (see its docstring).
* :func:`read_test_rows` streams the table in chunks, reads only the columns the report needs, and keeps the
  features of the rows in the window as one float32 matrix (the ONNX input type), so a million-row table with a
  hundred features fits in well under 1 GB.
* :func:`score_onnx` runs ``model.onnx`` in onnxruntime, the artefact production serves, in batches.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import onnxruntime as ort
import pandas as pd

from .artefacts import Schema, sha256_file
from .split import DateLike, eventual_fraud, to_utc

CHUNK_ROWS = 100_000
BATCH_ROWS = 50_000
ONNX_INPUT = "features"
ONNX_OUTPUT = "probabilities"
RULES_SEVERITY: dict[str, int] = {"APPROVE": 0, "REVIEW": 1, "BLOCK": 2}
"""The rules-only baseline's score: a step ranking of what the production rule set decided."""
REPORT_COLUMNS: tuple[str, ...] = (
    "transaction_id", "event_time", "card_id", "amount_minor", "currency", "label", "scenario", "channel",
    "rules_action",
)
_TEXT = ("transaction_id", "card_id", "currency", "label", "scenario", "channel", "rules_action")


class EvalError(ValueError):
    """The model, the table or the window cannot be evaluated (a refusal: exit code 2)."""


@dataclass(frozen=True)
class ModelDir:
    path: Path
    metadata: dict[str, Any]

    @property
    def feature_names(self) -> list[str]:
        return list(self.metadata["feature_names"])


@dataclass(frozen=True)
class TestRows:
    """The rows with ``event_time`` in the window: report columns plus ``y``, their features, and table facts."""

    frame: pd.DataFrame
    X: np.ndarray
    rows_read: int
    table_ends_at: pd.Timestamp | None
    """The latest ``event_time`` in the whole table (for the label-maturity warning)."""


def load_model(directory: str | Path) -> ModelDir:
    """Reads ``metadata.json``; refuses a directory without it or whose ``model.onnx`` does not match its hash."""
    path = Path(directory)
    try:
        metadata = json.loads((path / "metadata.json").read_text(encoding="utf-8"))
        expected = metadata["artefacts"]["model.onnx"]
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise EvalError(f"{path}: not a model directory written by `argus_trainer train` ({error!r})") from error
    missing = [key for key in ("feature_names", "schema_hash", "windows", "calibration", "kind") if key not in metadata]
    if missing:
        raise EvalError(f"{path}/metadata.json lacks {missing}")
    onnx_path = path / "model.onnx"
    if not onnx_path.is_file():
        raise EvalError(f"{path}: model.onnx is missing")
    actual = sha256_file(onnx_path)
    if actual != expected:
        raise EvalError(f"{onnx_path}: SHA-256 {actual} differs from metadata.json's {expected}")
    return ModelDir(path, metadata)


def earliest_test_from(metadata: dict[str, Any], label_delay_days: float) -> pd.Timestamp:
    """The first instant a test window may start at: the latest of the model's ``calibration_to``, the instant
    it was trained (``labels_known_by``) and the end of its train rows plus the label delay."""
    return max(bound for bound, _ in _future_bounds(metadata, label_delay_days))


def _future_bounds(metadata: dict[str, Any], label_delay_days: float) -> list[tuple[pd.Timestamp, str]]:
    windows = metadata["windows"]
    train_until = to_utc(windows["train"]["to"])
    return [
        (train_until + pd.Timedelta(days=label_delay_days),
         f"the model's train rows end at {train_until.isoformat()} and the label delay is {label_delay_days:g} days"),
        (to_utc(windows["train"]["labels_known_by"]),
         "the model was trained with the labels known then (labels_known_by)"),
        (to_utc(windows["calibration"]["to"]), "its calibration map was fitted on labels up to calibration_to"),
    ]


def check_window(metadata: dict[str, Any], test_from: DateLike, test_to: DateLike, label_delay_days: float) -> None:
    """Refuses an empty window and one that starts before :func:`earliest_test_from` (leakage: the test must lie
    in the model's future, after the label delay, and after the calibration period)."""
    start, end = to_utc(test_from), to_utc(test_to)
    if label_delay_days < 0:
        raise EvalError(f"label delay must be >= 0 days, got {label_delay_days:g}")
    if not start < end:
        raise EvalError(f"empty test window: test_from {start.isoformat()} is not before test_to {end.isoformat()}")
    for bound, reason in sorted(_future_bounds(metadata, label_delay_days), key=lambda item: item[0], reverse=True):
        if start < bound:
            raise EvalError(
                f"leakage: test_from {start.isoformat()} is before {bound.isoformat()} ({reason}); "
                "the test window must lie in the model's future"
            )


def check_table(schema: Schema, model: ModelDir) -> None:
    """Refuses a table of another feature schema than the model's, or one without the rules/channel columns."""
    if schema.schema_hash != model.metadata["schema_hash"]:
        raise EvalError(
            f"feature schema mismatch: the table is {schema.schema_hash}, the model was trained on "
            f"{model.metadata['schema_hash']}"
        )
    missing = [name for name in REPORT_COLUMNS if name not in schema.leading_columns]
    if missing:
        raise EvalError(f"the table has no {missing} column(s): re-run `argus backfill` (older tables lack them)")
    absent = [name for name in model.feature_names if name not in schema.feature_names]
    if absent:
        raise EvalError(f"the table lacks the model's features {absent}")


def read_test_rows(
    table: str | Path,
    feature_names: Sequence[str],
    test_from: DateLike,
    test_to: DateLike,
    *,
    chunk_rows: int = CHUNK_ROWS,
) -> TestRows:
    """The rows with ``event_time`` in ``[test_from, test_to)``, read in chunks of ``chunk_rows``.

    ``frame`` has :data:`REPORT_COLUMNS` (``event_time`` as UTC timestamps, ``amount_minor`` as float) plus
    ``y`` (1 fraud; 0 for ``label == 0`` and for unlabelled rows, as in training); ``X`` the features in
    ``feature_names`` order as float32, NaN where a cell is empty.
    """
    start, end = to_utc(test_from), to_utc(test_to)
    names = list(feature_names)
    dtypes: dict[str, Any] = {name: "string" for name in _TEXT}
    dtypes.update({name: "float64" for name in names}, amount_minor="float64")
    reader = pd.read_csv(table, usecols=[*REPORT_COLUMNS, *names], dtype=dtypes, keep_default_na=False,
                         na_values=[""], chunksize=chunk_rows)
    frames: list[pd.DataFrame] = []
    matrices: list[np.ndarray] = []
    rows_read, ends_at = 0, None
    for chunk in reader:
        times = pd.to_datetime(chunk["event_time"], utc=True, format="ISO8601")
        rows_read += len(chunk)
        if len(chunk):
            ends_at = times.max() if ends_at is None else max(ends_at, times.max())
        inside = ((times >= start) & (times < end)).to_numpy()
        if not inside.any():
            continue
        frames.append(chunk.loc[inside, list(REPORT_COLUMNS)].assign(event_time=times[inside]))
        matrices.append(chunk.loc[inside, names].to_numpy(dtype=np.float32, na_value=np.nan))
    frame = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=list(REPORT_COLUMNS))
    frame["y"] = eventual_fraud(frame).astype(np.int8) if len(frame) else np.zeros(0, np.int8)
    X = np.ascontiguousarray(np.concatenate(matrices) if matrices else np.zeros((0, len(names)), np.float32))
    return TestRows(frame, X, rows_read, ends_at)


def rules_severity(actions: pd.Series) -> np.ndarray:
    """``rules_action`` as the baseline score (APPROVE 0, REVIEW 1, BLOCK 2); refuses any other value."""
    severity = actions.map(RULES_SEVERITY)
    unknown = actions[severity.isna()]
    if len(unknown):
        values = sorted({str(value) for value in unknown.fillna("<empty>").unique()})[:5]
        raise EvalError(f"{len(unknown)} rows have a rules_action other than APPROVE, REVIEW or BLOCK: {values}")
    return severity.to_numpy(dtype=np.float64)


def score_onnx(path: str | Path, X: np.ndarray, *, batch_rows: int = BATCH_ROWS, threads: int = 1) -> np.ndarray:
    """Column 1 of ``probabilities`` (the raw fraud probability) for every row of ``X``, as float64.

    One thread by default: on a busy 2-core machine extra onnxruntime threads mostly spin (as for LightGBM).
    """
    options = ort.SessionOptions()
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    session = ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])
    inputs = session.get_inputs()
    if [item.name for item in inputs] != [ONNX_INPUT] or ONNX_OUTPUT not in {o.name for o in session.get_outputs()}:
        raise EvalError(f"{path}: expected input '{ONNX_INPUT}' and output '{ONNX_OUTPUT}'")
    width = inputs[0].shape[1]
    if isinstance(width, int) and width != X.shape[1]:
        raise EvalError(f"{path}: the model takes {width} features, the table gives {X.shape[1]}")
    raw = np.empty(X.shape[0], dtype=np.float64)
    for first in range(0, X.shape[0], batch_rows):
        batch = X[first:first + batch_rows]
        raw[first:first + len(batch)] = session.run([ONNX_OUTPUT], {ONNX_INPUT: batch})[0][:, 1]
    return raw
