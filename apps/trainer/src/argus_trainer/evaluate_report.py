"""``argus eval``: the model on a future test window, against the rules-only baseline, as JSON and HTML.

:func:`run_eval` scores every transaction of ``[test_from, test_to)`` with the model directory's ``model.onnx``
in onnxruntime and its calibration map (exactly what production serves), then computes everything with
:mod:`argus_trainer.metrics` — the model on the calibrated probability, the raw ONNX probability, and the
rules-only baseline whose score is the severity of the rule set's own decision (APPROVE 0, REVIEW 1, BLOCK 2) —
and writes ``report.json`` and a self-contained ``report.html`` (see :mod:`argus_trainer.report_html`).

Labels are the eventual ones, as in the test period of training: ``label == 1`` is fraud, ``label == 0`` and
unlabelled rows are legitimate. The operating point is the calibrated-probability threshold at which the model's
false-positive rate on the test window is ``operating_fpr`` (:func:`argus_trainer.metrics.threshold_at_fpr`);
at that threshold every scenario and segment gets its counts of fraud caught by the model, by the rules
(``rules_action`` REVIEW or BLOCK) and by either.
"""

from __future__ import annotations

import datetime as dt
import math
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from sklearn.calibration import calibration_curve
from sklearn.metrics import precision_recall_curve, roc_curve

from .artefacts import read_schema, write_json
from .calibrate import apply_calibration_array
from .eval_inputs import (
    ModelDir,
    TestRows,
    check_table,
    check_window,
    earliest_test_from,
    load_model,
    read_test_rows,
    rules_severity,
    score_onnx,
)
from .metrics import UndefinedMetricError, card_precision_per_day, evaluate, threshold_at_fpr
from .report_html import write_html
from .score_scale import score_0_100
from .split import DateLike, to_utc

REPORT_FORMAT = "argus-eval-report/1"
DEFAULT_OPERATING_FPR = 0.005
CURVE_POINTS = 400
CALIBRATION_BINS = 10
NO_VALUE = "(none)"
AMOUNT_BANDS: tuple[tuple[float, str], ...] = ((10.0, "<10"), (100.0, "10-100"), (1000.0, "100-1000"),
                                               (math.inf, ">=1000"))
"""Upper bounds (exclusive) in major units, ``amount_minor / 100``, and their labels."""
HEADLINE_KEYS = ("auc", "average_precision", "card_precision_at_100", "recall_at_fpr")


@dataclass(frozen=True)
class EvalRequest:
    model: Path
    table: Path
    test_from: DateLike
    test_to: DateLike
    label_delay_days: float
    out: Path
    scores_out: Path | None = None
    operating_fpr: float = DEFAULT_OPERATING_FPR


@dataclass(frozen=True)
class Scored:
    """The test rows with every score the report is computed from."""

    rows: TestRows
    raw: np.ndarray
    calibrated: np.ndarray
    severity: np.ndarray
    days: np.ndarray

    @property
    def y(self) -> np.ndarray:
        return self.rows.frame["y"].to_numpy(dtype=np.int8)


def run_eval(request: EvalRequest) -> dict[str, Any]:
    """Checks, scores, computes and writes ``report.json``, ``report.html`` (and the scores file); returns the
    report. Refusals raise :class:`~argus_trainer.eval_inputs.EvalError` or ``UndefinedMetricError``."""
    if not 0 < request.operating_fpr < 1:
        raise ValueError(f"--operating-fpr must be in (0, 1), got {request.operating_fpr}")
    clock = _Clock()
    model = load_model(request.model)
    check_window(model.metadata, request.test_from, request.test_to, request.label_delay_days)
    schema = read_schema(request.table)
    check_table(schema, model)
    rows = read_test_rows(request.table, model.feature_names, request.test_from, request.test_to)
    _require_both_classes(rows.frame["y"].to_numpy(), request)
    severity = rules_severity(rows.frame["rules_action"])
    clock.lap("read")
    raw = score_onnx(model.path / "model.onnx", rows.X)
    scored = Scored(rows, raw, apply_calibration_array(model.metadata["calibration"], raw), severity,
                    _days(rows.frame["event_time"]))
    clock.lap("score")
    report = build_report(request, model, schema.schema_hash, scored)
    clock.lap("metrics")
    request.out.mkdir(parents=True, exist_ok=True)
    if request.scores_out is not None:
        write_scores(request.scores_out, rows.frame["transaction_id"], scored.calibrated, scored.y)
    report["report_html"] = str(write_html(report, request.out))
    clock.lap("report")
    report["timings_seconds"] = clock.laps
    write_json(request.out / "report.json", report)
    return report


class _Clock:
    def __init__(self) -> None:
        self._last = time.perf_counter()
        self.laps: dict[str, float] = {}

    def lap(self, name: str) -> None:
        now = time.perf_counter()
        self.laps[name] = round(now - self._last, 3)
        self._last = now


def _require_both_classes(y: np.ndarray, request: EvalRequest) -> None:
    window = f"[{to_utc(request.test_from).isoformat()}, {to_utc(request.test_to).isoformat()})"
    if y.size == 0:
        raise UndefinedMetricError(f"no rows with event_time in the test window {window}")
    if not y.any():
        raise UndefinedMetricError(f"no fraud row among the {y.size} rows of the test window {window}")
    if y.all():
        raise UndefinedMetricError(f"no legitimate row among the {y.size} rows of the test window {window}")


def _days(event_time: pd.Series) -> np.ndarray:
    """Each row's UTC calendar day as ``YYYY-MM-DD`` (the day of card precision@100)."""
    naive = event_time.dt.tz_convert("UTC").dt.tz_localize(None).to_numpy(dtype="datetime64[ns]")
    return np.datetime_as_string(naive.astype("datetime64[D]"))


def build_report(request: EvalRequest, model: ModelDir, table_schema_hash: str, scored: Scored) -> dict[str, Any]:
    """The whole ``report.json`` document except the HTML path and the timings."""
    frame, y, cards = scored.rows.frame, scored.y, scored.rows.frame["card_id"].to_numpy()
    fraud = y.astype(bool)
    point, model_alert = operating_point(y, scored.calibrated, scored.severity, request.operating_fpr)
    rules_alert = scored.severity > 0
    unlabelled = int(frame["label"].isna().sum())
    per_scenario = breakdown(_text_keys(frame["scenario"]), fraud, model_alert, rules_alert)
    return {
        "format": REPORT_FORMAT,
        "generated_at": dt.datetime.now(dt.timezone.utc).isoformat(),
        "model_metadata": model_summary(model),
        "table": {
            "path": str(request.table), "schema_hash": table_schema_hash, "rows_read": scored.rows.rows_read,
            "ends_at": None if scored.rows.table_ends_at is None else scored.rows.table_ends_at.isoformat(),
            "currencies": {str(k): int(v) for k, v in frame["currency"].fillna(NO_VALUE).value_counts().items()},
        },
        "windows": windows(request, model),
        "labels": "eventual labels: label 1 is fraud; label 0 and unlabelled rows are legitimate (as in training)",
        "rows": {"test": int(y.size), "fraud": int(fraud.sum()), "legitimate": int((~fraud).sum()),
                 "unlabelled_counted_legitimate": unlabelled},
        "model": evaluate(y, scored.calibrated, cards, scored.days),
        "model_raw": evaluate(y, scored.raw, cards, scored.days),
        "rules_baseline": evaluate(y, scored.severity, cards, scored.days),
        "per_day_card_precision_at_100": per_day_card_precision(y, scored, cards),
        "operating_point": point,
        "per_scenario": per_scenario,
        "per_segment": {
            "channel": breakdown(_text_keys(frame["channel"]), fraud, model_alert, rules_alert),
            "amount_band": breakdown(amount_bands(frame["amount_minor"]), fraud, model_alert, rules_alert,
                                     order=[label for _, label in AMOUNT_BANDS]),
        },
        "curves": curves(y, scored.calibrated, scored.severity),
        "score_0_100": {
            "formula": "clamp(floor(25 * (log10(max(p, 1e-4)) + 4) + 0.5), 0, 100), p = calibrated probability",
            "threshold_score": point["threshold_score_0_100"],
        },
        "model_gaps": model_gaps(per_scenario),
        "notes": report_notes(frame, unlabelled),
        "warnings": report_warnings(request, model, scored.rows),
        "scores_out": None if request.scores_out is None else str(request.scores_out),
    }


def model_summary(model: ModelDir) -> dict[str, Any]:
    meta = model.metadata
    return {
        "directory": str(model.path), "kind": meta["kind"], "format": meta.get("format"),
        "schema_hash": meta["schema_hash"], "features": len(meta["feature_names"]),
        "artefacts": meta.get("artefacts", {}), "created_at": meta.get("created_at"),
        "calibration_method": meta["calibration"].get("method"), "label_delay_days": meta.get("label_delay_days"),
    }


def windows(request: EvalRequest, model: ModelDir) -> dict[str, Any]:
    return {
        "test": {"from": to_utc(request.test_from).isoformat(), "to": to_utc(request.test_to).isoformat()},
        "label_delay_days": request.label_delay_days,
        "earliest_allowed_test_from": earliest_test_from(model.metadata, request.label_delay_days).isoformat(),
        "model": model.metadata["windows"],
    }


def per_day_card_precision(y: np.ndarray, scored: Scored, cards: np.ndarray) -> list[dict[str, Any]]:
    """Each day's card precision@100 for the model and the rules baseline (their means are the headline)."""
    def series(score: np.ndarray) -> pd.Series:
        return card_precision_per_day(pd.DataFrame({"card_id": cards, "day": scored.days, "score": score, "y": y}))

    model, rules = series(scored.calibrated), series(scored.severity)
    return [{"day": str(day), "model": float(model[day]), "rules_baseline": float(rules[day])} for day in model.index]


def operating_point(
    y: np.ndarray, calibrated: np.ndarray, severity: np.ndarray, fpr: float
) -> tuple[dict[str, Any], np.ndarray]:
    """The model's alert threshold at ``fpr`` and what the model, the rules and either catch there; also the
    model's alert flags. A threshold of ``None`` means even the top score group exceeds the budget."""
    threshold = threshold_at_fpr(y, calibrated, fpr)
    model_alert = calibrated >= threshold
    rules_alert = severity > 0
    finite = math.isfinite(threshold)
    return {
        "target_fpr": fpr,
        "threshold": threshold if finite else None,
        "threshold_score_0_100": int(score_0_100(threshold)) if finite else None,
        "model": alert_summary(model_alert, y),
        "rules": alert_summary(rules_alert, y),
        "either": alert_summary(model_alert | rules_alert, y),
    }, model_alert


def alert_summary(alert: np.ndarray, y: np.ndarray) -> dict[str, Any]:
    fraud = y.astype(bool)
    alerts, caught = int(alert.sum()), int((alert & fraud).sum())
    legitimate = int((~fraud).sum())
    return {
        "alerts": alerts, "false_positives": alerts - caught, "fpr": (alerts - caught) / legitimate,
        "frauds_caught": caught, "recall": caught / int(fraud.sum()), "precision": caught / alerts if alerts else None,
    }


def _text_keys(values: pd.Series) -> np.ndarray:
    return values.astype("string").fillna("").str.strip().replace("", NO_VALUE).to_numpy(dtype=object)


def amount_bands(amount_minor: pd.Series) -> np.ndarray:
    """The band label of each amount, in major units ``amount_minor / 100`` (2-decimal currencies assumed)."""
    major = pd.to_numeric(amount_minor, errors="coerce").to_numpy(dtype=np.float64) / 100
    edges = np.array([bound for bound, _ in AMOUNT_BANDS[:-1]])
    labels = np.array([label for _, label in AMOUNT_BANDS] + ["(unknown)"], dtype=object)
    index = np.where(np.isnan(major), len(AMOUNT_BANDS), np.searchsorted(edges, major, side="right"))
    return labels[index]


def breakdown(
    keys: np.ndarray, fraud: np.ndarray, model_alert: np.ndarray, rules_alert: np.ndarray,
    *, order: list[str] | None = None,
) -> list[dict[str, Any]]:
    """Counts per group at the operating point: rows, fraud, fraud caught by the model / the rules / either, what
    the model misses, recalls (``None`` without fraud) and each side's alerts and false positives. Sorted by
    ``order`` when given, else by fraud rows then rows, descending."""
    flags = pd.DataFrame({
        "rows": 1, "fraud": fraud, "caught_model": fraud & model_alert, "caught_rules": fraud & rules_alert,
        "caught_either": fraud & (model_alert | rules_alert), "missed_by_both": fraud & ~(model_alert | rules_alert),
        "model_alerts": model_alert, "model_false_positives": model_alert & ~fraud,
        "rules_alerts": rules_alert, "rules_false_positives": rules_alert & ~fraud,
    }).astype(np.int64)
    sums = flags.groupby(pd.Series(keys, name="name"), sort=False).sum()
    if order is not None:
        sums = sums.reindex([name for name in order if name in sums.index] + [n for n in sums.index if n not in order])
    else:
        sums = sums.assign(_name=sums.index).sort_values(["fraud", "rows", "_name"], ascending=[False, False, True])
    return [_breakdown_row(str(name), counts) for name, counts in sums.iterrows()]


def _breakdown_row(name: str, counts: pd.Series) -> dict[str, Any]:
    row: dict[str, Any] = {"name": name, **{key: int(counts[key]) for key in (
        "rows", "fraud", "caught_model", "caught_rules", "caught_either")}}
    row["missed_by_model"] = row["fraud"] - row["caught_model"]
    row["missed_by_both"] = int(counts["missed_by_both"])
    for side in ("model", "rules", "either"):
        row[f"recall_{side}"] = row[f"caught_{side}"] / row["fraud"] if row["fraud"] else None
    for key in ("model_alerts", "model_false_positives", "rules_alerts", "rules_false_positives"):
        row[key] = int(counts[key])
    return row


def model_gaps(per_scenario: list[dict[str, Any]]) -> dict[str, list[str]]:
    """Scenarios with fraud where the model, at the operating point, catches nothing, or less than the rules."""
    with_fraud = [row for row in per_scenario if row["fraud"]]
    return {
        "scenarios_missed_entirely": [row["name"] for row in with_fraud if row["caught_model"] == 0],
        "scenarios_where_rules_catch_more": [row["name"] for row in with_fraud
                                             if row["caught_rules"] > row["caught_model"]],
    }


def curves(y: np.ndarray, calibrated: np.ndarray, severity: np.ndarray) -> dict[str, Any]:
    """Points for the plots (thinned to at most :data:`CURVE_POINTS`): ROC and precision-recall for the model and
    the rules baseline, the reliability curve (quantile bins) and the 0–100 score histogram by class."""
    def roc(score: np.ndarray) -> dict[str, list[float]]:
        fpr, tpr, _ = roc_curve(y, score)
        return _thin({"fpr": fpr, "tpr": tpr})

    def pr(score: np.ndarray) -> dict[str, list[float]]:
        precision, recall, _ = precision_recall_curve(y, score)
        return _thin({"recall": recall, "precision": precision})

    fraction, predicted = calibration_curve(y, calibrated, n_bins=CALIBRATION_BINS, strategy="quantile")
    score = score_0_100(calibrated)
    fraud = y.astype(bool)
    return {
        "roc": {"model": roc(calibrated), "rules_baseline": roc(severity)},
        "precision_recall": {"model": pr(calibrated), "rules_baseline": pr(severity)},
        "calibration": {
            "strategy": "quantile", "bins": CALIBRATION_BINS,
            "mean_probability": [float(v) for v in predicted], "fraud_rate": [float(v) for v in fraction],
            "overall_mean_probability": float(calibrated.mean()), "overall_fraud_rate": float(fraud.mean()),
        },
        "score_distribution": {
            "fraud": np.bincount(score[fraud], minlength=101).tolist(),
            "legitimate": np.bincount(score[~fraud], minlength=101).tolist(),
        },
    }


def _thin(columns: dict[str, np.ndarray], limit: int = CURVE_POINTS) -> dict[str, list[float]]:
    """At most ``limit`` points, evenly spaced along the curve, both ends kept."""
    size = len(next(iter(columns.values())))
    keep = np.unique(np.linspace(0, size - 1, min(size, limit)).round().astype(int))
    return {name: [float(v) for v in values[keep]] for name, values in columns.items()}


def report_notes(frame: pd.DataFrame, unlabelled: int) -> list[str]:
    currencies = ", ".join(sorted({str(c) for c in frame["currency"].dropna().unique()})) or NO_VALUE
    return [
        f"Labels are the eventual ones: label 1 is fraud; label 0 and the {unlabelled} unlabelled rows count as "
        "legitimate, as in training.",
        "Model scores come from model.onnx in onnxruntime plus the metadata's calibration map, as production "
        "serves them; 'model_raw' is the ONNX probability before calibration.",
        "Rules baseline: the production rule set's own decision as a step score (APPROVE 0, REVIEW 1, BLOCK 2). "
        "Its many ties are handled by the metric functions (AUC counts a tie as one half, average precision "
        "takes tied rows together, recall at FPR leaves out a tie that straddles the budget, card precision "
        "takes the expected value of a tie at the cut-off).",
        "At the operating point the model alerts when the calibrated probability >= the threshold; the rules "
        "catch a row when rules_action is REVIEW or BLOCK.",
        f"Amount bands are in major units, amount_minor / 100: this assumes 2-decimal currencies (here: {currencies}).",
    ]


def report_warnings(request: EvalRequest, model: ModelDir, rows: TestRows) -> list[str]:
    found = []
    if rows.table_ends_at is not None:
        mature_until = rows.table_ends_at - pd.Timedelta(days=request.label_delay_days)
        if to_utc(request.test_to) > mature_until:
            found.append(
                f"The table ends at {rows.table_ends_at.isoformat()}: with a {request.label_delay_days:g}-day "
                f"label delay, fraud on rows after {mature_until.isoformat()} may not be reported yet, so recall "
                "there is measured against incomplete labels."
            )
    trained_delay = model.metadata.get("label_delay_days")
    if trained_delay is not None and float(trained_delay) != float(request.label_delay_days):
        found.append(f"--label-delay-days {request.label_delay_days:g} differs from the model's {trained_delay:g}.")
    if rows.frame["currency"].nunique(dropna=True) > 1:
        found.append("The test rows mix currencies: amount bands compare minor units across them.")
    return found


def write_scores(path: Path, transaction_ids: pd.Series, calibrated: np.ndarray, y: np.ndarray) -> None:
    """``transaction_id,score,label`` for every test row; ``score`` is the calibrated probability the headline
    metrics were computed on, written in full precision (``repr``), ``label`` 1 fraud, 0 legitimate."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    pd.DataFrame({"transaction_id": transaction_ids.to_numpy(), "score": calibrated, "label": y.astype(int)}).to_csv(
        tmp, index=False)
    tmp.replace(path)


def headline(report: dict[str, Any]) -> dict[str, Any]:
    """The last stdout line of ``eval`` (``argus eval --json`` passes it through)."""
    def pick(metrics: dict[str, Any]) -> dict[str, Any]:
        return {key: metrics[key] for key in HEADLINE_KEYS}

    return {**pick(report["model"]), "rules_baseline": pick(report["rules_baseline"]), "report": report["report_html"]}

