#!/usr/bin/python3
"""Runs train.py's optimizer (GradflowOptimizer) for N steps on one batch, in float64; prints the weights.

    /usr/bin/python3 train_check.py DIR STEPS
DIR holds model.py, train.py, weights.safetensors and batch.safetensors (x, y). Used by
engine/export/pytorch-train.test.ts, which compares the weights with the engine's after the same steps.
"""
import json
import sys

directory, steps = sys.argv[1], int(sys.argv[2])
sys.path.insert(0, directory)
import torch  # noqa: E402

import model as exported  # noqa: E402
import train  # noqa: E402

net = exported.Model()
exported.load_gradflow_weights(net, f"{directory}/weights.safetensors")
net = net.double()
net.train(True)
batch = exported.read_safetensors(f"{directory}/batch.safetensors")
x, y = batch["x"].double(), batch["y"].double()
optimizer = train.make_optimizer(net)
norms = []
for _ in range(steps):
    optimizer.zero_grad()
    net.loss(net(x), y).backward()
    norms.append(optimizer.step())
state = exported.gradflow_state(net)
print(json.dumps({"weights": {name: t.detach().flatten().tolist() for name, t in state.items()}, "norms": norms}))
