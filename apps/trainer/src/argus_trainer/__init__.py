"""Argus trainer: offline training and evaluation of the fraud models (Python only for training)."""

from argus_trainer.metrics import (
    FPR_TARGETS,
    UndefinedMetricError,
    auc,
    average_precision,
    card_precision_at_k,
    card_precision_per_day,
    evaluate,
    recall_at_fpr,
    threshold_at_fpr,
)
from argus_trainer.split import SplitError, TimeSplit, read_training_table, time_split

__all__ = [
    "FPR_TARGETS",
    "SplitError",
    "TimeSplit",
    "UndefinedMetricError",
    "auc",
    "average_precision",
    "card_precision_at_k",
    "card_precision_per_day",
    "evaluate",
    "read_training_table",
    "recall_at_fpr",
    "threshold_at_fpr",
    "time_split",
]
