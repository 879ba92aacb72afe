"""Python side of `npm run bench:quality` (scikit-learn and xgboost on the bench's own rows).

Reads JSON from stdin: {"l2": float, "splits": [{"xTrain": [[...]], "yTrain": [...], "xTest": [[...]]}]}
(the preset's encoded rows: imputed, standard-scaled, one-hot) and writes JSON to stdout:
{"versions": {...}, "splits": [{"logistic": [p...], "xgboost": [p...], "logisticSeconds": s, "xgboostSeconds": s}]}
with test-row probabilities of class 1 from LogisticRegression(C=1/l2) (L2, lbfgs) and XGBClassifier()
with its defaults. Run with /usr/bin/python3 (Debian packages).
"""
import json
import sys
import time
import warnings

import numpy as np
import sklearn
import xgboost
from sklearn.linear_model import LogisticRegression

warnings.filterwarnings("ignore")


def main():
    req = json.load(sys.stdin)
    out = []
    for s in req["splits"]:
        xtr = np.asarray(s["xTrain"], dtype=float)
        ytr = np.asarray(s["yTrain"], dtype=int)
        xte = np.asarray(s["xTest"], dtype=float)
        t0 = time.perf_counter()
        lr = LogisticRegression(C=1.0 / req["l2"], max_iter=5000).fit(xtr, ytr)
        p_lr = lr.predict_proba(xte)[:, 1]
        t1 = time.perf_counter()
        xgb = xgboost.XGBClassifier(random_state=0, n_jobs=2).fit(xtr, ytr)
        p_xgb = xgb.predict_proba(xte)[:, 1]
        t2 = time.perf_counter()
        out.append({"logistic": p_lr.tolist(), "xgboost": p_xgb.tolist(), "logisticSeconds": t1 - t0, "xgboostSeconds": t2 - t1})
    json.dump({"versions": {"python": sys.version.split()[0], "sklearn": sklearn.__version__, "xgboost": xgboost.__version__}, "splits": out}, sys.stdout)


if __name__ == "__main__":
    main()
