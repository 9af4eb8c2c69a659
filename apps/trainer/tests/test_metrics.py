"""Metrics on examples small enough to compute by hand."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import roc_curve

from argus_trainer.metrics import (
    UndefinedMetricError,
    auc,
    average_precision,
    card_precision_at_k,
    card_precision_per_day,
    evaluate,
    recall_at_fpr,
    threshold_at_fpr,
)


class TestAuc:
    def test_counts_correctly_ordered_pairs(self) -> None:
        # Frauds 0.9, 0.4; legitimate 0.8, 0.3, 0.1. Pairs won: 0.9 beats 3, 0.4 beats 2 → 5 of 6.
        assert auc([1, 0, 1, 0, 0], [0.9, 0.8, 0.4, 0.3, 0.1]) == pytest.approx(5 / 6)

    def test_a_tied_pair_counts_one_half(self) -> None:
        # Fraud 0.5 vs legitimate 0.5 (tie, 1/2) and 0.2 (won, 1) → 1.5 of 2.
        assert auc([1, 0, 0], [0.5, 0.5, 0.2]) == pytest.approx(0.75)
        assert auc([1, 0, 1, 0], [0.3, 0.3, 0.3, 0.3]) == pytest.approx(0.5)

    @pytest.mark.parametrize("labels", [[0, 0, 0], [1, 1]])
    def test_needs_both_classes(self, labels: list[int]) -> None:
        with pytest.raises(UndefinedMetricError, match="AUC is undefined"):
            auc(labels, np.linspace(0, 1, len(labels)))


class TestAveragePrecision:
    def test_sums_precision_at_each_recall_step(self) -> None:
        # Ranked: 1 (P=1/1), 0, 1 (P=2/3), 0 → AP = 1/2 · 1 + 1/2 · 2/3 = 5/6.
        assert average_precision([1, 0, 1, 0], [0.9, 0.8, 0.7, 0.1]) == pytest.approx(5 / 6)

    def test_tied_rows_enter_together(self) -> None:
        # 0.9: fraud (P=1). 0.5: one fraud and one legitimate together → P=2/3 at recall 1. AP = 1/2 + 1/3.
        assert average_precision([1, 1, 0], [0.9, 0.5, 0.5]) == pytest.approx(5 / 6)
        assert average_precision([1, 0, 1], [0.9, 0.5, 0.5]) == pytest.approx(5 / 6)

    def test_needs_a_fraud_row(self) -> None:
        with pytest.raises(UndefinedMetricError, match="without any fraud"):
            average_precision([0, 0], [0.1, 0.2])


class TestRecallAtFpr:
    def test_highest_recall_within_the_false_positive_budget(self) -> None:
        # 10 legitimate rows scored 0.1 … 1.0; frauds at 0.95, 0.85, 0.05. fpr 0.1 allows 1 false positive:
        # the lowest threshold flagging at most one legitimate row is 0.95 (legit 1.0, fraud 0.95) → 1/3.
        legit = [round(0.1 * i, 2) for i in range(1, 11)]
        scores = legit + [0.95, 0.85, 0.05]
        labels = [0] * 10 + [1, 1, 1]
        assert recall_at_fpr(labels, scores, 0.1) == pytest.approx(1 / 3)
        # fpr 0.2 allows 2: the lowest threshold is 0.85 (legit 1.0, 0.9 flagged) → frauds 0.95 and 0.85.
        assert recall_at_fpr(labels, scores, 0.2) == pytest.approx(2 / 3)
        # A budget of 0.05 × 10 = 0.5 rounds down to 0: only frauds above every legitimate row count.
        assert recall_at_fpr(labels, scores, 0.05) == 0.0

    def test_budget_is_exact_at_round_numbers(self) -> None:
        # 0.001 × 1000 must allow exactly one false positive, not zero through float rounding.
        labels = np.r_[np.zeros(1000, dtype=int), 1]
        scores = np.r_[np.arange(1000) / 1000, 0.9985]  # one legitimate row (0.999) above the fraud
        assert recall_at_fpr(labels, scores, 0.001) == 1.0
        assert recall_at_fpr(labels, scores, 0.0005) == 0.0

    def test_a_tie_straddling_the_budget_is_left_out(self) -> None:
        # Legit: 0.9, 0.5, 0.5, 0.1 (4 rows); fraud: 0.5. fpr 0.5 allows 2 false positives, but the threshold
        # 0.5 would flag 3 (0.9 and both 0.5s): the tie cannot be split, so the fraud at 0.5 is not caught.
        labels = [0, 0, 0, 0, 1]
        scores = [0.9, 0.5, 0.5, 0.1, 0.5]
        assert recall_at_fpr(labels, scores, 0.5) == 0.0
        assert recall_at_fpr(labels, scores, 0.75) == 1.0

    def test_agrees_with_the_roc_curve(self) -> None:
        rng = np.random.default_rng(7)
        labels = (rng.random(5000) < 0.05).astype(int)
        scores = np.round(rng.random(5000) + labels * 0.4, 2)  # rounding creates many ties
        fpr, tpr, _ = roc_curve(labels, scores, drop_intermediate=False)
        for target in (0.001, 0.005, 0.01, 0.1):
            assert recall_at_fpr(labels, scores, target) == pytest.approx(tpr[fpr <= target].max())

    def test_threshold_is_the_lowest_score_within_the_budget(self) -> None:
        legit = [round(0.1 * i, 2) for i in range(1, 11)]
        scores = legit + [0.95, 0.85, 0.05]
        labels = [0] * 10 + [1, 1, 1]
        assert threshold_at_fpr(labels, scores, 0.1) == 0.95
        assert threshold_at_fpr(labels, scores, 0.2) == 0.85
        assert threshold_at_fpr(labels, scores, 0.05) == float("inf")  # nothing can be flagged: recall 0.0
        # The straddling tie at 0.5 is left out with a budget of 2, taken with a budget of 3.
        assert threshold_at_fpr([0, 0, 0, 0, 1], [0.9, 0.5, 0.5, 0.1, 0.5], 0.5) == 0.9
        assert threshold_at_fpr([0, 0, 0, 0, 1], [0.9, 0.5, 0.5, 0.1, 0.5], 0.75) == 0.5

    def test_flagging_at_the_threshold_gives_the_recall(self) -> None:
        rng = np.random.default_rng(8)
        labels = (rng.random(5000) < 0.05).astype(int)
        scores = np.round(rng.random(5000) + labels * 0.4, 2)
        for target in (0.001, 0.005, 0.01, 0.1):
            flagged = scores >= threshold_at_fpr(labels, scores, target)
            assert (flagged & (labels == 1)).sum() / labels.sum() == recall_at_fpr(labels, scores, target)
            assert (flagged & (labels == 0)).sum() <= target * (labels == 0).sum()

    def test_rejects_bad_input(self) -> None:
        with pytest.raises(ValueError, match="fpr must be in"):
            recall_at_fpr([0, 1], [0.1, 0.2], 0.0)
        with pytest.raises(UndefinedMetricError, match="without any fraud"):
            recall_at_fpr([0, 0], [0.1, 0.2], 0.01)
        with pytest.raises(ValueError, match="finite"):
            recall_at_fpr([0, 1], [0.1, float("nan")], 0.01)
        with pytest.raises(ValueError, match="only 0"):
            recall_at_fpr([0, 2], [0.1, 0.2], 0.01)
        with pytest.raises(ValueError, match="2 rows but score has 3"):
            recall_at_fpr([0, 1], [0.1, 0.2, 0.3], 0.01)


def frame(rows: list[tuple[str, str, float, int]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["day", "card_id", "score", "y"])


class TestCardPrecisionAtK:
    def test_per_day_top_cards_by_max_score_averaged_over_days(self) -> None:
        rows = frame(
            [
                # Day 1. Card a: max 0.9, a fraud → compromised. Card b: 0.8, legitimate. Card c: 0.7, fraud.
                ("d1", "a", 0.9, 0),
                ("d1", "a", 0.2, 1),  # the fraud need not be the card's top-scored transaction
                ("d1", "b", 0.8, 0),
                ("d1", "c", 0.7, 1),
                # Day 2. Card a: 0.6 legitimate, d: 0.5 fraud, e: 0.95 legitimate.
                ("d2", "a", 0.6, 0),
                ("d2", "d", 0.5, 1),
                ("d2", "e", 0.95, 0),
            ]
        )
        # k = 2 → day 1 top {a, b}: 1/2; day 2 top {e, a}: 0/2 → mean 1/4.
        assert card_precision_at_k(rows, k=2) == pytest.approx(0.25)
        # k = 3 → day 1 {a, b, c}: 2/3; day 2 {e, a, d}: 1/3 → mean 1/2.
        assert card_precision_at_k(rows, k=3) == pytest.approx(0.5)

    def test_per_day_values_are_what_is_averaged(self) -> None:
        rows = frame([("d2", "a", 0.6, 0), ("d2", "d", 0.5, 1), ("d2", "e", 0.95, 0),
                      ("d1", "a", 0.9, 0), ("d1", "a", 0.2, 1), ("d1", "b", 0.8, 0), ("d1", "c", 0.7, 1)])
        per_day = card_precision_per_day(rows, k=3)
        assert per_day.index.tolist() == ["d1", "d2"]
        assert per_day.tolist() == pytest.approx([2 / 3, 1 / 3])
        assert card_precision_at_k(rows, k=3) == float(np.mean(per_day.to_numpy()))

    def test_divides_by_k_on_a_day_with_fewer_cards(self) -> None:
        rows = frame([("d1", "a", 0.9, 1), ("d1", "b", 0.1, 0)])
        assert card_precision_at_k(rows, k=4) == pytest.approx(1 / 4)

    def test_ties_at_the_cut_off_count_by_expectation(self) -> None:
        # Top: a (0.9, fraud). One slot left for b, c, d tied at 0.5, one of them fraud → 1/3 expected.
        rows = frame([("d1", "a", 0.9, 1), ("d1", "b", 0.5, 0), ("d1", "c", 0.5, 1), ("d1", "d", 0.5, 0)])
        assert card_precision_at_k(rows, k=2) == pytest.approx((1 + 1 / 3) / 2)
        # Input order and card ids do not change the result.
        renamed = rows.iloc[::-1].assign(card_id=["z", "y", "x", "w"])
        assert card_precision_at_k(renamed, k=2) == pytest.approx((1 + 1 / 3) / 2)

    def test_a_period_without_fraud_is_zero(self) -> None:
        assert card_precision_at_k(frame([("d1", "a", 0.9, 0), ("d2", "b", 0.1, 0)]), k=1) == 0.0

    def test_rejects_missing_columns(self) -> None:
        with pytest.raises(ValueError, match="missing \\['day'\\]"):
            card_precision_at_k(pd.DataFrame({"card_id": ["a"], "score": [0.1], "y": [0]}))


def test_evaluate_returns_the_eval_json_shape() -> None:
    labels = [1, 0, 1, 0, 0]
    scores = [0.9, 0.8, 0.4, 0.3, 0.1]
    result = evaluate(labels, scores, cards=["a", "b", "c", "a", "d"], days=["d1", "d1", "d1", "d2", "d2"])
    assert set(result) == {"auc", "average_precision", "recall_at_fpr", "card_precision_at_100"}
    assert result["auc"] == pytest.approx(5 / 6)
    assert result["average_precision"] == pytest.approx(0.5 * 1 + 0.5 * 2 / 3)
    assert result["recall_at_fpr"] == {"0.001": 0.5, "0.005": 0.5, "0.01": 0.5}
    # Day 1: a and c compromised of 3 cards → 2/100; day 2: none → mean 1/100.
    assert result["card_precision_at_100"] == pytest.approx(0.01)
    assert all(isinstance(value, float) for value in result["recall_at_fpr"].values())


def test_evaluate_refuses_a_period_without_fraud() -> None:
    with pytest.raises(UndefinedMetricError):
        evaluate([0, 0], [0.1, 0.2], cards=["a", "b"], days=["d1", "d1"])
