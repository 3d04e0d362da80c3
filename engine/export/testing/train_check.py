#!/usr/bin/python3
"""Runs train.py's optimizer (GradflowOptimizer) for some steps on one batch, in float64; prints the weights.

    /usr/bin/python3 train_check.py DIR...
Each DIR holds model.py, train.py, weights.safetensors, batch.safetensors (x, y) and check.json
({"steps": N, "training": bool}). Prints one JSON line per DIR: the weights after the steps and
each parameter's largest gradient over them, or {"error": ...}. Used by engine/export/pytorch-train.test.ts, which compares them with the engine's.
"""
import importlib.util
import json
import sys

import torch


def load(directory, name):
    spec = importlib.util.spec_from_file_location(name, f"{directory}/{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # train.py imports model
    spec.loader.exec_module(module)
    return module


def check(directory):
    with open(f"{directory}/check.json") as f:
        settings = json.load(f)
    exported = load(directory, "model")
    train = load(directory, "train")
    net = exported.Model()
    exported.load_gradflow_weights(net, f"{directory}/weights.safetensors")
    net = net.double()
    net.train(settings["training"])
    batch = exported.read_safetensors(f"{directory}/batch.safetensors")
    x, y = batch["x"].double(), batch["y"].double()
    optimizer = train.make_optimizer(net)
    state = exported.gradflow_state(net)
    largest = {}
    for _ in range(settings["steps"]):
        optimizer.zero_grad()
        net.loss(net(x), y).backward()
        for name, t in state.items():
            if t.grad is not None:
                largest[name] = max(largest.get(name, 0.0), float(t.grad.abs().max()))
        optimizer.step()
    weights = {name: t.detach().flatten().tolist() for name, t in state.items()}
    return {"weights": weights, "largestGradient": largest}


for directory in sys.argv[1:]:
    torch.manual_seed(0)
    try:
        result = check(directory)
    except Exception as e:  # noqa: BLE001 - reported to the test, which names the case
        result = {"error": f"{type(e).__name__}: {e}"}
    print(json.dumps(result), flush=True)
