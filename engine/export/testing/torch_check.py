#!/usr/bin/python3
"""Runs an exported model.py in PyTorch (float64) on one batch; prints its loss and gradients as JSON.

    /usr/bin/python3 torch_check.py DIR...
Each DIR holds model.py, weights.safetensors (the engine's weights), batch.safetensors (x and y) and
check.json ({"training": bool}). Used by engine/export/pytorch.test.ts, which
compares each result with the engine's. Prints one JSON line per DIR; without torch, {"skipped": "no torch"}.
"""
import importlib.util
import json
import sys

try:
    import torch
except ImportError:
    print(json.dumps({"skipped": "no torch"}))
    sys.exit(0)



def check(directory):
    spec = importlib.util.spec_from_file_location("model", f"{directory}/model.py")
    exported = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(exported)
    with open(f"{directory}/check.json") as f:
        settings = json.load(f)
    model = exported.Model()
    exported.load_gradflow_weights(model, f"{directory}/weights.safetensors")
    model = model.double()
    model.train(settings["training"])
    batch = exported.read_safetensors(f"{directory}/batch.safetensors")
    x, y = batch["x"].double(), batch["y"].double()
    prediction = model(x)
    loss = model.loss(prediction, y)
    loss.backward()
    state = exported.gradflow_state(model)
    grads = {name: t.grad.flatten().tolist() for name, t in state.items() if t.grad is not None}
    missing = [name for name, t in state.items() if t.requires_grad and t.grad is None]
    return {"loss": loss.item(), "prediction": prediction.detach().flatten().tolist(), "grads": grads, "noGrad": missing}


# One process for every directory (importing torch takes most of a second); one JSON line each.
for directory in sys.argv[1:]:
    torch.manual_seed(0)
    try:
        result = check(directory)
    except Exception as e:  # noqa: BLE001 - reported to the test, which names the case
        result = {"error": f"{type(e).__name__}: {e}"}
    print(json.dumps(result), flush=True)
