#!/usr/bin/python3
"""PyTorch twin of the engine's bench models, on one CPU thread.

Run by bench/engine-vs-torch.bench-run.ts (npm run bench); also runnable alone:
    /usr/bin/python3 bench/torch_twin.py
Needs Debian's python3-torch (apt-get install -y python3-torch); without it, prints
"skipped: no torch" and exits 0.

Prints one JSON object per line:
  {"model", "batch", "samples_per_s"} for each model of engine/testing/reference-models.ts,
      timed as the TS bench times ours: the same shapes, batch sizes, layer order and losses,
      plain SGD (lr 0.01), a fixed random batch, median seconds of a full step (zero_grad,
      forward, backward, update) over a timing window after two warm-up steps;
  {"mnist_cnn_epoch_s", "mnist_cnn_epoch_cpu_s", "samples", ...} for the MNIST CNN example (examples/mnist-cnn.json):
      its graph (a chain of layers) built in torch, its optimizer, learning rate and batch size,
      shuffled mini-batches over the training digits, dropout on, the running loss and
      accuracy kept as the engine's trainer keeps them.

Images are NCHW here (channels-last in the engine): the same arithmetic, and what PyTorch users run.
The LSTM is torch.nn.LSTM (fused cell; it has two bias vectors where ours has one) followed by
Linear(32, 1) on the last hidden state, since that is what a PyTorch user would write.

Environment: BENCH_QUICK=1 (shorter timing windows, one MNIST epoch instead of the median of
three), BENCH_ONLY=<model name substring> (as the TS benches; "mnist" selects the epoch).
"""
import gzip
import json
import os
import statistics
import sys
import time

# One thread everywhere, and glibc's allocator told to keep freed memory: by default it hands the
# large blocks a training step frees back to the kernel (mmap/munmap, heap trimming) and faults them
# in again on the next step, and whether it settles out of that depends on the process — the same
# CNN step measured 3 ms in some runs and 12–20 ms in others, with ten times the page faults.
# PyTorch's CPU tuning guide says the same (it suggests jemalloc or tcmalloc). Both are read at
# process start, so the script starts itself again with them set.
ENVIRONMENT = {
    "OMP_NUM_THREADS": "1",
    "MKL_NUM_THREADS": "1",
    "OPENBLAS_NUM_THREADS": "1",
    "MALLOC_MMAP_THRESHOLD_": str(1 << 30),
    "MALLOC_TRIM_THRESHOLD_": str(1 << 30),
}
if any(os.environ.get(k) != v for k, v in ENVIRONMENT.items()):
    sys.stdout.flush()
    os.execve(sys.executable, [sys.executable, *sys.argv], {**os.environ, **ENVIRONMENT})

try:
    import torch
    from torch import nn
except ImportError:
    print("skipped: no torch")
    sys.exit(0)

torch.set_num_threads(1)
try:
    torch.set_num_interop_threads(1)
except RuntimeError:
    pass  # already set (only possible once, before any parallel work)

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
QUICK = os.environ.get("BENCH_QUICK") == "1"
ONLY = (os.environ.get("BENCH_ONLY") or "").lower()
WINDOW_S = 0.6 if QUICK else 2.0
LEARNING_RATE = 0.01


def selected(name):
    return not ONLY or ONLY in name.lower()


def emit(obj):
    print(json.dumps(obj), flush=True)


def median_step_seconds(step):
    """Median seconds per call of `step`, timing for about WINDOW_S after two warm-up calls."""
    step()
    step()
    times = []
    start = time.perf_counter()
    while len(times) < 3 or (time.perf_counter() - start < WINDOW_S and len(times) < 2000):
        t0 = time.perf_counter()
        step()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


# The reference models (engine/testing/reference-models.ts).

ACTIVATIONS = {"tanh": nn.Tanh, "relu": nn.ReLU, "sigmoid": nn.Sigmoid}


def mlp(sizes, activation):
    layers = []
    for i in range(1, len(sizes)):
        layers.append(nn.Linear(sizes[i - 1], sizes[i]))
        if i < len(sizes) - 1:
            layers.append(ACTIVATIONS[activation]())
    return nn.Sequential(*layers)


def cnn(size=28, classes=10):
    # conv(8, 3x3, same)+relu, maxpool 2, conv(16, 3x3, valid)+relu, maxpool 2, dense 10.
    after = ((size // 2) - 2) // 2
    return nn.Sequential(
        nn.Conv2d(1, 8, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2, 2),
        nn.Conv2d(8, 16, 3), nn.ReLU(), nn.MaxPool2d(2, 2),
        nn.Flatten(), nn.Linear(16 * after * after, classes),
    )


class LstmModel(nn.Module):
    """LSTM over the sequence, then Linear(units, 1) on the last hidden state."""

    def __init__(self, features, units):
        super().__init__()
        self.lstm = nn.LSTM(features, units, batch_first=True)
        self.head = nn.Linear(units, 1)

    def forward(self, x):
        _, (h, _) = self.lstm(x)
        return self.head(h[-1])


def uniform(shape, low, high):
    return torch.rand(shape) * (high - low) + low


def reference_models():
    """(name, batch, model, x, y, loss) with the TS bench's names and the inputs its fillBatch makes."""
    classes = lambda n, b: torch.randint(0, n, (b,))  # noqa: E731
    return [
        ("MLP 2-16-16-2 tanh", 32, lambda b: (mlp([2, 16, 16, 2], "tanh"), uniform((b, 2), -1, 1), classes(2, b), nn.CrossEntropyLoss())),
        ("MLP 784-128-64-10 relu", 64, lambda b: (mlp([784, 128, 64, 10], "relu"), uniform((b, 784), -1, 1), classes(10, b), nn.CrossEntropyLoss())),
        ("CNN 28x28 conv8-pool-conv16-pool-dense10", 32, lambda b: (cnn(28, 10), torch.rand((b, 1, 28, 28)), classes(10, b), nn.CrossEntropyLoss())),
        ("LSTM 32 units x 20 steps", 32, lambda b: (LstmModel(1, 32), uniform((b, 20, 1), -1, 1), uniform((b, 1), -1, 1), nn.MSELoss())),
    ]


def bench_reference(name, batch, build):
    torch.manual_seed(1)
    model, x, y, loss_fn = build(batch)
    model.train()
    opt = torch.optim.SGD(model.parameters(), lr=LEARNING_RATE)

    def step():
        opt.zero_grad(set_to_none=True)
        loss = loss_fn(model(x), y)
        loss.backward()
        opt.step()

    emit({"model": name, "batch": batch, "samples_per_s": batch / median_step_seconds(step)})


# The MNIST CNN example (examples/mnist-cnn.json).

# Files of the image datasets (engine/data/catalogue.ts), relative to public/datasets.
IMAGE_DATASETS = {
    "mnist": ("mnist-10000-images-idx3-ubyte.gz", "mnist-10000-labels-idx1-ubyte.gz", 255),
    "fashion_mnist": ("fashion-5000-images-idx3-ubyte.gz", "fashion-5000-labels-idx1-ubyte.gz", 255),
}


def read_idx(name):
    """An IDX file of unsigned bytes (engine/data/idx.ts): (dims, bytes), from public/datasets or ../shared/datasets."""
    for folder in (os.path.join(ROOT, "public", "datasets"), os.path.join(ROOT, "..", "shared", "datasets")):
        path = os.path.join(folder, name)
        if os.path.exists(path):
            break
    else:
        raise FileNotFoundError(name)
    with open(path, "rb") as f:
        data = f.read()
    if data[:2] == b"\x1f\x8b":
        data = gzip.decompress(data)
    if data[0] != 0 or data[1] != 0 or data[2] != 0x08:
        raise ValueError(f"{name}: not an IDX file of unsigned bytes")
    rank = data[3]
    dims = [int.from_bytes(data[4 + 4 * i: 8 + 4 * i], "big") for i in range(rank)]
    return dims, data[4 + 4 * rank:]


def load_images(dataset):
    images, labels, scale = IMAGE_DATASETS[dataset]
    dims, pixels = read_idx(images)
    _, classes = read_idx(labels)
    count, rows, cols = dims
    x = torch.frombuffer(bytearray(pixels), dtype=torch.uint8).float().div_(scale).reshape(count, 1, rows, cols)
    y = torch.frombuffer(bytearray(classes), dtype=torch.uint8).long()
    return x, y


def chain(graph):
    """The nodes of a graph that is one chain input → … → output, in order."""
    nodes = {n["id"]: n for n in graph["nodes"]}
    succ = {}
    for e in graph["edges"]:
        if e["source"] in succ:
            raise ValueError("the torch twin builds chains only (a node has two successors)")
        succ[e["source"]] = e["target"]
    node = next(n for n in graph["nodes"] if n["type"] == "input")
    order = [node]
    while node["id"] in succ:
        node = nodes[succ[node["id"]]]
        order.append(node)
    if order[-1]["type"] != "output" or len(order) != len(nodes):
        raise ValueError("the torch twin builds chains only (input to output)")
    return order


def pair(v, default):
    if v is None:
        return (default, default)
    return (v, v) if isinstance(v, int) else tuple(v)


def build_chain(nodes, in_shape):
    """Torch layers for a chain of the engine's layers, with the engine's defaults (engine/layers)."""
    c, h, w = in_shape
    flat = None
    layers = []
    for node in nodes[1:-1]:
        t, p = node["type"], node.get("params", {})
        if t == "conv2d":
            k, s = pair(p.get("kernelSize"), 3), pair(p.get("strides"), 1)
            padding = p.get("padding", "same")
            if padding == "same" and s != (1, 1):
                raise ValueError("conv2d: 'same' padding with strides is not in the torch twin")
            filters = p.get("filters", 16)
            layers.append(nn.Conv2d(c, filters, k, stride=s, padding=padding, bias=p.get("useBias", True)))
            if padding == "valid":
                h, w = (h - k[0]) // s[0] + 1, (w - k[1]) // s[1] + 1
            c = filters
        elif t in ("maxpool2d", "avgpool2d"):
            k, s = pair(p.get("poolSize"), 2), pair(p.get("strides"), 2)
            if p.get("padding", "valid") != "valid":
                raise ValueError(f"{t}: only 'valid' padding in the torch twin")
            layers.append((nn.MaxPool2d if t == "maxpool2d" else nn.AvgPool2d)(k, s))
            h, w = (h - k[0]) // s[0] + 1, (w - k[1]) // s[1] + 1
        elif t == "flatten":
            layers.append(nn.Flatten())
            flat = c * h * w
        elif t == "dense":
            if flat is None:
                raise ValueError("dense before flatten is not in the torch twin")
            units = p.get("units", 32)
            layers.append(nn.Linear(flat, units, bias=p.get("useBias", True)))
            flat = units
        elif t == "dropout":
            layers.append(nn.Dropout(p.get("rate", 0.5)))
        elif t in ACTIVATIONS:
            layers.append(ACTIVATIONS[t]())
        else:
            raise ValueError(f"layer type {t!r} is not in the torch twin")
    return nn.Sequential(*layers)


def make_optimizer(training, params):
    lr = training["learningRate"]
    kind = training["optimizer"]
    if kind == "adam":
        return torch.optim.Adam(params, lr=lr, eps=1e-7)  # the engine's (and TF.js's) epsilon
    if kind == "sgd":
        return torch.optim.SGD(params, lr=lr, momentum=training.get("momentum", 0))
    if kind == "momentum":
        return torch.optim.SGD(params, lr=lr, momentum=training.get("momentum", 0.9))
    raise ValueError(f"optimizer {kind!r} is not in the torch twin")


def bench_mnist_cnn():
    with open(os.path.join(ROOT, "examples", "mnist-cnn.json"), encoding="utf8") as f:
        example = json.load(f)
    training = example["training"]
    x_all, y_all = load_images(training["dataset"])
    count = x_all.shape[0]
    # The engine's split (engine/data/split.ts) holds out round(count * testFraction) digits;
    # the same number of training digits here, a seeded pick of the same file (not the same subset).
    train_count = count - round(count * training["testFraction"])
    torch.manual_seed(training["seed"])
    pick = torch.randperm(count)[:train_count]
    x, y = x_all[pick].contiguous(), y_all[pick].contiguous()

    model = build_chain(chain(example), tuple(x.shape[1:]))
    model.train()
    opt = make_optimizer(training, model.parameters())
    loss_fn = nn.CrossEntropyLoss()
    batch = training["batchSize"]

    def run(steps=None):
        """One epoch of shuffled mini-batches (or its first `steps`), keeping running loss and accuracy."""
        order = torch.randperm(train_count)
        loss_sum, correct, seen = 0.0, 0, 0
        for i, start in enumerate(range(0, train_count, batch)):
            if steps is not None and i >= steps:
                break
            idx = order[start:start + batch]
            xb, yb = x[idx], y[idx]
            opt.zero_grad(set_to_none=True)
            logits = model(xb)
            loss = loss_fn(logits, yb)
            loss.backward()
            opt.step()
            loss_sum += loss.item() * len(idx)
            correct += int((logits.argmax(1) == yb).sum())
            seen += len(idx)
        return loss_sum / seen, correct / seen

    run(steps=20)  # warm-up
    epochs, cpu = [], []
    for _ in range(1 if QUICK else 3):
        t0, c0 = time.perf_counter(), time.process_time()
        loss, accuracy = run()
        epochs.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)
    emit({
        "mnist_cnn_epoch_s": statistics.median(epochs),
        "mnist_cnn_epoch_cpu_s": statistics.median(cpu),
        "samples": train_count,
        "batch": batch,
        "optimizer": training["optimizer"],
        "learning_rate": training["learningRate"],
        "epochs_timed": len(epochs),
        "train_loss": loss,
        "train_accuracy": accuracy,
        "data": f"{IMAGE_DATASETS[training['dataset']][0]}: {train_count} of {count} digits (seeded pick, not the engine's exact split)",
    })


def main():
    emit({"torch": torch.__version__, "threads": torch.get_num_threads()})
    for name, batch, build in reference_models():
        if selected(name):
            bench_reference(name, batch, build)
    if selected("mnist cnn epoch"):
        bench_mnist_cnn()


if __name__ == "__main__":
    main()
