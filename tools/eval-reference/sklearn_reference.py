#!/usr/bin/python3
"""Writes scikit-learn's values for the cases io.keshikaran.eval is tested on.

Run once, by hand, with Debian's python3-sklearn (apt-get install python3-sklearn), and commit the
JSON it writes; the Maven build never runs Python:

    /usr/bin/python3 tools/eval-reference/sklearn_reference.py \
        > keshikaran-api/src/test/resources/io/keshikaran/eval/sklearn-reference.json

Every case stores its scores and labels, so the Java test feeds the very same data. Curves come from
roc_curve(drop_intermediate=False) and precision_recall_curve; confusion matrices from
confusion_matrix(y, score >= t). Target thresholds are computed here from scikit-learn's curves with
the rules BinaryEvaluation documents (a second, independent implementation of those rules).
"""
import json
import sys

import numpy as np
import sklearn
from sklearn.metrics import (average_precision_score, confusion_matrix, precision_recall_curve, roc_auc_score,
                             roc_curve)


def cases():
    rng = np.random.default_rng(20261130)
    out = {}
    n = 40
    y = rng.random(n) < 0.4
    s = np.clip(rng.normal(0.35 + 0.3 * y, 0.2), 0, 1)
    out["distinct"] = (s, y)
    y = rng.random(60) < 0.5
    out["ties"] = (np.round(np.clip(rng.normal(0.4 + 0.2 * y, 0.25), 0, 1), 1), y)
    out["all-tied"] = (np.full(10, 0.5), np.array([1, 0, 0, 1, 0, 0, 0, 1, 0, 0], bool))
    # Both extremes: exact 0 and 1 scores in both classes, a positive at 0 and a negative at 1.
    out["extremes"] = (np.array([0.0, 0.0, 0.0, 1.0, 1.0, 1.0, 0.5, 0.0, 1.0, 0.25]),
                       np.array([1, 0, 0, 1, 1, 0, 1, 0, 1, 0], bool))
    out["perfect"] = (np.array([0.9, 0.8, 0.7, 0.3, 0.2, 0.1]), np.array([1, 1, 1, 0, 0, 0], bool))
    out["inverted"] = (np.array([0.9, 0.8, 0.7, 0.3, 0.2, 0.1]), np.array([0, 0, 0, 1, 1, 1], bool))
    out["single-positive"] = (np.array([0.1, 0.4, 0.35, 0.8, 0.05]), np.array([0, 0, 1, 0, 0], bool))
    y = np.zeros(205, bool)
    y[:5] = True
    out["imbalanced"] = (np.round(np.where(y, rng.beta(5, 2, 205), rng.beta(2, 5, 205)), 2), y)
    y = rng.random(2000) < 0.3
    out["large-ties"] = (np.round(np.where(y, rng.beta(4, 2, 2000), rng.beta(2, 4, 2000)), 3), y)
    return out


def target_thresholds(s, y):
    precision, recall, pr_t = precision_recall_curve(y, s)
    # scikit-learn lists thresholds increasing; the appended (recall 0, precision 1) point has none.
    p, r = precision[:-1], recall[:-1]
    fpr, tpr, roc_t = roc_curve(y, s, drop_intermediate=False)
    fpr, roc_t = fpr[1:], roc_t[1:]  # drop scikit-learn's artificial first point
    out = {"precision": {}, "recall": {}, "fpr": {}}
    for target in [0.5, 0.8, 0.9, 0.95, 0.99, 1.0]:
        ok = np.where(p >= target)[0]
        out["precision"][str(target)] = float(pr_t[ok.min()]) if len(ok) else None  # lowest threshold
        ok = np.where(r >= target)[0]
        out["recall"][str(target)] = float(pr_t[ok.max()]) if len(ok) else None  # highest threshold
    for target in [0.0, 0.01, 0.05, 0.1, 0.2, 0.5]:
        ok = np.where(fpr <= target)[0]
        out["fpr"][str(target)] = float(roc_t[ok.max()]) if len(ok) else None  # lowest threshold
    return out


def main():
    result = {"sklearn": sklearn.__version__, "numpy": np.__version__, "cases": {}}
    for name, (s, y) in cases().items():
        s = np.asarray(s, float)
        y = np.asarray(y, bool)
        fpr, tpr, roc_t = roc_curve(y, s, drop_intermediate=False)
        precision, recall, pr_t = precision_recall_curve(y, s)
        matrices = []
        for t in sorted(set([0.0, 0.25, 0.5, 0.75, 1.0, 1.5, -1.0] + [float(v) for v in s[:3]])):
            tn, fp, fn, tp = confusion_matrix(y, s >= t, labels=[False, True]).ravel()
            matrices.append({"threshold": t, "tp": int(tp), "fp": int(fp), "tn": int(tn), "fn": int(fn)})
        result["cases"][name] = {
            "scores": [float(v) for v in s],
            "labels": [bool(v) for v in y],
            "roc_auc": float(roc_auc_score(y, s)),
            "average_precision": float(average_precision_score(y, s)),
            # roc_curve's first threshold is max + 1 in scikit-learn 1.2 (inf from 1.3): left out.
            "roc": {"fpr": fpr.tolist(), "tpr": tpr.tolist(), "thresholds": roc_t[1:].tolist()},
            "pr": {"precision": precision.tolist(), "recall": recall.tolist(), "thresholds": pr_t.tolist()},
            "confusion": matrices,
            "targets": target_thresholds(s, y),
        }
    json.dump(result, sys.stdout, indent=1)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
