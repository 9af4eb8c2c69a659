"""`python -m argus_trainer train` end to end on a small synthetic table + schema, and its refusals."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import onnxruntime as ort
import pandas as pd
import pytest
from test_train import FEATURES, backfill_table

from argus_trainer.artefacts import ArtefactError, read_schema
from argus_trainer.calibrate import apply_calibration
from argus_trainer.split import read_training_table
from argus_trainer.train import feature_matrix

SRC = str(Path(__file__).resolve().parents[1] / "src")
WINDOWS = ["--train-from", "2026-01-01", "--train-to", "2026-01-12", "--calibration-to", "2026-01-16",
           "--test-to", "2026-01-21", "--label-delay-days", "2"]


def write_table(directory: Path, features=FEATURES) -> Path:
    table = directory / "training.csv"
    frame = backfill_table(n=4000, seed=2)
    frame["event_time"] = frame["event_time"].dt.strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    frame.to_csv(table, index=False)
    schema = {"schema_hash": "sha256:test", "features": [{"name": name} for name in features], "tuning": {}}
    (directory / "training.csv.schema.json").write_text(json.dumps(schema))
    return table


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "argus_trainer", *args], capture_output=True, text=True,
                          env={"PYTHONPATH": SRC, "PATH": "/usr/bin:/bin"}, timeout=120)


@pytest.mark.parametrize("kind", ["lightgbm", "xgboost"])
def test_train_writes_a_model_directory(tmp_path, kind):
    table = write_table(tmp_path)
    out = tmp_path / "model"
    result = run("train", "--table", str(table), "--out", str(out), *WINDOWS, "--model", kind, "--seed", "3")
    assert result.returncode == 0, result.stderr
    metrics = json.loads(result.stdout.strip().splitlines()[-1])
    assert set(metrics) == {"raw", "calibrated"} and metrics["raw"]["auc"] > 0.7

    meta = json.loads((out / "metadata.json").read_text())
    assert meta["kind"] == kind and meta["schema_hash"] == "sha256:test" and meta["feature_names"] == FEATURES
    assert meta["metrics"] == metrics and meta["label_delay_days"] == 2
    assert meta["windows"]["train"] == {"from": "2026-01-01T00:00:00+00:00", "to": "2026-01-10T00:00:00+00:00",
                                        "labels_known_by": "2026-01-12T00:00:00+00:00"}
    assert meta["windows"]["test"]["from"] == "2026-01-16T00:00:00+00:00"
    assert len(meta["anomaly"]["imputation"]) == len(FEATURES)
    assert {"lightgbm", "xgboost-cpu", "scikit-learn", "onnx"} <= set(meta["libraries"])
    for name, digest in meta["artefacts"].items():
        assert hashlib.sha256((out / name).read_bytes()).hexdigest() == digest
    assert json.loads((out / "trees.json").read_text())["kind"] == kind

    # The ONNX classifier + the calibration map give the calibrated score the metrics were computed from.
    session = ort.InferenceSession(str(out / "model.onnx"), providers=["CPUExecutionProvider"])
    test = pd.read_csv(table).iloc[-50:]
    raw = session.run(["probabilities"], {"features": feature_matrix(test, FEATURES)})[0][:, 1]
    calibrated = [apply_calibration(meta["calibration"], float(p)) for p in raw]
    assert all(0.0 <= p <= 1.0 for p in calibrated)
    anomaly = ort.InferenceSession(str(out / "anomaly.onnx"), providers=["CPUExecutionProvider"])
    X = feature_matrix(test, FEATURES)
    X = np.where(np.isnan(X), np.asarray(meta["anomaly"]["imputation"], np.float32), X).astype(np.float32)
    assert anomaly.run(["scores"], {"features": X})[0].shape == (50, 1)


def test_errors_are_one_line_and_exit_2(tmp_path):
    table = write_table(tmp_path)
    bad_windows = [*WINDOWS]
    bad_windows[5] = "2026-01-10"  # calibration_to before train_to
    result = run("train", "--table", str(table), "--out", str(tmp_path / "m"), *bad_windows)
    assert result.returncode == 2 and result.stdout == ""
    assert len(result.stderr.strip().splitlines()) == 1 and "SplitError" in result.stderr
    result = run("train", "--table", str(table))
    assert result.returncode == 2 and len(result.stderr.strip().splitlines()) == 1
    result = run("train", "--table", str(tmp_path / "none.csv"), "--out", str(tmp_path / "m"), *WINDOWS)
    assert result.returncode == 2 and "schema" in result.stderr


def test_refuses_a_header_that_does_not_match_the_schema(tmp_path):
    table = write_table(tmp_path, features=FEATURES[:-1] + ["some_other_feature"])
    with pytest.raises(ArtefactError, match="header does not match"):
        read_schema(table)
    table = write_table(tmp_path, features=list(reversed(FEATURES)))
    with pytest.raises(ArtefactError, match="out of order"):
        read_schema(table)


def test_reads_a_table_with_the_newer_leading_columns(tmp_path):
    from eval_fixtures import NEW_LEADING, write_eval_table

    table = write_eval_table(tmp_path)
    schema = read_schema(table)
    assert schema.leading_columns == tuple(NEW_LEADING) and schema.feature_names == FEATURES
    frame = read_training_table(table)
    assert frame["rules_action"].dtype == "string" and frame["rules_fired"].dtype == "string"
    assert frame["rules_fired"].isna().any() and frame["rules_fired"].str.contains(";").any()
    assert feature_matrix(frame, schema.feature_names).shape == (len(frame), len(FEATURES))


def test_refuses_a_schema_whose_leading_columns_do_not_match(tmp_path):
    from eval_fixtures import NEW_LEADING, write_eval_table

    table = write_eval_table(tmp_path)
    schema_file = tmp_path / "training.csv.schema.json"
    doc = json.loads(schema_file.read_text())
    schema_file.write_text(json.dumps({**doc, "leading_columns": [c for c in NEW_LEADING if c != "label"]}))
    with pytest.raises(ArtefactError, match="lacks \\['label'\\]"):
        read_schema(table)
    del doc["leading_columns"]  # an older schema: the base leading columns, so the extra ones are unexpected
    schema_file.write_text(json.dumps(doc))
    with pytest.raises(ArtefactError, match="unexpected \\['channel', 'rules_action', 'rules_fired'\\]"):
        read_schema(table)
