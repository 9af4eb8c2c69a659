"""`python -m argus_trainer eval` end to end on a small table in the newer backfill layout, and its refusals."""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import numpy as np
import onnxruntime as ort
import pandas as pd
import pytest
from eval_fixtures import SCHEMA_HASH, TRAIN_WINDOWS, eval_table, write_eval_table
from test_cli import run, write_table
from test_train import FEATURES

from argus_trainer.__main__ import main
from argus_trainer.artefacts import train_to_directory
from argus_trainer.calibrate import apply_calibration
from argus_trainer.evaluate_report import amount_bands
from argus_trainer.metrics import auc, evaluate, recall_at_fpr
from argus_trainer.split import read_training_table
from argus_trainer.train import feature_matrix

WINDOW = ["--test-from", "2026-01-16", "--test-to", "2026-01-21", "--label-delay-days", "2"]
HEADLINE = {"auc", "average_precision", "card_precision_at_100", "recall_at_fpr"}
REPORT_KEYS = {
    "format", "generated_at", "model_metadata", "table", "windows", "labels", "rows", "model", "model_raw",
    "rules_baseline", "per_day_card_precision_at_100", "operating_point", "per_scenario", "per_segment", "curves",
    "score_0_100", "model_gaps", "notes", "warnings", "scores_out", "report_html", "timings_seconds",
}


@pytest.fixture(scope="module")
def trained(tmp_path_factory) -> tuple[Path, Path]:
    """A table in the newer layout and a small LightGBM model trained on it (train reads the extra columns)."""
    directory = tmp_path_factory.mktemp("eval")
    table = write_eval_table(directory)
    small = {"n_trees": 40, "max_depth": 4}
    meta = train_to_directory(table, directory / "model", **TRAIN_WINDOWS, train_options=small)
    assert meta["feature_names"] == FEATURES and meta["schema_hash"] == SCHEMA_HASH
    return table, directory / "model"


@pytest.fixture(scope="module")
def evaluated(trained) -> dict:
    table, model = trained
    out, scores = model.parent / "report", model.parent / "scores.csv"
    result = run("eval", "--model", str(model), "--table", str(table), *WINDOW, "--out", str(out),
                 "--scores-out", str(scores))
    assert result.returncode == 0, result.stderr
    report = json.loads((out / "report.json").read_text())
    return {"stdout": result.stdout, "report": report, "scores": scores, "out": out, "table": table}


def test_eval_prints_the_headline_json_and_writes_the_report(evaluated):
    report = evaluated["report"]
    assert set(report) == REPORT_KEYS
    line = json.loads(evaluated["stdout"].strip().splitlines()[-1])
    assert set(line) == HEADLINE | {"rules_baseline", "report"} and set(line["rules_baseline"]) == HEADLINE
    assert set(line["recall_at_fpr"]) == {"0.001", "0.005", "0.01"}
    assert line["auc"] == report["model"]["auc"] and line["rules_baseline"] == report["rules_baseline"]
    assert line["report"] == str(evaluated["out"] / "report.html")
    assert report["model_metadata"]["kind"] == "lightgbm" and report["model_metadata"]["schema_hash"] == SCHEMA_HASH
    assert report["rows"]["test"] == report["rows"]["fraud"] + report["rows"]["legitimate"]
    assert report["rows"]["unlabelled_counted_legitimate"] > 0 and "unlabelled" in report["labels"]
    assert report["model"]["auc"] > 0.7 > report["rules_baseline"]["auc"]
    assert report["windows"]["earliest_allowed_test_from"] == "2026-01-16T00:00:00+00:00"


def test_scores_out_reproduces_the_headline_metrics(evaluated, trained):
    report = evaluated["report"]
    scores = pd.read_csv(evaluated["scores"], dtype={"transaction_id": "string"})
    assert list(scores.columns) == ["transaction_id", "score", "label"]
    assert len(scores) == report["rows"]["test"] and scores["label"].sum() == report["rows"]["fraud"]
    assert auc(scores["label"], scores["score"]) == report["model"]["auc"]

    table = read_training_table(evaluated["table"]).set_index("transaction_id").loc[scores["transaction_id"]]
    days = table["event_time"].dt.strftime("%Y-%m-%d").to_numpy()
    assert evaluate(scores["label"], scores["score"], table["card_id"].to_numpy(), days) == report["model"]

    # The score is the ONNX model's probability through the calibration map, value by value, scoring one row at a
    # time as production does. One thread, as eval: with more, onnxruntime may sum the trees in another order
    # (1 float32 ulp).
    options = ort.SessionOptions()
    options.intra_op_num_threads = 1
    session = ort.InferenceSession(str(trained[1] / "model.onnx"), options, providers=["CPUExecutionProvider"])
    X = feature_matrix(table, FEATURES)
    raw = [session.run(["probabilities"], {"features": X[i:i + 1]})[0][0, 1] for i in range(len(X))]
    calibration = json.loads((trained[1] / "metadata.json").read_text())["calibration"]
    assert scores["score"].tolist() == [apply_calibration(calibration, float(p)) for p in raw]


def test_operating_point_is_the_threshold_of_recall_at_the_fpr(evaluated):
    report = evaluated["report"]
    point = report["operating_point"]
    scores = pd.read_csv(evaluated["scores"])
    alerts = scores["score"] >= point["threshold"]
    assert point["model"]["alerts"] == alerts.sum() and point["model"]["fpr"] <= 0.005
    assert point["model"]["recall"] == recall_at_fpr(scores["label"], scores["score"], 0.005)
    assert point["model"]["recall"] == report["model"]["recall_at_fpr"]["0.005"]
    assert point["either"]["frauds_caught"] >= max(point["model"]["frauds_caught"], point["rules"]["frauds_caught"])


def test_per_scenario_and_segment_counts_match_a_hand_count(evaluated):
    report = evaluated["report"]
    threshold = report["operating_point"]["threshold"]
    with open(evaluated["scores"], newline="") as handle:
        score = {row["transaction_id"]: float(row["score"]) for row in csv.DictReader(handle)}
    counts: dict[str, dict[str, int]] = {}
    with open(evaluated["table"], newline="") as handle:
        for row in csv.DictReader(handle):
            if not "2026-01-16" <= row["event_time"][:10] < "2026-01-21":
                continue
            name = row["scenario"] or "(none)"
            fraud = row["label"] == "1"
            model, rules = score[row["transaction_id"]] >= threshold, row["rules_action"] != "APPROVE"
            c = counts.setdefault(name, {"rows": 0, "fraud": 0, "caught_model": 0, "caught_rules": 0,
                                         "caught_either": 0, "model_false_positives": 0})
            c["rows"] += 1
            c["fraud"] += fraud
            c["caught_model"] += fraud and model
            c["caught_rules"] += fraud and rules
            c["caught_either"] += fraud and (model or rules)
            c["model_false_positives"] += model and not fraud
    got = {row["name"]: {key: row[key] for key in counts["(none)"]} for row in report["per_scenario"]}
    assert got == counts
    rows = {row["name"]: row for row in report["per_scenario"]}
    assert rows["(none)"]["recall_model"] is None and rows["(none)"]["fraud"] == 0
    assert rows["invisible"]["fraud"] == 12 and rows["invisible"]["caught_rules"] == 12
    assert "invisible" in report["model_gaps"]["scenarios_missed_entirely"] and rows["invisible"]["caught_model"] == 0
    assert "invisible" in report["model_gaps"]["scenarios_where_rules_catch_more"]
    for segment in ("channel", "amount_band"):
        assert sum(row["rows"] for row in report["per_segment"][segment]) == report["rows"]["test"]
    assert [row["name"] for row in report["per_segment"]["amount_band"]] == ["<10", "10-100", "100-1000", ">=1000"]


def test_per_day_card_precision_averages_to_the_headline(evaluated):
    report = evaluated["report"]
    days = report["per_day_card_precision_at_100"]
    assert [row["day"] for row in days] == [f"2026-01-{d}" for d in range(16, 21)]
    for key, metrics in (("model", report["model"]), ("rules_baseline", report["rules_baseline"])):
        assert np.mean([row[key] for row in days]) == pytest.approx(metrics["card_precision_at_100"], abs=1e-15)


def test_report_html_is_self_contained_with_the_plots(evaluated):
    html = (evaluated["out"] / "report.html").read_text()
    assert html.startswith("<!DOCTYPE html>") and html.count("<svg") == 5
    for plot in ("roc", "precision_recall", "calibration", "score_distribution", "card_precision_per_day"):
        assert f"id=plot-{plot}>" in html
    assert "<script" not in html and "<link" not in html and "src=" not in html
    assert "invisible" in html and "class=missed" in html and "rules baseline" in html
    curves = evaluated["report"]["curves"]
    assert sum(curves["score_distribution"]["fraud"]) == evaluated["report"]["rows"]["fraud"]


def test_amount_bands_in_major_units():
    bands = amount_bands(pd.Series([0, 999, 1000, 9999, 10_000, 99_999, 100_000, None]))
    assert bands.tolist() == ["<10", "<10", "10-100", "10-100", "100-1000", "100-1000", ">=1000", "(unknown)"]


def eval_args(table: Path, model: Path, out: Path, *window: str) -> list[str]:
    return ["eval", "--model", str(model), "--table", str(table), *(window or WINDOW), "--out", str(out)]


def refused(capsys, args: list[str]) -> str:
    """Runs ``main`` in-process and returns its one stderr line, after checking exit code 2 and no stdout."""
    assert main(args) == 2
    captured = capsys.readouterr()
    assert captured.out == "" and len(captured.err.strip().splitlines()) == 1
    return captured.err


@pytest.mark.parametrize(
    ("window", "message"),
    [
        (["--test-from", "2026-01-14", "--test-to", "2026-01-21", "--label-delay-days", "2"], "calibration_to"),
        (["--test-from", "2026-01-16", "--test-to", "2026-01-21", "--label-delay-days", "7"], "label delay is 7"),
        (["--test-from", "2026-01-17", "--test-to", "2026-01-17", "--label-delay-days", "2"], "empty test window"),
        (["--test-from", "2026-02-01", "--test-to", "2026-02-05", "--label-delay-days", "2"],
         "UndefinedMetricError: no rows"),
    ],
)
def test_refuses_leaking_or_empty_windows(capsys, trained, tmp_path, window, message):
    table, model = trained
    error = refused(capsys, eval_args(table, model, tmp_path / "r", *window))
    assert message in error and error.startswith("argus eval:")
    if "calibration_to" in message or "label delay" in message:
        assert "leakage" in error
    assert not (tmp_path / "r" / "report.json").exists()


def test_refuses_a_window_without_fraud(capsys, trained, tmp_path):
    frame = eval_table()
    in_window = frame["event_time"] >= pd.Timestamp("2026-01-16", tz="UTC")
    frame.loc[in_window, "label"] = pd.NA
    table = write_eval_table(tmp_path, frame)
    error = refused(capsys, eval_args(table, trained[1], tmp_path / "r"))
    assert "UndefinedMetricError: no fraud row" in error


def test_refuses_another_feature_schema(capsys, trained, tmp_path):
    table = write_eval_table(tmp_path, schema_hash="sha256:other")
    assert "feature schema mismatch" in refused(capsys, eval_args(table, trained[1], tmp_path / "r"))


def test_refuses_a_table_without_rules_columns(capsys, trained, tmp_path):
    table = write_table(tmp_path)  # the older layout, same schema hash
    assert "re-run `argus backfill`" in refused(capsys, eval_args(table, trained[1], tmp_path / "r"))


def test_refuses_an_unknown_rules_action(capsys, trained, tmp_path):
    frame = eval_table()
    frame.loc[frame.index[-1], "rules_action"] = "DECLINE"
    table = write_eval_table(tmp_path, frame)
    assert "DECLINE" in refused(capsys, eval_args(table, trained[1], tmp_path / "r"))


def test_refuses_a_model_whose_onnx_does_not_match_its_hash(capsys, trained, tmp_path):
    model = tmp_path / "model"
    shutil.copytree(trained[1], model)
    with open(model / "model.onnx", "ab") as handle:
        handle.write(b"\0")
    assert "SHA-256" in refused(capsys, eval_args(trained[0], model, tmp_path / "r"))
