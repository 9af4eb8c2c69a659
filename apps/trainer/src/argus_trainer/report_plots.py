"""The eval report's plots, drawn with matplotlib (Agg, no pyplot state) from ``report.json``'s ``curves`` and
returned as inline SVG markup (text kept as text; element ids salted per plot so several SVGs can share a page).
"""

from __future__ import annotations

import io
from typing import Any

import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402
from matplotlib.axes import Axes  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

MODEL_COLOUR = "#1f5fa8"
RULES_COLOUR = "#c0392b"
LEGIT_COLOUR = "#7f8c8d"
FPR_FLOOR = 1e-4


def figures(report: dict[str, Any]) -> dict[str, str]:
    """``{name: <svg …>}`` for every plot of the report, in display order."""
    curves = report["curves"]
    return {
        "roc": roc_svg(curves["roc"], report["operating_point"]["target_fpr"]),
        "precision_recall": precision_recall_svg(curves["precision_recall"], report["rows"]),
        "calibration": calibration_svg(curves["calibration"]),
        "score_distribution": score_distribution_svg(curves["score_distribution"],
                                                     report["operating_point"]["threshold_score_0_100"]),
        "card_precision_per_day": card_precision_svg(report["per_day_card_precision_at_100"]),
    }


def to_svg(figure: Figure, name: str) -> str:
    """The figure as an ``<svg>`` element (no XML prolog), deterministic for the same data."""
    buffer = io.StringIO()
    with matplotlib.rc_context({"svg.fonttype": "none", "svg.hashsalt": f"argus-{name}"}):
        figure.savefig(buffer, format="svg", metadata={"Date": None}, bbox_inches="tight")
    text = buffer.getvalue()
    return text[text.index("<svg"):].strip()


def _figure(columns: int = 1) -> tuple[Figure, list[Axes]]:
    figure = Figure(figsize=(5.2 * columns, 3.8), layout="constrained")
    axes = figure.subplots(1, columns, squeeze=False)[0]
    for ax in axes:
        ax.grid(True, alpha=0.3)
    return figure, list(axes)


def roc_svg(roc: dict[str, Any], operating_fpr: float) -> str:
    figure, (linear, log) = _figure(2)
    for ax, floor in ((linear, 0.0), (log, FPR_FLOOR)):  # on the log axis FPR 0 is drawn at its left edge
        for key, colour, label, marker in (("model", MODEL_COLOUR, "model (calibrated)", ""),
                                           ("rules_baseline", RULES_COLOUR, "rules baseline", "o")):
            fpr = np.maximum(np.asarray(roc[key]["fpr"], dtype=float), floor)
            ax.plot(fpr, roc[key]["tpr"], color=colour, label=label, marker=marker, markersize=3)
        ax.set_xlabel("false-positive rate")
        ax.set_ylabel("recall (true-positive rate)")
        ax.set_ylim(0, 1.02)
    linear.plot([0, 1], [0, 1], color=LEGIT_COLOUR, linestyle=":", linewidth=1)
    linear.set_xlim(0, 1)
    linear.set_title("ROC")
    log.set_xscale("log")
    log.set_xlim(FPR_FLOOR, 1)
    log.axvline(operating_fpr, color="black", linestyle="--", linewidth=1, label=f"operating FPR {operating_fpr:g}")
    log.set_title("ROC, log false-positive rate")
    log.legend(loc="lower right", fontsize=8)
    return to_svg(figure, "roc")


def precision_recall_svg(pr: dict[str, Any], rows: dict[str, int]) -> str:
    figure, (ax,) = _figure()
    ax.plot(pr["model"]["recall"], pr["model"]["precision"], color=MODEL_COLOUR, label="model (calibrated)",
            drawstyle="steps-post")
    ax.plot(pr["rules_baseline"]["recall"], pr["rules_baseline"]["precision"], color=RULES_COLOUR, marker="o",
            markersize=3, label="rules baseline", drawstyle="steps-post")
    ax.axhline(rows["fraud"] / rows["test"], color=LEGIT_COLOUR, linestyle=":", linewidth=1, label="fraud rate")
    ax.set(xlabel="recall", ylabel="precision", xlim=(0, 1), ylim=(0, 1.02), title="Precision-recall")
    ax.legend(loc="upper right", fontsize=8)
    return to_svg(figure, "precision_recall")


def calibration_svg(calibration: dict[str, Any]) -> str:
    """Reliability diagram on log–log axes (fraud probabilities are small); bins without fraud are not drawn."""
    figure, (ax,) = _figure()
    predicted = np.asarray(calibration["mean_probability"], dtype=float)
    observed = np.asarray(calibration["fraud_rate"], dtype=float)
    shown = (predicted > 0) & (observed > 0)
    low = min(np.concatenate([predicted[predicted > 0], observed[observed > 0], [0.5]])) / 2
    ax.plot([low, 1], [low, 1], color=LEGIT_COLOUR, linestyle=":", linewidth=1, label="perfect calibration")
    ax.plot(predicted[shown], observed[shown], color=MODEL_COLOUR, marker="o", label="model (calibrated)")
    ax.set(xscale="log", yscale="log", xlim=(low, 1), ylim=(low, 1), xlabel="mean calibrated probability (bin)",
           ylabel="observed fraud rate (bin)",
           title=f"Calibration ({calibration['bins']} {calibration['strategy']} bins)")
    ax.legend(loc="upper left", fontsize=8)
    return to_svg(figure, "calibration")


def score_distribution_svg(distribution: dict[str, list[int]], threshold_score: int | None) -> str:
    figure, (ax,) = _figure()
    edges = np.arange(102) - 0.5
    for name, colour in (("legitimate", LEGIT_COLOUR), ("fraud", RULES_COLOUR)):
        counts = np.asarray(distribution[name], dtype=float)
        ax.stairs(np.where(counts > 0, counts, np.nan), edges, color=colour, label=name, linewidth=1.2)
    if threshold_score is not None:
        ax.axvline(threshold_score, color="black", linestyle="--", linewidth=1,
                   label=f"operating threshold ({threshold_score})")
    ax.set_yscale("log")
    ax.set(xlim=(-1, 101), xlabel="score 0–100", ylabel="transactions (log)", title="Score distribution")
    ax.legend(loc="best", fontsize=8)
    return to_svg(figure, "score_distribution")


def card_precision_svg(per_day: list[dict[str, Any]]) -> str:
    figure, (ax,) = _figure()
    days = [row["day"] for row in per_day]
    ax.plot(days, [row["model"] for row in per_day], color=MODEL_COLOUR, marker="o", markersize=3, label="model")
    ax.plot(days, [row["rules_baseline"] for row in per_day], color=RULES_COLOUR, marker="o", markersize=3,
            label="rules baseline")
    ax.set(ylim=(0, 1.02), xlabel="day (UTC)", ylabel="card precision@100", title="Card precision@100 per day")
    ax.tick_params(axis="x", labelrotation=60, labelsize=7)
    if len(days) > 20:
        ax.set_xticks(days[:: max(1, len(days) // 15)])
    ax.legend(loc="upper right", fontsize=8)
    return to_svg(figure, "card_precision_per_day")
