/**
 * PyTorch export: model.py, one readable nn.Module whose forward follows the graph node by node,
 * written from each layer's own PyTorch writer (LayerDef.torch). Attribute names are the node
 * names, parameters keep the engine's names and layouts, so the run's safetensors file loads into
 * it by name (`load_gradflow_weights`), and it computes what the engine computes: channels-last
 * tensors, TF 'same' padding, Keras gate order and the rest of the conventions each layer states.
 */
import type { Plan } from '../compiler/plan';
import type { TorchContext, TorchExport } from '../layers/types';
import type { ModelDefinition } from '../model';
import type { TrainingRun } from '../train/run';
import { writeDataSafetensors, writeTrainPy } from './pytorch-train';
import { encodeSafetensors } from './safetensors';
import { planWeights } from './weights';

/** Why a graph cannot be written as PyTorch (a layer without a writer). */
export class TorchExportError extends Error {
  override name = 'TorchExportError';
}

/**
 * The Python identifiers of the nodes: their names, made valid and unique ("Dense 1!" → Dense_1_),
 * and never a name model.py defines or imports (a local `tf_max_pool2d` would hide the function).
 */
function identifiers(names: readonly string[], defined: Iterable<string>): string[] {
  const taken = new Set(['x', 'self', 'torch', 'nn', 'F', 'math', 'json', 'struct', 'target', 'prediction', ...MODULE_ATTRIBUTES, ...defined]);
  return names.map((name) => {
    let id = name.replace(/[^A-Za-z0-9_]/g, '_');
    if (!/^[A-Za-z_]/.test(id)) id = `layer_${id}`;
    if (PYTHON_KEYWORDS.has(id)) id = `${id}_`;
    let unique = id;
    for (let i = 2; taken.has(unique); i++) unique = `${id}_${i}`;
    taken.add(unique);
    return unique;
  });
}

/** What an nn.Module (and Model) already has: a layer called "forward" or "training" must not replace it. */
const MODULE_ATTRIBUTES = [
  'forward', 'loss', 'training', 'train', 'eval', 'parameters', 'named_parameters', 'buffers', 'named_buffers', 'children', 'modules',
  'named_modules', 'state_dict', 'load_state_dict', 'to', 'cpu', 'cuda', 'double', 'float', 'half', 'type', 'apply', 'zero_grad',
  'register_buffer', 'register_parameter', 'add_module', 'requires_grad_', 'extra_repr', 'GRADFLOW_NAMES',
];

const PYTHON_KEYWORDS = new Set(
  'False None True and as assert async await break class continue def del elif else except finally for from global if import in is lambda nonlocal not or pass raise return try while with yield'.split(' '),
);

/** A Python string literal (JSON's escapes are Python's for the characters JSON escapes). */
const pyString = (s: string): string => JSON.stringify(s);

/**
 * The PyTorch project of a run: model.py, train.py, the run's weights as they are now
 * (weights.safetensors: train.py starts from them) and its data as Gradflow split it
 * (data.safetensors), with a README. File names and contents, in that order.
 */
export function pytorchFiles(run: TrainingRun, model: ModelDefinition): [string, string | Uint8Array][] {
  const title = model.name ?? 'model';
  return [
    ['model.py', writeModelPy(run.plan, title)],
    ['train.py', writeTrainPy(run.plan, model.training, title)],
    ['weights.safetensors', encodeSafetensors(planWeights(run.plan), { producer: 'gradflow', model: title, steps: String(run.trainer.step) })],
    ['data.safetensors', writeDataSafetensors(run.split)],
    ['README.md', readme(title, run)],
  ];
}

function readme(title: string, run: TrainingRun): string {
  return [
    `# ${title}: PyTorch, exported from Gradflow`,
    '',
    '- `model.py`: the network as a PyTorch `nn.Module` (`Model`), layer names as in Gradflow.',
    '- `train.py`: trains it with the settings of the Gradflow model (optimizer, learning rate, batch size, epochs, seed).',
    `- \`weights.safetensors\`: the weights Gradflow had at export (after ${run.trainer.step} steps); \`train.py\` starts from them.`,
    `- \`data.safetensors\`: ${run.split.info.name}, split and standardized as Gradflow trains on it (${run.split.train.count} training and ${run.split.test.count} test samples).`,
    '',
    'Run it:',
    '',
    '```sh',
    'python3 train.py --save trained.safetensors          # one process',
    'torchrun --nproc_per_node 4 train.py                  # four processes, DistributedDataParallel',
    '```',
    '',
    "With PyTorch 1.13 on Python 3.11 (Debian 12's python3-torch), torchrun fails on its own default options; add `--redirects 2 --tee 2` after `torchrun`.",
    '',
    'Open `trained.safetensors` in Gradflow (Open, on the same graph) to inspect what PyTorch trained.',
    '`model.py` reads safetensors files with the `safetensors` package when it is installed, and with its own reader otherwise.',
    '',
  ].join('\n');
}

/** model.py for the plan's graph (the nodes that reach the output, in the plan's order). */
export function writeModelPy(plan: Plan, title = 'model'): string {
  const { compiled } = plan;
  const nodes = plan.nodes.filter((n) => compiled.nodes.get(n.id)?.reachesOutput);
  const writerOf = (id: string) => compiled.nodes.get(id)!.layer!.torch as TorchExport | undefined;
  const defined = nodes.flatMap((n) => Object.keys(writerOf(n.id)?.definitions ?? {}));
  const ids = identifiers(nodes.map((n) => n.name), [...defined, 'Model', 'read_safetensors', 'write_safetensors', 'gradflow_state', 'load_gradflow_weights']);
  const idOf = new Map(nodes.map((n, i) => [n.id, ids[i]!]));
  const definitions = new Map<string, string>();
  const init: string[] = [];
  const forward: string[] = [];
  const names: string[] = [];
  let result = '';
  let loss = '';

  nodes.forEach((node, i) => {
    const c = compiled.nodes.get(node.id)!;
    const layer = c.layer!;
    const writer = writerOf(node.id);
    if (!writer) throw new TorchExportError(`${node.name} (${layer.label}) has no PyTorch export`);
    const edges = c.inputs.map((e) => compiled.edges.get(e)!);
    const ctx: TorchContext = {
      inputs: edges.map((e) => e.shape!),
      output: c.shape!,
      dataset: plan.dataset,
      inputTypes: edges.map((e) => compiled.nodes.get(e.source)!.type),
      lossKind: plan.lossKind,
    };
    for (const [name, text] of Object.entries(writer.definitions ?? {})) {
      const known = definitions.get(name);
      if (known !== undefined && known !== text) throw new TorchExportError(`two layers define ${name} differently`);
      definitions.set(name, text);
    }
    const id = ids[i]!;
    const module = `self.${id}`;
    if (writer.module) {
      init.push(`        ${module} = ${writer.module(c.params as never, ctx)}`);
      names.push(`        ${pyString(node.name)}: ${pyString(id)},`);
    }
    const args = edges.map((e) => idOf.get(e.source)!);
    forward.push(`        ${id} = ${writer.forward(args, c.params as never, { ...ctx, module })}`);
    if (writer.loss) {
      result = id;
      loss = writer.loss('prediction', 'target', c.params as never, ctx);
    }
  });
  if (!loss) throw new TorchExportError('the graph has no output node to take the loss from');

  const d = plan.dataset;
  return [
    `"""${title.replace(/"""/g, "'''")}: exported from Gradflow.`,
    '',
    'A PyTorch twin of the Gradflow graph: the same layers, names and weight layouts, computing what',
    "Gradflow's engine computes. Tensors are channels-last with the batch axis first ([batch, height,",
    'width, channels] images, [batch, time, features] sequences), as in Gradflow and Keras.',
    '',
    '    model = Model()',
    "    load_gradflow_weights(model, 'weights.safetensors')",
    '    prediction = model(x)',
    '    loss = model.loss(prediction, target)',
    '"""',
    'import json',
    'import math',
    'import struct',
    '',
    'import torch',
    'import torch.nn.functional as F',
    'from torch import nn',
    '',
    `INPUT_SHAPE = ${pyShape(d.inputShape)}  # one sample's features (${d.name})`,
    `TARGET_SHAPE = ${pyShape(d.targetShape)}  # one sample's target${d.numClasses ? `: a class id, ${d.numClasses} classes` : ''}`,
    '',
    '',
    ...[...definitions.values()].flatMap((text) => [text, '', '']),
    'class Model(nn.Module):',
    '    # The Gradflow name of each layer with weights or state -> its attribute here.',
    '    GRADFLOW_NAMES = {',
    ...names,
    '    }',
    '',
    '    def __init__(self):',
    '        super().__init__()',
    ...(init.length > 0 ? init : ['        pass']),
    '',
    '    def forward(self, x):',
    ...forward,
    `        return ${result}`,
    '',
    '    def loss(self, prediction, target):',
    `        """The training loss (${plan.lossKind.replace(/_/g, ' ')}), a mean over the batch; \`target\` as the dataset stores it."""`,
    `        return ${loss}`,
    '',
    '',
    LOADERS,
    '',
  ].join('\n');
}

function pyShape(shape: readonly number[]): string {
  return shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
}

/** Reading and writing safetensors, and the weights by Gradflow name: the same in every model.py. */
const LOADERS = `def read_safetensors(path):
    """The tensors of a .safetensors file by name: with the safetensors package when it is installed, else read here."""
    try:
        from safetensors.torch import load_file
    except ImportError:
        pass
    else:
        return load_file(path)
    with open(path, "rb") as f:
        data = f.read()
    (length,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8 : 8 + length])
    tensors = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        if info["dtype"] != "F32":
            raise ValueError(f"{path}: {name} is {info['dtype']}; Gradflow writes F32")
        begin, end = info["data_offsets"]
        raw = bytearray(data[8 + length + begin : 8 + length + end])
        values = torch.frombuffer(raw, dtype=torch.float32) if raw else torch.empty(0)
        tensors[name] = values.reshape(info["shape"]).clone()
    return tensors


def write_safetensors(tensors, path, metadata=None):
    """Writes named float32 tensors as a .safetensors file, as Gradflow reads it."""
    header = {"__metadata__": dict(metadata)} if metadata else {}
    blobs, offset = [], 0
    for name, t in tensors.items():
        blob = t.detach().to(torch.float32).contiguous().cpu().numpy().astype("<f4").tobytes()
        header[name] = {"dtype": "F32", "shape": list(t.shape), "data_offsets": [offset, offset + len(blob)]}
        blobs.append(blob)
        offset += len(blob)
    text = json.dumps(header, separators=(",", ":")).encode()
    text += b" " * (-len(text) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)) + text + b"".join(blobs))


def gradflow_state(model):
    """Every parameter and buffer under its Gradflow name ("dense_1.kernel"), in the model's order."""
    state = {}
    for layer, attribute in model.GRADFLOW_NAMES.items():
        module = getattr(model, attribute)
        for name, tensor in [*module.named_parameters(), *module.named_buffers()]:
            state[f"{layer}.{name}"] = tensor
    return state


def load_gradflow_weights(model, path):
    """Puts the weights of a Gradflow .safetensors file into the model; names and shapes must match."""
    tensors = read_safetensors(path)
    state = gradflow_state(model)
    problems = [f"{n} is not in the file" for n in state if n not in tensors]
    problems += [f"{n} is in the file, but the model has no such tensor" for n in tensors if n not in state]
    problems += [
        f"{n} is {list(tensors[n].shape)} in the file, but {list(t.shape)} in the model"
        for n, t in state.items()
        if n in tensors and tuple(tensors[n].shape) != tuple(t.shape)
    ]
    if problems:
        raise ValueError(f"{path} does not fit the model: " + "; ".join(problems))
    with torch.no_grad():
        for name, t in state.items():
            t.copy_(tensors[name])`;
