"""The tree structure of a trained classifier (``trees.json``) and the reference walker that reads it.

``trees.json`` is what the TypeScript TreeSHAP needs: every node's split, missing-value rule, children, leaf
value and cover. :func:`tree_margin` is the specification that code follows — the per-tree leaf values it
picks sum to the model's raw margin (log-odds), which a test checks against LightGBM and XGBoost.

Format (``{"format": "argus-trees/1", "kind": …, "feature_names": [...], "base_margin": b, "trees": …}``)::

  lightgbm: trees = booster_.dump_model()["tree_info"]: each {"tree_index", "tree_structure": node}
      split node: split_feature (column index), threshold (float64), decision_type "<=", default_left,
                  missing_type "None" | "Zero" | "NaN", left_child, right_child, internal_count (cover)
      leaf:       leaf_value, leaf_count (cover)
      base_margin is 0.0 (LightGBM folds the initial score into the first tree's leaves).
  xgboost:  trees = [json.loads(d) for d in get_booster().get_dump(dump_format="json", with_stats=True)]
      split node: nodeid, split ("f<column index>"), split_condition, yes, no, missing, cover, children
      leaf:       nodeid, leaf, cover
      base_margin = logit(base_score) from the booster config.

Decision rules (x is the float32 feature value, NaN = missing):

* LightGBM (numerical splits only; Argus has no categorical features): if ``missing_type != "NaN"`` and x is
  NaN, x becomes 0.0. Then if (``missing_type == "Zero"`` and |x| <= 1e-35) or (``missing_type == "NaN"`` and x
  is NaN) go to ``default_left ? left : right``; else go left iff ``x <= threshold`` (compare in float64).
* XGBoost: NaN goes to the ``missing`` child; else go to ``yes`` iff ``x < split_condition``, both as float32.
  Children are looked up by ``nodeid`` (not by position).
* margin = base_margin + sum of the leaves reached; probability = 1 / (1 + exp(-margin)).
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from typing import Any

import lightgbm as lgb
import numpy as np
import xgboost as xgb

FORMAT = "argus-trees/1"
K_ZERO_THRESHOLD = 1e-35  # LightGBM's kZeroThreshold


def _xgboost_base_margin(booster: xgb.Booster) -> float:
    """logit(base_score): XGBoost stores base_score in probability space for binary:logistic."""
    config = json.loads(booster.save_config())
    learner = config["learner"]
    objective = learner["objective"]["name"]
    if objective != "binary:logistic":
        raise ValueError(f"unsupported XGBoost objective {objective}")
    raw = learner["learner_model_param"]["base_score"]
    # "5E-1" in older releases, "[5E-1]" (one value per target) in 3.x.
    values = json.loads(raw) if str(raw).startswith("[") else [float(raw)]
    if len(values) != 1:
        raise ValueError(f"expected one base_score, got {raw}")
    p = float(values[0])
    return math.log(p / (1.0 - p))


def tree_structure(model: object, feature_names: Sequence[str]) -> dict[str, Any]:
    """The ``trees.json`` document of a fitted LGBMClassifier or XGBClassifier (see the module docstring)."""
    names = list(feature_names)
    if isinstance(model, lgb.LGBMClassifier):
        dump = model.booster_.dump_model()
        if dump.get("num_class", 1) != 1:
            raise ValueError("only binary LightGBM models are supported")
        if dump["feature_names"] != names:
            raise ValueError(f"the model's features {dump['feature_names']} are not {names}")
        return {"format": FORMAT, "kind": "lightgbm", "feature_names": names, "base_margin": 0.0,
                "trees": dump["tree_info"]}
    if isinstance(model, xgb.XGBClassifier):
        booster = model.get_booster()
        trees = [json.loads(text) for text in booster.get_dump(dump_format="json", with_stats=True)]
        return {"format": FORMAT, "kind": "xgboost", "feature_names": names,
                "base_margin": _xgboost_base_margin(booster), "trees": trees}
    raise TypeError(f"cannot describe {type(model).__name__}: LGBMClassifier or XGBClassifier expected")


def _lightgbm_leaf(node: dict[str, Any], row: Sequence[float]) -> float:
    while "leaf_value" not in node:
        if node["decision_type"] != "<=":
            raise ValueError(f"unsupported LightGBM decision_type {node['decision_type']}")
        x = float(row[node["split_feature"]])
        missing = node["missing_type"]
        if math.isnan(x) and missing != "NaN":
            x = 0.0
        if (missing == "Zero" and abs(x) <= K_ZERO_THRESHOLD) or (missing == "NaN" and math.isnan(x)):
            left = node["default_left"]
        else:
            left = x <= node["threshold"]
        node = node["left_child"] if left else node["right_child"]
    return float(node["leaf_value"])


def _xgboost_leaf(tree: dict[str, Any], row: Sequence[float]) -> float:
    by_id: dict[int, dict[str, Any]] = {}
    stack = [tree]
    while stack:
        node = stack.pop()
        by_id[node["nodeid"]] = node
        stack.extend(node.get("children", []))
    node = tree
    while "leaf" not in node:
        x = np.float32(row[int(node["split"][1:])])
        if np.isnan(x):
            target = node["missing"]
        else:
            target = node["yes"] if x < np.float32(node["split_condition"]) else node["no"]
        node = by_id[target]
    return float(node["leaf"])


def tree_leaves(doc: dict[str, Any], row: Sequence[float]) -> list[float]:
    """The leaf value each tree gives ``row`` (features in ``doc["feature_names"]`` order, NaN = missing)."""
    if doc["kind"] == "lightgbm":
        return [_lightgbm_leaf(tree["tree_structure"], row) for tree in doc["trees"]]
    if doc["kind"] == "xgboost":
        return [_xgboost_leaf(tree, row) for tree in doc["trees"]]
    raise ValueError(f"unknown model kind {doc['kind']}")


def tree_margin(doc: dict[str, Any], row: Sequence[float]) -> float:
    """The raw margin (log-odds of fraud) of ``row``: ``base_margin`` plus the sum of the leaves reached."""
    return float(doc["base_margin"]) + math.fsum(tree_leaves(doc, row))
