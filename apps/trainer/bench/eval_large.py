"""Benchmark of ``eval`` on a large synthetic table (not part of the test suite).

    .argus/venv/bin/python apps/trainer/bench/eval_large.py [--rows 1000000] [--features 123] [--dir DIR]

Writes a table of ``--rows`` rows × ``--features`` features in the newer backfill layout (10 days, ~1% fraud, 10%
of cells empty) and a small training table with the same schema, trains a model on the small one (200 trees,
the defaults), then times ``python -m argus_trainer eval`` on the last 5 days of the large one and prints its
wall time, peak memory and the report's own timings. Generating the large CSV takes a few minutes.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

SRC = Path(__file__).resolve().parents[1] / "src"
sys.path.insert(0, str(SRC))

from argus_trainer.artefacts import train_to_directory  # noqa: E402
from argus_trainer.split import LEADING_COLUMNS  # noqa: E402

LEADING = [*LEADING_COLUMNS, "channel", "rules_action", "rules_fired"]
START = pd.Timestamp("2026-03-01", tz="UTC")
ISO = "%Y-%m-%dT%H:%M:%S.%fZ"


def synthetic(rows: int, features: int, days: float, seed: int) -> pd.DataFrame:
    """``rows`` transactions over ``days`` days; fraud depends on the first five features."""
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(rows, features)).astype(np.float32)
    logit = -5.2 + X[:, :5] @ np.array([1.2, 0.8, -0.7, 0.5, 0.4], dtype=np.float32)
    fraud = rng.random(rows) < 1 / (1 + np.exp(-logit))
    X[rng.random(X.shape) < 0.1] = np.nan
    event_time = START + pd.to_timedelta(np.sort(rng.uniform(0, days, rows)), unit="D")
    action = np.where(X[:, 0] > 2.5, "BLOCK", np.where(X[:, 1] > 2.0, "REVIEW", "APPROVE"))
    frame = pd.DataFrame({
        "transaction_id": np.char.add("t", np.arange(rows).astype(str)),
        "event_time": event_time.strftime(ISO),
        "card_id": np.char.add("c", (np.arange(rows) % max(1, rows // 20)).astype(str)),
        "customer_id": "u0", "merchant_id": "m0",
        "amount_minor": rng.integers(100, 300_000, rows), "currency": "EUR",
        "label": np.where(fraud, "1", ""), "label_source": np.where(fraud, "chargeback", ""),
        "label_reported_at": np.where(fraud, (event_time + pd.Timedelta(hours=12)).strftime(ISO), ""),
        "scenario": np.where(fraud, np.array(["card_testing", "ato", "bust_out"])[np.arange(rows) % 3], ""),
        "channel": np.array(["ECOMMERCE", "POS", "ATM"])[rng.integers(0, 3, rows)],
        "rules_action": action, "rules_fired": np.where(action == "APPROVE", "", "R1"),
    })
    names = [f"f{i:03d}" for i in range(features)]
    return pd.concat([frame, pd.DataFrame(X, columns=names)], axis=1)


def write(frame: pd.DataFrame, path: Path, features: int) -> Path:
    frame.to_csv(path, index=False, float_format="%.7g")
    schema = {"schema_hash": "sha256:bench", "leading_columns": LEADING,
              "features": [{"name": f"f{i:03d}"} for i in range(features)]}
    path.with_name(path.name + ".schema.json").write_text(json.dumps(schema))
    return path


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--features", type=int, default=123)
    parser.add_argument("--dir", type=Path, default=Path("/tmp/argus-eval-bench"))
    args = parser.parse_args()
    args.dir.mkdir(parents=True, exist_ok=True)
    large = args.dir / f"large-{args.rows}x{args.features}.csv"
    if not large.exists():
        started = time.perf_counter()
        write(synthetic(args.rows, args.features, 10, seed=1), large, args.features)
        print(f"wrote {large} ({large.stat().st_size / 1e9:.2f} GB) in {time.perf_counter() - started:.0f} s")
    small = write(synthetic(60_000, args.features, 10, seed=2), args.dir / "small.csv", args.features)
    model = args.dir / "model"
    train_to_directory(small, model, train_from="2026-03-01", train_to="2026-03-04", calibration_to="2026-03-06",
                       test_to="2026-03-11", label_delay_days=1)
    started = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-m", "argus_trainer", "eval", "--model", str(model), "--table", str(large),
         "--test-from", "2026-03-06", "--test-to", "2026-03-11", "--label-delay-days", "1",
         "--out", str(args.dir / "report"), "--scores-out", str(args.dir / "scores.csv")],
        env={"PYTHONPATH": str(SRC), "PATH": "/usr/bin:/bin"}, capture_output=True, text=True, check=True,
    )
    seconds = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    report = json.loads((args.dir / "report" / "report.json").read_text())
    print(result.stdout.strip().splitlines()[-1])
    print(f"eval: {seconds:.1f} s wall, peak RSS {peak_mb:.0f} MB, {report['table']['rows_read']} rows read, "
          f"{report['rows']['test']} scored; timings {report['timings_seconds']}")


if __name__ == "__main__":
    main()
