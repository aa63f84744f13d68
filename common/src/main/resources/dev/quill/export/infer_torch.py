"""PyTorch eager inference of a Quill policy MLP (peer of `quill bench-inference`).

Usage: infer_torch.py SPEC.json. The spec names a little-endian float32 weights file (per layer W [nIn][nOut]
then b [nOut]), a states file ([n][stateDim] float32, raw states), the normalization mean/std, the layer
shapes, the vocabularies, and the iteration counts. Prints one JSON line: single-state latency (median, p99,
microseconds; normalization + forward + argmax per head, one sample per call) and batch-256 throughput.
"""
import json
import sys
import time

import numpy as np
import torch


def main():
    spec = json.load(open(sys.argv[1]))
    torch.set_num_threads(spec.get("threads", 1))
    flat = np.fromfile(spec["weights"], dtype="<f4")
    layers, pos = [], 0
    for i, l in enumerate(spec["layers"]):
        lin = torch.nn.Linear(l["nIn"], l["nOut"])
        w = flat[pos:pos + l["nIn"] * l["nOut"]].reshape(l["nIn"], l["nOut"])
        pos += l["nIn"] * l["nOut"]
        b = flat[pos:pos + l["nOut"]]
        pos += l["nOut"]
        with torch.no_grad():
            lin.weight.copy_(torch.from_numpy(w.T.copy()))
            lin.bias.copy_(torch.from_numpy(b.copy()))
        layers.append(lin)
        if l["relu"]:
            layers.append(torch.nn.ReLU())
    model = torch.nn.Sequential(*layers).eval()
    s = spec["stateDim"]
    states = torch.from_numpy(np.fromfile(spec["states"], dtype="<f4").reshape(-1, s).copy())
    mean = torch.tensor(spec["mean"], dtype=torch.float32)
    std = torch.tensor(spec["std"], dtype=torch.float32)
    vocab = spec["vocab"]

    def act(x):
        logits = model((x - mean) / std)
        return [int(t) for t in torch.stack([p.argmax(dim=-1) for p in torch.split(logits, vocab, dim=-1)], dim=-1)[0]]

    n = states.shape[0]
    times = []
    with torch.no_grad():
        for i in range(spec["warmup"]):
            act(states[i % n:i % n + 1])
        for i in range(spec["iterations"]):
            x = states[i % n:i % n + 1]
            t0 = time.perf_counter_ns()
            act(x)
            times.append(time.perf_counter_ns() - t0)
        batch = states[:256]
        for _ in range(10):
            model((batch - mean) / std)
        reps = max(10, spec["iterations"] // 256)
        t0 = time.perf_counter()
        for _ in range(reps):
            torch.split(model((batch - mean) / std), vocab, dim=-1)
        dt = time.perf_counter() - t0
    times.sort()
    print(json.dumps({
        "single_median_us": times[len(times) // 2] / 1e3,
        "single_p99_us": times[min(len(times) - 1, int(len(times) * 0.99))] / 1e3,
        "batch_states_per_s": reps * batch.shape[0] / dt,
        "torch": torch.__version__,
    }))


if __name__ == "__main__":
    main()
