/**
 * The template gallery: the example models shipped in examples/ (the same files the CLI and the
 * engine's tests train), each with the one-line lesson it teaches.
 */
import { parseModelObject, type ModelDefinition } from '../../engine/model';
import spiralMlp from '../../examples/spiral-mlp.json';
import deepSigmoid from '../../examples/deep-sigmoid.json';
import deepReluHe from '../../examples/deep-relu-he.json';
import residualMlp from '../../examples/residual-mlp.json';
import iris from '../../examples/iris.json';
import mnistMlp from '../../examples/mnist-mlp.json';
import mnistCnn from '../../examples/mnist-cnn.json';
import sineRnn from '../../examples/sine-rnn.json';
import charLstm from '../../examples/char-lstm.json';
import tinyTransformer from '../../examples/tiny-transformer.json';
import memoryRnn from '../../examples/memory-rnn.json';
import memoryLstm from '../../examples/memory-lstm.json';
import noBend from '../../examples/no-bend.json';
import overfitDropout from '../../examples/overfit-dropout.json';
import lrTooHigh from '../../examples/lr-too-high.json';

export interface Template {
  id: string;
  name: string;
  /** One line: what to watch for. */
  lesson: string;
  model: ModelDefinition;
}

const SOURCES: { id: string; lesson: string; json: unknown }[] = [
  { id: 'spiral-mlp', lesson: 'Watch the decision boundary bend around the spiral arms.', json: spiralMlp },
  { id: 'no-bend', lesson: 'Dense layers with no activation between them make one linear map: the boundary stays straight and the spiral stays out of reach (compare "Spiral MLP (ReLU)").', json: noBend },
  { id: 'deep-sigmoid', lesson: 'Watch the first layers starve of gradient.', json: deepSigmoid },
  { id: 'deep-relu-he', lesson: 'Same depth, ReLU and He init: the gradient reaches the first layer.', json: deepReluHe },
  { id: 'residual-mlp', lesson: 'A skip connection gives the gradient a shortcut around the block.', json: residualMlp },
  { id: 'iris', lesson: 'A small table: four measurements, three species, trained in seconds.', json: iris },
  { id: 'mnist-mlp', lesson: 'Handwritten digits with a plain MLP: about 95% on held-out digits.', json: mnistMlp },
  { id: 'mnist-cnn', lesson: 'Convolutions learn strokes: about 98% with far fewer weights.', json: mnistCnn },
  { id: 'sine-rnn', lesson: 'A SimpleRNN reads the wave one step at a time: the forecast error falls to near the noise.', json: sineRnn },
  { id: 'char-lstm', lesson: 'Next character at every step: the loss falls well under the unigram (letter frequency) line.', json: charLstm },
  { id: 'tiny-transformer', lesson: 'Attention instead of recurrence: open an Attention node to see which earlier characters each step reads.', json: tinyTransformer },
  { id: 'memory-rnn', lesson: 'Stays at chance on a letter 15–30 steps back: after a few hundred steps the Embedding → SimpleRNN edge shows the early time steps getting far less gradient than the late ones (compare "Long memory: LSTM").', json: memoryRnn },
  { id: 'memory-lstm', lesson: 'Learns it, unlike "Long memory: SimpleRNN": on the Embedding → LSTM edge the gradient fades through time at first, then reaches the early steps as accuracy jumps.', json: memoryLstm },
  { id: 'overfit-dropout', lesson: 'Set both Dropout rates to 0 and train again: the train loss falls to near zero while the test loss climbs. Dropout keeps the gap under half of that.', json: overfitDropout },
  { id: 'lr-too-high', lesson: 'Diverges within a few epochs, and the run says where. Set the learning rate ten times smaller (0.1) and it fits the wave.', json: lrTooHigh },
];

export const TEMPLATES: readonly Template[] = SOURCES.map(({ id, lesson, json }) => {
  const parsed = parseModelObject(json);
  if (!parsed.ok) throw new Error(`The template ${id} does not parse: ${parsed.errors.map((e) => `${e.path}: ${e.message}`).join('; ')}`);
  return { id, name: parsed.model.name ?? id, lesson, model: parsed.model };
});

export function findTemplate(id: string): Template | undefined {
  return TEMPLATES.find((t) => t.id === id);
}
