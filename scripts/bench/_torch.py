"""PyTorch / NumPy side of `npm run bench` (scripts/bench/_python.ts starts it).

Reads one JSON command per line on stdin, answers one JSON line on stdout. Data arrive as raw
little-endian float32 / float64 / uint8 files written by the TypeScript side. Every timing is
wall-clock seconds of the measured work only (no data loading), on one thread
(torch.set_num_threads(1)), so it can be compared side by side with finml on one wasm thread.

Commands:
  {"cmd": "hello"}                                         -> versions
  {"cmd": "train", "x", "y", "rows", "features", "hidden", "batch", "epochs", "seed"}
        FNN features-hidden...-1 (ReLU, sigmoid output via BCEWithLogitsLoss), Adam lr 1e-3,
        a new permutation every epoch, mini-batches by index -> {"seconds"}
  {"cmd": "predict", "x", "rows", "features", "hidden", "batch", "threads"?} -> {"seconds", "threads"}
        (no_grad; "threads": torch.set_num_threads for this command only, default 1)
  {"cmd": "shap", "x", "rows", "bg", "bgRows", "masks", "weights", "k", "features",
   "params": [float32 file of the tfjs weights, kernel [in,out] then bias per layer], "hidden"}
        KernelSHAP (logit link) with the given coalitions, weights and background: masked rows
        evaluated by the torch model, constrained weighted least squares in NumPy; "threads"?
        as for predict -> {"seconds", "threads", "values": [rows*features]}
"""
import json
import sys
import time

import numpy as np
import torch

torch.set_num_threads(1)


def fnn(features, hidden, seed):
    torch.manual_seed(seed)
    layers = []
    prev = features
    for h in hidden:
        layers += [torch.nn.Linear(prev, h), torch.nn.ReLU()]
        prev = h
    layers.append(torch.nn.Linear(prev, 1))
    return torch.nn.Sequential(*layers)


def load(path, dtype, shape):
    return np.fromfile(path, dtype=dtype).reshape(shape)


def train(c):
    x = torch.from_numpy(load(c["x"], np.float32, (c["rows"], c["features"])))
    y = torch.from_numpy(load(c["y"], np.float32, (c["rows"], 1)))
    model = fnn(c["features"], c["hidden"], c["seed"])
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    loss_fn = torch.nn.BCEWithLogitsLoss()
    g = torch.Generator().manual_seed(c["seed"])
    n, b = c["rows"], c["batch"]
    t0 = time.perf_counter()
    for _ in range(c["epochs"]):
        perm = torch.randperm(n, generator=g)
        for s in range(0, n, b):
            idx = perm[s:s + b]
            opt.zero_grad()
            loss = loss_fn(model(x[idx]), y[idx])
            loss.backward()
            opt.step()
    return {"seconds": time.perf_counter() - t0}


class threads:
    """torch.set_num_threads(c["threads"]) inside the block (1 outside: the default of every command)."""

    def __init__(self, c):
        self.n = int(c.get("threads", 1))

    def __enter__(self):
        torch.set_num_threads(self.n)
        return torch.get_num_threads()

    def __exit__(self, *exc):
        torch.set_num_threads(1)


def predict(c):
    x = torch.from_numpy(load(c["x"], np.float32, (c["rows"], c["features"])))
    model = fnn(c["features"], c["hidden"], 1).eval()
    b = c["batch"]
    with threads(c) as n:
        t0 = time.perf_counter()
        with torch.no_grad():
            outs = [torch.sigmoid(model(x[s:s + b])) for s in range(0, c["rows"], b)]
            p = torch.cat(outs).numpy()
        secs = time.perf_counter() - t0
    return {"seconds": secs, "threads": n, "check": float(p.sum())}


def shap(c):
    m = c["features"]
    x = np.fromfile(c["x"], dtype=np.float32).reshape(-1, m)[: c["rows"]]
    bg = load(c["bg"], np.float32, (c["bgRows"], m))
    masks = load(c["masks"], np.uint8, (c["k"], m)).astype(bool)
    w = load(c["weights"], np.float64, (c["k"],))
    model = fnn(m, c["hidden"], 1).eval()
    flat = np.fromfile(c["params"], dtype=np.float32)
    off = 0
    with torch.no_grad():
        for layer in model:
            if isinstance(layer, torch.nn.Linear):
                o, i = layer.weight.shape
                layer.weight.copy_(torch.from_numpy(flat[off:off + i * o].reshape(i, o).T.copy()))
                off += i * o
                layer.bias.copy_(torch.from_numpy(flat[off:off + o].copy()))
                off += o

    def f(rows):
        with torch.no_grad():
            return torch.sigmoid(model(torch.from_numpy(rows))).numpy()[:, 0].astype(np.float64)

    def logit(p):
        p = np.clip(p, 1e-15, 1 - 1e-15)
        return np.log(p / (1 - p))

    with threads(c) as n:
        return shap_timed(f, logit, x, bg, masks, w, m, n)


def shap_timed(f, logit, x, bg, masks, w, m, n):
    t0 = time.perf_counter()
    base = logit(f(bg).mean())
    fx = logit(f(x))
    k, b = masks.shape[0], bg.shape[0]
    out = np.zeros((x.shape[0], m))
    xm = masks[:, :-1].astype(np.float64) - masks[:, -1:].astype(np.float64)
    for r in range(x.shape[0]):
        synth = np.where(masks[:, None, :], x[r][None, None, :], bg[None, :, :]).reshape(k * b, m)
        ey = logit(f(synth).reshape(k, b).mean(axis=1))
        diff = fx[r] - base
        yy = ey - base - masks[:, -1] * diff
        xtw = xm.T * w
        phi = np.linalg.solve(xtw @ xm, xtw @ yy)
        out[r, :-1] = phi
        out[r, -1] = diff - phi.sum()
    return {"seconds": time.perf_counter() - t0, "threads": n, "values": out.reshape(-1).tolist()}


def main():
    handlers = {"train": train, "predict": predict, "shap": shap}
    for line in sys.stdin:
        line = line.strip()
        if not line:
            continue
        c = json.loads(line)
        try:
            if c["cmd"] == "hello":
                res = {"torch": torch.__version__, "numpy": np.__version__, "threads": torch.get_num_threads()}
            else:
                res = handlers[c["cmd"]](c)
        except Exception as e:  # reported to the TypeScript side, which prints it in the JSON
            res = {"error": f"{type(e).__name__}: {e}"}
        sys.stdout.write(json.dumps(res) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
