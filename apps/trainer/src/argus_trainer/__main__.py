"""The trainer's command line.

``python -m argus_trainer train --table T.csv --out DIR --train-from D --train-to D --calibration-to D
--test-to D --label-delay-days N [--model lightgbm|xgboost] [--seed S]``: prints a short summary, then the test
metrics (raw and calibrated) as JSON on the last line.

``python -m argus_trainer eval --model DIR --table T.csv --test-from D --test-to D --label-delay-days N
--out REPORT_DIR [--scores-out F.csv] [--operating-fpr 0.005]``: writes ``report.json`` and ``report.html``,
prints a short summary, then the headline metrics of the model and the rules baseline as JSON on the last line.

Any error is one line on stderr and exit code 2.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any, NoReturn

from .artefacts import MODEL_KINDS, train_to_directory

PROG = "python -m argus_trainer"


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:  # one line, exit 2 (argparse prints usage otherwise)
        command = self.prog.removeprefix(PROG).strip() or "trainer"
        print(f"argus {command}: {message}", file=sys.stderr)
        raise SystemExit(2)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog=PROG)
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    train = commands.add_parser("train")
    train.add_argument("--table", required=True)
    train.add_argument("--out", required=True)
    for name in ("--train-from", "--train-to", "--calibration-to", "--test-to"):
        train.add_argument(name, required=True)
    train.add_argument("--label-delay-days", type=float, required=True)
    train.add_argument("--model", choices=MODEL_KINDS, default="lightgbm")
    train.add_argument("--seed", type=int, default=42)
    evaluate = commands.add_parser("eval")
    evaluate.add_argument("--model", required=True, type=Path, help="model directory written by train")
    evaluate.add_argument("--table", required=True, type=Path)
    evaluate.add_argument("--test-from", required=True)
    evaluate.add_argument("--test-to", required=True)
    evaluate.add_argument("--label-delay-days", type=float, required=True)
    evaluate.add_argument("--out", required=True, type=Path, help="report directory")
    evaluate.add_argument("--scores-out", type=Path, help="CSV transaction_id,score,label of every test row")
    evaluate.add_argument("--operating-fpr", type=float, default=0.005)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    run = _train if args.command == "train" else _eval
    try:
        lines = run(args)
    except Exception as error:  # noqa: BLE001 — every failure is one clear line and exit code 2
        print(f"argus {args.command}: {type(error).__name__}: {error}".replace("\n", " "), file=sys.stderr)
        return 2
    print("\n".join(lines))
    return 0


def _train(args: argparse.Namespace) -> list[str]:
    meta = train_to_directory(
        args.table, args.out, train_from=args.train_from, train_to=args.train_to,
        calibration_to=args.calibration_to, test_to=args.test_to, label_delay_days=args.label_delay_days,
        kind=args.model, seed=args.seed,
    )
    rows = meta["rows"]
    return [
        f"{meta['kind']} model written to {args.out} (schema {meta['schema_hash']})",
        f"rows: train {rows['train']} ({rows['train_fraud']} fraud), calibration {rows['calibration']} "
        f"({rows['calibration_fraud']} fraud), test {rows['test']} ({rows['test_fraud']} fraud)",
        json.dumps(meta["metrics"]),
    ]


def _eval(args: argparse.Namespace) -> list[str]:
    # Imported here so that `train` does not pay for matplotlib.
    from .evaluate_report import EvalRequest, headline, run_eval

    report = run_eval(EvalRequest(
        model=args.model, table=args.table, test_from=args.test_from, test_to=args.test_to,
        label_delay_days=args.label_delay_days, out=args.out, scores_out=args.scores_out,
        operating_fpr=args.operating_fpr,
    ))
    return [*eval_summary(report), json.dumps(headline(report))]


def eval_summary(report: dict[str, Any]) -> list[str]:
    """A few lines for a person: rows, model vs rules on the headline metrics, the operating point, the gaps."""
    rows, test, point = report["rows"], report["windows"]["test"], report["operating_point"]
    model, rules = report["model"], report["rules_baseline"]
    lines = [
        f"{report['model_metadata']['kind']} model on [{test['from']}, {test['to']}): {rows['test']} transactions, "
        f"{rows['fraud']} fraud ({rows['unlabelled_counted_legitimate']} unlabelled counted legitimate)",
        f"{'':24}{'model':>10}{'rules':>10}",
    ]
    for label, value in (("AUC", lambda m: m["auc"]), ("average precision", lambda m: m["average_precision"]),
                         ("recall at 0.5% FPR", lambda m: m["recall_at_fpr"]["0.005"]),
                         ("card precision@100", lambda m: m["card_precision_at_100"])):
        lines.append(f"{label:24}{value(model):>10.4f}{value(rules):>10.4f}")
    caught, fraud = point["model"]["frauds_caught"], rows["fraud"]
    threshold = "none possible" if point["threshold"] is None else (
        f"p >= {point['threshold']:.6g} (score {point['threshold_score_0_100']})")
    lines.append(
        f"operating point at FPR {point['target_fpr']:g}: {threshold}; model catches {caught}/{fraud} fraud with "
        f"{point['model']['false_positives']} false positives, rules {point['rules']['frauds_caught']}/{fraud} "
        f"with {point['rules']['false_positives']}"
    )
    missed = report["model_gaps"]["scenarios_missed_entirely"]
    if missed:
        lines.append(f"scenarios the model misses entirely: {', '.join(missed)}")
    lines.extend(f"warning: {text}" for text in report["warnings"])
    lines.append(f"report: {report['report_html']}")
    return lines


if __name__ == "__main__":
    sys.exit(main())
