"""The one metrics library: ``argus eval``, the model registry and the promotion gates all call these.

Conventions shared by every function:

* ``y`` holds 1 (fraud) or 0 (legitimate); ``score`` is any finite real where higher means more suspicious
  (probability, margin or rank — only the order matters).
* A metric that is undefined on its input raises ``UndefinedMetricError`` instead of returning NaN: AUC,
  average precision and recall need at least one fraud row, AUC and recall at FPR at least one legitimate row.
  A gate must never pass, nor a JSON report be written, on a NaN. ``card_precision_at_k`` *is* defined on a
  period without fraud (it is 0.0).
* Ties in ``score`` are never broken by input order: see each function.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd
from sklearn.metrics import average_precision_score, roc_auc_score

FPR_TARGETS: tuple[float, ...] = (0.001, 0.005, 0.01)
"""False-positive rates at which recall is reported (0.1 %, 0.5 %, 1 % of legitimate transactions)."""

ArrayLike = npt.ArrayLike


class UndefinedMetricError(ValueError):
    """The metric has no meaning on this input (for example a test period without fraud)."""


def _labels_and_scores(y: ArrayLike, score: ArrayLike) -> tuple[npt.NDArray[np.int8], npt.NDArray[np.float64]]:
    """Validated 1-D arrays: same non-zero length, labels in {0, 1}, finite scores."""
    labels = np.asarray(y)
    scores = np.asarray(score, dtype=np.float64)
    if labels.ndim != 1 or scores.ndim != 1:
        raise ValueError("y and score must be one-dimensional")
    if labels.shape != scores.shape:
        raise ValueError(f"y has {labels.size} rows but score has {scores.size}")
    if labels.size == 0:
        raise UndefinedMetricError("no rows to evaluate")
    if not np.isin(labels, (0, 1)).all():
        raise ValueError("y must hold only 0 (legitimate) and 1 (fraud)")
    if not np.isfinite(scores).all():
        raise ValueError("score must be finite (no NaN or infinity)")
    return labels.astype(np.int8), scores


def _require_classes(labels: npt.NDArray[np.int8], metric: str, *, negatives: bool = True) -> None:
    if not labels.any():
        raise UndefinedMetricError(f"{metric} is undefined without any fraud row (y == 1)")
    if negatives and labels.all():
        raise UndefinedMetricError(f"{metric} is undefined without any legitimate row (y == 0)")


def auc(y: ArrayLike, score: ArrayLike) -> float:
    """Area under the ROC curve: the probability that a random fraud row scores above a random legitimate one.

    Tied fraud/legitimate pairs count one half (the Mann-Whitney convention), so a constant score gives 0.5.
    """
    labels, scores = _labels_and_scores(y, score)
    _require_classes(labels, "AUC")
    return float(roc_auc_score(labels, scores))


def average_precision(y: ArrayLike, score: ArrayLike) -> float:
    """Average precision: ``sum_n (R_n - R_{n-1}) * P_n`` over the distinct score thresholds, highest first.

    No interpolation (scikit-learn's definition). Rows with equal scores enter together at one threshold, so
    their order does not matter. Needs at least one fraud row; with no legitimate row it is 1.0.
    """
    labels, scores = _labels_and_scores(y, score)
    _require_classes(labels, "average precision", negatives=False)
    return float(average_precision_score(labels, scores))


def recall_at_fpr(y: ArrayLike, score: ArrayLike, fpr: float) -> float:
    """Share of fraud rows caught at the lowest alert threshold whose false-positive rate is at most ``fpr``.

    A row is flagged when ``score >= t``. Over every threshold ``t`` taken from the observed scores, keep those
    where ``flagged legitimate rows <= floor(fpr * legitimate rows)`` and return the highest recall among them
    (the lowest such ``t``): the operating point a deployed threshold would actually have on this data.

    Ties: rows with equal scores are flagged together or not at all, as a real threshold would flag them, so a
    tie that straddles the limit is left out entirely (pessimistic, never above the target FPR). If even the
    top score group exceeds the budget, nothing can be flagged and recall is 0.0.
    """
    return _operating_point(y, score, fpr)[1]


def threshold_at_fpr(y: ArrayLike, score: ArrayLike, fpr: float) -> float:
    """The alert threshold behind :func:`recall_at_fpr`: flagging ``score >= threshold`` catches exactly
    ``recall_at_fpr(y, score, fpr)`` of the fraud with at most ``floor(fpr * legitimate rows)`` false positives.

    It is one of the observed scores, or ``inf`` when even the top score group exceeds the budget (nothing can
    be flagged). Same ties and rounding as :func:`recall_at_fpr`.
    """
    return _operating_point(y, score, fpr)[0]


def _operating_point(y: ArrayLike, score: ArrayLike, fpr: float) -> tuple[float, float]:
    """``(threshold, recall)`` at the lowest observed threshold within the false-positive budget."""
    if not 0 < fpr < 1:
        raise ValueError(f"fpr must be in (0, 1), got {fpr}")
    labels, scores = _labels_and_scores(y, score)
    _require_classes(labels, "recall at FPR")
    order = np.argsort(-scores, kind="stable")
    ranked_scores, ranked_labels = scores[order], labels[order]
    last_of_tie = np.r_[ranked_scores[1:] != ranked_scores[:-1], True]
    true_pos = np.cumsum(ranked_labels)[last_of_tie]
    false_pos = np.cumsum(1 - ranked_labels)[last_of_tie]
    negatives = labels.size - int(labels.sum())
    # The epsilon keeps 0.001 * 1000 from rounding down to 0.999… in binary floating point.
    budget = np.floor(fpr * negatives + 1e-9)
    within = false_pos <= budget  # a prefix: false positives only grow as the threshold falls
    if not within.any():
        return float("inf"), 0.0
    return float(ranked_scores[last_of_tie][within][-1]), float(true_pos[within][-1] / labels.sum())


def card_precision_at_k(df: pd.DataFrame, k: int = 100) -> float:
    """Card precision top-k, averaged over days (Le Borgne et al., *Fraud Detection Handbook*, ch. 4).

    ``df`` has one row per transaction with columns ``card_id``, ``day`` (any value naming a calendar day,
    UTC), ``score`` and ``y``. For each day: a card's risk is its highest score that day and it is compromised
    if it had at least one fraud transaction that day; the ``k`` riskiest cards are what analysts could check
    that day, and the day's precision is ``compromised cards among them / k``. The result is the mean over the
    days present in ``df``.

    * Dividing by ``k`` even on a day with fewer than ``k`` cards follows the handbook's implementation (those
      unused investigation slots count as misses); with realistic volumes every day has far more than ``k``.
    * Ties at the k-th place are resolved by expectation, not by card id or input order: when ``m`` slots remain
      for a group of ``g`` equally scored cards with ``f`` compromised ones, they contribute ``m * f / g``, the
      mean over all orderings of the tie. A constant score thus gives the day's share of compromised cards
      (for days with at least ``k`` cards).
    * The handbook also has a variant that drops a compromised card from later days once detected; Argus
      reports this plain one.
    * A period without fraud gives 0.0 (defined, unlike the other metrics).

    The per-day values are :func:`card_precision_per_day`.
    """
    return float(np.mean(card_precision_per_day(df, k).to_numpy()))


def card_precision_per_day(df: pd.DataFrame, k: int = 100) -> pd.Series:
    """Each day's card precision top-k (see :func:`card_precision_at_k`), as floats indexed by day, days sorted."""
    if k < 1:
        raise ValueError(f"k must be >= 1, got {k}")
    missing = {"card_id", "day", "score", "y"} - set(df.columns)
    if missing:
        raise ValueError(f"card_precision_at_k needs columns card_id, day, score, y; missing {sorted(missing)}")
    labels, scores = _labels_and_scores(df["y"].to_numpy(), df["score"].to_numpy())
    rows = pd.DataFrame(
        {"card_id": df["card_id"].to_numpy(), "day": df["day"].to_numpy(), "score": scores, "y": labels}
    )
    per_card_day = rows.groupby(["day", "card_id"], sort=True).agg(score=("score", "max"), y=("y", "max"))
    days, precisions = [], []
    for day, cards in per_card_day.groupby(level="day", sort=True):
        days.append(day)
        precisions.append(_top_k_hits(cards["score"].to_numpy(), cards["y"].to_numpy(), k) / k)
    return pd.Series(precisions, index=pd.Index(days, name="day"), dtype=np.float64, name=f"card_precision_at_{k}")


def _top_k_hits(scores: npt.NDArray[np.float64], compromised: npt.NDArray[np.int8], k: int) -> float:
    """Expected number of compromised cards among the ``k`` highest scores, ties at the cut-off by expectation."""
    if scores.size <= k:
        return float(compromised.sum())
    cutoff = np.sort(scores)[::-1][k - 1]
    above = scores > cutoff
    tied = scores == cutoff
    slots = k - int(above.sum())
    return float(compromised[above].sum()) + slots * float(compromised[tied].sum()) / int(tied.sum())


def evaluate(
    y: ArrayLike, score: ArrayLike, cards: Sequence[Hashable] | ArrayLike, days: Sequence[Hashable] | ArrayLike
) -> dict[str, Any]:
    """All headline metrics for one test period, in the shape of ``argus eval --json``.

    ``cards`` and ``days`` give each row's card and UTC calendar day (for card precision@100). Returns
    ``{"auc", "average_precision", "recall_at_fpr": {"0.001", "0.005", "0.01"}, "card_precision_at_100"}``
    with plain floats. Raises ``UndefinedMetricError`` when the period has no fraud or no legitimate row.
    """
    labels, scores = _labels_and_scores(y, score)
    card_ids, day_ids = np.asarray(cards), np.asarray(days)
    if card_ids.shape != labels.shape or day_ids.shape != labels.shape:
        raise ValueError("y, score, cards and days must have the same length")
    return {
        "auc": auc(labels, scores),
        "average_precision": average_precision(labels, scores),
        "recall_at_fpr": {str(target): recall_at_fpr(labels, scores, target) for target in FPR_TARGETS},
        "card_precision_at_100": card_precision_at_k(
            pd.DataFrame({"card_id": card_ids, "day": day_ids, "score": scores, "y": labels}), k=100
        ),
    }
