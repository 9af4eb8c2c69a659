"""A backfill table in the newer layout (channel, rules_action, rules_fired among the leading columns), for eval."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
from test_train import FEATURES, backfill_table

from argus_trainer.split import LEADING_COLUMNS

NEW_LEADING = [*LEADING_COLUMNS, "channel", "rules_action", "rules_fired"]
SCHEMA_HASH = "sha256:test"
CHANNELS = ("ECOMMERCE", "POS", "ATM")
TRAIN_WINDOWS = {"train_from": "2026-01-01", "train_to": "2026-01-12", "calibration_to": "2026-01-16",
                 "test_to": "2026-01-21", "label_delay_days": 2}


def eval_table(n: int = 4000, seed: int = 2) -> pd.DataFrame:
    """``backfill_table`` plus channel and rules columns. Fraud rows get one of three scenarios; in the eval window
    (16–21 Jan) twelve low-risk legitimate rows become fraud of scenario ``invisible``, which the features do not
    reveal (the model misses it) but a rule reviews. Some legitimate rows carry an explicit ``label = 0``; some
    amounts are >= 1000 in major units."""
    frame = backfill_table(n=n, seed=seed)
    rng = np.random.default_rng(seed + 100)
    fraud = frame["label"].fillna(0).to_numpy() == 1
    frame["scenario"] = np.where(fraud, np.array(["card_testing", "ato", "bust_out"])[np.arange(n) % 3], None)
    risky = (frame["merchant_fraud_rate_30d"] > 0.05) | (frame["card_txn_count_1h"] >= 4)
    action = np.where(frame["merchant_fraud_rate_30d"] > 0.05, "BLOCK", np.where(risky, "REVIEW", "APPROVE"))
    frame.loc[np.flatnonzero(~fraud)[::7], "label"] = 0  # explicit legitimate labels among the unlabelled
    in_window = (frame["event_time"] >= pd.Timestamp("2026-01-16", tz="UTC")).to_numpy()
    quiet = (frame["merchant_fraud_rate_30d"] < 0.01) & (frame["card_txn_count_1h"] <= 1)
    quiet &= frame["card_age_days"] > 600
    low_risk = np.flatnonzero(in_window & ~fraud & quiet.to_numpy())
    assert len(low_risk) >= 12
    invisible = low_risk[:12]
    frame.loc[invisible, "label"] = 1
    frame.loc[invisible, "label_source"] = "chargeback"
    frame.loc[invisible, "label_reported_at"] = frame.loc[invisible, "event_time"] + pd.Timedelta(days=1)
    frame.loc[invisible, "scenario"] = "invisible"
    action[invisible] = "REVIEW"
    frame["channel"] = np.array(CHANNELS)[rng.integers(0, len(CHANNELS), n)]
    frame["rules_action"] = action
    frame["rules_fired"] = np.where(action == "APPROVE", "", np.where(action == "BLOCK", "R1;R2", "R2"))
    frame.loc[rng.random(n) < 0.05, "amount_minor"] = 250_000
    return frame[[*NEW_LEADING, *FEATURES]]


def write_eval_table(directory: Path, frame: pd.DataFrame | None = None, schema_hash: str = SCHEMA_HASH) -> Path:
    """Writes ``training.csv`` and ``training.csv.schema.json`` (with ``leading_columns``) as backfill does."""
    frame = eval_table() if frame is None else frame
    table = directory / "training.csv"
    out = frame.copy()
    out["event_time"] = out["event_time"].dt.strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    out["label_reported_at"] = pd.to_datetime(out["label_reported_at"], utc=True).dt.strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    out.to_csv(table, index=False)
    schema = {"schema_hash": schema_hash, "leading_columns": NEW_LEADING,
              "features": [{"name": name} for name in FEATURES], "tuning": {}}
    (directory / "training.csv.schema.json").write_text(json.dumps(schema))
    return table
