/**
 * PyTorch export, part two: train.py, which trains model.py as Gradflow trains the graph — the
 * model file's data (written beside it as data.safetensors, split and standardized as Gradflow
 * split it), optimizer, learning rate, batch size, epochs, seed, L2 and clipping, with Gradflow's
 * optimizer arithmetic (GradflowOptimizer) — on one process, or data-parallel under
 * `torchrun --nproc_per_node N` with DistributedDataParallel (gloo on CPU, nccl on GPUs).
 */
import type { Plan } from '../compiler/plan';
import type { SplitDataset } from '../data/types';
import type { TrainingSettings } from '../model';
import { encodeSafetensors } from './safetensors';

/** The split dataset as train.py reads it: x_train, y_train, x_test, y_test (float32, batch axis first). */
export function writeDataSafetensors(split: SplitDataset): Uint8Array {
  const { inputShape, targetShape } = split.info;
  return encodeSafetensors(
    [
      { name: 'x_train', shape: [split.train.count, ...inputShape], data: split.train.x },
      { name: 'y_train', shape: [split.train.count, ...targetShape], data: split.train.y },
      { name: 'x_test', shape: [split.test.count, ...inputShape], data: split.test.x },
      { name: 'y_test', shape: [split.test.count, ...targetShape], data: split.test.y },
    ],
    { dataset: split.info.name },
  );
}

const pyValue = (v: number | undefined | null): string => (v === undefined || v === null ? 'None' : String(v));

/** train.py for a plan built from a model file with these training settings. */
export function writeTrainPy(plan: Plan, training: TrainingSettings, title = 'model'): string {
  const classes = plan.dataset.numClasses;
  const settings = [
    `    "optimizer": "${training.optimizer}",`,
    `    "learning_rate": ${pyValue(training.learningRate)},`,
    `    "batch_size": ${training.batchSize},`,
    `    "epochs": ${training.epochs},`,
    `    "seed": ${training.seed},`,
    `    "l2": ${pyValue(training.l2)},`,
    `    "clip_norm": ${pyValue(training.clipNorm)},`,
    `    "momentum": ${pyValue(training.momentum)},`,
    `    "rho": ${pyValue(training.rho)},`,
  ];
  // Replacer functions: a '$' in a title is text, not a replacement pattern.
  return TRAIN_PY.replace('{{TITLE}}', () => title.replace(/"""/g, "'''"))
    .replace('{{SETTINGS}}', () => settings.join('\n'))
    .replace('{{PREDICTION}}', () => plan.predictionKind)
    .replace('{{CLASSES}}', () => (classes ? String(classes) : 'None'));
}

const TRAIN_PY = `#!/usr/bin/env python3
"""Trains {{TITLE}} (model.py) as Gradflow trains it.

    python3 train.py                               # one process (a GPU when there is one)
    torchrun --nproc_per_node 2 train.py           # data-parallel: gloo on CPU, nccl on GPUs
    python3 train.py --epochs 5 --save trained.safetensors

The data is data.safetensors beside this file (x_train, y_train, x_test, y_test), split and
standardized as Gradflow split it. Training starts from weights.safetensors beside this file (the
weights Gradflow had at export) unless --weights names another file, or --fresh asks for
PyTorch's initialization. The optimizer is Gradflow's (GradflowOptimizer below), so a step here
is a step there.

Under torchrun every process takes an equal share of each batch and DistributedDataParallel
averages their gradients, which is the whole batch's gradient when the batch size is a multiple of
the number of processes. BatchNorm then normalizes each share with its own statistics.
"""
import argparse
import hashlib
import json
import math
import os
import sys

import torch
import torch.distributed as dist
from torch.nn.parallel import DistributedDataParallel

from model import Model, gradflow_state, load_gradflow_weights, read_safetensors, write_safetensors

SETTINGS = {
{{SETTINGS}}
}
# What the model's output holds ("logits", "probabilities" or "values") and how many classes there are.
PREDICTION = "{{PREDICTION}}"
CLASSES = {{CLASSES}}

HERE = os.path.dirname(os.path.abspath(__file__))


class GradflowOptimizer(torch.optim.Optimizer):
    """Gradflow's optimizers, step for step (engine/optim in Gradflow):

    the gradient's global norm is clipped the Keras way (factor clip / norm when norm > clip, where
    PyTorch's clip_grad_norm_ divides by norm + 1e-6), L2 is added to the gradient (g + l2 * w),
    then
      sgd:       w -= lr * g;   with momentum mu: v = mu * v + g;  w -= lr * v
      rmsprop:   s = rho * s + (1 - rho) * g^2;  w -= lr * g / sqrt(s + eps)   (eps inside the root, as Keras)
      adam:      m = b1 * m + (1 - b1) * g;  v = b2 * v + (1 - b2) * g^2;
                 w -= lr * (m / (1 - b1^t)) / (sqrt(v / (1 - b2^t)) + eps),  eps = 1e-7 (Keras's)
      adamw:     the same, and w -= lr * 0.01 * w (decoupled decay, from the weights before the step).
    A step whose gradient norm is not finite changes nothing, as in Gradflow.
    """

    def __init__(self, params, kind, lr, l2=0.0, clip_norm=None, momentum=None, rho=None):
        super().__init__(params, {"lr": lr})
        if kind not in ("sgd", "momentum", "rmsprop", "adam", "adamw"):
            raise ValueError(f"unknown optimizer {kind!r}")
        self.kind = "sgd" if kind == "momentum" else kind
        # 'momentum' is SGD with momentum 0.9 unless the model file gives one.
        self.momentum = momentum if momentum is not None else (0.9 if kind == "momentum" else 0.0)
        self.rho = rho if rho is not None else 0.9
        self.l2 = l2 or 0.0
        self.clip_norm = clip_norm
        self.beta1, self.beta2, self.eps = 0.9, 0.999, 1e-7
        self.weight_decay = 0.01 if kind == "adamw" else 0.0
        self.iterations = 0

    @torch.no_grad()
    def step(self):
        """One update; returns the gradient's global norm (before clipping)."""
        params = [p for group in self.param_groups for p in group["params"] if p.grad is not None]
        norm = math.sqrt(sum(float(p.grad.double().square().sum()) for p in params))
        if not math.isfinite(norm):
            return norm
        clip = self.clip_norm / norm if self.clip_norm is not None and norm > self.clip_norm else 1.0
        self.iterations += 1
        lr = self.param_groups[0]["lr"]
        c1 = 1 - self.beta1**self.iterations
        c2 = 1 - self.beta2**self.iterations
        for p in params:
            g = clip * p.grad + self.l2 * p
            state = self.state[p]
            if self.kind == "sgd":
                if self.momentum > 0:
                    velocity = state.setdefault("velocity", torch.zeros_like(p))
                    velocity.mul_(self.momentum).add_(g)
                    p.sub_(lr * velocity)
                else:
                    p.sub_(lr * g)
            elif self.kind == "rmsprop":
                mean_square = state.setdefault("mean_square", torch.zeros_like(p))
                mean_square.mul_(self.rho).add_((1 - self.rho) * g * g)
                p.sub_(lr * g / torch.sqrt(mean_square + self.eps))
            else:
                m = state.setdefault("m", torch.zeros_like(p))
                v = state.setdefault("v", torch.zeros_like(p))
                m.mul_(self.beta1).add_((1 - self.beta1) * g)
                v.mul_(self.beta2).add_((1 - self.beta2) * g * g)
                p.sub_(lr * self.weight_decay * p + lr * (m / c1) / (torch.sqrt(v / c2) + self.eps))
        return norm


def make_optimizer(model, settings=SETTINGS):
    return GradflowOptimizer(
        model.parameters(),
        settings["optimizer"],
        settings["learning_rate"],
        l2=settings["l2"],
        clip_norm=settings["clip_norm"],
        momentum=settings["momentum"],
        rho=settings["rho"],
    )


def correct(prediction, target):
    """How many predictions are right (classification), as Gradflow counts them."""
    if CLASSES is None:
        return 0
    if prediction.shape[-1] == 1 and CLASSES == 2:
        threshold = 0.0 if PREDICTION == "logits" else 0.5
        return int(((prediction.reshape(-1) > threshold).long() == target.reshape(-1).long()).sum())
    return int((prediction.reshape(-1, prediction.shape[-1]).argmax(1) == target.reshape(-1).long()).sum())


@torch.no_grad()
def evaluate(model, x, y, batch_size):
    model.eval()
    loss, right, rows = 0.0, 0, 0
    for start in range(0, len(x), batch_size):
        prediction = model(x[start : start + batch_size])
        target = y[start : start + batch_size]
        loss += float(model.loss(prediction, target)) * len(target)
        right += correct(prediction, target)
        rows += target.numel() if CLASSES is not None else 0
    model.train()
    return loss / max(len(x), 1), (right / rows if rows else None)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\\n")[0])
    parser.add_argument("--epochs", type=int, default=SETTINGS["epochs"])
    parser.add_argument("--weights", help="start from this .safetensors file (default: weights.safetensors beside train.py)")
    parser.add_argument("--fresh", action="store_true", help="start from PyTorch's initialization instead")
    parser.add_argument("--save", help="write the trained weights to this .safetensors file (Gradflow opens it)")
    parser.add_argument("--data", default=os.path.join(HERE, "data.safetensors"))
    args = parser.parse_args()

    world = int(os.environ.get("WORLD_SIZE", "1"))
    if world > 1:
        dist.init_process_group("nccl" if torch.cuda.is_available() else "gloo")
    rank = dist.get_rank() if world > 1 else 0
    local_rank = int(os.environ.get("LOCAL_RANK", "0"))
    device = torch.device(f"cuda:{local_rank}") if torch.cuda.is_available() else torch.device("cpu")

    # The same seed on every process: the same initial weights and the same batch order everywhere.
    torch.manual_seed(SETTINGS["seed"])
    order_generator = torch.Generator().manual_seed(SETTINGS["seed"])
    model = Model()
    weights = None if args.fresh else (args.weights or os.path.join(HERE, "weights.safetensors"))
    if weights is not None and (args.weights or os.path.exists(weights)):
        load_gradflow_weights(model, weights)
    model.to(device)
    net = DistributedDataParallel(model) if world > 1 else model
    optimizer = make_optimizer(model)
    # Dropout masks differ between processes (their data does too).
    torch.manual_seed(SETTINGS["seed"] + 1 + rank)

    data = {name: t.to(device) for name, t in read_safetensors(args.data).items()}
    x, y = data["x_train"], data["y_train"]
    batch_size = SETTINGS["batch_size"]
    for epoch in range(1, args.epochs + 1):
        order = torch.randperm(len(x), generator=order_generator).to(device)
        seen, total = 0, 0.0
        for start in range(0, len(x), batch_size):
            batch = order[start : start + batch_size]
            if len(batch) < world:
                continue  # every process must take part in each step
            share = batch[rank::world]
            loss = model.loss(net(x[share]), y[share])
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            seen += len(share)
            total += float(loss) * len(share)
        test_loss, test_accuracy = evaluate(model, data["x_test"], data["y_test"], batch_size)
        if rank == 0:
            line = {"event": "epoch", "epoch": epoch, "train_loss": total / max(seen, 1), "test_loss": test_loss}
            if test_accuracy is not None:
                line["test_accuracy"] = test_accuracy
            print(json.dumps(line), flush=True)

    state = {name: t.detach().cpu() for name, t in gradflow_state(model).items()}
    digest = hashlib.sha256(b"".join(t.to(torch.float32).contiguous().numpy().tobytes() for t in state.values())).hexdigest()
    digests = [None] * world
    if world > 1:
        dist.all_gather_object(digests, digest)
    else:
        digests = [digest]
    if rank == 0:
        if args.save:
            write_safetensors(state, args.save, {"producer": "gradflow train.py", "steps": str(optimizer.iterations)})
        print(json.dumps({"event": "done", "processes": world, "steps": optimizer.iterations, "weights_sha256": digests}), flush=True)
    if world > 1:
        # Both processes finish together (rank 0 was writing the file): torch 1.13's gloo
        # sometimes hangs in destroy_process_group when one rank gets there long before the other.
        dist.barrier()
        dist.destroy_process_group()
        # And it can spin in its C++ destructors at interpreter exit, after everything is done:
        # everything is written and flushed, so leave without running them.
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(0)


if __name__ == "__main__":
    main()
`;
