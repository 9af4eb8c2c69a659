"""``report.html``: one self-contained page (inline CSS, plots as inline SVG) rendered from ``report.json``.

Sections: summary (model vs raw model vs rules baseline), operating point, plots, per-scenario table (scenarios
the model misses highlighted), per-segment tables (channel, amount band), card precision@100 per day, notes and
warnings, and the model and windows. Every value comes from the report dict, every text is HTML-escaped.
"""

from __future__ import annotations

import os
from collections.abc import Collection, Sequence
from html import escape
from pathlib import Path
from typing import Any

from .report_plots import figures

CSS = """
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: #222; margin: 2rem auto;
       max-width: 1150px; padding: 0 1rem; }
h1 { font-size: 1.5rem; margin-bottom: .2rem; } h2 { font-size: 1.15rem; margin-top: 2rem;
     border-bottom: 1px solid #ddd; padding-bottom: .2rem; }
.meta { color: #666; }
table { border-collapse: collapse; margin: .6rem 0; font-variant-numeric: tabular-nums; }
th, td { border: 1px solid #ddd; padding: .25rem .55rem; text-align: right; }
th:first-child, td:first-child { text-align: left; } th { background: #f4f6f8; }
tr.missed td { background: #fde2e1; } tr.weaker td { background: #fff4d6; }
.better { color: #1e7b34; } .worse { color: #b3261e; }
.plots { display: flex; flex-wrap: wrap; gap: 1rem; } figure { margin: 0; }
figure svg { max-width: 100%; height: auto; } figcaption { color: #555; font-size: .85rem; max-width: 36rem; }
.warning { background: #fff4d6; border-left: 4px solid #e0a800; padding: .4rem .8rem; margin: .4rem 0; }
code { background: #f4f6f8; padding: 0 .2rem; } table.facts td { text-align: left; }
"""

CAPTIONS = {
    "roc": "ROC of the calibrated model and of the rules baseline (a step score: one point per decision level); "
           "right: the low false-positive region that matters for alerting.",
    "precision_recall": "Precision against recall; the dotted line is the test window's fraud rate.",
    "calibration": "Reliability: mean calibrated probability against the observed fraud rate per quantile bin "
                   "(bins without fraud are not drawn on the log axes).",
    "score_distribution": "The 0–100 score of fraud and legitimate transactions (log scale); the dashed line is "
                          "the operating threshold.",
    "card_precision_per_day": "Card precision@100 per day: the share of compromised cards among the 100 riskiest "
                              "of the day.",
}
METRIC_ROWS = (
    ("AUC", ("auc",)),
    ("Average precision", ("average_precision",)),
    ("Recall at 0.1% FPR", ("recall_at_fpr", "0.001")),
    ("Recall at 0.5% FPR", ("recall_at_fpr", "0.005")),
    ("Recall at 1% FPR", ("recall_at_fpr", "0.01")),
    ("Card precision@100 (mean per day)", ("card_precision_at_100",)),
)
BREAKDOWN_COLUMNS = (
    ("rows", "rows"), ("fraud", "fraud"), ("caught_model", "caught: model"), ("caught_rules", "caught: rules"),
    ("caught_either", "caught: either"), ("recall_model", "recall model"), ("recall_rules", "recall rules"),
    ("recall_either", "recall either"), ("missed_by_model", "missed by model"), ("missed_by_both", "missed by both"),
    ("model_alerts", "model alerts"), ("model_false_positives", "model false pos."),
    ("rules_false_positives", "rules false pos."),
)


def write_html(report: dict[str, Any], directory: Path) -> Path:
    """Renders the report with its plots to ``directory/report.html`` (atomically) and returns the path."""
    path = directory / "report.html"
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(render_html(report, figures(report)), encoding="utf-8")
    os.replace(tmp, path)
    return path


def render_html(report: dict[str, Any], plots: dict[str, str]) -> str:
    """The whole page; ``plots`` maps plot names to ``<svg>`` markup."""
    model = report["model_metadata"]
    test = report["windows"]["test"]
    rows = report["rows"]
    title = f"Argus evaluation: {model['kind']} model, {test['from'][:10]} to {test['to'][:10]}"
    body = [
        f"<h1>{escape(title)}</h1>",
        f"<p class=meta>{rows['test']:,} transactions, {rows['fraud']:,} fraud "
        f"({rows['unlabelled_counted_legitimate']:,} unlabelled counted legitimate) · model "
        f"<code>{escape(model['directory'])}</code> · generated {escape(report['generated_at'])}</p>",
        *[f"<div class=warning>{escape(text)}</div>" for text in report["warnings"]],
        "<h2>Summary</h2>", summary_table(report),
        "<h2>Operating point</h2>", operating_point_section(report["operating_point"]),
        "<h2>Plots</h2>", plots_section(plots),
        "<h2>By scenario</h2>", scenario_section(report),
        "<h2>By channel</h2>", breakdown_table(report["per_segment"]["channel"], "channel"),
        "<h2>By amount (major units)</h2>", breakdown_table(report["per_segment"]["amount_band"], "amount band"),
        "<h2>Card precision@100 per day</h2>", per_day_table(report["per_day_card_precision_at_100"]),
        "<h2>Notes</h2>", "<ul>" + "".join(f"<li>{escape(note)}</li>" for note in report["notes"]) + "</ul>",
        "<h2>Model and windows</h2>", model_section(report),
    ]
    head = f"<head><meta charset=utf-8><title>{escape(title)}</title><style>{CSS}</style></head>"
    return f"<!DOCTYPE html>\n<html lang=en>{head}<body>\n" + "\n".join(body) + "\n</body></html>\n"


def fmt(value: Any, digits: int = 4) -> str:
    """A number for a table cell: floats to ``digits`` significant digits, ints with separators, None as —."""
    if value is None:
        return "—"
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return escape(str(value))
    if isinstance(value, int):
        return f"{value:,}"
    return f"{value:.{digits}g}"


def table(
    headers: Sequence[str], rows: Sequence[Sequence[str]], row_classes: Sequence[str] = (), *, css: str = ""
) -> str:
    """An HTML table; cells are already-escaped markup, ``row_classes`` an optional CSS class per row."""
    head = "".join(f"<th>{escape(h)}</th>" for h in headers)
    lines = []
    for index, cells in enumerate(rows):
        row_css = row_classes[index] if index < len(row_classes) else ""
        opening = f"<tr class={row_css}>" if row_css else "<tr>"
        lines.append(opening + "".join(f"<td>{cell}</td>" for cell in cells) + "</tr>")
    attr = f" class={css}" if css else ""
    thead = f"<thead><tr>{head}</tr></thead>" if any(headers) else ""
    return f"<table{attr}>{thead}<tbody>{''.join(lines)}</tbody></table>"


def _metric(metrics: dict[str, Any], path: tuple[str, ...]) -> float:
    value: Any = metrics
    for key in path:
        value = value[key]
    return float(value)


def summary_table(report: dict[str, Any]) -> str:
    rows = []
    for label, path in METRIC_ROWS:
        model, raw, rules = (_metric(report[key], path) for key in ("model", "model_raw", "rules_baseline"))
        delta = model - rules
        css = "better" if delta > 0 else "worse" if delta < 0 else ""
        shown = f"<span class={css}>{delta:+.4f}</span>" if css else f"{delta:+.4f}"
        rows.append([escape(label), fmt(model), fmt(raw), fmt(rules), shown])
    return table(["metric", "model (calibrated)", "model (raw)", "rules baseline", "model − rules"], rows)


def operating_point_section(point: dict[str, Any]) -> str:
    threshold = point["threshold"]
    if threshold is None:
        intro = (f"<p>No threshold keeps the model within a false-positive rate of {point['target_fpr']:g}: "
                 "the top-scored group alone exceeds it, so the model alerts on nothing.</p>")
    else:
        intro = (f"<p>The model alerts when the calibrated probability is ≥ <b>{threshold:.6g}</b> (score "
                 f"<b>{point['threshold_score_0_100']}</b>/100): its false-positive rate on the test window is "
                 f"then at most {point['target_fpr']:g}. The rules alert on REVIEW or BLOCK.</p>")
    rows = [[escape(name)] + [fmt(point[key][field]) for field in
                              ("alerts", "false_positives", "fpr", "frauds_caught", "recall", "precision")]
            for key, name in (("model", "model"), ("rules", "rules"), ("either", "model or rules"))]
    return intro + table(["", "alerts", "false positives", "FPR", "frauds caught", "recall", "precision"], rows)


def plots_section(plots: dict[str, str]) -> str:
    return "<div class=plots>" + "".join(
        f"<figure id=plot-{escape(name)}>{svg}<figcaption>{escape(CAPTIONS.get(name, ''))}</figcaption></figure>"
        for name, svg in plots.items()
    ) + "</div>"


def scenario_section(report: dict[str, Any]) -> str:
    gaps = report["model_gaps"]
    missed, weaker = gaps["scenarios_missed_entirely"], gaps["scenarios_where_rules_catch_more"]
    lines = [
        "<p>At the operating point. <b>Missed entirely by the model</b> (red): "
        + (escape(", ".join(missed)) if missed else "none") + ". <b>Rules catch more than the model</b> (amber): "
        + (escape(", ".join(weaker)) if weaker else "none") + ".</p>",
        breakdown_table(report["per_scenario"], "scenario", missed=set(missed), weaker=set(weaker)),
    ]
    return "\n".join(lines)


def breakdown_table(
    rows: list[dict[str, Any]], label: str, *, missed: Collection[str] = (), weaker: Collection[str] = ()
) -> str:
    cells = [[escape(row["name"])] + [fmt(row[key]) for key, _ in BREAKDOWN_COLUMNS] for row in rows]
    classes = ["missed" if row["name"] in missed else "weaker" if row["name"] in weaker else "" for row in rows]
    return table([label, *[title for _, title in BREAKDOWN_COLUMNS]], cells, classes)


def per_day_table(per_day: list[dict[str, Any]]) -> str:
    return table(["day", "model", "rules baseline"],
                 [[escape(row["day"]), fmt(row["model"]), fmt(row["rules_baseline"])] for row in per_day])


def model_section(report: dict[str, Any]) -> str:
    model, windows = report["model_metadata"], report["windows"]
    trained = windows["model"]
    facts = [
        ("kind", model["kind"]), ("feature schema", model["schema_hash"]), ("features", model["features"]),
        ("created", model["created_at"]), ("calibration", model["calibration_method"]),
        ("train rows", f"{trained['train']['from']} → {trained['train']['to']} (labels known by "
                       f"{trained['train']['labels_known_by']})"),
        ("calibration", f"{trained['calibration']['from']} → {trained['calibration']['to']}"),
        ("test (this report)", f"{windows['test']['from']} → {windows['test']['to']}"),
        ("earliest allowed test start", windows["earliest_allowed_test_from"]),
        ("label delay (days)", windows["label_delay_days"]),
        ("table", report["table"]["path"]),
        *[(f"sha256 {name}", digest) for name, digest in model["artefacts"].items()],
    ]
    return table(["", ""], [[escape(str(name)), f"<code>{fmt(value)}</code>"] for name, value in facts], css="facts")
