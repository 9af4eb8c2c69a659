"""Time split with a label delay for a training table written by ``argus backfill``.

The table has one row per transaction: ``transaction_id, event_time, card_id, customer_id, merchant_id,
amount_minor, currency, label, label_source, label_reported_at, scenario`` (newer tables add ``channel,
rules_action, rules_fired``; the schema's ``leading_columns`` lists them) and then the features. ``label`` is
the *eventual* label: ``1`` fraud, ``0`` legitimate, empty for unlabelled (treated as legitimate);
``label_reported_at`` is when that label became known.

Training happens at the instant ``train_to`` and may only use what was known then:

* train rows have ``event_time`` in ``[train_from, train_to - label_delay)``. The last ``label_delay`` days
  before ``train_to`` are skipped: their fraud has mostly not been reported yet, so keeping them would teach
  the model that recent fraud looks legitimate;
* a train row is fraud (``y = 1``) only if ``label == 1`` **and** ``label_reported_at <= train_to``. A fraud
  label reported after ``train_to`` did not exist at training time, so that row counts as legitimate, exactly
  as it would have in production. Unlabelled rows and ``label == 0`` are legitimate;
* test rows have ``event_time`` in ``[test_from, test_to)`` and keep their eventual label (``y = label == 1``):
  the test measures what the model catches, judged with everything learned since.

The test window must start at or after ``train_to`` (never train on the future) and neither window may be
empty. There is no random split anywhere: transactions of one card are correlated in time, and a random split
leaks the future into training.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Union

import numpy as np
import pandas as pd

DateLike = Union[str, dt.date, dt.datetime, pd.Timestamp]

LEADING_COLUMNS: tuple[str, ...] = (
    "transaction_id",
    "event_time",
    "card_id",
    "customer_id",
    "merchant_id",
    "amount_minor",
    "currency",
    "label",
    "label_source",
    "label_reported_at",
    "scenario",
)
"""The leading columns every backfill table has (newer ones add :data:`OPTIONAL_LEADING_COLUMNS`)."""
OPTIONAL_LEADING_COLUMNS: tuple[str, ...] = ("channel", "rules_action", "rules_fired")
"""Leading columns of newer backfill tables: the channel, and what the production rule set alone decided
(``APPROVE | REVIEW | BLOCK``) with the ids of the rules that fired, ``;``-separated. Only ``eval`` needs them."""
TEXT_COLUMNS: tuple[str, ...] = (
    "transaction_id", "card_id", "customer_id", "merchant_id", "currency", "label_source", "scenario",
    *OPTIONAL_LEADING_COLUMNS,
)


class SplitError(ValueError):
    """The windows are inconsistent, or a window selects no rows, or the table is malformed."""


@dataclass(frozen=True)
class TimeSplit:
    """Train and test rows, each with an added integer column ``y`` (1 fraud, 0 legitimate)."""

    train: pd.DataFrame
    test: pd.DataFrame
    train_from: pd.Timestamp
    train_until: pd.Timestamp
    """Exclusive end of the train rows' event times: ``train_to - label_delay``."""
    train_to: pd.Timestamp
    test_from: pd.Timestamp
    test_to: pd.Timestamp


def to_utc(value: DateLike) -> pd.Timestamp:
    """A date (midnight UTC) or a timestamp, as a UTC ``pd.Timestamp``; naive values are taken as UTC."""
    stamp = pd.Timestamp(value)
    return stamp.tz_localize("UTC") if stamp.tzinfo is None else stamp.tz_convert("UTC")


def read_training_table(path: str | Path) -> pd.DataFrame:
    """Reads a backfill CSV: times as UTC timestamps, ``label`` as nullable 0/1, ids as text, features as floats.

    Empty feature cells (features undefined for that row) become NaN.
    """
    table = pd.read_csv(path, dtype={name: "string" for name in TEXT_COLUMNS}, keep_default_na=False, na_values=[""])
    missing = [name for name in LEADING_COLUMNS if name not in table.columns]
    if missing:
        raise SplitError(f"{path}: not a backfill training table, missing columns {missing}")
    table["event_time"] = pd.to_datetime(table["event_time"], utc=True, format="ISO8601")
    table["label_reported_at"] = pd.to_datetime(table["label_reported_at"], utc=True, format="ISO8601")
    table["label"] = table["label"].astype("Int8")
    return table


def _labels(frame: pd.DataFrame) -> pd.Series:
    """``label`` as nullable floats (1.0, 0.0 or NA), whether read as text, floats or Int8; else an error."""
    raw = frame["label"]
    if not pd.api.types.is_numeric_dtype(raw):
        raw = raw.astype("string").str.strip().replace("", pd.NA)
    try:
        label = pd.to_numeric(raw, errors="raise").astype("Float64")
    except (TypeError, ValueError) as error:
        raise SplitError("column 'label' must hold 1, 0 or nothing") from error
    if (label.notna() & ~label.isin([0, 1])).any():
        raise SplitError("column 'label' must hold 1, 0 or nothing")
    return label


def eventual_fraud(frame: pd.DataFrame) -> np.ndarray:
    """Boolean per row: ``label == 1``. Unlabelled rows (empty ``label``) and ``label == 0`` are legitimate."""
    return (_labels(frame) == 1).fillna(False).to_numpy(dtype=bool)


def time_split(
    df: pd.DataFrame,
    train_from: DateLike,
    train_to: DateLike,
    test_from: DateLike,
    test_to: DateLike,
    label_delay_days: float,
) -> TimeSplit:
    """Splits a backfill table by time with a label delay (see the module docstring for the rules).

    Windows are half-open ``[from, to)`` in UTC; dates mean midnight UTC. Raises ``SplitError`` when a window is
    empty or inverted, when the label delay swallows the whole train window, when the test window starts before
    ``train_to``, or when a selected window holds no rows. The input frame is not modified.
    """
    start, end = to_utc(train_from), to_utc(train_to)
    test_start, test_end = to_utc(test_from), to_utc(test_to)
    if label_delay_days < 0:
        raise SplitError(f"label delay must be >= 0 days, got {label_delay_days}")
    if not start < end:
        raise SplitError(f"empty train window: train_from {start} is not before train_to {end}")
    if not test_start < test_end:
        raise SplitError(f"empty test window: test_from {test_start} is not before test_to {test_end}")
    until = end - pd.Timedelta(days=label_delay_days)
    if not start < until:
        raise SplitError(
            f"the {label_delay_days}-day label delay leaves no train period: "
            f"train_to - delay = {until} is not after train_from {start}"
        )
    if test_start < end:
        raise SplitError(
            f"windows overlap: test_from {test_start} is before train_to {end}; "
            "the test period must lie after training (never train on the future)"
        )

    event_time = pd.to_datetime(df["event_time"], utc=True, format="ISO8601")
    reported_at = pd.to_datetime(df["label_reported_at"], utc=True, format="ISO8601")
    fraud = eventual_fraud(df)
    if (fraud & reported_at.isna().to_numpy()).any():
        raise SplitError("a fraud label without label_reported_at: cannot tell when it became known")

    in_train = ((event_time >= start) & (event_time < until)).to_numpy()
    in_test = ((event_time >= test_start) & (event_time < test_end)).to_numpy()
    known_by_train_to = (reported_at <= end).fillna(False).to_numpy(dtype=bool)

    train = df.loc[in_train].copy()
    train["y"] = (fraud & known_by_train_to)[in_train].astype(np.int8)
    test = df.loc[in_test].copy()
    test["y"] = fraud[in_test].astype(np.int8)
    if train.empty:
        raise SplitError(f"no rows with event_time in the train period [{start}, {until})")
    if test.empty:
        raise SplitError(f"no rows with event_time in the test period [{test_start}, {test_end})")
    return TimeSplit(train, test, start, until, end, test_start, test_end)
