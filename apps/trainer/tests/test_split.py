"""Time split with a label delay, on a hand-made backfill table."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from argus_trainer.split import SplitError, read_training_table, time_split

HEADER = (
    "transaction_id,event_time,card_id,customer_id,merchant_id,amount_minor,currency,"
    "label,label_source,label_reported_at,scenario,amount_zscore_card_30d,card_txn_count_1h"
)
# Train 2026-01-01 → 2026-01-11 with a 3-day delay: train rows are 1–8 Jan, test 11–13 Jan.
ROWS = [
    # before the train window
    "t00,2025-12-31T23:59:59.999Z,c1,u1,m1,1000,EUR,,,,,0.1,1",
    # train, fraud reported before train_to → counts as fraud
    "t01,2026-01-01T00:00:00.000Z,c1,u1,m1,1000,EUR,1,chargeback,2026-01-05T10:00:00.000Z,card_testing,2.5,",
    # train, fraud reported exactly at train_to → known by train_to
    "t02,2026-01-03T12:00:00.000Z,c2,u2,m1,2500,EUR,1,analyst,2026-01-11T00:00:00.000Z,ato,0.3,2",
    # train, fraud reported after train_to → unknown at training time, legitimate in train
    "t03,2026-01-07T08:00:00.000Z,c3,u3,m2,900,EUR,1,chargeback,2026-01-20T00:00:00.000Z,ato,1.1,3",
    # train, confirmed legitimate and unlabelled
    "t04,2026-01-07T23:59:59.999Z,c4,u4,m2,100,EUR,0,analyst,2026-01-09T00:00:00.000Z,,0.0,1",
    "t05,2026-01-02T00:00:00.000Z,c5,u5,m3,120,EUR,,,,,,",
    # inside the label delay [8 Jan, 11 Jan): skipped
    "t06,2026-01-08T00:00:00.000Z,c1,u1,m1,1000,EUR,1,chargeback,2026-01-09T00:00:00.000Z,card_testing,2.0,4",
    "t07,2026-01-10T23:00:00.000Z,c2,u2,m1,1000,EUR,,,,,0.2,1",
    # test: eventual labels, however late they were reported
    "t08,2026-01-11T00:00:00.000Z,c3,u3,m2,5000,EUR,1,chargeback,2026-02-20T00:00:00.000Z,ato,3.0,1",
    "t09,2026-01-12T09:00:00.000Z,c4,u4,m2,300,EUR,0,analyst,2026-01-13T00:00:00.000Z,,0.4,2",
    "t10,2026-01-12T10:00:00.000Z,c5,u5,m3,300,EUR,,,,,0.5,1",
    # after the test window
    "t11,2026-01-13T00:00:00.000Z,c5,u5,m3,300,EUR,1,chargeback,2026-01-14T00:00:00.000Z,ato,0.5,1",
]
WINDOWS = {"train_from": "2026-01-01", "train_to": "2026-01-11", "test_from": "2026-01-11", "test_to": "2026-01-13"}


@pytest.fixture()
def table(tmp_path: Path) -> pd.DataFrame:
    path = tmp_path / "training.csv"
    path.write_text("\n".join([HEADER, *ROWS]) + "\n")
    return read_training_table(path)


def labels_by_id(frame: pd.DataFrame) -> dict[str, int]:
    return dict(zip(frame["transaction_id"], frame["y"].tolist(), strict=True))


def test_reads_types_from_the_backfill_csv(table: pd.DataFrame) -> None:
    assert str(table["event_time"].dt.tz) == "UTC"
    assert table["label"].isna().sum() == 4  # t00, t05, t07, t10
    assert table["card_txn_count_1h"].isna().sum() == 2  # empty feature cells are NaN
    assert table.loc[0, "card_id"] == "c1"


def test_train_skips_the_label_delay_and_uses_only_labels_known_by_train_to(table: pd.DataFrame) -> None:
    split = time_split(table, **WINDOWS, label_delay_days=3)
    assert labels_by_id(split.train) == {"t01": 1, "t02": 1, "t03": 0, "t04": 0, "t05": 0}
    assert split.train_until == pd.Timestamp("2026-01-08", tz="UTC")


def test_test_keeps_eventual_labels(table: pd.DataFrame) -> None:
    split = time_split(table, **WINDOWS, label_delay_days=3)
    assert labels_by_id(split.test) == {"t08": 1, "t09": 0, "t10": 0}


def test_no_delay_keeps_rows_up_to_train_to(table: pd.DataFrame) -> None:
    split = time_split(table, **WINDOWS, label_delay_days=0)
    assert labels_by_id(split.train) == {"t01": 1, "t02": 1, "t03": 0, "t04": 0, "t05": 0, "t06": 1, "t07": 0}


def test_input_is_not_modified(table: pd.DataFrame) -> None:
    before = table.copy()
    time_split(table, **WINDOWS, label_delay_days=3)
    pd.testing.assert_frame_equal(table, before)


def test_accepts_a_plain_read_csv_frame(tmp_path: Path) -> None:
    path = tmp_path / "training.csv"
    path.write_text("\n".join([HEADER, *ROWS]) + "\n")
    split = time_split(pd.read_csv(path), **WINDOWS, label_delay_days=3)
    assert labels_by_id(split.train)["t02"] == 1


@pytest.mark.parametrize(
    ("windows", "delay", "message"),
    [
        ({**WINDOWS, "test_from": "2026-01-10"}, 3, "windows overlap"),
        ({**WINDOWS, "test_from": "2025-12-01", "test_to": "2025-12-10"}, 3, "windows overlap"),
        ({**WINDOWS, "train_to": "2026-01-01"}, 0, "empty train window"),
        ({**WINDOWS, "test_to": "2026-01-11"}, 3, "empty test window"),
        (WINDOWS, 10, "leaves no train period"),
        (WINDOWS, -1, "label delay must be >= 0"),
        ({**WINDOWS, "test_from": "2026-03-01", "test_to": "2026-03-02"}, 3, "no rows .* test period"),
        ({**WINDOWS, "train_from": "2025-06-01", "train_to": "2025-07-01"}, 3, "no rows .* train period"),
    ],
)
def test_refuses_bad_windows(table: pd.DataFrame, windows: dict[str, str], delay: float, message: str) -> None:
    with pytest.raises(SplitError, match=message):
        time_split(table, **windows, label_delay_days=delay)


def test_refuses_a_fraud_label_without_its_report_time(table: pd.DataFrame) -> None:
    table.loc[table["transaction_id"] == "t01", "label_reported_at"] = pd.NaT
    with pytest.raises(SplitError, match="without label_reported_at"):
        time_split(table, **WINDOWS, label_delay_days=3)


def test_refuses_labels_other_than_one_zero_or_empty(table: pd.DataFrame) -> None:
    table["label"] = table["label"].astype("string").fillna("").replace("1", "yes")
    with pytest.raises(SplitError, match="must hold 1, 0 or nothing"):
        time_split(table, **WINDOWS, label_delay_days=3)


def test_refuses_a_file_that_is_not_a_training_table(tmp_path: Path) -> None:
    path = tmp_path / "other.csv"
    path.write_text("a,b\n1,2\n")
    with pytest.raises(SplitError, match="missing columns"):
        read_training_table(path)
