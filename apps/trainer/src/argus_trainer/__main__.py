"""``python -m argus_trainer train --table T.csv --out DIR --train-from D --train-to D --calibration-to D
--test-to D --label-delay-days N [--model lightgbm|xgboost] [--seed S]``.

Prints a short summary, then the test metrics (raw and calibrated) as JSON on the last line. Any error is one
line on stderr and exit code 2.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence

from .artefacts import MODEL_KINDS, train_to_directory


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # one line, exit 2 (argparse prints usage otherwise)
        print(f"argus train: {message}", file=sys.stderr)
        raise SystemExit(2)


def main(argv: Sequence[str] | None = None) -> int:
    parser = _Parser(prog="python -m argus_trainer")
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    train = commands.add_parser("train")
    train.add_argument("--table", required=True)
    train.add_argument("--out", required=True)
    for name in ("--train-from", "--train-to", "--calibration-to", "--test-to"):
        train.add_argument(name, required=True)
    train.add_argument("--label-delay-days", type=float, required=True)
    train.add_argument("--model", choices=MODEL_KINDS, default="lightgbm")
    train.add_argument("--seed", type=int, default=42)
    args = parser.parse_args(argv)
    try:
        meta = train_to_directory(
            args.table, args.out, train_from=args.train_from, train_to=args.train_to,
            calibration_to=args.calibration_to, test_to=args.test_to, label_delay_days=args.label_delay_days,
            kind=args.model, seed=args.seed,
        )
    except Exception as error:  # noqa: BLE001 — every failure is one clear line and exit code 2
        print(f"argus train: {type(error).__name__}: {error}".replace("\n", " "), file=sys.stderr)
        return 2
    rows = meta["rows"]
    print(f"{meta['kind']} model written to {args.out} (schema {meta['schema_hash']})")
    print(f"rows: train {rows['train']} ({rows['train_fraud']} fraud), calibration {rows['calibration']} "
          f"({rows['calibration_fraud']} fraud), test {rows['test']} ({rows['test_fraud']} fraud)")
    print(json.dumps(meta["metrics"]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
