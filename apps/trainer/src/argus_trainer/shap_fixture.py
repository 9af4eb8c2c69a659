"""Parity fixtures for the TypeScript TreeSHAP (``@argus/explain``): LightGBM's and XGBoost's own ``pred_contrib``.

``python -m argus_trainer.shap_fixture --out DIR [--rows 400] [--seed N] [--features 20] [--trees 200]
[--depth 6] [--train-rows 6000]`` trains both classifiers with :func:`argus_trainer.train.train_models` on a
synthetic, imbalanced table and writes, for ``kind`` in ``lightgbm`` and ``xgboost``:

* ``<kind>.trees.json``   — :func:`argus_trainer.trees.tree_structure` (what the scoring service loads);
* ``<kind>.rows.json``    — the scored rows, ``[[x0, x1, …], …]`` in ``feature_names`` order, NaN as ``null``;
  every value is a float32 (written as the float64 that equals it), exactly what both libraries were fed;
* ``<kind>.contrib.json`` — the library's own SHAP values, one list per row: one value per feature, then the
  bias (LightGBM ``predict(X, pred_contrib=True)``, XGBoost ``predict(DMatrix, pred_contribs=True)``);
* ``<kind>.margin.json``  — the library's raw margin (log-odds) per row.

The features cover every missing-value path: some have NaN in training (LightGBM ``missing_type NaN``,
learned default side), some never do but are NaN in the scored rows (LightGBM scores NaN as 0.0 there), some
are often exactly 0.0, one is signed (0.0 lies right of negative thresholds). Scored rows also carry values
exactly on split thresholds and one float32 step either side (``<=`` in float64 vs ``<`` in float32), and a
few rows are entirely missing. Prints one JSON line: the files written and the row and tree counts.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import xgboost as xgb

from .train import train_models
from .trees import tree_structure

KINDS = ("lightgbm", "xgboost")


def feature_names(n_features: int) -> list[str]:
    """``f00_nan_train``, ``f01_nan_scored``, … — the suffix says which missing-value path a column exercises."""
    roles = ("nan_train", "nan_scored", "zeros", "signed", "plain")
    return [f"f{j:02d}_{roles[j % len(roles)]}" for j in range(n_features)]


def _features(rng: np.random.Generator, n: int, n_features: int) -> np.ndarray:
    X = np.empty((n, n_features), dtype=np.float64)
    for j in range(n_features):
        role = j % 5
        if role == 2:  # a count: mostly exact zeros
            X[:, j] = rng.poisson(0.6, size=n)
        elif role == 3:  # signed, centred on zero
            X[:, j] = rng.normal(size=n)
        else:
            X[:, j] = rng.lognormal(mean=0.0, sigma=1.0, size=n)
    return X


def training_frame(n: int, n_features: int, seed: int) -> pd.DataFrame:
    """``n`` rows, ~6% fraud that depends on several features and on one of them being missing."""
    rng = np.random.default_rng(seed)
    X = _features(rng, n, n_features)
    nan_train = [j for j in range(n_features) if j % 5 == 0]
    missing = rng.random((n, len(nan_train))) < 0.2
    signal = np.zeros(n)
    for k, j in enumerate(nan_train):
        if k < 4:  # the label depends on a few of them, including on their being missing
            signal += np.where(missing[:, k], 0.8, 0.5 * np.log(X[:, j]))
        X[missing[:, k], j] = np.nan
    weights = rng.normal(scale=1.5 / np.sqrt(n_features), size=n_features)  # same spread for any width
    filled = np.nan_to_num(X, nan=0.0)
    logit = -3.6 + signal + np.tanh(filled) @ weights + 0.9 * (filled[:, 2] > 1)
    y = (rng.random(n) < 1.0 / (1.0 + np.exp(-logit))).astype(np.int64)
    frame = pd.DataFrame(X.astype(np.float32), columns=feature_names(n_features))
    frame["y"] = y
    return frame


def _splits(doc: dict[str, Any]) -> list[tuple[int, float]]:
    """Every (column, threshold) of a ``trees.json`` document."""
    found: list[tuple[int, float]] = []
    stack: list[dict[str, Any]] = (
        [tree["tree_structure"] for tree in doc["trees"]] if doc["kind"] == "lightgbm" else list(doc["trees"])
    )
    while stack:
        node = stack.pop()
        if doc["kind"] == "lightgbm" and "split_feature" in node:
            found.append((int(node["split_feature"]), float(node["threshold"])))
            stack.extend((node["left_child"], node["right_child"]))
        elif doc["kind"] == "xgboost" and "split" in node:
            found.append((int(node["split"][1:]), float(node["split_condition"])))
            stack.extend(node["children"])
    return found


def scored_rows(n: int, n_features: int, seed: int, doc: dict[str, Any]) -> np.ndarray:
    """``n`` float32 rows from the training distribution, with every missing-value and threshold edge case."""
    rng = np.random.default_rng(seed + 1)
    X = _features(rng, n, n_features)
    for j in range(n_features):
        X[j % 7 :: 7, j] = np.nan  # every column, including those never missing in training
    X[rng.random((n, n_features)) < 0.03] = 0.0
    # LightGBM writes 1e300 for "every value goes left" (a NaN-versus-the-rest split): no float32 sits there.
    splits = [(column, t) for column, t in _splits(doc) if abs(t) <= float(np.finfo(np.float32).max)]
    for i in range(3, n, 4):  # a quarter of the rows sit on (or one float32 step beside) a threshold
        for _ in range(3):
            column, threshold = splits[rng.integers(len(splits))]
            value = np.float32(threshold)
            step = rng.integers(3)
            if step == 1:
                value = np.nextafter(value, np.float32(-np.inf))
            elif step == 2:
                value = np.nextafter(value, np.float32(np.inf))
            X[i, column] = value
    X[11::97, :] = np.nan  # a few rows with nothing known
    return np.ascontiguousarray(X, dtype=np.float32)


def library_values(kind: str, model: object, X: np.ndarray, names: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """(pred_contrib with the bias last, raw margin) from the library itself, on exactly the float32 rows ``X``."""
    if kind == "lightgbm":
        frame = pd.DataFrame(X, columns=list(names))
        contrib = model.predict(frame, pred_contrib=True)
        margin = model.predict(frame, raw_score=True)
    else:
        booster = model.get_booster()
        matrix = xgb.DMatrix(X, missing=np.nan)
        contrib = booster.predict(matrix, pred_contribs=True)
        margin = booster.predict(matrix, output_margin=True)
    return np.asarray(contrib, dtype=np.float64), np.asarray(margin, dtype=np.float64)


def _rows_json(X: np.ndarray) -> list[list[float | None]]:
    return [[None if np.isnan(v) else float(v) for v in row] for row in X.tolist()]


def _write(path: Path, doc: Any) -> None:
    path.write_text(json.dumps(doc, allow_nan=False) + "\n", encoding="utf-8")


def write_fixtures(
    out: str | Path,
    *,
    rows: int = 400,
    seed: int = 7,
    n_features: int = 20,
    n_trees: int = 200,
    max_depth: int = 6,
    train_rows: int = 6000,
) -> dict[str, Any]:
    """Trains both models and writes the four files per kind into ``out``; returns a summary."""
    if rows < 1 or n_features < 5 or n_trees < 1 or max_depth < 1 or train_rows < 100:
        raise ValueError("need rows ≥ 1, features ≥ 5, trees ≥ 1, depth ≥ 1 and train rows ≥ 100")
    directory = Path(out)
    directory.mkdir(parents=True, exist_ok=True)
    names = feature_names(n_features)
    frame = training_frame(train_rows, n_features, seed)
    models = train_models(frame, names, seed, n_trees=n_trees, max_depth=max_depth)
    files: list[str] = []
    for kind in KINDS:
        model = models[kind]
        doc = json.loads(json.dumps(tree_structure(model, names)))
        X = scored_rows(rows, n_features, seed, doc)
        contrib, margin = library_values(kind, model, X, names)
        if contrib.shape != (rows, n_features + 1):
            raise ValueError(f"{kind}: pred_contrib has shape {contrib.shape}, expected {(rows, n_features + 1)}")
        outputs = {
            "trees": doc,
            "rows": _rows_json(X),
            "contrib": contrib.tolist(),
            "margin": margin.tolist(),
        }
        for name, content in outputs.items():
            path = directory / f"{kind}.{name}.json"
            _write(path, content)
            files.append(path.name)
    fraud = int(frame["y"].sum())
    return {"out": str(directory), "files": files, "rows": rows, "features": n_features, "trees": n_trees,
            "max_depth": max_depth, "train_rows": train_rows, "train_fraud": fraud, "seed": seed}


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m argus_trainer.shap_fixture", description=__doc__.split("\n")[0])
    parser.add_argument("--out", required=True, help="directory to write the fixture files into")
    parser.add_argument("--rows", type=int, default=400, help="scored rows per model kind")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--features", type=int, default=20)
    parser.add_argument("--trees", type=int, default=200)
    parser.add_argument("--depth", type=int, default=6)
    parser.add_argument("--train-rows", type=int, default=6000)
    args = parser.parse_args(argv)
    try:
        summary = write_fixtures(args.out, rows=args.rows, seed=args.seed, n_features=args.features,
                                 n_trees=args.trees, max_depth=args.depth, train_rows=args.train_rows)
    except Exception as error:  # noqa: BLE001 — every failure is one clear line and exit code 2
        print(f"shap_fixture: {type(error).__name__}: {error}".replace("\n", " "), file=sys.stderr)
        return 2
    print(json.dumps(summary))
    return 0


if __name__ == "__main__":
    sys.exit(main())
